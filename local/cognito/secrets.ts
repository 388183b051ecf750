/**
 * App clients with a secret (confidential clients). Cognito then wants proof of the secret on every
 * call that names a user without a token: a SECRET_HASH (in AuthParameters, ChallengeResponses or the
 * `SecretHash` field, as each operation defines it), or the secret itself where the operation takes a
 * `ClientSecret` field (GetTokensFromRefreshToken, RevokeToken). Calls authorised by an access token
 * need nothing more. Developer guide "Computing secret hash values"; API reference, each operation.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { CognitoExceptionName } from './errors';
import { cognitoError } from './errors';
import type { LocalAppClient } from './core';

const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 51 lower-case letters and digits, the shape of the secrets Cognito generates (GenerateSecret). */
export function newClientSecret(): string {
  return Array.from({ length: 51 }, () => LOWER_ALPHANUMERIC[randomInt(LOWER_ALPHANUMERIC.length)]).join('');
}

/** Base64(HMAC-SHA256(key = client secret, message = user name + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

/**
 * The one answer for a missing or wrong proof. The AWS Knowledge Center page
 * "cognito-unable-to-verify-secret-hash" gives this message for a missing hash too; threads report
 * other wordings for the missing case (README: local choice).
 */
export const secretHashRefused = (clientId: string, name: CognitoExceptionName = 'NotAuthorizedException') =>
  cognitoError(name, `Unable to verify secret hash for client ${clientId}`);

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Throws unless the client has no secret or `hash` is its SECRET_HASH over `username`. */
export function assertSecretHash(client: LocalAppClient, username: unknown, hash: unknown): void {
  if (!client.ClientSecret) return;
  if (typeof hash !== 'string' || typeof username !== 'string') throw secretHashRefused(client.ClientId);
  if (!sameText(secretHash(client.ClientSecret, username, client.ClientId), hash)) {
    throw secretHashRefused(client.ClientId);
  }
}

/** A SECRET_HASH is present when the client needs one (checked before the user it names is looked up). */
export function assertSecretHashPresent(client: LocalAppClient, hash: unknown): void {
  if (client.ClientSecret && (typeof hash !== 'string' || hash.length === 0)) {
    throw secretHashRefused(client.ClientId);
  }
}

/** For operations with a `ClientSecret` field: the secret itself, when the client has one. */
export function assertClientSecret(
  client: LocalAppClient,
  secret: unknown,
  name: CognitoExceptionName = 'NotAuthorizedException',
): void {
  if (!client.ClientSecret) return;
  if (typeof secret !== 'string' || !sameText(client.ClientSecret, secret)) {
    throw secretHashRefused(client.ClientId, name);
  }
}
