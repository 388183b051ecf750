/** The signed-in state, from the link's token store (tokens stay in memory: a reload signs out). */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ApolloClient } from '@apollo/client';
import type { AuthLink as Auth, Tokens } from '../../apollo-link';

interface Session {
  signedIn: boolean;
  signIn(tokens: Tokens): void;
  /** Forgets the tokens and everything cached for the account. */
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({
  client,
  auth,
  children,
}: {
  client: ApolloClient;
  auth: Auth;
  children: ReactNode;
}) {
  const [signedIn, setSignedIn] = useState(() => auth.store.get() !== undefined);
  // A refresh that fails clears the store: the page follows.
  useEffect(() => auth.store.subscribe?.((tokens) => setSignedIn(tokens !== undefined)), [auth]);
  const session: Session = {
    signedIn,
    signIn(tokens) {
      auth.signIn(tokens);
      setSignedIn(true);
    },
    async signOut() {
      auth.signOut();
      setSignedIn(false);
      await client.clearStore();
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
