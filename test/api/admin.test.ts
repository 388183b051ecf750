import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoveryKey } from '../../functions/domain/recovery-codes';
import {
  AdminDeleteUserDocument,
  AdminResetUserPasswordDocument,
  ConfirmForgotPasswordDocument,
  CreateUserDocument,
  LoginDocument,
  LogoutDocument,
  RecoverMfaDocument,
  UserInfoDocument,
} from '../generated/graphql';
import {
  addToGroup,
  enrolUser,
  expectRefused,
  signIn,
  startApi,
  storedObjectExists,
  uniqueEmail,
  type Api,
  type EnrolledUser,
} from './harness';

let api: Api;
let admin: EnrolledUser;
let member: EnrolledUser;
beforeAll(async () => {
  api = await startApi();
  admin = await enrolUser(api, uniqueEmail('admin'));
  await addToGroup(api, admin.email, 'admins');
  // Groups are read into tokens at sign-in: the admin signs in again to carry cognito:groups.
  admin = { ...admin, tokens: await signIn(api, admin) };
  member = await enrolUser(api, uniqueEmail('member'));
});
afterAll(() => api.close());

const asAdmin = () => ({ accessToken: admin.tokens.accessToken });
const masked = (email: string) => `${email[0]}***@${email.split('@')[1]![0]}***`;

async function subOf(user: EnrolledUser): Promise<string> {
  const me = await api.call(UserInfoDocument, {}, { accessToken: user.tokens.accessToken });
  return me.data!.userinfo!.userId;
}

describe('adminResetUserPassword', () => {
  it('stops the password working and e-mails a code that sets a new one', async () => {
    const user = await enrolUser(api, uniqueEmail('reset'));
    const answer = await api.call(
      AdminResetUserPasswordDocument,
      { input: { email: user.email.toUpperCase() } },
      asAdmin(),
    );
    expect(answer).toEqual({
      data: {
        adminResetUserPassword: {
          __typename: 'DeliveryPayload',
          destination: masked(user.email),
          medium: 'EMAIL',
        },
      },
      errors: [],
    });
    const message = api.stack.mailbox.messages({ to: user.email }).at(-1)!;
    expect(message.kind).toBe('password-reset');
    expectRefused(
      await api.call(LoginDocument, { input: { email: user.email, password: user.password } }),
      'NOT_AUTHORIZED',
      'login',
    );
    const newPassword = 'the administrator made me pick this one';
    const confirmed = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code: message.code, newPassword },
    });
    expect(confirmed.errors).toEqual([]);
    expect((await signIn(api, { ...user, password: newPassword })).tokenType).toBe('Bearer');
  });

  it('is no oracle: unknown, invited and confirmed accounts get identical answers', async () => {
    const confirmed = await enrolUser(api, uniqueEmail('oracle'));
    const invited = uniqueEmail('oracle');
    await api.call(CreateUserDocument, { input: { email: invited, fullName: 'Invited' } });
    const unknown = uniqueEmail('oracle');
    const answers = [];
    for (const email of [confirmed.email, invited, unknown]) {
      answers.push(await api.call(AdminResetUserPasswordDocument, { input: { email } }, asAdmin()));
    }
    expect(answers[0]!.errors).toEqual([]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(api.stack.mailbox.messages({ to: unknown })).toHaveLength(0);
  });

  it('refuses a signed-in user outside admins with AppSync Unauthorized, and changes nothing', async () => {
    const before = api.stack.mailbox.messages({ to: admin.email }).length;
    const answer = await api.call(
      AdminResetUserPasswordDocument,
      { input: { email: admin.email } },
      { accessToken: member.tokens.accessToken },
    );
    expect(answer.errors[0]).toMatchObject({ errorType: 'Unauthorized', path: ['adminResetUserPassword'] });
    expect(answer.data?.adminResetUserPassword ?? null).toBeNull();
    expect(api.stack.mailbox.messages({ to: admin.email })).toHaveLength(before);
  });

  it('refuses the admin ID token as NOT_AUTHORIZED and an API-key caller with AppSync Unauthorized', async () => {
    expectRefused(
      await api.call(
        AdminResetUserPasswordDocument,
        { input: { email: member.email } },
        { accessToken: admin.tokens.idToken },
      ),
      'NOT_AUTHORIZED',
      'adminResetUserPassword',
    );
    const anonymous = await api.call(AdminResetUserPasswordDocument, { input: { email: member.email } });
    expect(anonymous.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      path: ['adminResetUserPassword'],
    });
  });

  it('refuses a malformed e-mail as BAD_USER_INPUT', async () => {
    expectRefused(
      await api.call(AdminResetUserPasswordDocument, { input: { email: 'nobody' } }, asAdmin()),
      'BAD_USER_INPUT',
      'adminResetUserPassword',
    );
  });
});

