import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDeleteUserDocument,
  AdminResetUserPasswordDocument,
  ChangePasswordDocument,
  ConfirmForgotPasswordDocument,
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  DeleteMeDocument,
  ExportMyDataDocument,
  ForgotPasswordDocument,
  LoginDocument,
  LogoutDocument,
  RecoverMfaDocument,
  RefreshDocument,
  ResendInvitationDocument,
  UserInfoDocument,
  VerifyMfaDocument,
} from '../generated/graphql';
import { addToGroup, enrolUser, PASSWORD, signIn, startApi, uniqueEmail, type Api } from './harness';

let api: Api;
const captured: string[] = [];
const writes = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};

beforeAll(async () => {
  // Functions log at DEBUG here: the most they would ever write. Console lines of the local
  // mailbox (which shows codes on purpose, as a mail catcher) go to their own sink, not the logs.
  api = await startApi({ functionLogLevel: 'DEBUG', log: () => undefined });
  const capture = (chunk: unknown): boolean => {
    captured.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
});

afterAll(async () => {
  process.stdout.write = writes.out;
  process.stderr.write = writes.err;
  await api.close();
});

describe('logs', () => {
  it('say why a request was refused: the catalogue type and the name of the AWS exception behind it', async () => {
    const user = await enrolUser(api);
    const from = captured.length;
    const wrongPassword = 'not the password of this account at all';
    await api.call(LoginDocument, { input: { email: user.email, password: wrongPassword } });
    const lines = captured
      .slice(from)
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 'operation refused',
        operation: 'Mutation.login',
        errorType: 'NOT_AUTHORIZED',
        cause: 'NotAuthorizedException',
      }),
    );
    expect(captured.slice(from).join('')).not.toContain(wrongPassword);
  });

  it('carry none of the secrets of a full lifecycle', async () => {
    const secrets: string[] = [];
    const keep = <T extends string | null | undefined>(...values: T[]) => {
      for (const v of values) if (v) secrets.push(v);
    };
    const email = uniqueEmail('logs');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Log Watcher' } });
    const temporaryPassword = api.latestCode(email);
    keep(temporaryPassword, PASSWORD);

    // A wrong password and a wrong code too: failures are where secrets tend to leak.
    await api.call(LoginDocument, { input: { email, password: 'a wrong password, also secret' } });
    keep('a wrong password, also secret');

    const setup = (
      await api.call(ConfirmUserDocument, { input: { email, temporaryPassword, newPassword: PASSWORD } })
    ).data!.confirmUser!;
    keep(setup.session, setup.secretCode, new URL(setup.qrCodeUrl).searchParams.get('X-Amz-Signature'));
    const otp1 = api.totp(setup.secretCode);
    keep(otp1);
    const enrolled = (
      await api.call(ConfirmMfaDocument, { input: { email, session: setup.session, otp: otp1 } })
    ).data!.confirmMfa!;
    keep(
      ...enrolled.recoveryCodes,
      enrolled.tokens.accessToken,
      enrolled.tokens.idToken,
      enrolled.tokens.refreshToken,
    );
    api.advance(30_000);

    const login = (await api.call(LoginDocument, { input: { email, password: PASSWORD } })).data!.login!;
    keep(login.session);
    await api.call(VerifyMfaDocument, { input: { email, session: login.session, otp: '000001' } });
    const otp2 = api.totp(setup.secretCode);
    keep(otp2);
    const tokens = (
      await api.call(VerifyMfaDocument, { input: { email, session: login.session, otp: otp2 } })
    ).data!.verifyMfa!;
    keep(tokens.accessToken, tokens.idToken, tokens.refreshToken);
    await api.call(UserInfoDocument, {}, { accessToken: tokens.accessToken });
    const refreshed = (await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } }))
      .data!.refresh!;
    keep(refreshed.accessToken, refreshed.idToken);
    await api.call(LogoutDocument, {}, { accessToken: refreshed.accessToken });
    api.advance(30_000);
    const recovered = (
      await api.call(RecoverMfaDocument, {
        input: { email, password: PASSWORD, recoveryCode: enrolled.recoveryCodes[0]! },
      })
    ).data!.recoverMfa!;
    keep(recovered.session, recovered.secretCode);

    const logs = captured.join('');
    // The capture saw the functions' structured logs: one line per operation, with request ids.
    const lines = logs.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    const operations = lines.map((l) => (JSON.parse(l) as { operation?: string }).operation);
    expect(operations).toEqual(
      expect.arrayContaining(['Mutation.confirmMfa', 'Mutation.verifyMfa', 'Mutation.recoverMfa']),
    );
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('requestId');

    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });

  it('carry none of the secrets of password resets, exports and deletions, nor the e-mails asked about', async () => {
    const from = captured.length;
    const user = await enrolUser(api, uniqueEmail('logs'));
    const admin = await enrolUser(api, uniqueEmail('logs'));
    await addToGroup(api, admin.email, 'admins');
    const adminTokens = await signIn(api, admin);
    const unknown = uniqueEmail('logs');
    const invited = uniqueEmail('logs');
    const secrets = [user.tokens.accessToken, adminTokens.accessToken, user.email, unknown, invited];

    await api.call(CreateUserDocument, { input: { email: invited, fullName: 'Invited' } });
    await api.call(ResendInvitationDocument, { input: { email: invited } });
    await api.call(ResendInvitationDocument, { input: { email: unknown } });
    secrets.push(api.latestCode(invited));

    await api.call(ForgotPasswordDocument, { input: { email: unknown } });
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const code = api.latestCode(user.email);
    const wrong = code === '123456' ? '654321' : '123456';
    const reset = 'a reset passphrase that is secret';
    await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code: wrong, newPassword: reset },
    });
    await api.call(ConfirmForgotPasswordDocument, { input: { email: user.email, code, newPassword: reset } });
    secrets.push(code, wrong, reset);

    const changed = 'a changed passphrase that is secret';
    // The reset signed every session out: a new one, with the new password.
    const afterReset = { accessToken: (await signIn(api, { ...user, password: reset })).accessToken };
    await api.call(
      ChangePasswordDocument,
      { input: { oldPassword: 'wrong old passphrase', newPassword: changed, otp: api.totp(user.secret) } },
      afterReset,
    );
    const otp = api.totp(user.secret);
    const change = await api.call(
      ChangePasswordDocument,
      { input: { oldPassword: reset, newPassword: changed, otp } },
      afterReset,
    );
    const tokens = { accessToken: change.data!.changePassword!.tokens.accessToken };
    secrets.push(
      'wrong old passphrase',
      changed,
      otp,
      ...Object.values(change.data!.changePassword!.tokens).map(String),
    );

    await api.call(AdminResetUserPasswordDocument, { input: { email: unknown } }, adminTokens);
    await api.call(AdminResetUserPasswordDocument, { input: { email: user.email } }, adminTokens);
    secrets.push(api.latestCode(user.email));
    await api.call(ExportMyDataDocument, {}, tokens);
    await api.call(DeleteMeDocument, {}, tokens);
    await api.call(AdminDeleteUserDocument, { input: { email: unknown } }, adminTokens);
    await api.call(AdminDeleteUserDocument, { input: { email: invited } }, adminTokens);

    const logs = captured.slice(from).join('');
    const operations = logs
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { operation?: string }).operation);
    expect(operations).toEqual(
      expect.arrayContaining([
        'Mutation.resendInvitation',
        'Mutation.forgotPassword',
        'Mutation.confirmForgotPassword',
        'Mutation.changePassword',
        'Mutation.adminResetUserPassword',
        'Query.exportMyData',
        'Mutation.deleteMe',
        'Mutation.adminDeleteUser',
      ]),
    );
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
