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
 * A key of its own for sealing enrolment sessions, derived from the client secret with HKDF so the
 * two uses never share key material and no second secret has to be provisioned or rotated.
 */
export function sealingKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), 'auth-api enrolment session v1', 32));
}

/** Another key of its own, for binding Cognito's challenge sessions to an e-mail (challenge-session.ts). */
export function challengeKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), 'auth-api challenge session v1', 32));
}
