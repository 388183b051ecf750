/**
 * The session login hands out with a SOFTWARE_TOKEN_MFA challenge: Cognito's own session, bound to
 * the e-mail that signed in. verifyMfa counts wrong codes against the e-mail it is given, so that
 * e-mail must be the one the session signed in; otherwise someone holding a stolen password's session
 * could name a fresh address on every try and never reach the account's bound. Cognito may well refuse
 * a USERNAME that is not the session's user, but it does not document it; the API does not count on it.
 *
 * The binding is Cognito's session, a dot, and an HMAC-SHA256 tag over the e-mail and that session,
 * keyed with a key only the functions can derive (client-secret.ts). Cognito's session is no secret
 * from the client that got it, so it is bound, not sealed; it still expires when Cognito says.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MESSAGES } from '../../schema/messages';
import { challengeKey } from '../runtime/client-secret';
import type { Deps } from '../runtime/clients';
import { fail } from '../runtime/errors';

async function tagOf(deps: Deps, email: string, session: string): Promise<Buffer> {
  const secret = await deps.clientSecret.value();
  if (!secret) throw new Error('challenge sessions need the app client secret (settings.clientSecret)');
  // NUL cannot occur in a normalised e-mail (validation.ts refuses control characters).
  return createHmac('sha256', challengeKey(secret)).update(`${email}\0${session}`).digest();
}

export async function bindChallenge(deps: Deps, email: string, session: string): Promise<string> {
  return `${session}.${(await tagOf(deps, email, session)).toString('base64url')}`;
}

/** Cognito's session, or SESSION_EXPIRED for one that was altered or bound to another e-mail. */
export async function openChallenge(deps: Deps, email: string, bound: string): Promise<string> {
  const dot = bound.lastIndexOf('.');
  const session = bound.slice(0, dot);
  const given = Buffer.from(bound.slice(dot + 1), 'base64url');
  const expected = await tagOf(deps, email, session);
  if (dot < 1 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
  }
  return session;
}
