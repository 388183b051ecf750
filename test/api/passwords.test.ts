import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ChangePasswordDocument,
  UserInfoDocument,
  ConfirmForgotPasswordDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  ForgotPasswordDocument,
  LoginDocument,
  ResendInvitationDocument,
} from '../generated/graphql';
import {
  enrolUser,
  expectRefused,
  PASSWORD,
  signIn,
  startApi,
  uniqueEmail,
  type Api,
  type EnrolledUser,
} from './harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const NEW_PASSWORD = 'a brand new passphrase for this account';
const masked = (email: string) => `${email[0]}***@${email.split('@')[1]![0]}***`;
const mail = (email: string) => api.stack.mailbox.messages({ to: email });

/** A code that is not the one just sent. */
const wrongCodeFor = (email: string) => (api.latestCode(email) === '123456' ? '654321' : '123456');

async function invited(): Promise<string> {
  const email = uniqueEmail('invited');
  await api.call(CreateUserDocument, { input: { email, fullName: 'Invited Person' } });
  return email;
}

describe('resendInvitation', () => {
  it('sends a new temporary password that confirms the account; the old one stops working', async () => {
    const email = await invited();
    const first = api.latestCode(email);
    const answer = await api.call(ResendInvitationDocument, { input: { email: email.toUpperCase() } });
    expect(answer).toEqual({
      data: {
        resendInvitation: { __typename: 'DeliveryPayload', destination: masked(email), medium: 'EMAIL' },
      },
      errors: [],
    });
    expect(mail(email).map((m) => m.kind)).toEqual(['invitation', 'invitation']);
    const second = api.latestCode(email);
    expect(second).not.toBe(first);
    expectRefused(
      await api.call(ConfirmUserDocument, {
        input: { email, temporaryPassword: first, newPassword: PASSWORD },
      }),
      'NOT_AUTHORIZED',
      'confirmUser',
      [first],
    );
    const confirmed = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: second, newPassword: PASSWORD },
    });
    expect(confirmed.errors).toEqual([]);
  });

  it('hides whether the e-mail exists: unknown, invited and confirmed accounts get identical answers', async () => {
    const user = await enrolUser(api, uniqueEmail('same'));
    const pending = uniqueEmail('same');
    await api.call(CreateUserDocument, { input: { email: pending, fullName: 'Pending' } });
    const unknown = uniqueEmail('same');
    const before = mail(user.email).length;
    const answers = await Promise.all(
      [user.email, pending, unknown].map((email) => api.call(ResendInvitationDocument, { input: { email } })),
    );
    // Same first letters by construction, so the masked destinations must be byte-identical.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.errors).toEqual([]);
    // Nothing is sent to a confirmed account, nor to an address without one.
    expect(mail(user.email)).toHaveLength(before);
    expect(mail(unknown)).toHaveLength(0);
  });

  it('refuses a malformed e-mail as BAD_USER_INPUT', async () => {
    expectRefused(
      await api.call(ResendInvitationDocument, { input: { email: 'not-an-email' } }),
      'BAD_USER_INPUT',
      'resendInvitation',
    );
  });
});

