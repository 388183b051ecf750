/**
 * What real Cognito remembers and cognito-local does not: sign-ins (refresh tokens and the access tokens
 * issued from them, for revocation), the last TOTP time step each user spent, when a temporary password
 * was issued, password-reset codes, and failed sign-in counters. One JSON file under the data directory, replaced atomically.
 * Refresh tokens and reset codes are stored as SHA-256 hashes only.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

/** One authentication event: its refresh token, and every access token that carries its origin_jti. */
export interface SignIn {
  readonly username: string;
  readonly clientId: string;
  readonly refreshTokenHash: string;
  /** Seconds since the epoch, as in the tokens' auth_time. */
  readonly authTime: number;
  readonly refreshExpiresAt: number;
  /** Kept until the last token that could carry its origin_jti has expired. */
  readonly keepUntil: number;
  revoked: boolean;
}

export interface UserExtras {
  lastTotpStep?: number;
  temporaryPasswordIssuedAt?: number;
  resetCode?: { hash: string; expiresAt: number };
  /**
   * AssociateSoftwareToken with an access token suspended the user's software token: whether TOTP was
   * enabled (and preferred) before, so VerifySoftwareToken of the new token can put it back.
   */
  suspendedTotp?: { enabled: boolean; preferred: boolean };
}

/**
 * Failed sign-ins and reset-code attempts, per user (key: the internal user name) or per unknown name
 * (key: `unknown:` and the lower-cased name), so an unknown name is answered as a known one is.
 */
export interface Throttle {
  /** Consecutive failed passwords since the last success or quiet period. */
  failures?: number;
  /** The last sign-in attempt, refused ones included (milliseconds since the epoch). */
  lastAttemptMs?: number;
  lockedUntilMs?: number;
  /** ForgotPassword requests and ConfirmForgotPassword entries of the last hour. */
  resetAttemptsMs?: number[];
}

interface StateFile {
  signIns: Record<string, SignIn>;
  users: Record<string, UserExtras>;
  throttles?: Record<string, Throttle>;
}

/** Sign-in counters are forgotten after 15 quiet minutes, reset attempts after an hour. */
const SIGN_IN_MEMORY_MS = 15 * 60_000;
export const RESET_WINDOW_MS = 60 * 60_000;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class LocalState {
  private constructor(
    private readonly file: string,
    private readonly data: StateFile,
  ) {}

  static async load(file: string): Promise<LocalState> {
    try {
      return new LocalState(file, JSON.parse(await readFile(file, 'utf8')) as StateFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return new LocalState(file, { signIns: {}, users: {} });
    }
  }

  user(username: string): UserExtras {
    return (this.data.users[username] ??= {});
  }

  throttle(key: string): Throttle {
    return ((this.data.throttles ??= {})[key] ??= {});
  }

  addSignIn(originJti: string, signIn: SignIn): void {
    this.data.signIns[originJti] = signIn;
  }

  signIn(originJti: unknown): SignIn | undefined {
    return typeof originJti === 'string' ? this.data.signIns[originJti] : undefined;
  }

  findByRefreshToken(refreshToken: string): { originJti: string; signIn: SignIn } | undefined {
    const hash = sha256(refreshToken);
    const found = Object.entries(this.data.signIns).find(([, s]) => s.refreshTokenHash === hash);
    return found && { originJti: found[0], signIn: found[1] };
  }

  revokeAllFor(username: string): void {
    for (const signIn of Object.values(this.data.signIns))
      if (signIn.username === username) signIn.revoked = true;
  }

  forgetUser(username: string): void {
    delete this.data.users[username];
    delete this.data.throttles?.[username];
    for (const [jti, signIn] of Object.entries(this.data.signIns)) {
      if (signIn.username === username) delete this.data.signIns[jti];
    }
  }

  /** Writes to a temporary file and renames it, so a crash never leaves half a file behind. */
  async save(nowMs: number): Promise<void> {
    for (const [jti, signIn] of Object.entries(this.data.signIns)) {
      if (signIn.keepUntil < nowMs) delete this.data.signIns[jti];
    }
    for (const [key, throttle] of Object.entries(this.data.throttles ?? {})) {
      if (nowMs - (throttle.lastAttemptMs ?? 0) >= SIGN_IN_MEMORY_MS) {
        delete throttle.failures;
        delete throttle.lockedUntilMs;
        delete throttle.lastAttemptMs;
      }
      const recent = (throttle.resetAttemptsMs ?? []).filter((at) => nowMs - at < RESET_WINDOW_MS);
      if (recent.length > 0) throttle.resetAttemptsMs = recent;
      else delete throttle.resetAttemptsMs;
      if (Object.keys(throttle).length === 0) delete this.data.throttles?.[key];
    }
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, JSON.stringify(this.data), { mode: 0o600 });
    await rename(temporary, this.file);
  }
}
