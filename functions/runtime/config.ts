/**
 * Function configuration: read once per cold start from the environment, validated, typed.
 * A missing or malformed setting fails at start with its name, never as an empty string later.
 * The CDK stack and the local stack set these variables from infra/settings.ts.
 */
import * as z from 'zod/mini';
import type { PasswordPolicy } from '../domain/password-policy';

/** Names of the environment variables a function reads. Infra and the local stack import these. */
export const ENV = {
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  region: 'AWS_REGION',
  mfaBucket: 'MFA_BUCKET',
  mfaIssuer: 'MFA_ISSUER',
  qrUrlTtlSeconds: 'QR_URL_TTL_SECONDS',
  adminGroup: 'ADMIN_GROUP',
  /** Lifetime of an enrolment session (scan the QR code, type the first code), in seconds. */
  enrolmentSessionSeconds: 'ENROLMENT_SESSION_SECONDS',
  /** The pool's password policy as JSON (infra/settings.ts PasswordPolicy), for messages that say what it asks. */
  passwordPolicy: 'PASSWORD_POLICY',
  /** Floor in milliseconds for answers that could reveal an account by their timing; 0 = none. */
  uniformResponseMs: 'UNIFORM_RESPONSE_MS',
  /** Milliseconds logout waits after GlobalSignOut (settings.signOutSettleMs); 0 = none. */
  signOutSettleMs: 'SIGN_OUT_SETTLE_MS',
  /**
   * Secrets Manager id of the app client's secret (a confidential client). Unset for a public client.
   * The value itself is never in the environment: it is read once per cold start (client-secret.ts).
   */
  clientSecretId: 'CLIENT_SECRET_ID',
  /** DynamoDB table of the guess bounds (functions/domain/guess-bounds.ts); set for functions that check secrets. */
  guessTable: 'GUESS_TABLE',
  /** Local stack only: endpoint of the local DynamoDB. Unset on AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /**
   * Secrets Manager id of the key recovery codes are hashed with (HMAC-SHA256); set for the functions
   * that issue or check them.
   */
  recoveryKeyId: 'RECOVERY_KEY_ID',
  /** Local stack only: endpoint of the local Secrets Manager. Unset on AWS. */
  secretsEndpoint: 'SECRETS_ENDPOINT',
  /** Local stack only: endpoint of the local Cognito. Unset on AWS. */
  cognitoEndpoint: 'COGNITO_ENDPOINT',
  /** Local stack only: endpoint of the local S3. Unset on AWS. */
  s3Endpoint: 'S3_ENDPOINT',
} as const;

/** A whole number of milliseconds or seconds, read from the environment's text. */
const wholeNumber = (min: number, max: number) =>
  z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));

const schema = z.object({
  userPoolId: z.string().check(z.minLength(1)),
  userPoolClientId: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  mfaBucket: z.string().check(z.minLength(3)),
  mfaIssuer: z.string().check(z.minLength(1), z.maxLength(64)),
  qrUrlTtlSeconds: wholeNumber(30, 3600),
  adminGroup: z.string().check(z.minLength(1)),
  enrolmentSessionSeconds: wholeNumber(60, 3600),
  passwordPolicy: z.pipe(
    z.pipe(
      z.string(),
      z.transform((raw: string, ctx) => {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: 'not JSON', input: raw });
          return z.NEVER;
        }
      }),
    ),
    z.object({
      minLength: z.number().check(z.int(), z.minimum(6), z.maximum(99)),
      requireLowercase: z.boolean(),
      requireUppercase: z.boolean(),
      requireDigits: z.boolean(),
      requireSymbols: z.boolean(),
    }) satisfies z.ZodMiniType<PasswordPolicy>,
  ),
  uniformResponseMs: z._default(wholeNumber(0, 5000), 0),
  signOutSettleMs: z._default(wholeNumber(0, 5000), 0),
  clientSecretId: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  guessTable: z.optional(z.string().check(z.minLength(3), z.maxLength(255))),
  recoveryKeyId: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  dynamodbEndpoint: z.optional(z.url()),
  secretsEndpoint: z.optional(z.url()),
  cognitoEndpoint: z.optional(z.url()),
  s3Endpoint: z.optional(z.url()),
});

export type Config = z.infer<typeof schema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(ENV).map(([key, name]) => [key, env[name] || undefined]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => ENV[i.path[0] as keyof typeof ENV] ?? String(i.path[0]));
    throw new Error(`Invalid function configuration: check ${[...new Set(names)].join(', ')}`);
  }
  return parsed.data;
}
