/**
 * AWS SDK clients, built once per cold start from validated configuration and handed to the domain.
 *
 * Cognito is every function's client. The others are in a function's bundle only when its wiring row
 * uses them: the stack defines each BUNDLED_* constant per function (infra/function-bundling.ts),
 * esbuild folds the conditions below, and a client left out is neither bundled, loaded nor built.
 * Unbundled (the local stack, tests) the constants are unset and every client is there.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { clientSecretFrom, type ClientSecret } from './client-secret';
import { storedSecret, type StoredSecret } from './secrets';
import type { Config } from './config';

export interface Deps {
  readonly config: Config;
  readonly cognito: CognitoIdentityProviderClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly clientSecret: ClientSecret;
  /** The key recovery codes are hashed with. */
  readonly recoveryKey: StoredSecret;
  readonly now: () => Date;
}

/** The clients a bundle may leave out, and the constant that says it holds one ('false': left out). */
export const BUNDLED_CLIENTS = {
  s3: 'process.env.BUNDLED_S3',
  dynamodb: 'process.env.BUNDLED_DYNAMODB',
  secretsManager: 'process.env.BUNDLED_SECRETS_MANAGER',
} as const;
export type OptionalClient = keyof typeof BUNDLED_CLIENTS;

/** A client this bundle left out: a call through it is a wiring mistake, and says so. */
function leftOut<T>(client: string): T {
  return new Proxy({} as object, {
    get() {
      throw new Error(
        `${client} is not in this function's bundle: its row in infra/wiring.ts does not use it`,
      );
    },
  }) as T;
}

/** What a function with no secret reads: the same as a secret whose id is not configured. */
const NO_SECRET: StoredSecret = { value: () => Promise.resolve(undefined) };

export function createDeps(config: Config, now: () => Date = () => new Date()): Deps {
  // Each condition is written out in full, not through a helper or a variable, so that esbuild folds it.
  return {
    config,
    cognito: new CognitoIdentityProviderClient({
      region: config.region,
      // No SDK retries: the SDK counts LimitExceededException (a user's hourly reset attempts) as
      // throttling and would spend three attempts per request, and retrying RespondToAuthChallenge or
      // ConfirmForgotPassword re-sends single-use sessions and codes. Throttling is answered as
      // TOO_MANY_REQUESTS and the client decides when to try again.
      maxAttempts: 1,
      ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
    }),
    s3:
      process.env.BUNDLED_S3 !== 'false'
        ? new S3Client({
            region: config.region,
            // Locally, a path-style endpoint on loopback; on AWS, the regional default.
            ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
          })
        : leftOut<S3Client>('The S3 client'),
    dynamodb:
      process.env.BUNDLED_DYNAMODB !== 'false'
        ? new DynamoDBClient({
            region: config.region,
            ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
          })
        : leftOut<DynamoDBClient>('The DynamoDB client'),
    clientSecret: process.env.BUNDLED_SECRETS_MANAGER !== 'false' ? clientSecretFrom(config) : NO_SECRET,
    recoveryKey:
      process.env.BUNDLED_SECRETS_MANAGER !== 'false'
        ? storedSecret(config, config.recoveryKeyId, 'recovery-code key')
        : NO_SECRET,
    now,
  };
}
