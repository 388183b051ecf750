/**
 * A credential change ends every session that came before it: after changePassword,
 * confirmForgotPassword or recoverMfa, earlier refresh tokens are refused and every Cognito field
 * refuses earlier access tokens, so the owner who changes a stolen password throws the thief out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangePasswordDocument,
  ConfirmForgotPasswordDocument,
  ExportMyDataDocument,
  ForgotPasswordDocument,
  RecoverMfaDocument,
  RefreshDocument,
  UserInfoDocument,
} from '../generated/graphql';
import { enrolUser, expectRefused, signIn, startApi, type Api, type EnrolledUser } from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

type Tokens = EnrolledUser['tokens'];

/** Every earlier token is dead: refresh refused, and the Cognito fields refuse the access token. */
async function expectEnded(tokens: Tokens): Promise<void> {
  expectRefused(
    await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } }),
    'NOT_AUTHORIZED',
    'refresh',
  );
  const auth = { accessToken: tokens.accessToken };
  expectRefused(await api.call(UserInfoDocument, {}, auth), 'NOT_AUTHORIZED', 'userinfo');
  expectRefused(await api.call(ExportMyDataDocument, {}, auth), 'NOT_AUTHORIZED', 'exportMyData');
}

async function expectLive(tokens: Pick<Tokens, 'accessToken' | 'refreshToken'>): Promise<void> {
  expect((await api.call(UserInfoDocument, {}, { accessToken: tokens.accessToken })).errors).toEqual([]);
  expect((await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } })).errors).toEqual(
    [],
  );
}

describe('sessions end when credentials change', () => {
  it('changePassword signs out every earlier session, the caller’s own too, and answers with fresh tokens', async () => {
    const user = await enrolUser(api);
    const thief = await signIn(api, user); // a second session, as someone who knew the password
    await expectLive(thief);
    const changed = await api.call(
      ChangePasswordDocument,
      {
        input: {
          oldPassword: user.password,
          newPassword: 'a brand new passphrase here',
          otp: api.totp(user.secret),
        },
      },
      { accessToken: user.tokens.accessToken },
    );
    expect(changed.errors).toEqual([]);
    await expectEnded(thief);
    await expectEnded(user.tokens);
    await expectLive(changed.data!.changePassword!.tokens);
  });

  it('changePassword with a wrong code still changes the password, ends the sessions and says so', async () => {
    const user = await enrolUser(api);
    const right = api.totp(user.secret);
    const answer = await api.call(
      ChangePasswordDocument,
      {
        input: {
          oldPassword: user.password,
          newPassword: 'a brand new passphrase here',
          otp: right === '000000' ? '111111' : '000000',
        },
      },
      { accessToken: user.tokens.accessToken },
    );
    const error = expectRefused(answer, 'CODE_MISMATCH', 'changePassword', [user.password]);
    expect(error.message).toMatch(/password was changed and every session signed out/);
    await expectEnded(user.tokens);
    api.advance(30_000);
    expect((await signIn(api, { ...user, password: 'a brand new passphrase here' })).tokenType).toBe(
      'Bearer',
    );
  });

  it('confirmForgotPassword signs out every earlier session', async () => {
    const user = await enrolUser(api);
    const other = await signIn(api, user);
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const reset = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code: api.latestCode(user.email), newPassword: 'a reset passphrase here' },
    });
    expect(reset.errors).toEqual([]);
    await expectEnded(user.tokens);
    await expectEnded(other);
    expect((await signIn(api, { ...user, password: 'a reset passphrase here' })).tokenType).toBe('Bearer');
  });

  it('recoverMfa signs out every earlier session', async () => {
    const user = await enrolUser(api);
    const other = await signIn(api, user);
    const recovered = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: user.recoveryCodes[0]! },
    });
    expect(recovered.errors).toEqual([]);
    await expectEnded(user.tokens);
    await expectEnded(other);
  });
});
