/**
 * What real Cognito remembers and cognito-local does not: sign-ins (refresh tokens and the access tokens
 * issued from them, for revocation), the last TOTP time step each user spent, when a temporary password
 * was issued, password-reset codes, and failed sign-in and reset-attempt counters. Each is its own
 * record in the store (store.ts), read by key and indexed by what calls look them up by: refresh
 * tokens by hash, sign-ins by user and by expiry. Refresh tokens and reset codes are stored as SHA-256
 * hashes only.
 *
 * A LocalState belongs to one call: the records it hands out are the call's to change in place, and
 * flush() puts the changed ones into the call's Unit, which the router commits before answering.
 */
import { createHash } from 'node:crypto';
import { key, prefix, type Unit } from './store';

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
  /** RevokeToken, or born in a global sign-out's revocation window. */
  revoked: boolean;
  /** The user's sign-out generation when it was made: a later GlobalSignOut revokes it. */
  readonly generation?: number;
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
  /** Global sign-outs so far: every sign-in of an earlier generation is revoked, in one write. */
  generation?: number;
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

/** Sign-in counters are forgotten after 15 quiet minutes, reset attempts after an hour. */
const SIGN_IN_MEMORY_MS = 15 * 60_000;
export const RESET_WINDOW_MS = 60 * 60_000;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const tokenHashes = (signIn: SignIn) => [signIn.refreshTokenHash, ...(signIn.rotatedHashes ?? [])];

export const KEYS = {
  signIn: (originJti: string) => key('s', 'signin', originJti),
  refreshToken: (hash: string) => key('s', 'refresh', hash),
  user: (username: string) => key('s', 'user', username),
  throttle: (name: string) => key('s', 'throttle', name),
  /** A user's sign-ins, so deleting the user finds them without reading anyone else's. */
  userSignIn: (username: string, originJti: string) => key('s', 'by-user', username, originJti),
  userSignIns: (username: string) => prefix('s', 'by-user', username),
  /** Records by the time they may be forgotten: the sweep reads only what is due. */
  expiry: (atMs: number, kind: 'signin' | 'throttle', name: string) =>
    key('s', 'expiry', String(Math.max(0, Math.floor(atMs))).padStart(16, '0'), kind, name),
  expiries: prefix('s', 'expiry'),
};

/** When nothing in a throttle matters any more: 15 quiet minutes, and an hour after the last reset attempt. */
function throttleForgetAt(throttle: Throttle): number {
  return Math.max(
    (throttle.lastAttemptMs ?? 0) + SIGN_IN_MEMORY_MS,
    ...(throttle.resetAttemptsMs ?? []).map((at) => at + RESET_WINDOW_MS),
  );
}

interface Tracked {
  readonly kind: 'signin' | 'refresh' | 'user' | 'throttle';
  readonly name: string;
  readonly value: object;
  /** The JSON it was read as ('' for a record this call created). */
  readonly read: string;
}

