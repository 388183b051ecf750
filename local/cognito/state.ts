/**
 * What real Cognito remembers and cognito-local does not: sign-ins (refresh tokens and the access tokens
 * issued from them, for revocation), the last TOTP time step each user spent, when a temporary password
 * was issued, password-reset codes, and failed sign-in and reset-attempt counters. One JSON file under
 * the data directory, replaced atomically. Refresh tokens and reset codes are stored as SHA-256 hashes
 * only, and refresh tokens are found through an index by hash.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * One authentication event: its refresh token (and, with rotation, the ones that replaced it), and
 * every access token that carries its origin_jti.
 */
export interface SignIn {
  readonly username: string;
  readonly clientId: string;
  /** The refresh token the sign-in returned. */
  readonly refreshTokenHash: string;
  /** Refresh tokens GetTokensFromRefreshToken issued in its place (rotation). */
  rotatedHashes?: string[];
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
  /** A global sign-out's revocation window: sign-ins authenticated before this are born revoked. */
  revokeSignInsUntilMs?: number;
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

/** Where a refresh token leads: its sign-in, and when rotation replaced it. */
export interface RefreshTokenEntry {
  readonly originJti: string;
  /** The first time GetTokensFromRefreshToken rotated it out (milliseconds since the epoch). */
  supersededAtMs?: number;
}

interface StateFile {
  signIns: Record<string, SignIn>;
  /** By refresh-token hash. Files written before it existed get it built on load. */
  refreshTokens?: Record<string, RefreshTokenEntry>;
  users: Record<string, UserExtras>;
  throttles?: Record<string, Throttle>;
}

/** Sign-in counters are forgotten after 15 quiet minutes, reset attempts after an hour. */
const SIGN_IN_MEMORY_MS = 15 * 60_000;
export const RESET_WINDOW_MS = 60 * 60_000;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const tokenHashes = (signIn: SignIn) => [signIn.refreshTokenHash, ...(signIn.rotatedHashes ?? [])];

export class LocalState {
  private constructor(
    private readonly file: string,
    private readonly data: StateFile,
  ) {}

  static async load(file: string): Promise<LocalState> {
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as StateFile;
      if (!data.refreshTokens) {
        data.refreshTokens = {};
        for (const [originJti, signIn] of Object.entries(data.signIns)) {
          for (const hash of tokenHashes(signIn)) data.refreshTokens[hash] = { originJti };
        }
      }
      return new LocalState(file, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return new LocalState(file, { signIns: {}, refreshTokens: {}, users: {} });
    }
  }

  user(username: string): UserExtras {
    return (this.data.users[username] ??= {});
  }

  throttle(key: string): Throttle {
    return ((this.data.throttles ??= {})[key] ??= {});
  }

  private get index(): Record<string, RefreshTokenEntry> {
    return (this.data.refreshTokens ??= {});
  }

  addSignIn(originJti: string, signIn: SignIn): void {
    this.data.signIns[originJti] = signIn;
    this.index[signIn.refreshTokenHash] = { originJti };
  }

  /** A refresh token that rotation issued for this sign-in, in place of an earlier one. */
  addRotatedToken(originJti: string, refreshToken: string): void {
    const signIn = this.data.signIns[originJti];
    if (!signIn) return;
    const hash = sha256(refreshToken);
    (signIn.rotatedHashes ??= []).push(hash);
    this.index[hash] = { originJti };
  }

  signIn(originJti: unknown): SignIn | undefined {
    return typeof originJti === 'string' ? this.data.signIns[originJti] : undefined;
  }

  /** One look-up by hash, whatever the number of sign-ins. */
  findByRefreshToken(
    refreshToken: string,
  ): { originJti: string; signIn: SignIn; token: RefreshTokenEntry } | undefined {
    const token = this.index[sha256(refreshToken)];
    const signIn = token && this.data.signIns[token.originJti];
    return token && signIn && { originJti: token.originJti, signIn, token };
  }

  revokeAllFor(username: string): void {
    for (const signIn of Object.values(this.data.signIns))
      if (signIn.username === username) signIn.revoked = true;
  }

  forgetUser(username: string): void {
    delete this.data.users[username];
    delete this.data.throttles?.[username];
    for (const [jti, signIn] of Object.entries(this.data.signIns)) {
      if (signIn.username === username) this.deleteSignIn(jti, signIn);
    }
  }

  private deleteSignIn(originJti: string, signIn: SignIn): void {
    delete this.data.signIns[originJti];
    for (const hash of tokenHashes(signIn)) delete this.index[hash];
  }

  /** Writes to a temporary file and renames it, so a crash never leaves half a file behind. */
  async save(nowMs: number): Promise<void> {
    for (const [jti, signIn] of Object.entries(this.data.signIns)) {
      if (signIn.keepUntil < nowMs) this.deleteSignIn(jti, signIn);
    }
    for (const extras of Object.values(this.data.users)) {
      if ((extras.revokeSignInsUntilMs ?? Infinity) <= nowMs) delete extras.revokeSignInsUntilMs;
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
