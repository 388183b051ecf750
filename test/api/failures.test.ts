import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/settings';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  LoginDocument,
  LogoutDocument,
  RecoverMfaDocument,
  RefreshDocument,
  UserInfoDocument,
  VerifyMfaDocument,
} from '../generated/graphql';
import {
  enrolUser,
  expectRefused,
  PASSWORD,
  startApi,
  uniqueEmail,
  type Api,
  type EnrolledUser,
} from './harness';

let api: Api;
let user: EnrolledUser;
beforeAll(async () => {
  api = await startApi();
  user = await enrolUser(api);
});
afterAll(() => api.close());

/** A user who has confirmed the account and holds the enrolment session confirmUser gave. */
async function confirmedUser() {
  const email = uniqueEmail('pending');
  await api.call(CreateUserDocument, { input: { email, fullName: 'Pending Person' } });
  const temporaryPassword = api.latestCode(email);
  const confirmed = await api.call(ConfirmUserDocument, {
    input: { email, temporaryPassword, newPassword: PASSWORD },
  });
  return { email, temporaryPassword, setup: confirmed.data!.confirmUser! };
}

describe('createUser', () => {
  it('hides whether the e-mail already has an account, and sends nothing to a confirmed account', async () => {
    const before = api.stack.mailbox.messages({ to: user.email }).length;
    const known = await api.call(CreateUserDocument, {
      input: { email: user.email, fullName: 'Someone Else' },
    });
    const fresh = uniqueEmail('fresh');
    const unknown = await api.call(CreateUserDocument, { input: { email: fresh, fullName: 'Someone Else' } });
    expect(known).toEqual({
      data: { createUser: { __typename: 'CreateUserPayload', email: user.email, status: 'INVITATION_SENT' } },
      errors: [],
    });
    expect(unknown).toEqual({
      data: { createUser: { __typename: 'CreateUserPayload', email: fresh, status: 'INVITATION_SENT' } },
      errors: [],
    });
    expect(api.stack.mailbox.messages({ to: user.email })).toHaveLength(before);
  });

  it('sends a pending invitation again instead of failing', async () => {
    const email = uniqueEmail('again');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Twice Invited' } });
    const again = await api.call(CreateUserDocument, { input: { email, fullName: 'Twice Invited' } });
    expect(again.errors).toEqual([]);
    expect(api.stack.mailbox.messages({ to: email })).toHaveLength(2);
  });

  it.each([
    ['a malformed e-mail', { email: 'not-an-email', fullName: 'X' }],
    ['an e-mail over 254 characters', { email: `${'a'.repeat(250)}@example.com`, fullName: 'X' }],
    ['an empty name', { email: 'empty.name@example.com', fullName: '   ' }],
    ['a name with control characters', { email: 'ctl@example.com', fullName: 'Bad\u0007Name' }],
    ['a name of megabytes', { email: 'big@example.com', fullName: 'n'.repeat(20_000) }],
    [
      'a phone number that is not E.164',
      { email: 'phone@example.com', fullName: 'X', phoneNumber: '07700 900123' },
    ],
  ])('refuses %s as BAD_USER_INPUT', async (_label, input) => {
    expectRefused(await api.call(CreateUserDocument, { input }), 'BAD_USER_INPUT', 'createUser');
  });
});

describe('confirmUser', () => {
  it('refuses a wrong temporary password and an unknown e-mail with the same answer', async () => {
    const email = uniqueEmail('wrongtemp');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Wrong Temp' } });
    const wrong = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: 'NotTheTemporary1!', newPassword: PASSWORD },
    });
    const unknown = await api.call(ConfirmUserDocument, {
      input: { email: uniqueEmail('nobody'), temporaryPassword: 'NotTheTemporary1!', newPassword: PASSWORD },
    });
    const a = expectRefused(wrong, 'NOT_AUTHORIZED', 'confirmUser', ['NotTheTemporary1!', PASSWORD]);
    const b = expectRefused(unknown, 'NOT_AUTHORIZED', 'confirmUser');
    expect(a.message).toBe(b.message);
  });

  it('refuses a weak new password with what the policy asks, and keeps the invitation usable', async () => {
    const email = uniqueEmail('weak');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Weak Password' } });
    const temporaryPassword = api.latestCode(email);
    const weak = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword, newPassword: 'short' },
    });
    const error = expectRefused(weak, 'INVALID_PASSWORD', 'confirmUser', [temporaryPassword]);
    expect(error.message).toMatch(/at least 15 characters/);
    const retry = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword, newPassword: PASSWORD },
    });
    expect(retry.errors).toEqual([]);
  });

  it('refuses an account that is already confirmed', async () => {
    const again = await api.call(ConfirmUserDocument, {
      input: { email: user.email, temporaryPassword: user.password, newPassword: `${PASSWORD} again` },
    });
    expectRefused(again, 'NOT_AUTHORIZED', 'confirmUser', [user.password]);
  });
});

