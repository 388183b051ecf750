/**
 * The Apollo link: the right credential on every operation, tokens refreshed before they expire (or
 * when AppSync says they have), one refresh at a time, and the session ended cleanly when the
 * refresh token is refused.
 */
import {
  ApolloClient,
  ApolloLink,
  HttpLink,
  InMemoryCache,
  ServerError,
  type ApolloCache,
} from '@apollo/client';
import { print } from 'graphql';
import { Observable, throwError, type Subscription } from 'rxjs';
import { credentialFor } from './credentials';
import { AuthApiError, authErrorOf, entriesOfServerError } from './errors';
import { RefreshDocument, type RefreshMutation } from './generated/graphql';
import { claimsOf, memoryTokenStore, type TokenStore, type Tokens } from './tokens';

export interface AuthLinkOptions {
  graphqlUrl: string;
  apiKey: string;
  /** Where the tokens live; memory by default (README: "Where the tokens live"). */
  store?: TokenStore;
  /** refresh this many seconds before the access token expires (default 60) */
  refreshSkewSeconds?: number;
  fetch?: typeof fetch;
  /** called when the refresh token is refused: the user must sign in again */
  onSessionEnded?: () => void;
  /**
   * The clock expiry is read against (default `Date.now`). A device whose clock is wrong still works:
   * AppSync's refusal of an expired token triggers the refresh then.
   */
  now?: () => number;
}

export interface AuthLink {
  /** The whole chain down to HTTP: give it to ApolloClient (after any links of your own). */
  link: ApolloLink;
  store: TokenStore;
  /** Keeps the tokens of a sign-in (`verifyMfa`, `confirmMfa`, `changePassword` answer with them). */
  signIn(tokens: Tokens): void;
  /** Forgets the tokens here. Call the `logout` mutation first to end every session on the server. */
  signOut(): void;
}

/** AppSync's request-level refusal of a credential (HTTP 401 UnauthorizedException), e.g. "Token has expired." */
function refusedCredential(error: unknown): boolean {
  return (
    ServerError.is(error) &&
    error.statusCode === 401 &&
    entriesOfServerError(error).some((e) => e.errorType === 'UnauthorizedException')
  );
}

/** Replaces whatever credential headers the context had with exactly one. */
function useCredential(operation: ApolloLink.Operation, header: Record<string, string>): void {
  operation.setContext((context) => {
    const prior = (context.headers ?? {}) as Record<string, string>;
    const kept = Object.entries(prior).filter(([name]) => !/^(x-api-key|authorization)$/i.test(name));
    return { headers: { ...Object.fromEntries(kept), ...header } };
  });
}

const sessionEnded = (field?: string) =>
  new AuthApiError('NOT_AUTHORIZED', 'The session has ended: sign in again.', {
    origin: 'link',
    ...(field ? { field } : {}),
  });

