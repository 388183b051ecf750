/**
 * STAND-IN for examples/apollo-link, with its interface, until that folder is merged. Then this file
 * is deleted and the app imports `import { createAuthClient, authErrorOf } from '../../apollo-link'`.
 * It does only what the app needs: the API key or the access token per operation, read from the
 * schema's directives; one refresh (shared by concurrent requests) when AppSync answers 401; the
 * catalogue error of a failure. Tokens live in memory only.
 */
import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  ServerError,
} from '@apollo/client';
import { Kind, parse, type DocumentNode } from 'graphql';
import { catchError, from, mergeMap, throwError } from 'rxjs';
import schemaSDL from '../../../schema/schema.graphql?raw';
import { ERROR_TYPES, type ErrorType } from '../../../schema/errors';
import { RefreshTokensDocument } from '../generated/graphql';

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export interface TokenStore {
  get(): Tokens | undefined;
  set(tokens: Tokens | undefined): void;
  subscribe?(listener: (tokens: Tokens | undefined) => void): () => void;
}

export interface AuthApiError {
  type: ErrorType;
  message: string;
  /** The input field a BAD_USER_INPUT names, e.g. `email`. */
  field?: string;
}

export interface AuthClientOptions {
  graphqlUrl: string;
  apiKey: string;
  store?: TokenStore;
  /** Called when a refresh fails: the person has to sign in again. */
  onSessionEnded?: () => void;
}

export interface Auth {
  signIn(tokens: Tokens): void;
  /** Forgets the tokens here; the API's `logout` ends the sessions on the server. */
  signOut(): void;
  store: TokenStore;
}

export function memoryStore(): TokenStore {
  let tokens: Tokens | undefined;
  const listeners = new Set<(tokens: Tokens | undefined) => void>();
  return {
    get: () => tokens,
    set(next) {
      tokens = next;
      for (const listener of listeners) listener(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** Root fields whose directives let only Cognito users call them, from the schema's SDL. */
function userPoolFields(sdl: string): Set<string> {
  const fields = new Set<string>();
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (definition.name.value !== 'Query' && definition.name.value !== 'Mutation') continue;
    for (const field of definition.fields ?? []) {
      const directives = new Set(field.directives?.map((d) => d.name.value));
      if (directives.has('aws_cognito_user_pools') && !directives.has('aws_api_key')) {
        fields.add(field.name.value);
      }
    }
  }
  return fields;
}

const USER_POOL_FIELDS = userPoolFields(schemaSDL);

function needsAccessToken(query: DocumentNode): boolean {
  return query.definitions.some(
    (d) =>
      d.kind === Kind.OPERATION_DEFINITION &&
      d.selectionSet.selections.some((s) => s.kind === Kind.FIELD && USER_POOL_FIELDS.has(s.name.value)),
  );
}

export function createAuthClient(options: AuthClientOptions): { client: ApolloClient; auth: Auth } {
  const store = options.store ?? memoryStore();
  let refreshing: Promise<boolean> | undefined;

  const withHeader = (name: string, value: string) => (context: Readonly<ApolloLink.OperationContext>) => ({
    headers: { ...(context.headers as Record<string, string> | undefined), [name]: value },
  });

  const credentials = new ApolloLink((operation, forward) => {
    if (!needsAccessToken(operation.query)) {
      operation.setContext(withHeader('x-api-key', options.apiKey));
      return forward(operation);
    }
    const attempt = () => {
      operation.setContext(withHeader('authorization', store.get()?.accessToken ?? ''));
      return forward(operation);
    };
    // AppSync answers an expired access token with HTTP 401 before any resolver runs: refresh once
    // and retry. Field errors (a wrong password in changePassword) are never retried.
    return attempt().pipe(
      catchError((error: unknown) =>
        ServerError.is(error) && error.statusCode === 401 && store.get()
          ? from(refresh()).pipe(mergeMap((ok) => (ok ? attempt() : throwError(() => error))))
          : throwError(() => error),
      ),
    );
  });

  const client = new ApolloClient({
    link: ApolloLink.from([credentials, new HttpLink({ uri: options.graphqlUrl })]),
    cache: new InMemoryCache(),
  });

  // One refresh at a time: requests that fail together wait for the same answer.
  const refresh = (): Promise<boolean> =>
    (refreshing ??= (async () => {
      try {
        const current = store.get();
        if (!current) return false;
        const { data } = await client.mutate({
          mutation: RefreshTokensDocument,
          variables: { input: { refreshToken: current.refreshToken } },
          fetchPolicy: 'no-cache',
        });
        const tokens = data?.refresh;
        if (!tokens) throw new Error('no tokens');
        // With rotation on, the refresh token changes: keep the new one.
        store.set({
          accessToken: tokens.accessToken,
          idToken: tokens.idToken,
          refreshToken: tokens.refreshToken,
        });
        return true;
      } catch {
        store.set(undefined);
        options.onSessionEnded?.();
        return false;
      } finally {
        refreshing = undefined;
      }
    })());

  return {
    client,
    auth: {
      signIn: (tokens) =>
        store.set({
          accessToken: tokens.accessToken,
          idToken: tokens.idToken,
          refreshToken: tokens.refreshToken,
        }),
      signOut: () => store.set(undefined),
      store,
    },
  };
}

const isErrorType = (value: unknown): value is ErrorType =>
  typeof value === 'string' && (ERROR_TYPES as readonly string[]).includes(value);

/** The catalogue error of a failed operation, or undefined for anything else (network, AppSync's own). */
export function authErrorOf(error: unknown): AuthApiError | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  for (const entry of error.errors as readonly {
    message: string;
    errorType?: unknown;
    errorInfo?: unknown;
  }[]) {
    if (!isErrorType(entry.errorType)) continue;
    const info = entry.errorInfo as { fields?: { field?: unknown }[] } | null | undefined;
    const field = info?.fields?.[0]?.field;
    return {
      type: entry.errorType,
      message: entry.message,
      ...(typeof field === 'string' ? { field } : {}),
    };
  }
  return undefined;
}