describe('adminDeleteUser', () => {
  it('deletes the user, their QR code and recovery codes; the account can no longer log in', async () => {
    const user = await enrolUser(api, uniqueEmail('doomed'));
    const sub = await subOf(user);
    const recovering = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: user.recoveryCodes[0]! },
    });
    const { qrCodeUrl } = recovering.data!.recoverMfa!;
    expect((await fetch(qrCodeUrl)).status).toBe(200);

    const answer = await api.call(AdminDeleteUserDocument, { input: { email: user.email } }, asAdmin());
    expect(answer).toEqual({
      data: { adminDeleteUser: { __typename: 'DeletePayload', deleted: true } },
      errors: [],
    });
    expect((await fetch(qrCodeUrl)).status).toBe(404);
    expect(await storedObjectExists(api, recoveryKey(sub))).toBe(false);
    expectRefused(
      await api.call(LoginDocument, { input: { email: user.email, password: user.password } }),
      'NOT_AUTHORIZED',
      'login',
    );
    expectRefused(
      await api.call(UserInfoDocument, {}, { accessToken: user.tokens.accessToken }),
      'NOT_AUTHORIZED',
      'userinfo',
    );
  });

  it('answers an unknown e-mail as a deleted one (the outcome holds; no oracle)', async () => {
    const answer = await api.call(
      AdminDeleteUserDocument,
      { input: { email: uniqueEmail('ghost') } },
      asAdmin(),
    );
    expect(answer).toEqual({
      data: { adminDeleteUser: { __typename: 'DeletePayload', deleted: true } },
      errors: [],
    });
  });

  it('refuses to delete the calling administrator as FORBIDDEN (deleteMe is the way out)', async () => {
    expectRefused(
      await api.call(AdminDeleteUserDocument, { input: { email: admin.email } }, asAdmin()),
      'FORBIDDEN',
      'adminDeleteUser',
    );
    expect((await api.call(UserInfoDocument, {}, asAdmin())).errors).toEqual([]);
  });

  it('refuses a signed-in user outside admins with AppSync Unauthorized, and deletes nothing', async () => {
    const answer = await api.call(
      AdminDeleteUserDocument,
      { input: { email: admin.email } },
      { accessToken: member.tokens.accessToken },
    );
    expect(answer.errors[0]).toMatchObject({ errorType: 'Unauthorized', path: ['adminDeleteUser'] });
    expect((await api.call(UserInfoDocument, {}, asAdmin())).errors).toEqual([]);
  });

  it('refuses the admin ID token as NOT_AUTHORIZED and an admin token revoked by logout', async () => {
    expectRefused(
      await api.call(
        AdminDeleteUserDocument,
        { input: { email: member.email } },
        { accessToken: admin.tokens.idToken },
      ),
      'NOT_AUTHORIZED',
      'adminDeleteUser',
    );
    const other = await enrolUser(api, uniqueEmail('admin'));
    await addToGroup(api, other.email, 'admins');
    const tokens = await signIn(api, other);
    await api.call(LogoutDocument, {}, { accessToken: tokens.accessToken });
    expectRefused(
      await api.call(
        AdminDeleteUserDocument,
        { input: { email: member.email } },
        { accessToken: tokens.accessToken },
      ),
      'NOT_AUTHORIZED',
      'adminDeleteUser',
    );
    expect((await api.call(UserInfoDocument, {}, { accessToken: member.tokens.accessToken })).errors).toEqual(
      [],
    );
  });
});

describe('the admin functions behind AppSync', () => {
  // AppSync's directive keeps non-admins out; the functions check again in case the schema ever slips.
  const context = { awsRequestId: 'test-request' } as Context;
  const event = (field: string, groups: string[]) => ({
    field,
    arguments: { input: { email: member.email } },
    identity: { sub: 'not-an-admin', username: 'not-an-admin', groups },
    accessToken: member.tokens.accessToken,
    requestId: 'test-request',
  });

  it('refuse a caller whose token carries no admins group as FORBIDDEN', async () => {
    // Imported once the stack has set the functions' environment, as Lambda would have it.
    const functions = {
      'Mutation.adminResetUserPassword': (await import('../../functions/adminResetUserPassword/handler'))
        .handler,
      'Mutation.adminDeleteUser': (await import('../../functions/adminDeleteUser/handler')).handler,
    };
    for (const [field, run] of Object.entries(functions)) {
      const result = await run(event(field, ['staff']), context);
      expect(result).toMatchObject({ error: { type: 'FORBIDDEN' } });
    }
    expect((await api.call(UserInfoDocument, {}, { accessToken: member.tokens.accessToken })).errors).toEqual(
      [],
    );
  });
});
