/**
 * Function configuration: read once per cold start from the environment, validated, typed.
 * A missing or malformed setting fails at start with its name, never as an empty string later.
 * The CDK stack and the local stack set these variables from infra/settings.ts.
 */
import * as z from 'zod';
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

const schema = z.object({
  userPoolId: z.string().min(1),
  userPoolClientId: z.string().min(1),
  region: z.string().min(1),
  mfaBucket: z.string().min(3),
  mfaIssuer: z.string().min(1).max(64),
  qrUrlTtlSeconds: z.coerce.number().int().min(30).max(3600),
  adminGroup: z.string().min(1),
  enrolmentSessionSeconds: z.coerce.number().int().min(60).max(3600),
  passwordPolicy: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(
      z.object({
        minLength: z.number().int().min(6).max(99),
        requireLowercase: z.boolean(),
        requireUppercase: z.boolean(),
        requireDigits: z.boolean(),
        requireSymbols: z.boolean(),
      }) satisfies z.ZodType<PasswordPolicy>,
    ),
  uniformResponseMs: z.coerce.number().int().min(0).max(5000).default(0),
  signOutSettleMs: z.coerce.number().int().min(0).max(5000).default(0),
  clientSecretId: z.string().min(1).max(2048).optional(),
  guessTable: z.string().min(3).max(255).optional(),
  recoveryKeyId: z.string().min(1).max(2048).optional(),
  dynamodbEndpoint: z.url().optional(),
  secretsEndpoint: z.url().optional(),
  cognitoEndpoint: z.url().optional(),
  s3Endpoint: z.url().optional(),
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
