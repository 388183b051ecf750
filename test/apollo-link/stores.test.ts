/**
 * The link's pieces that need no network: where tokens are kept, and the credential read from a
 * document. Over HTTP against the local stack: link.test.ts and rotation.test.ts.
 */
import { gql } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import {
  credentialFor,
  memoryTokenStore,
  sessionStorageTokenStore,
  type KeyValueStorage,
  type Tokens,
} from '../../examples/apollo-link';

const tokens: Tokens = { accessToken: 'a.b.c', idToken: 'd.e.f', refreshToken: 'opaque' };

/** What a browser tab's sessionStorage does, for Node. */
function tabStorage(): KeyValueStorage & { keys(): string[] } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    keys: () => [...items.keys()],
  };
}

describe('token stores', () => {
  it('memory: keeps only the three tokens and tells subscribers of every change', () => {
    const store = memoryTokenStore();
    const seen: (Tokens | undefined)[] = [];
    const unsubscribe = store.subscribe!((t) => seen.push(t));
    store.set({ ...tokens, expiresIn: 3600, __typename: 'AuthTokens' } as Tokens);
    store.set(undefined);
    unsubscribe();
    store.set(tokens);
    expect(seen).toEqual([tokens, undefined]);
    expect(store.get()).toEqual(tokens);
  });

  it('sessionStorage (opt-in): a reload in the same tab finds the session; signing out removes it', () => {
    const storage = tabStorage();
    sessionStorageTokenStore({ storage }).set(tokens);
    const afterReload = sessionStorageTokenStore({ storage });
    expect(afterReload.get()).toEqual(tokens);
    afterReload.set(undefined);
    expect(storage.keys()).toEqual([]);
  });

  it('sessionStorage: damaged content counts as signed out and is removed', () => {
    const storage = tabStorage();
    storage.setItem('auth-api.tokens', '{"accessToken": 42');
    expect(sessionStorageTokenStore({ storage }).get()).toBeUndefined();
    expect(storage.keys()).toEqual([]);
  });
});

describe('the credential of a document', () => {
  it('refuses a document mixing a public and a Cognito field: no single credential may call both', () => {
    const mixed = gql`
      mutation Both {
        logout {
          signedOut
        }
        forgotPassword(input: { email: "a@example.com" }) {
          medium
        }
      }
    `;
    expect(() => credentialFor(mixed)).toThrow(
      expect.objectContaining({ type: 'BAD_USER_INPUT', origin: 'link' }),
    );
  });

  it('picks the operation named in a document that holds several', () => {
    const document = gql`
      query Me {
        userinfo {
          userId
        }
      }
      mutation Out {
        forgotPassword(input: { email: "a@example.com" }) {
          medium
        }
      }
    `;
    expect(credentialFor(document, 'Me').credential).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(credentialFor(document, 'Out').credential).toBe('API_KEY');
  });
});
