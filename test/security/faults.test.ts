/**
 * What an operation leaves behind when Cognito or S3 fails half-way through it, over HTTP against the
 * local stack with a fault proxy in front of the local Cognito and S3 (local/faults): no QR object
 * without a pending enrolment, no account without the recovery codes its owner was shown, no
 * recovery code consumed without a new enrolment, and a catalogue error for the client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as sweepOrphans } from '../../functions/sweepOrphans/handler';
import { recoveryKey } from '../../functions/domain/recovery-codes';
import type { Fault } from '../../local/faults';
import { MESSAGES } from '../../schema/messages';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  DeleteMeDocument,
  LoginDocument,
  RecoverMfaDocument,
  VerifyEnrolmentEmailDocument,
} from '../generated/graphql';
import {
  enrolUser,
  expectRefused,
  PASSWORD,
  signIn,
  startApi,
  storedKeys,
  storedObject,
  subOf,
  uniqueEmail,
  type Api,
} from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi({ faults: true });
});
afterEach(() => api.stack.faults!.clear());
afterAll(() => api.stack.close());

/** Runs `operation` with `fault` armed; checks the fault was hit, so no test passes by missing it. */
async function failing<T>(fault: Fault, operation: () => Promise<T>): Promise<T> {
  api.stack.faults!.arm(fault);
  try {
    return await operation();
  } finally {
    expect(api.stack.faults!.failed, `${fault.service} ${fault.operation} was never called`).toBeGreaterThan(
      0,
    );
    api.stack.faults!.clear();
  }
}

function expectInternal(answer: Awaited<ReturnType<Api['call']>>, field: string, secrets: string[] = []) {
  const error = expectRefused(answer, 'INTERNAL', field, secrets);
  expect(error.message).toMatch(
    new RegExp(`^${MESSAGES.internal.replace('.', '\\.')} Request id: [0-9a-f-]{36}$`),
  );
}

/** An invited account through confirmUser: the enrolment it starts. */
async function invited(email = uniqueEmail('fault')) {
  await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });
  const answer = await api.call(ConfirmUserDocument, {
    input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
  });
  expect(answer.errors).toEqual([]);
  return { email, setup: answer.data!.confirmUser! };
}

const confirmMfa = (email: string, session: string, secret: string) =>
  api.call(ConfirmMfaDocument, { input: { email, session, otp: api.totp(secret) } });

/** The account is as if it never enrolled: the password leads to the e-mailed code, and enrolment works. */
async function expectEnrolsAfresh(email: string) {
  api.advance(30_000);
  const login = await api.call(LoginDocument, { input: { email, password: PASSWORD } });
  expect(login.data?.login?.challenge).toBe('EMAIL_VERIFICATION');
  const setup = await api.call(VerifyEnrolmentEmailDocument, {
    input: { email, session: login.data!.login!.session, code: api.latestCode(email) },
  });
  expect(setup.errors).toEqual([]);
  const done = await confirmMfa(
    email,
    setup.data!.verifyEnrolmentEmail!.session,
    setup.data!.verifyEnrolmentEmail!.secretCode,
  );
  expect(done.errors).toEqual([]);
  expect(done.data!.confirmMfa!.recoveryCodes).toHaveLength(10);
}

describe('confirmMfa, when AWS fails after the first code is proven', () => {
  it('leaves an account never enrolled when S3 cannot store its recovery codes: no codes, no QR object', async () => {
    const { email, setup } = await invited();
    const sub = await subOf(api, email);
    expect(await storedKeys(api, `qr/${sub}/`)).toHaveLength(1);
    const answer = await failing({ service: 's3', operation: 'PutObject', keyPrefix: 'recovery/' }, () =>
      confirmMfa(email, setup.session, setup.secretCode),
    );
    expectInternal(answer, 'confirmMfa', [setup.session]);
    expect(await storedObject(api, recoveryKey(sub))).toBeUndefined();
    expect(await storedKeys(api, `qr/${sub}/`)).toEqual([]);
    await expectEnrolsAfresh(email);
  });

  it('takes the recovery codes back when Cognito cannot switch TOTP on', async () => {
    const { email, setup } = await invited();
    const sub = await subOf(api, email);
    const answer = await failing({ service: 'cognito', operation: 'SetUserMFAPreference' }, () =>
      confirmMfa(email, setup.session, setup.secretCode),
    );
    expectInternal(answer, 'confirmMfa');
    expect(await storedObject(api, recoveryKey(sub))).toBeUndefined();
    expect(await storedKeys(api, `qr/${sub}/`)).toEqual([]);
    // The session is spent: it cannot complete an enrolment whose code it already used.
    api.advance(30_000);
    expectRefused(await confirmMfa(email, setup.session, setup.secretCode), 'SESSION_EXPIRED', 'confirmMfa');
    await expectEnrolsAfresh(email);
  });

  it('after a recovery, puts the earlier codes back when Cognito cannot switch TOTP on', async () => {
    const user = await enrolUser(api, uniqueEmail('fault'));
    const sub = await subOf(api, user.email);
    const recovered = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: PASSWORD, recoveryCode: user.recoveryCodes[0]! },
    });
    expect(recovered.errors).toEqual([]);
    const before = await storedObject(api, recoveryKey(sub));
    const setup = recovered.data!.recoverMfa!;
    const answer = await failing({ service: 'cognito', operation: 'SetUserMFAPreference' }, () =>
      confirmMfa(user.email, setup.session, setup.secretCode),
    );
    expectInternal(answer, 'confirmMfa');
    // The set the recovery left (its first code used) is back, byte for byte; the codes shown never were.
    expect(await storedObject(api, recoveryKey(sub))).toBe(before);
    expect(await storedKeys(api, `qr/${sub}/`)).toEqual([]);
    // The authenticator stays suspended, and the next code of the earlier set starts again.
    api.advance(30_000);
    const again = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: PASSWORD, recoveryCode: user.recoveryCodes[1]! },
    });
    expect(again.errors).toEqual([]);
    const done = await confirmMfa(
      user.email,
      again.data!.recoverMfa!.session,
      again.data!.recoverMfa!.secretCode,
    );
    expect(done.errors).toEqual([]);
  });
});

