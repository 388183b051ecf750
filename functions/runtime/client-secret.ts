/**
 * The app client's secret. With a confidential client Cognito refuses every sign-in, challenge and
 * password-reset call that lacks a SECRET_HASH made with the secret, so only these functions can make
 * those calls: the public client id alone no longer lets anyone talk to Cognito around the API.
 *
 * The secret lives in Secrets Manager and is read once per cold start (secrets.ts).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Config } from './config';
import { storedSecret, type StoredSecret } from './secrets';

export type ClientSecret = StoredSecret;

export const clientSecretFrom = (config: Config): ClientSecret =>
  storedSecret(config, config.clientSecretId, 'client secret');

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
 * A key derived from the client secret with HKDF for one use, so no two uses share key material and no
 * second secret has to be provisioned or rotated. Derived once per secret value and use: an instance
 * reads the secret once per cold start, and every request would otherwise repeat the derivation.
 */
function derivedKey(use: string): (secret: string) => Uint8Array {
  let last: { secret: string; key: Uint8Array } | undefined;
  return (secret) => {
    if (last?.secret !== secret) {
      last = { secret, key: new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), use, 32)) };
    }
    return last.key;
  };
}

/** The key enrolment sessions are sealed with (enrolment-session.ts). */
export const sealingKey = derivedKey('auth-api enrolment session v1');

/** The key Cognito's challenge sessions are bound to an e-mail with (challenge-session.ts). */
export const challengeKey = derivedKey('auth-api challenge session v1');
