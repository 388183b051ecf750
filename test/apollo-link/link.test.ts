/**
 * The Apollo link of examples/apollo-link against the local stack over HTTP: which credential each
 * operation carries, refusal before sending, refresh before and on expiry, the end of a session, and
 * the error catalogue as a typed value. Rotation and parallel refreshes: rotation.test.ts.
 */
import { gql, ServerError } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authErrorOf, createAuthClient, type AuthLinkOptions } from '../../examples/apollo-link';
import {
  AdminDeleteUserDocument,
  CreateUserDocument,
  LoginDocument,
  LogoutDocument,
  UserInfoDocument,
  VerifyMfaDocument,
} from '../generated/graphql';
import { enrolUser, PASSWORD, signIn, startApi, uniqueEmail, type Api } from '../api/harness';
import { enrolledTwoHoursAgo, recordingFetch } from './recorder';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

function linked(extra: Partial<AuthLinkOptions> = {}) {
  const wire = recordingFetch();
  const { client, auth } = createAuthClient({
    graphqlUrl: api.stack.outputs.graphqlUrl,
    apiKey: api.stack.outputs.apiKey,
    fetch: wire.fetch,
    ...extra,
  });
  const me = () => client.query({ query: UserInfoDocument, fetchPolicy: 'no-cache', errorPolicy: 'all' });
  return { client, auth, wire, me };
}

describe('the credential of each operation, from the schema', () => {
  it('sends the API key on public fields and the access token on Cognito fields, never the token on public ones', async () => {
    const user = await enrolUser(api);
    const { client, auth, wire, me } = linked();
    auth.signIn(user.tokens);

    const created = await client.mutate({
      mutation: CreateUserDocument,
      variables: { input: { email: uniqueEmail('other'), fullName: 'Someone Else' } },
    });
    expect(created.data?.createUser?.status).toBe('INVITATION_SENT');
    const login = await client.mutate({
      mutation: LoginDocument,
      variables: { input: { email: user.email, password: PASSWORD } },
    });
    expect(login.data?.login?.challenge).toBe('SOFTWARE_TOKEN_MFA');
    const answer = await me();
    expect(answer.data?.userinfo?.email).toBe(user.email);

    expect(wire.sent.map(({ fields, apiKey, authorization }) => ({ fields, apiKey, authorization }))).toEqual(
      [
        { fields: ['createUser'], apiKey: api.stack.outputs.apiKey, authorization: null },
        { fields: ['login'], apiKey: api.stack.outputs.apiKey, authorization: null },
        { fields: ['userinfo'], apiKey: null, authorization: user.tokens.accessToken },
      ],
    );
  });

  it('finds a Cognito field behind a fragment spread and sends the token with it', async () => {
    const user = await enrolUser(api);
    const { client, auth, wire } = linked();
    auth.signIn(user.tokens);
    const answer = await client.query<{ userinfo: { email: string } | null }>({
      query: gql`
        query Mine {
          ...Me
        }
        fragment Me on Query {
          userinfo {
            email
          }
        }
      `,
      fetchPolicy: 'no-cache',
    });
    expect(answer.data?.userinfo?.email).toBe(user.email);
    expect(wire.sent[0]).toMatchObject({ apiKey: null, authorization: user.tokens.accessToken });
  });

  it('refuses a Cognito operation when no one is signed in, without sending a request', async () => {
    const { wire, me } = linked();
    const { data, error } = await me();
    expect(data).toBeUndefined();
    expect(authErrorOf(error)).toMatchObject({ type: 'NOT_AUTHORIZED', origin: 'link', field: 'userinfo' });
    expect(wire.sent).toEqual([]);
  });
});

