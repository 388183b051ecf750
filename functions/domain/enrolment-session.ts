/**
 * The session string of an enrolment the API runs itself. In a pool whose MFA is OPTIONAL, Cognito
 * signs an account without an enabled authenticator straight in, so enrolment happens with that
 * sign-in's access token (AssociateSoftwareToken / VerifySoftwareToken). Those tokens must not reach
 * the client before it has proven the authenticator, so the client gets them sealed: encrypted and
 * authenticated (JWE, dir + A256GCM) with a key only the functions can derive, bound to the e-mail,
 * and short-lived. confirmMfa opens it; nobody else can read or forge one.
 */
import { randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Deps } from '../runtime/clients';
import { sealingKey } from '../runtime/client-secret';
import { fail } from '../runtime/errors';
import { MESSAGES } from '../../schema/messages';

export interface EnrolmentSession {
  /** The user's pool user name (its sub). */
  readonly sub: string;
  /** The normalised e-mail the enrolment was started for. */
  readonly email: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Names this enrolment, so the session completes it once (recovery-codes.ts records it). */
  readonly enrolmentId: string;
  /**
   * The enrolment whose recovery codes this one replaces (a recovery), or undefined for a first
   * enrolment. confirmMfa completes only while those are still the account's current codes, so once
   * any enrolment of the account completes, every other session started before it is spent.
   */
  readonly replaces: string | undefined;
}

/**
 * What a sealed session is for, written into it (the JWE audience): an enrolment's session opens only
 * as an enrolment, a session waiting for the e-mailed code only as that.
 */
export type SessionPurpose = 'enrolment' | 'email-proof';

async function keyOf(deps: Deps): Promise<Uint8Array> {
  const secret = await deps.clientSecret.value();
  // Without the client secret there is no key only the functions hold: refuse rather than seal weakly.
  if (!secret) throw new Error('enrolment sessions need the app client secret (settings.clientSecret)');
  return sealingKey(secret);
}

export async function sealEnrolment(
  deps: Deps,
  session: Omit<EnrolmentSession, 'enrolmentId'>,
  purpose: SessionPurpose = 'enrolment',
): Promise<{ session: string; enrolmentId: string }> {
  const enrolmentId = randomUUID();
  const now = Math.floor(deps.now().getTime() / 1000);
  const sealed = await new EncryptJWT({
    email: session.email,
    at: session.accessToken,
    rt: session.refreshToken,
    eid: enrolmentId,
    ...(session.replaces ? { rep: session.replaces } : {}),
  })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setSubject(session.sub)
    .setAudience(purpose)
    .setIssuedAt(now)
    .setExpirationTime(now + deps.config.enrolmentSessionSeconds)
    .encrypt(await keyOf(deps));
  return { session: sealed, enrolmentId };
}

/** The session's contents, or SESSION_EXPIRED for one that is forged, expired or for another e-mail. */
export async function openEnrolment(
  deps: Deps,
  sealed: string,
  email: string,
  purpose: SessionPurpose = 'enrolment',
): Promise<EnrolmentSession> {
  let payload;
  try {
    ({ payload } = await jwtDecrypt(sealed, await keyOf(deps), {
      audience: purpose,
      currentDate: deps.now(),
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }));
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('enrolment sessions need')) throw error;
    throw fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
  }
  const { sub, email: sealedFor, at, rt, eid, rep } = payload;
  if (
    typeof sub !== 'string' ||
    typeof at !== 'string' ||
    typeof rt !== 'string' ||
    typeof eid !== 'string' ||
    (rep !== undefined && typeof rep !== 'string') ||
    sealedFor !== email
  ) {
    throw fail('SESSION_EXPIRED', MESSAGES.sessionExpired);
  }
  return { sub, email, accessToken: at, refreshToken: rt, enrolmentId: eid, replaces: rep };
}
