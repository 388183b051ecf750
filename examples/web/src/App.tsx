/** The app: the API's outputs, the Apollo client of the auth link, and the screen a person is on. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { createAuthClient } from '../../apollo-link';
import { loadOutputs, type Outputs } from './outputs';
import type { Route } from './routes';
import { SessionProvider, useSession } from './session';
import { ChoosePassword, Register, Start } from './screens/account';
import { Enrol, RecoveryCodes, VerifyEmail } from './screens/enrol';
import { ChangePassword, DeleteAccount, Profile } from './screens/profile';
import { Code, ForgotPassword, Recover, ResetPassword, SignIn } from './screens/sign-in';
import { OutputsContext } from './ui';
import { ThemeToggle } from './theme';

export function App() {
  const [outputs, setOutputs] = useState<Outputs>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    loadOutputs().then(setOutputs, (error: Error) => setProblem(error.message));
  }, []);
  return (
    <>
      <header className="bar">
        <span className="brand">Auth API example</span>
        <ThemeToggle />
      </header>
      <main id="main">
        {outputs ? (
          <Connected outputs={outputs} />
        ) : problem ? (
          <section className="screen">
            <h1>The API is not configured</h1>
            <p className="form-error" role="alert">
              {problem}
            </p>
            <p>
              Start the local API with <code>npm start</code>, or point <code>OUTPUTS_FILE</code> at a
              deployed environment&apos;s outputs file, then reload.
            </p>
          </section>
        ) : (
          <p>Loading…</p>
        )}
      </main>
      {outputs ? (
        <footer className="foot">
          API: <code>{outputs.graphqlUrl}</code>
        </footer>
      ) : null}
    </>
  );
}

function Connected({ outputs }: { outputs: Outputs }) {
  const [route, setRoute] = useState<Route>({ to: 'start' });
  const go = useRef(setRoute);
  const { client, auth } = useMemo(
    () =>
      createAuthClient({
        graphqlUrl: outputs.graphqlUrl,
        apiKey: outputs.apiKey,
        onSessionEnded: () => go.current({ to: 'signIn', notice: 'Your session has ended. Sign in again.' }),
      }),
    [outputs],
  );
  return (
    <OutputsContext.Provider value={outputs}>
      <ApolloProvider client={client}>
        <SessionProvider client={client} auth={auth}>
          <Screens route={route} go={setRoute} />
        </SessionProvider>
      </ApolloProvider>
    </OutputsContext.Provider>
  );
}

const SIGNED_IN_ONLY = new Set<Route['to']>(['profile', 'changePassword', 'deleteAccount']);

function Screens({ route, go }: { route: Route; go: (route: Route) => void }) {
  const { signedIn } = useSession();
  const current: Route = SIGNED_IN_ONLY.has(route.to) && !signedIn ? { to: 'signIn' } : route;
  // A new key per move: each screen starts fresh and its heading takes the focus.
  const [moves, setMoves] = useState(0);
  const move = (next: Route) => {
    setMoves((n) => n + 1);
    go(next);
    window.scrollTo(0, 0);
  };
  const key = `${current.to}-${moves}`;
  switch (current.to) {
    case 'start':
      return <Start key={key} go={move} notice={current.notice} />;
    case 'register':
      return <Register key={key} go={move} />;
    case 'choosePassword':
      return <ChoosePassword key={key} go={move} email={current.email} since={current.since} />;
    case 'enrol':
      return <Enrol key={key} go={move} email={current.email} setup={current.setup} again={current.again} />;
    case 'recoveryCodes':
      return <RecoveryCodes key={key} go={move} codes={current.codes} />;
    case 'signIn':
      return <SignIn key={key} go={move} email={current.email} notice={current.notice} />;
    case 'code':
      return <Code key={key} go={move} email={current.email} session={current.session} />;
    case 'verifyEmail':
      return (
        <VerifyEmail
          key={key}
          go={move}
          email={current.email}
          session={current.session}
          since={current.since}
        />
      );
    case 'profile':
      return <Profile key={key} go={move} notice={current.notice} />;
    case 'changePassword':
      return <ChangePassword key={key} go={move} />;
    case 'deleteAccount':
      return <DeleteAccount key={key} go={move} />;
    case 'forgotPassword':
      return <ForgotPassword key={key} go={move} />;
    case 'resetPassword':
      return <ResetPassword key={key} go={move} email={current.email} since={current.since} />;
    case 'recover':
      return <Recover key={key} go={move} />;
  }
}
