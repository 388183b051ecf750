/**
 * Where the signed-in user's tokens live. Memory by default: nothing survives a reload, and nothing is
 * left on disk or in storage that another script on the page, or a browser extension, can read later.
 */

/** The three tokens of a Cognito sign-in, as `verifyMfa`, `confirmMfa`, `refresh` and `changePassword` return them. */
export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export interface TokenStore {
  get(): Tokens | undefined;
  /** `undefined` signs out. */
  set(tokens: Tokens | undefined): void;
  /** Called after every `set`; returns the unsubscribe function. For UIs that show who is signed in. */
  subscribe?(listener: (tokens: Tokens | undefined) => void): () => void;
}

/** Only the three tokens: an `AuthTokens` answer also carries `expiresIn`, `tokenType` and `__typename`. */
const onlyTokens = (t: Tokens): Tokens => ({
  accessToken: t.accessToken,
  idToken: t.idToken,
  refreshToken: t.refreshToken,
});

function listeners() {
  const all = new Set<(tokens: Tokens | undefined) => void>();
  return {
    notify(tokens: Tokens | undefined) {
      for (const listener of [...all]) listener(tokens);
    },
    subscribe(listener: (tokens: Tokens | undefined) => void) {
      all.add(listener);
      return () => {
        all.delete(listener);
      };
    },
  };
}

/** The default: tokens in this page's memory only. A reload or a new tab means signing in again. */
export function memoryTokenStore(initial?: Tokens): TokenStore {
  let current = initial && onlyTokens(initial);
  const { notify, subscribe } = listeners();
  return {
    get: () => current,
    set(tokens) {
      current = tokens && onlyTokens(tokens);
      notify(current);
    },
    subscribe,
  };
}

/** The part of the Web Storage API the session store uses (so tests and other runtimes can hand one in). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Opt-in: tokens in `sessionStorage`, so a reload keeps the user signed in within the tab (closing the
 * tab ends it). The price: any script running on the origin, an injected one included, can read the
 * refresh token from storage and use it elsewhere until it expires or the user signs out everywhere;
 * in memory it would have to be taken while the page runs. Prefer the memory store unless reloads
 * must not sign people out, and keep a strict Content-Security-Policy either way.
 */
export function sessionStorageTokenStore(
  options: { key?: string; storage?: KeyValueStorage } = {},
): TokenStore {
  const key = options.key ?? 'auth-api.tokens';
  const storage = options.storage ?? globalThis.sessionStorage;
  const { notify, subscribe } = listeners();
  return {
    get() {
      const text = storage.getItem(key);
      if (!text) return undefined;
      try {
        const value = JSON.parse(text) as Partial<Tokens>;
        const { accessToken, idToken, refreshToken } = value;
        if (
          typeof accessToken === 'string' &&
          typeof idToken === 'string' &&
          typeof refreshToken === 'string'
        ) {
          return { accessToken, idToken, refreshToken };
        }
      } catch {
        // Not ours, or damaged: treated as signed out below.
      }
      storage.removeItem(key);
      return undefined;
    },
    set(tokens) {
      if (tokens) storage.setItem(key, JSON.stringify(onlyTokens(tokens)));
      else storage.removeItem(key);
      notify(tokens && onlyTokens(tokens));
    },
    subscribe,
  };
}

/** The claims the link reads from a token; it never verifies them (AppSync and Cognito do). */
export interface TokenClaims {
  exp?: number;
  iat?: number;
  sub?: string;
}

/** A JWT's payload, decoded without verifying its signature; `undefined` for anything that is not one. */
export function claimsOf(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Record<string, unknown>;
    return {
      ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
      ...(typeof claims.iat === 'number' ? { iat: claims.iat } : {}),
      ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
    };
  } catch {
    return undefined;
  }
}
