/**
 * Challenge sessions (the `Session` string between InitiateAuth, RespondToAuthChallenge,
 * AssociateSoftwareToken and VerifySoftwareToken). Each is an opaque random string bound to one user,
 * one app client and one challenge, valid for the client's AuthSessionValidity, and used once: every
 * successful step ends it and, where the flow goes on, starts a new one. They live in memory only, like
 * the few minutes they last.
 */
import { randomBytes } from 'node:crypto';
import { cognitoError, MESSAGES } from './errors';

export type ChallengeName = 'NEW_PASSWORD_REQUIRED' | 'MFA_SETUP' | 'SOFTWARE_TOKEN_MFA';

export interface ChallengeSession {
  readonly username: string;
  readonly clientId: string;
  readonly challenge: ChallengeName;
  /** The TOTP secret handed out by AssociateSoftwareToken, not yet proven. */
  readonly totpSecret?: string;
  /** VerifySoftwareToken accepted a code for totpSecret: MFA_SETUP may now be answered. */
  readonly totpVerified?: boolean;
}

interface Stored extends ChallengeSession {
  readonly expiresAt: number;
}

/** Expired sessions are kept this long so they are refused as expired rather than unknown. */
const REMEMBER_EXPIRED_MS = 60 * 60 * 1000;

export class ChallengeSessions {
  /** In the order they were started, which is (nearly) the order they expire in. */
  private readonly sessions = new Map<string, Stored>();
  /** Session ids by user, so a user's sessions are ended without going through everyone's. */
  private readonly byUser = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {}

  start(session: ChallengeSession, validityMs: number): string {
    this.forgetOldOnes();
    const id = randomBytes(96).toString('base64url');
    this.sessions.set(id, { ...session, expiresAt: this.now() + validityMs });
    let ids = this.byUser.get(session.username);
    if (!ids) this.byUser.set(session.username, (ids = new Set()));
    ids.add(id);
    return id;
  }

  /** The user a session id was started for, expired or not (which call waits for which: locks.ts). */
  userOf(id: unknown): string | undefined {
    return typeof id === 'string' ? this.sessions.get(id)?.username : undefined;
  }

  /** The live session for this id, or Cognito's NotAuthorizedException for an unknown, used or expired one. */
  get(id: unknown): ChallengeSession {
    const session = typeof id === 'string' ? this.sessions.get(id) : undefined;
    if (!session) throw cognitoError('NotAuthorizedException', MESSAGES.invalidSession);
    if (this.now() > session.expiresAt) throw cognitoError('NotAuthorizedException', MESSAGES.expiredSession);
    return session;
  }

  end(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const ids = this.byUser.get(session.username);
    ids?.delete(id);
    if (ids?.size === 0) this.byUser.delete(session.username);
  }

  /** A user who is deleted or signed out loses the sign-ins under way too. */
  endAllFor(username: string): void {
    for (const id of this.byUser.get(username) ?? []) this.sessions.delete(id);
    this.byUser.delete(username);
  }

  /**
   * Oldest first, stopping at the first one still remembered: the cost follows the sessions that
   * expired, not the number kept. (A client with a longer validity can keep a few older ones a little
   * longer; they are refused as expired all the same.)
   */
  private forgetOldOnes(): void {
    const cutoff = this.now() - REMEMBER_EXPIRED_MS;
    for (const [id, session] of this.sessions) {
      if (session.expiresAt >= cutoff) break;
      this.end(id);
    }
  }
}