describe('recoverMfa, when AWS fails after the recovery code was taken', () => {
  it.each<[string, Fault]>([
    [
      'Cognito cannot switch the lost authenticator off',
      { service: 'cognito', operation: 'AdminSetUserMFAPreference' },
    ],
    ['Cognito cannot sign the account out', { service: 'cognito', operation: 'AdminUserGlobalSignOut' }],
    ['S3 cannot store the new QR code', { service: 's3', operation: 'PutObject', keyPrefix: 'qr/' }],
  ])('gives the code back when %s', async (_, fault) => {
    const user = await enrolUser(api, uniqueEmail('fault'));
    const sub = await subOf(api, user.email);
    const code = user.recoveryCodes[0]!;
    const input = { email: user.email, password: PASSWORD, recoveryCode: code };
    const answer = await failing(fault, () => api.call(RecoverMfaDocument, { input }));
    expectInternal(answer, 'recoverMfa', [code, PASSWORD]);
    expect(await storedKeys(api, `qr/${sub}/`)).toEqual([]);
    // The same code works once AWS is back, and starts an enrolment that completes.
    api.advance(30_000);
    const again = await api.call(RecoverMfaDocument, { input });
    expect(again.errors).toEqual([]);
    const done = await confirmMfa(
      user.email,
      again.data!.recoverMfa!.session,
      again.data!.recoverMfa!.secretCode,
    );
    expect(done.errors).toEqual([]);
  });
});

describe('deleteMe, when AWS fails half-way', () => {
  it('leaves the account whole when Cognito cannot delete the user: it signs in and keeps its codes', async () => {
    const user = await enrolUser(api, uniqueEmail('fault'));
    const sub = await subOf(api, user.email);
    const before = await storedObject(api, recoveryKey(sub));
    const answer = await failing({ service: 'cognito', operation: 'DeleteUser' }, () =>
      api.call(DeleteMeDocument, {}, { accessToken: user.tokens.accessToken }),
    );
    expectInternal(answer, 'deleteMe');
    expect(await storedObject(api, recoveryKey(sub))).toBe(before);
    expect((await signIn(api, user)).accessToken).toBeTruthy();
  });

  it('deletes the account when S3 cannot delete its objects, and the daily sweep removes them', async () => {
    const user = await enrolUser(api, uniqueEmail('fault'));
    const sub = await subOf(api, user.email);
    const answer = await failing({ service: 's3', operation: 'DeleteObject' }, () =>
      api.call(DeleteMeDocument, {}, { accessToken: user.tokens.accessToken }),
    );
    expect(answer).toEqual({
      data: { deleteMe: { __typename: 'DeletePayload', deleted: true } },
      errors: [],
    });
    const login = await api.call(LoginDocument, { input: { email: user.email, password: PASSWORD } });
    expectRefused(login, 'NOT_AUTHORIZED', 'login');
    expect(await storedObject(api, recoveryKey(sub))).toBeDefined();
    expect((await sweepOrphans()).deleted).toBeGreaterThanOrEqual(1);
    expect(await storedObject(api, recoveryKey(sub))).toBeUndefined();
  });
});

describe('confirmUser, when S3 cannot store the QR code', () => {
  it('keeps the new password and starts enrolment again at the next login', async () => {
    const email = uniqueEmail('fault');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });
    const temporaryPassword = api.latestCode(email);
    const answer = await failing({ service: 's3', operation: 'PutObject', keyPrefix: 'qr/' }, () =>
      api.call(ConfirmUserDocument, { input: { email, temporaryPassword, newPassword: PASSWORD } }),
    );
    expectInternal(answer, 'confirmUser', [temporaryPassword, PASSWORD]);
    expect(await storedKeys(api, `qr/${await subOf(api, email)}/`)).toEqual([]);
    await expectEnrolsAfresh(email);
  });
});