describe('confirmMfa', () => {
  it('refuses a wrong code as CODE_MISMATCH, and the right one still works in the same session', async () => {
    const { email, setup } = await confirmedUser();
    const right = api.totp(setup.secretCode);
    const wrongCode = right === '000000' ? '111111' : '000000';
    expectRefused(
      await api.call(ConfirmMfaDocument, { input: { email, session: setup.session, otp: wrongCode } }),
      'CODE_MISMATCH',
      'confirmMfa',
      [setup.secretCode, setup.session],
    );
    const retried = await api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: right },
    });
    expect(retried.errors).toEqual([]);
    expect(retried.data!.confirmMfa!.mfaStatus).toBe('CONFIRMED');
    api.advance(30_000);
  });

  it('refuses a forged session as SESSION_EXPIRED', async () => {
    const { email, setup } = await confirmedUser();
    const forged = `${setup.session.slice(0, -8)}AAAAAAAA`;
    expectRefused(
      await api.call(ConfirmMfaDocument, {
        input: { email, session: forged, otp: api.totp(setup.secretCode) },
      }),
      'SESSION_EXPIRED',
      'confirmMfa',
      [forged],
    );
  });

  it('refuses an expired session as SESSION_EXPIRED', async () => {
    const { email, setup } = await confirmedUser();
    api.advance(settingsFor('local').mfa.enrolmentSessionMinutes * 60_000 + 1_000);
    expectRefused(
      await api.call(ConfirmMfaDocument, {
        input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
      }),
      'SESSION_EXPIRED',
      'confirmMfa',
    );
  });

  it.each([
    ['five digits', '12345'],
    ['letters', 'abcdef'],
    ['a long string', '1'.repeat(5000)],
  ])('refuses an otp of %s as BAD_USER_INPUT', async (_label, otp) => {
    expectRefused(
      await api.call(ConfirmMfaDocument, { input: { email: user.email, session: 'x'.repeat(40), otp } }),
      'BAD_USER_INPUT',
      'confirmMfa',
    );
  });
});

describe('login', () => {
  it('answers a wrong password and an unknown e-mail identically', async () => {
    const wrong = await api.call(LoginDocument, {
      input: { email: user.email, password: 'wrong password of length' },
    });
    const unknown = await api.call(LoginDocument, {
      input: { email: uniqueEmail('ghost'), password: 'wrong password of length' },
    });
    const a = expectRefused(wrong, 'NOT_AUTHORIZED', 'login', ['wrong password of length']);
    const b = expectRefused(unknown, 'NOT_AUTHORIZED', 'login');
    expect({ ...a, locations: null }).toEqual({ ...b, locations: null });
  });

  it('never returns tokens: an enrolled user gets the SOFTWARE_TOKEN_MFA challenge', async () => {
    const login = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    expect(login.data!.login).toMatchObject({ challenge: 'SOFTWARE_TOKEN_MFA' });
    expect(JSON.stringify(login)).not.toMatch(/accessToken|idToken|refreshToken/);
  });

  it('tells an invited user with the temporary password to confirm first', async () => {
    const email = uniqueEmail('invited');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Invited' } });
    const temp = api.latestCode(email);
    expectRefused(
      await api.call(LoginDocument, { input: { email, password: temp } }),
      'NOT_AUTHORIZED',
      'login',
      [temp],
    );
  });

  it('refuses an oversized password as BAD_USER_INPUT', async () => {
    expectRefused(
      await api.call(LoginDocument, { input: { email: user.email, password: 'p'.repeat(300) } }),
      'BAD_USER_INPUT',
      'login',
    );
  });
});

