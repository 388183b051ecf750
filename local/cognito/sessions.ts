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
  private readonly sessions = new Map<string, Stored>();

  constructor(private readonly now: () => number) {}

  start(session: ChallengeSession, validityMs: number): string {
    this.forgetOldOnes();
    const id = randomBytes(96).toString('base64url');
    this.sessions.set(id, { ...session, expiresAt: this.now() + validityMs });
    return id;
  }

  /** The live session for this id, or Cognito's NotAuthorizedException for an unknown, used or expired one. */
  get(id: unknown): ChallengeSession {
    const session = typeof id === 'string' ? this.sessions.get(id) : undefined;
    if (!session) throw cognitoError('NotAuthorizedException', MESSAGES.invalidSession);
    if (this.now() > session.expiresAt) throw cognitoError('NotAuthorizedException', MESSAGES.expiredSession);
    return session;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** A user who is deleted or signed out loses the sign-ins under way too. */
  endAllFor(username: string): void {
    for (const [id, session] of this.sessions) if (session.username === username) this.sessions.delete(id);
  }

  private forgetOldOnes(): void {
    const cutoff = this.now() - REMEMBER_EXPIRED_MS;
    for (const [id, session] of this.sessions) if (session.expiresAt < cutoff) this.sessions.delete(id);
  }
}
