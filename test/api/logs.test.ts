import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { PASSWORD, startApi, uniqueEmail, type Api } from './harness';

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
});