describe('verifyMfa', () => {
  const start = async () =>
    (await api.call(LoginDocument, { input: { email: user.email, password: user.password } })).data!.login!
      .session;

  it('refuses a wrong code as CODE_MISMATCH', async () => {
    const session = await start();
    const right = api.totp(user.secret);
    expectRefused(
      await api.call(VerifyMfaDocument, {
        input: { email: user.email, session, otp: right === '123456' ? '654321' : '123456' },
      }),
      'CODE_MISMATCH',
      'verifyMfa',
      [session, user.secret],
    );
  });

  it('refuses the same TOTP code the second time', async () => {
    const otp = api.totp(user.secret);
    const first = await api.call(VerifyMfaDocument, {
      input: { email: user.email, session: await start(), otp },
    });
    expect(first.errors).toEqual([]);
    const second = await api.call(VerifyMfaDocument, {
      input: { email: user.email, session: await start(), otp },
    });
    expectRefused(second, 'SESSION_EXPIRED', 'verifyMfa', [otp]);
    api.advance(30_000);
  });

  it('refuses an expired session and a forged one as SESSION_EXPIRED', async () => {
    const session = await start();
    expectRefused(
      await api.call(VerifyMfaDocument, {
        input: { email: user.email, session: `forged-${session.slice(7)}`, otp: api.totp(user.secret) },
      }),
      'SESSION_EXPIRED',
      'verifyMfa',
    );
    api.advance(4 * 60_000);
    expectRefused(
      await api.call(VerifyMfaDocument, {
        input: { email: user.email, session, otp: api.totp(user.secret) },
      }),
      'SESSION_EXPIRED',
      'verifyMfa',
    );
  });
});

describe('refresh, userinfo and logout', () => {
  it('refuses a refresh token that Cognito never issued', async () => {
    const fake = 'f'.repeat(64);
    expectRefused(
      await api.call(RefreshDocument, { input: { refreshToken: fake } }),
      'NOT_AUTHORIZED',
      'refresh',
      [fake],
    );
  });

  it('refuses a malformed refresh token as BAD_USER_INPUT', async () => {
    expectRefused(
      await api.call(RefreshDocument, { input: { refreshToken: 'short' } }),
      'BAD_USER_INPUT',
      'refresh',
    );
  });

  it('refuses an ID token where an access token is needed', async () => {
    expectRefused(
      await api.call(UserInfoDocument, {}, { accessToken: user.tokens.idToken }),
      'NOT_AUTHORIZED',
      'userinfo',
    );
    expectRefused(
      await api.call(LogoutDocument, {}, { accessToken: user.tokens.idToken }),
      'NOT_AUTHORIZED',
      'logout',
    );
  });

  it('refuses userinfo to an API-key caller (AppSync Unauthorized)', async () => {
    const answer = await api.call(UserInfoDocument, {});
    expect(answer.errors[0]).toMatchObject({ errorType: 'Unauthorized', path: ['userinfo'] });
  });

  it('refuses a forged access token at the door (HTTP 401)', async () => {
    const [header, payload] = user.tokens.accessToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    const res = await fetch(api.stack.outputs.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: forged },
      body: JSON.stringify({ query: '{ userinfo { email } }' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
    });
  });
});

describe('recoverMfa', () => {
  it('answers a wrong password, a wrong code and an unknown e-mail identically', async () => {
    const code = user.recoveryCodes[5]!;
    const answers = [
      await api.call(RecoverMfaDocument, {
        input: { email: user.email, password: 'not the password at all', recoveryCode: code },
      }),
      await api.call(RecoverMfaDocument, {
        input: { email: user.email, password: user.password, recoveryCode: 'AAAAA-AAAAA' },
      }),
      await api.call(RecoverMfaDocument, {
        input: { email: uniqueEmail('nobody'), password: user.password, recoveryCode: code },
      }),
    ];
    const messages = answers.map(
      (a) => expectRefused(a, 'NOT_AUTHORIZED', 'recoverMfa', [code, user.password]).message,
    );
    expect(new Set(messages).size).toBe(1);
    // The code survived the wrong-password attempt.
    const ok = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: code },
    });
    expect(ok.errors).toEqual([]);
  });

  it('refuses a malformed recovery code as BAD_USER_INPUT', async () => {
    expectRefused(
      await api.call(RecoverMfaDocument, {
        input: { email: user.email, password: user.password, recoveryCode: '1111' },
      }),
      'BAD_USER_INPUT',
      'recoverMfa',
    );
  });
});