describe('forgotPassword and confirmForgotPassword', () => {
  // A fresh account per test: Cognito limits reset attempts per account and hour.
  let user: EnrolledUser;
  beforeEach(async () => {
    user = await enrolUser(api, uniqueEmail('forgetful'));
  });

  it('e-mails a reset code that sets a new password; the old password stops working', async () => {
    const sent = await api.call(ForgotPasswordDocument, { input: { email: user.email.toUpperCase() } });
    expect(sent).toEqual({
      data: {
        forgotPassword: { __typename: 'DeliveryPayload', destination: masked(user.email), medium: 'EMAIL' },
      },
      errors: [],
    });
    const message = mail(user.email).at(-1)!;
    expect(message.kind).toBe('password-reset');
    const changed = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code: message.code, newPassword: NEW_PASSWORD },
    });
    expect(changed).toEqual({
      data: { confirmForgotPassword: { __typename: 'PasswordPayload', status: 'PASSWORD_CHANGED' } },
      errors: [],
    });
    expectRefused(
      await api.call(LoginDocument, { input: { email: user.email, password: user.password } }),
      'NOT_AUTHORIZED',
      'login',
      [user.password],
    );
    user = { ...user, password: NEW_PASSWORD };
    const again = await signIn(api, user);
    expect(again.tokenType).toBe('Bearer');
    user = { ...user, tokens: again };
    // The code worked once.
    expectRefused(
      await api.call(ConfirmForgotPasswordDocument, {
        input: { email: user.email, code: message.code, newPassword: `${NEW_PASSWORD} again` },
      }),
      'CODE_MISMATCH',
      'confirmForgotPassword',
      [message.code],
    );
  });

  it('hides whether the e-mail exists: unknown, invited and confirmed accounts get identical answers', async () => {
    const pending = uniqueEmail('forgetful');
    await api.call(CreateUserDocument, { input: { email: pending, fullName: 'Pending' } });
    const unknown = uniqueEmail('forgetful');
    const answers = [];
    for (const email of [user.email, pending, unknown]) {
      answers.push(await api.call(ForgotPasswordDocument, { input: { email } }));
    }
    expect(answers[0]!.errors).toEqual([]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(mail(unknown)).toHaveLength(0);
    expect(mail(pending).map((m) => m.kind)).toEqual(['invitation']);
  });

  it('refuses a wrong code as CODE_MISMATCH, and the right code still works', async () => {
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const code = api.latestCode(user.email);
    expectRefused(
      await api.call(ConfirmForgotPasswordDocument, {
        input: { email: user.email, code: wrongCodeFor(user.email), newPassword: NEW_PASSWORD },
      }),
      'CODE_MISMATCH',
      'confirmForgotPassword',
      [NEW_PASSWORD],
    );
    const ok = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code, newPassword: NEW_PASSWORD },
    });
    expect(ok.errors).toEqual([]);
  });

  it('answers an unknown e-mail exactly as a wrong code', async () => {
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const wrong = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code: wrongCodeFor(user.email), newPassword: NEW_PASSWORD },
    });
    const unknown = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: uniqueEmail('nobody'), code: '123456', newPassword: NEW_PASSWORD },
    });
    const a = expectRefused(wrong, 'CODE_MISMATCH', 'confirmForgotPassword');
    const b = expectRefused(unknown, 'CODE_MISMATCH', 'confirmForgotPassword');
    expect({ ...a, locations: null }).toEqual({ ...b, locations: null });
  });

  it('refuses an expired code exactly as a wrong one (Cognito says ExpiredCode only for accounts that exist)', async () => {
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const code = api.latestCode(user.email);
    api.advance(61 * 60_000);
    const expired = expectRefused(
      await api.call(ConfirmForgotPasswordDocument, {
        input: { email: user.email, code, newPassword: NEW_PASSWORD },
      }),
      'CODE_MISMATCH',
      'confirmForgotPassword',
      [code],
    );
    const unknown = expectRefused(
      await api.call(ConfirmForgotPasswordDocument, {
        input: { email: uniqueEmail('nobody'), code, newPassword: NEW_PASSWORD },
      }),
      'CODE_MISMATCH',
      'confirmForgotPassword',
    );
    expect({ ...expired, locations: null }).toEqual({ ...unknown, locations: null });
  });

  it('refuses a weak new password with what the policy asks, and keeps the code usable', async () => {
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const code = api.latestCode(user.email);
    const weak = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code, newPassword: 'short' },
    });
    const error = expectRefused(weak, 'INVALID_PASSWORD', 'confirmForgotPassword', [code]);
    expect(error.message).toMatch(/at least 15 characters/);
    const retry = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code, newPassword: NEW_PASSWORD },
    });
    expect(retry.errors).toEqual([]);
  });

  it.each([
    ['a code of letters', { code: 'abcdef', newPassword: NEW_PASSWORD }],
    ['a code of megabytes', { code: '1'.repeat(20_000), newPassword: NEW_PASSWORD }],
    ['a password over 256 characters', { code: '123456', newPassword: 'p'.repeat(300) }],
  ])('refuses %s as BAD_USER_INPUT', async (_label, input) => {
    expectRefused(
      await api.call(ConfirmForgotPasswordDocument, { input: { email: user.email, ...input } }),
      'BAD_USER_INPUT',
      'confirmForgotPassword',
    );
  });
});

describe('changePassword', () => {
  let user: EnrolledUser;
  beforeAll(async () => {
    user = await enrolUser(api, uniqueEmail('changer'));
  });

  it('changes the password with the caller access token; the old password stops working', async () => {
    const changed = await api.call(
      ChangePasswordDocument,
      { input: { oldPassword: user.password, newPassword: NEW_PASSWORD, otp: api.totp(user.secret) } },
      { accessToken: user.tokens.accessToken },
    );
    expect(changed.errors).toEqual([]);
    expect(changed.data!.changePassword!.status).toBe('PASSWORD_CHANGED');
    // The answer is a fresh sign-in: its tokens work.
    const fresh = changed.data!.changePassword!.tokens;
    expect((await api.call(UserInfoDocument, {}, { accessToken: fresh.accessToken })).errors).toEqual([]);
    api.advance(30_000);
    expectRefused(
      await api.call(LoginDocument, { input: { email: user.email, password: user.password } }),
      'NOT_AUTHORIZED',
      'login',
    );
    user = { ...user, password: NEW_PASSWORD };
    const again = await signIn(api, user);
    expect(again.tokenType).toBe('Bearer');
    user = { ...user, tokens: again };
  });

  it('refuses a wrong old password as NOT_AUTHORIZED', async () => {
    expectRefused(
      await api.call(
        ChangePasswordDocument,
        {
          input: {
            oldPassword: 'not the current password',
            newPassword: `${NEW_PASSWORD} two`,
            otp: api.totp(user.secret),
          },
        },
        { accessToken: user.tokens.accessToken },
      ),
      'NOT_AUTHORIZED',
      'changePassword',
      ['not the current password', `${NEW_PASSWORD} two`],
    );
  });

  it('refuses a weak new password as INVALID_PASSWORD with what the policy asks', async () => {
    const error = expectRefused(
      await api.call(
        ChangePasswordDocument,
        { input: { oldPassword: user.password, newPassword: 'short', otp: api.totp(user.secret) } },
        { accessToken: user.tokens.accessToken },
      ),
      'INVALID_PASSWORD',
      'changePassword',
      [user.password],
    );
    expect(error.message).toMatch(/at least 15 characters/);
  });

  it('refuses an ID token as NOT_AUTHORIZED, and an API-key caller with AppSync Unauthorized', async () => {
    const input = { oldPassword: user.password, newPassword: `${NEW_PASSWORD} three`, otp: '123456' };
    expectRefused(
      await api.call(ChangePasswordDocument, { input }, { accessToken: user.tokens.idToken }),
      'NOT_AUTHORIZED',
      'changePassword',
    );
    const anonymous = await api.call(ChangePasswordDocument, { input });
    expect(anonymous.errors[0]).toMatchObject({ errorType: 'Unauthorized', path: ['changePassword'] });
  });
});