export class LocalState {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly unit: Unit) {}

  /** A record as this call sees it; `create` makes a new one (written only if the call fills it). */
  private record<T extends object>(
    kind: Tracked['kind'],
    name: string,
    k: string,
    create?: () => T,
  ): T | undefined {
    const seen = this.tracked.get(k);
    if (seen) return seen.value as T;
    const text = this.unit.get(k);
    if (text === undefined && !create) return undefined;
    const value = text === undefined ? (create as () => T)() : (JSON.parse(text) as T);
    this.tracked.set(k, { kind, name, value, read: text ?? JSON.stringify(value) });
    return value;
  }

  user(username: string): UserExtras {
    return this.record<UserExtras>('user', username, KEYS.user(username), () => ({})) as UserExtras;
  }

  throttle(name: string): Throttle {
    return this.record<Throttle>('throttle', name, KEYS.throttle(name), () => ({})) as Throttle;
  }

  addSignIn(originJti: string, signIn: Omit<SignIn, 'generation'>): void {
    const stored: SignIn = { ...signIn, generation: this.user(signIn.username).generation ?? 0 };
    this.tracked.set(KEYS.signIn(originJti), { kind: 'signin', name: originJti, value: stored, read: '' });
    this.unit.put(KEYS.refreshToken(signIn.refreshTokenHash), JSON.stringify({ originJti }));
    this.unit.put(KEYS.userSignIn(signIn.username, originJti), '');
  }

  /** A refresh token that rotation issued for this sign-in, in place of an earlier one. */
  addRotatedToken(originJti: string, refreshToken: string): void {
    const signIn = this.signIn(originJti);
    if (!signIn) return;
    const hash = sha256(refreshToken);
    (signIn.rotatedHashes ??= []).push(hash);
    this.unit.put(KEYS.refreshToken(hash), JSON.stringify({ originJti }));
  }

  signIn(originJti: unknown): SignIn | undefined {
    return typeof originJti === 'string'
      ? this.record<SignIn>('signin', originJti, KEYS.signIn(originJti))
      : undefined;
  }

  /** One look-up by hash, whatever the number of sign-ins. */
  findByRefreshToken(
    refreshToken: string,
  ): { originJti: string; signIn: SignIn; token: RefreshTokenEntry } | undefined {
    const hash = sha256(refreshToken);
    const token = this.record<RefreshTokenEntry>('refresh', hash, KEYS.refreshToken(hash));
    const signIn = token && this.signIn(token.originJti);
    return token && signIn && { originJti: token.originJti, signIn, token };
  }

  /** RevokeToken, a revocation window, or a GlobalSignOut since the sign-in was made. */
  isRevoked(signIn: SignIn): boolean {
    return signIn.revoked || (signIn.generation ?? 0) < (this.user(signIn.username).generation ?? 0);
  }

  /** Every sign-in of the user so far, in one write however many there are. */
  revokeAllFor(username: string): void {
    const extras = this.user(username);
    extras.generation = (extras.generation ?? 0) + 1;
  }

  async forgetUser(username: string): Promise<void> {
    for (const [k] of await this.unit.entries(KEYS.userSignIns(username))) {
      const originJti = k.slice(KEYS.userSignIns(username).length);
      const signIn = this.signIn(originJti);
      if (signIn) this.deleteSignIn(originJti, signIn);
      this.unit.del(k);
    }
    this.forget(KEYS.user(username));
    this.forget(KEYS.throttle(username));
  }

  private forget(k: string): void {
    this.tracked.delete(k);
    this.unit.del(k);
  }

  private deleteSignIn(originJti: string, signIn: SignIn): void {
    for (const hash of tokenHashes(signIn)) this.forget(KEYS.refreshToken(hash));
    this.forget(KEYS.signIn(originJti));
    this.unit.del(KEYS.userSignIn(signIn.username, originJti));
    this.unit.del(KEYS.expiry(signIn.keepUntil, 'signin', originJti));
  }

  /** Puts every record this call changed into its unit, with the expiry entries that go with them. */
  flush(): void {
    for (const [k, record] of this.tracked) {
      const text = JSON.stringify(record.value);
      if (text === record.read) continue;
      if (record.kind === 'throttle') {
        const throttle = record.value as Throttle;
        if (record.read !== '' && record.read !== '{}') {
          this.unit.del(
            KEYS.expiry(throttleForgetAt(JSON.parse(record.read) as Throttle), 'throttle', record.name),
          );
        }
        if (text === '{}') {
          this.unit.del(k);
          continue;
        }
        this.unit.put(KEYS.expiry(throttleForgetAt(throttle), 'throttle', record.name), '');
      }
      if (record.kind === 'signin') {
        const signIn = record.value as SignIn;
        this.unit.put(KEYS.expiry(signIn.keepUntil, 'signin', record.name), '');
      }
      if (record.kind === 'user' && text === '{}') this.unit.del(k);
      else this.unit.put(k, text);
    }
    this.tracked.clear();
  }

  /**
   * Forgets what is past its time: sign-ins whose every token has expired (with their refresh tokens)
   * and throttles with nothing left to count. Reads only entries that are due, at most `limit` of them;
   * answers how many it read, so a caller can go on while there are more.
   */
  async sweep(nowMs: number, limit: number): Promise<number> {
    const due = await this.unit.entries(KEYS.expiries, { below: KEYS.expiry(nowMs, 'signin', ''), limit });
    for (const [k] of due) {
      const [, , , kind, name] = k.split('\0') as [string, string, string, string, string];
      this.unit.del(k);
      if (kind === 'signin') {
        const signIn = this.signIn(name);
        if (signIn && signIn.keepUntil < nowMs) this.deleteSignIn(name, signIn);
      } else {
        const throttle = this.record<Throttle>('throttle', name, KEYS.throttle(name));
        if (throttle && throttleForgetAt(throttle) <= nowMs) this.forget(KEYS.throttle(name));
      }
    }
    return due.length;
  }
}

/** local-cognito-state.json, as versions before the store wrote it (migrate.ts). */
export interface StateFile {
  signIns: Record<string, SignIn>;
  /** By refresh-token hash; the oldest files have none (it is rebuilt from the sign-ins). */
  refreshTokens?: Record<string, RefreshTokenEntry>;
  users: Record<string, UserExtras>;
  throttles?: Record<string, Throttle>;
}

/** Every record of a state file into the unit, with the indexes the store keeps beside them. */
export function importStateFile(unit: Unit, file: StateFile): void {
  const state = new LocalState(unit);
  for (const [username, extras] of Object.entries(file.users ?? {}))
    Object.assign(state.user(username), extras);
  for (const [name, throttle] of Object.entries(file.throttles ?? {}))
    Object.assign(state.throttle(name), throttle);
  for (const [originJti, signIn] of Object.entries(file.signIns ?? {})) {
    const { generation: _none, ...rest } = signIn;
    state.addSignIn(originJti, rest);
    for (const hash of signIn.rotatedHashes ?? [])
      unit.put(KEYS.refreshToken(hash), JSON.stringify({ originJti }));
  }
  // Rotation's marks (supersededAtMs) live in the old index only.
  for (const [hash, entry] of Object.entries(file.refreshTokens ?? {})) {
    if (file.signIns?.[entry.originJti]) unit.put(KEYS.refreshToken(hash), JSON.stringify(entry));
  }
  state.flush();
}
