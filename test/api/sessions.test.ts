/**
 * Sessions under Cognito's real semantics: revocation after a global sign-out that behaves as
 * time-based, and refresh-token rotation on and off (local/cognito/README.md has both rows with their sources). Each block runs its own
 * local stack with the setting it is about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor, type Settings } from '../../infra/settings';
import { LogoutDocument, RefreshDocument, UserInfoDocument } from '../generated/graphql';
import { enrolUser, expectRefused, signIn, startApi, type Api } from './harness';

const local = settingsFor('local');
/** The local Cognito revokes sign-ins made this soon after a global sign-out. */
const WINDOW_MS = 400;

async function logoutThenLogin(api: Api) {
  const user = await enrolUser(api);
  const first = await signIn(api, user);
  const out = await api.call(LogoutDocument, {}, { accessToken: first.accessToken });
  expect(out.data!.logout!.signedOut).toBe(true);
  const second = await signIn(api, user);
  return { user, first, second };
}

describe('logout, then an immediate login, when Cognito revokes by time', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({
      cognitoRevocationWindowMs: WINDOW_MS,
      settings: { ...local, signOutSettleMs: WINDOW_MS + 200 },
    });
  });
  afterAll(() => api.close());

  it('gives the new sign-in tokens that work: logout answered only once the window had passed', async () => {
    const { first, second } = await logoutThenLogin(api);
    const me = await api.call(UserInfoDocument, {}, { accessToken: second.accessToken });
    expect(me.errors).toEqual([]);
    expect(me.data!.userinfo!.mfaEnabled).toBe(true);
    const refreshed = await api.call(RefreshDocument, { input: { refreshToken: second.refreshToken } });
    expect(refreshed.errors).toEqual([]);
    // The sign-in that logged out stays ended.
    expectRefused(
      await api.call(RefreshDocument, { input: { refreshToken: first.refreshToken } }),
      'NOT_AUTHORIZED',
      'refresh',
    );
  });
});

describe('the same, with logout answering at once (the failure the wait prevents)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({
      cognitoRevocationWindowMs: WINDOW_MS,
      settings: { ...local, signOutSettleMs: 0 },
    });
  });
  afterAll(() => api.close());

  it("revokes the new sign-in's tokens along with the old ones", async () => {
    const { second } = await logoutThenLogin(api);
    expectRefused(
      await api.call(UserInfoDocument, {}, { accessToken: second.accessToken }),
      'NOT_AUTHORIZED',
      'userinfo',
    );
  });
});

const rotating = (retryGracePeriodSeconds: number): Settings => ({
  ...local,
  tokens: { ...local.tokens, refreshTokenRotation: { retryGracePeriodSeconds } },
});

describe('refresh-token rotation on', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ settings: rotating(0) });
  });
  afterAll(() => api.close());

  it('returns a new refresh token on every refresh, and refuses the one it replaced', async () => {
    const user = await enrolUser(api);
    const tokens = await signIn(api, user);
    const once = await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } });
    expect(once.errors).toEqual([]);
    const next = once.data!.refresh!.refreshToken;
    expect(next).not.toBe(tokens.refreshToken);

    expectRefused(
      await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } }),
      'NOT_AUTHORIZED',
      'refresh',
      [tokens.refreshToken],
    );
    const twice = await api.call(RefreshDocument, { input: { refreshToken: next } });
    expect(twice.errors).toEqual([]);
    expect(twice.data!.refresh!.refreshToken).not.toBe(next);
    const me = await api.call(UserInfoDocument, {}, { accessToken: twice.data!.refresh!.accessToken });
    expect(me.data!.userinfo!.userId).toBeTruthy();
  });
});

describe('refresh-token rotation off (the default)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ settings: local });
  });
  afterAll(() => api.close());

  it('returns the same refresh token, which keeps working', async () => {
    const user = await enrolUser(api);
    const tokens = await signIn(api, user);
    for (let i = 0; i < 2; i++) {
      const refreshed = await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } });
      expect(refreshed.errors).toEqual([]);
      expect(refreshed.data!.refresh!.refreshToken).toBe(tokens.refreshToken);
      expect(refreshed.data!.refresh!.accessToken).not.toBe(tokens.accessToken);
    }
  });
});