describe('refresh', () => {
  it('refreshes an expired access token before sending the request, and keeps the new tokens', async () => {
    const user = await enrolledTwoHoursAgo(api);
    // The precondition, as AppSync sees it: this token is refused.
    const refused = await api
      .call(UserInfoDocument, {}, { accessToken: user.tokens.accessToken })
      .catch((e) => e);
    expect(ServerError.is(refused) && refused.statusCode).toBe(401);

    const { auth, wire, me } = linked();
    auth.signIn(user.tokens);
    const answer = await me();
    expect(answer.error).toBeUndefined();
    expect(answer.data?.userinfo?.email).toBe(user.email);

    const stored = auth.store.get()!;
    expect(stored.accessToken).not.toBe(user.tokens.accessToken);
    expect(wire.sent.map((s) => s.fields)).toEqual([['refresh'], ['userinfo']]);
    expect(wire.sent[0]).toMatchObject({ apiKey: api.stack.outputs.apiKey, authorization: null });
    expect(wire.sent[1]).toMatchObject({ apiKey: null, authorization: stored.accessToken });
  });

  it('refreshes when AppSync refuses the token as expired (a device clock running slow) and retries once', async () => {
    const user = await enrolledTwoHoursAgo(api);
    // Three hours slow: to the link the token looks fresh, so only AppSync's answer can tell.
    const { auth, wire, me } = linked({ now: () => Date.now() - 3 * 3_600_000 });
    auth.signIn(user.tokens);
    const answer = await me();
    expect(answer.error).toBeUndefined();
    expect(answer.data?.userinfo?.email).toBe(user.email);
    expect(wire.sent.map(({ fields, status }) => ({ fields, status }))).toEqual([
      { fields: ['userinfo'], status: 401 },
      { fields: ['refresh'], status: 200 },
      { fields: ['userinfo'], status: 200 },
    ]);
    expect(wire.sent[2]!.authorization).toBe(auth.store.get()!.accessToken);
  });

  it('ends the session when the refresh token is refused: the store is cleared and onSessionEnded called', async () => {
    const user = await enrolledTwoHoursAgo(api);
    // Signing out everywhere from another sign-in revokes this session's refresh token too.
    const other = await signIn(api, user);
    await api.call(LogoutDocument, {}, { accessToken: other.accessToken });

    let ended = 0;
    const { auth, wire, me } = linked({ onSessionEnded: () => ended++ });
    auth.signIn(user.tokens);
    const { error } = await me();
    expect(authErrorOf(error)).toMatchObject({ type: 'NOT_AUTHORIZED', origin: 'link', field: 'userinfo' });
    expect(auth.store.get()).toBeUndefined();
    expect(ended).toBe(1);
    expect(wire.sent.map((s) => s.fields)).toEqual([['refresh']]);

    // Signed out now: the next Cognito operation is refused before anything is sent.
    const again = await me();
    expect(authErrorOf(again.error)?.origin).toBe('link');
    expect(wire.sent).toHaveLength(1);
    expect(ended).toBe(1);
  });

  it('keeps the session when a refresh fails for a reason of the network, and refreshes on the next request', async () => {
    const user = await enrolledTwoHoursAgo(api);
    const wire = recordingFetch();
    let dropped = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (dropped === 0 && String(init?.body).includes('refresh')) {
        dropped++;
        throw new TypeError('fetch failed');
      }
      return wire.fetch(input, init);
    };
    let ended = 0;
    const { auth, me } = linked({ fetch: flaky, onSessionEnded: () => ended++ });
    auth.signIn(user.tokens);

    const first = await me();
    expect(first.error).toBeInstanceOf(TypeError);
    expect(auth.store.get()).toMatchObject({
      accessToken: user.tokens.accessToken,
      refreshToken: user.tokens.refreshToken,
    });
    const second = await me();
    expect(second.data?.userinfo?.email).toBe(user.email);
    expect(ended).toBe(0);
  });

  it("forgets the signed-in user's cached data on sign-out", async () => {
    const user = await enrolUser(api);
    const { client, auth } = linked();
    auth.signIn(user.tokens);
    await client.query({ query: UserInfoDocument });
    expect(JSON.stringify(client.cache.extract())).toContain(user.email);
    const cleared = new Promise<void>((resolve) => client.onClearStore(async () => resolve()));
    auth.signOut();
    await cleared;
    expect(JSON.stringify(client.cache.extract())).not.toContain(user.email);
    expect(
      authErrorOf((await client.query({ query: UserInfoDocument, errorPolicy: 'all' })).error)?.origin,
    ).toBe('link');
  });
});

describe('errors as a typed value', () => {
  it("carries the catalogue type, the field and AppSync's own Unauthorized", async () => {
    const user = await enrolUser(api);
    const { client, auth } = linked();

    const wrongPassword = await client.mutate({
      mutation: LoginDocument,
      variables: { input: { email: user.email, password: 'not the password at all' } },
      errorPolicy: 'all',
    });
    const refusal = authErrorOf(wrongPassword.error)!;
    expect(refusal).toMatchObject({ type: 'NOT_AUTHORIZED', field: 'login', origin: 'api' });
    // @ts-expect-error a code outside the catalogue does not compile
    expect(refusal.type === 'NOT_AUTHORISED').toBe(false);

    const login = await client.mutate({
      mutation: LoginDocument,
      variables: { input: { email: user.email, password: PASSWORD } },
    });
    const code = api.totp(user.secret);
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const mismatch = await client.mutate({
      mutation: VerifyMfaDocument,
      variables: { input: { email: user.email, session: login.data!.login!.session, otp: wrongCode } },
      errorPolicy: 'all',
    });
    const typed = authErrorOf(mismatch.error);
    expect(typed?.is('CODE_MISMATCH')).toBe(true);
    expect(typed?.field).toBe('verifyMfa');

    // Not in `admins`: AppSync itself refuses the field before any function runs.
    auth.signIn(user.tokens);
    const notAdmin = await client.mutate({
      mutation: AdminDeleteUserDocument,
      variables: { input: { email: uniqueEmail('nobody') } },
      errorPolicy: 'all',
    });
    expect(authErrorOf(notAdmin.error)).toMatchObject({
      type: 'NOT_AUTHORIZED',
      origin: 'appsync',
      appSyncType: 'Unauthorized',
      field: 'adminDeleteUser',
    });
  });
});
