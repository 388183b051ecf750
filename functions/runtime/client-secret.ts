/**
 * The app client's secret. With a confidential client Cognito refuses every sign-in, challenge and
 * password-reset call that lacks a SECRET_HASH made with the secret, so only these functions can make
 * those calls: the public client id alone no longer lets anyone talk to Cognito around the API.
 *
 * The secret lives in Secrets Manager and is read once per cold start (Powertools Parameters), never
 * from a plain environment variable, and never logged.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from './config';

export interface ClientSecret {
  /** The app client's secret, or undefined for a public client. */
  value(): Promise<string | undefined>;
}

/** Kept for the life of the execution environment: a rotated secret arrives with the next cold start. */
const FOR_THE_LIFE_OF_THE_PROCESS = Number.MAX_SAFE_INTEGER;

export function clientSecretFrom(config: Config): ClientSecret {
  const id = config.clientSecretId;
  if (!id) return { value: () => Promise.resolve(undefined) };
  const provider = new SecretsProvider({
    awsSdkV3Client: new SecretsManagerClient({
      region: config.region,
      ...(config.secretsEndpoint ? { endpoint: config.secretsEndpoint } : {}),
    }),
  });
  let pending: Promise<string> | undefined;
  return {
    value() {
      pending ??= provider.get(id, { maxAge: FOR_THE_LIFE_OF_THE_PROCESS }).then((secret) => {
        if (typeof secret !== 'string' || secret.length === 0) throw new Error('client secret is empty');
        return secret;
      });
      // A failed read is not cached: the next request tries again.
      pending.catch(() => (pending = undefined));
      return pending;
    },
  };
}

/**
 * SECRET_HASH as Cognito checks it ("Computing secret hash values"): Base64 of HMAC-SHA256 over the
 * user name followed by the client id, keyed with the client secret.
 */
export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
}

/**
 * A key of its own for sealing enrolment sessions, derived from the client secret with HKDF so the
 * two uses never share key material and no second secret has to be provisioned or rotated.
 */
export function sealingKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), 'auth-api enrolment session v1', 32));
}