export function createAuthLink(options: AuthLinkOptions): AuthLink {
  const store = options.store ?? memoryTokenStore();
  const skewMs = (options.refreshSkewSeconds ?? 60) * 1000;
  const now = options.now ?? (() => Date.now());
  const fetchFn: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));

  /** Refresh early, but never more than halfway through a token's life (short-lived tokens in tests). */
  const expiresSoon = (accessToken: string): boolean => {
    const claims = claimsOf(accessToken);
    if (claims?.exp === undefined) return false; // Not readable here: the server decides.
    const lifetimeMs = claims.iat === undefined ? Infinity : (claims.exp - claims.iat) * 1000;
    return now() >= claims.exp * 1000 - Math.min(skewMs, lifetimeMs / 2);
  };

  async function refreshNow(current: Tokens): Promise<Tokens> {
    const response = await fetchFn(options.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
      body: JSON.stringify({
        operationName: 'Refresh',
        query: print(RefreshDocument),
        variables: { input: { refreshToken: current.refreshToken } },
      }),
    });
    const text = await response.text();
    let body: { data?: RefreshMutation | null; errors?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not AppSync's JSON (a proxy's error page): reported below as the failure it is.
    }
    const stillCurrent = () => store.get()?.refreshToken === current.refreshToken;
    const fresh = body.data?.refresh;
    if (fresh) {
      // With rotation on, this carries a new refresh token and the one sent is spent: keep it.
      // A sign-out or another sign-in meanwhile wins over this refresh.
      if (stillCurrent()) store.set(fresh);
      const kept = store.get();
      if (!kept) throw sessionEnded('refresh');
      return kept;
    }
    const refusal = authErrorOf(
      new ServerError(`refresh answered HTTP ${response.status}`, { response, bodyText: text }),
    );
    if (refusal?.origin === 'api' && refusal.type === 'NOT_AUTHORIZED') {
      // The refresh token is expired, revoked (logout, a password change) or spent (rotation).
      if (stillCurrent()) {
        store.set(undefined);
        options.onSessionEnded?.();
      }
      throw sessionEnded('refresh');
    }
    // Throttled, an internal error, a bad API key: the session may still be good, so it is kept.
    throw (
      refusal ??
      new AuthApiError('INTERNAL', `The API could not refresh the session (HTTP ${response.status}).`, {
        origin: 'link',
        field: 'refresh',
      })
    );
  }

  // One refresh at a time: every request that finds the token expired, or sees it refused, waits for
  // the same one. With rotation a second refresh with the same token would be refused as spent.
  let inflight: { refreshToken: string; done: Promise<Tokens> } | undefined;
  function renewed(spent: Tokens): Promise<Tokens> {
    const current = store.get();
    if (!current) return Promise.reject(sessionEnded());
    // Another request renewed it already.
    if (current.accessToken !== spent.accessToken) return Promise.resolve(current);
    if (inflight?.refreshToken === current.refreshToken) return inflight.done;
    const done: Promise<Tokens> = refreshNow(current).finally(() => {
      if (inflight?.done === done) inflight = undefined;
    });
    inflight = { refreshToken: current.refreshToken, done };
    return done;
  }

  const authLink = new ApolloLink((operation, forward) => {
    let chosen: ReturnType<typeof credentialFor>;
    try {
      chosen = credentialFor(operation.query, operation.operationName);
    } catch (error) {
      return throwError(() => error);
    }
    if (chosen.credential === 'API_KEY') {
      useCredential(operation, { 'x-api-key': options.apiKey });
      return forward(operation);
    }
    const field = chosen.fields[0];
    return new Observable<ApolloLink.Result>((observer) => {
      let inner: Subscription | undefined;
      let closed = false;
      const fail = (error: unknown) => {
        if (closed) return;
        observer.error(error instanceof AuthApiError && error.origin === 'link' ? forField(error) : error);
      };
      const forField = (error: AuthApiError) =>
        new AuthApiError(error.type, error.message, { origin: 'link', ...(field ? { field } : {}) });
      // Each request causes at most one refresh: before it is sent, or after AppSync refused it.
      const send = (tokens: Tokens, mayRefresh: boolean) => {
        if (closed) return;
        useCredential(operation, { authorization: tokens.accessToken });
        inner = forward(operation).subscribe({
          next: (result) => observer.next(result),
          complete: () => observer.complete(),
          error: (error: unknown) => {
            if (!mayRefresh || !refusedCredential(error)) return fail(error);
            renewed(tokens).then((next) => send(next, false), fail);
          },
        });
      };

      const tokens = store.get();
      if (!tokens) {
        fail(
          new AuthApiError('NOT_AUTHORIZED', 'Sign in first: this needs a signed-in user.', {
            origin: 'link',
          }),
        );
      } else if (expiresSoon(tokens.accessToken)) {
        renewed(tokens).then((next) => send(next, false), fail);
      } else {
        send(tokens, true);
      }
      return () => {
        closed = true;
        inner?.unsubscribe();
      };
    });
  });

  return {
    link: ApolloLink.from([authLink, new HttpLink({ uri: options.graphqlUrl, fetch: fetchFn })]),
    store,
    signIn: (tokens) => store.set(tokens),
    signOut: () => store.set(undefined),
  };
}

/**
 * An Apollo Client on the link. Its cache is emptied when the user signs out, when another user signs
 * in, and when the session ends, so one person's data is never shown to the next. (If you change the
 * store yourself, clear the cache yourself.)
 */
export function createAuthClient(options: AuthLinkOptions & { cache?: ApolloCache }): {
  client: ApolloClient;
  auth: AuthLink;
} {
  const auth = createAuthLink({
    ...options,
    onSessionEnded: () => {
      // The requests waiting on the refused refresh fail with it and write nothing, so the data can go
      // without stopping them (clearStore would replace their error with its own).
      void client.cache.reset();
      options.onSessionEnded?.();
    },
  });
  const client = new ApolloClient({ link: auth.link, cache: options.cache ?? new InMemoryCache() });
  return {
    client,
    auth: {
      ...auth,
      signIn(tokens) {
        const before = subOf(auth.store.get());
        auth.signIn(tokens);
        if (before !== undefined && before !== subOf(tokens)) void client.clearStore();
      },
      signOut() {
        auth.signOut();
        // Also stops requests still in flight for the user who left, so their answers are not cached.
        void client.clearStore();
      },
    },
  };
}

const subOf = (tokens: Tokens | undefined): string | undefined =>
  tokens && (claimsOf(tokens.accessToken)?.sub ?? tokens.accessToken);
