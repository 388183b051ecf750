/**
 * The link with refresh-token rotation on (`tokens.refreshTokenRotation`, no grace period): every
 * refresh spends the token it sends, so a second refresh with the same token would end the session.
 * That makes one refresh at a time something a user notices, not an optimisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthLinkOptions } from '../../examples/apollo-link';
import { settingsFor } from '../../infra/settings';
import { RefreshDocument, UserInfoDocument } from '../generated/graphql';
import { expectRefused, startApi, type Api } from '../api/harness';
import { enrolledTwoHoursAgo, recordingFetch } from './recorder';

const local = settingsFor('local');
const HOUR = 3_600_000;
const PARALLEL = 8;

let api: Api;
beforeAll(async () => {
  api = await startApi({
    settings: { ...local, tokens: { ...local.tokens, refreshTokenRotation: { retryGracePeriodSeconds: 0 } } },
  });
});
afterAll(() => api.close());

function linked(extra: Partial<AuthLinkOptions> = {}) {
  const wire = recordingFetch();
  let ended = 0;
  const { client, auth } = createAuthClient({
    graphqlUrl: api.stack.outputs.graphqlUrl,
    apiKey: api.stack.outputs.apiKey,
    fetch: wire.fetch,
    onSessionEnded: () => ended++,
    ...extra,
  });
  // Apollo would merge identical queries in flight into one request; these must each go out.
  const me = () =>
    client.query({
      query: UserInfoDocument,
      fetchPolicy: 'no-cache',
      errorPolicy: 'all',
      context: { queryDeduplication: false },
    });
  return { auth, wire, me, ended: () => ended };
}

describe('refresh-token rotation on', () => {
  it('stores the new refresh token, which the next refresh uses; the spent one is refused', async () => {
    const user = await enrolledTwoHoursAgo(api);
    let later = 0;
    const { auth, wire, me, ended } = linked({ now: () => Date.now() + later });
    auth.signIn(user.tokens);

    expect((await me()).data?.userinfo?.email).toBe(user.email);
    const rotated = auth.store.get()!.refreshToken;
    expect(rotated).not.toBe(user.tokens.refreshToken);
    expectRefused(
      await api.call(RefreshDocument, { input: { refreshToken: user.tokens.refreshToken } }),
      'NOT_AUTHORIZED',
      'refresh',
      [user.tokens.refreshToken],
    );

    // Two hours on, by the link's clock: the new access token is due, and the stored token refreshes it.
    later = 2 * HOUR;
    expect((await me()).data?.userinfo?.email).toBe(user.email);
    expect(wire.count('refresh')).toBe(2);
    expect(auth.store.get()!.refreshToken).not.toBe(rotated);
    expect(ended()).toBe(0);
  });

  it(`${PARALLEL} requests after expiry cause exactly one refresh, and all of them succeed`, async () => {
    const user = await enrolledTwoHoursAgo(api);
    const { auth, wire, me, ended } = linked();
    auth.signIn(user.tokens);

    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => me()));
    expect(answers.map((a) => a.data?.userinfo?.email)).toEqual(Array(PARALLEL).fill(user.email));
    expect(wire.count('refresh')).toBe(1);
    expect(wire.count('userinfo')).toBe(PARALLEL);
    const fresh = auth.store.get()!.accessToken;
    expect(
      wire.sent.filter((s) => s.fields.includes('userinfo')).every((s) => s.authorization === fresh),
    ).toBe(true);
    expect(ended()).toBe(0);
  });

  it(`${PARALLEL} requests AppSync refuses together cause one refresh, and each is retried once`, async () => {
    const user = await enrolledTwoHoursAgo(api);
    // A clock three hours slow: the link only learns of the expiry from AppSync's answers.
    const { auth, wire, me, ended } = linked({ now: () => Date.now() - 3 * HOUR });
    auth.signIn(user.tokens);

    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => me()));
    expect(answers.map((a) => a.data?.userinfo?.email)).toEqual(Array(PARALLEL).fill(user.email));
    expect(wire.count('refresh')).toBe(1);
    const userinfo = wire.sent.filter((s) => s.fields.includes('userinfo'));
    const fresh = auth.store.get()!.accessToken;
    expect(
      userinfo.filter((s) => s.authorization === user.tokens.accessToken && s.status === 401),
    ).toHaveLength(PARALLEL);
    expect(userinfo.filter((s) => s.authorization === fresh && s.status === 200)).toHaveLength(PARALLEL);
    expect(userinfo).toHaveLength(2 * PARALLEL);
    expect(ended()).toBe(0);
  });
});
