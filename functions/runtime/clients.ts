/** AWS SDK clients, built once per cold start from validated configuration and handed to the domain. */
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

export function createDeps(config: Config, now: () => Date = () => new Date()): Deps {
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
    s3: new S3Client({
      region: config.region,
      // Locally, a path-style endpoint on loopback; on AWS, the regional default.
      ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
    }),
    dynamodb: new DynamoDBClient({
      region: config.region,
      ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    }),
    clientSecret: clientSecretFrom(config),
    recoveryKey: storedSecret(config, config.recoveryKeyId, 'recovery-code key'),
    now,
  };
}
