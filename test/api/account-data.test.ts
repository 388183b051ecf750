import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrKey } from '../../functions/domain/authenticator';
import { recoveryKey } from '../../functions/domain/recovery-codes';
import {
  ConfirmMfaDocument,
  DeleteMeDocument,
  ExportMyDataDocument,
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
  putStoredObject,
  startApi,
  storedObject,
  storedObjectExists,
  uniqueEmail,
  type Api,
  type EnrolledUser,
} from './harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function subOf(user: EnrolledUser): Promise<string> {
  const me = await api.call(UserInfoDocument, {}, { accessToken: user.tokens.accessToken });
  return me.data!.userinfo!.userId;
}

describe('exportMyData', () => {
  it('returns the attributes, groups, MFA state, account dates and unused recovery codes as JSON', async () => {
    const email = uniqueEmail('exporter');
    const user = await enrolUser(api, email);
    await addToGroup(api, email, 'admins');
    // The export reads the groups from Cognito, not from the token: the old token is enough.
    const answer = await api.call(ExportMyDataDocument, {}, { accessToken: user.tokens.accessToken });
    expect(answer.errors).toEqual([]);
    // AWSJSON travels as a JSON string, as on AppSync.
    expect(typeof answer.data!.exportMyData).toBe('string');
    const data = JSON.parse(answer.data!.exportMyData as string) as Record<string, unknown>;
    const sub = await subOf(user);
    expect(data).toMatchObject({
      userId: sub,
      attributes: { sub, email, email_verified: 'true', name: 'Test User' },
      groups: ['admins'],
      account: { status: 'CONFIRMED', enabled: true },
      mfa: { enabled: true, preferred: 'SOFTWARE_TOKEN_MFA', methods: ['SOFTWARE_TOKEN_MFA'] },
      recoveryCodes: { remaining: 10 },
    });
    const account = data.account as { createdAt: string; lastModifiedAt: string };
    expect(Date.parse(account.createdAt)).toBeLessThanOrEqual(Date.parse(account.lastModifiedAt));
    expect(Math.abs(Date.parse(account.createdAt) - Date.now())).toBeLessThan(10 * 60_000);
    expect(Date.parse(data.exportedAt as string)).not.toBeNaN();
  });

  it('counts the unused recovery codes of the current set (a recovery replaces the set)', async () => {
    const user = await enrolUser(api);
    const remaining = async (accessToken: string) =>
      (
        JSON.parse(
          (await api.call(ExportMyDataDocument, {}, { accessToken })).data!.exportMyData as string,
        ) as { recoveryCodes: unknown }
      ).recoveryCodes;
    expect(await remaining(user.tokens.accessToken)).toEqual({ remaining: 10 });
    // A used code is not counted (test/functions/recover-mfa.test.ts counts one); a recovery ends
    // every session, so the count is next seen with the new set in place.
    const recovered = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: user.recoveryCodes[0]! },
    });
    const setup = recovered.data!.recoverMfa!;
    const done = await api.call(ConfirmMfaDocument, {
      input: { email: user.email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expect(await remaining(done.data!.confirmMfa!.tokens.accessToken)).toEqual({ remaining: 10 });
  });

  it('holds no secret: no password, TOTP secret, token, recovery code or recovery-code hash', async () => {
    const user = await enrolUser(api);
    const tokens = await signIn(api, user);
    const answer = await api.call(ExportMyDataDocument, {}, { accessToken: tokens.accessToken });
    expect(answer.errors).toEqual([]);
    const text = JSON.stringify(answer);
    const sub = await subOf(user);
    // The hashes as stored, whatever the hash function.
    const stored = JSON.parse((await storedObject(api, recoveryKey(sub)))!) as { codes: { hash: string }[] };
    const hashes = stored.codes.map((c) => c.hash);
    expect(hashes).toHaveLength(10);
    const secrets = [
      user.password,
      user.secret,
      tokens.accessToken,
      tokens.idToken,
      tokens.refreshToken,
      user.tokens.refreshToken,
      ...user.recoveryCodes,
      ...user.recoveryCodes.map((c) => c.replace('-', '')),
      ...hashes,
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Nor a field that could hold one.
    const keys = (value: unknown): string[] =>
      value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]) : [];
    const fields = keys(JSON.parse(answer.data!.exportMyData as string));
    expect(fields).toContain('recoveryCodes');
    expect(fields.filter((k) => /password|secret|token|hash|session|otp/i.test(k))).toEqual([]);
  });

  it('refuses a token revoked by logout, an ID token, and an API-key caller', async () => {
    const user = await enrolUser(api);
    expectRefused(
      await api.call(ExportMyDataDocument, {}, { accessToken: user.tokens.idToken }),
      'NOT_AUTHORIZED',
      'exportMyData',
    );
    const anonymous = await api.call(ExportMyDataDocument, {});
    expect(anonymous.errors[0]).toMatchObject({ errorType: 'Unauthorized', path: ['exportMyData'] });
    await api.call(LogoutDocument, {}, { accessToken: user.tokens.accessToken });
    expectRefused(
      await api.call(ExportMyDataDocument, {}, { accessToken: user.tokens.accessToken }),
      'NOT_AUTHORIZED',
      'exportMyData',
    );
  });
});

describe('deleteMe', () => {
  it('deletes the account, its QR code and its recovery codes; the account can no longer log in', async () => {
    const user = await enrolUser(api);
    const sub = await subOf(user);
    // QR objects of two enrolments that never completed (the lifecycle rule would expire them in a day).
    const pending = [qrKey(sub, 'abandoned-1'), qrKey(sub, 'abandoned-2')];
    for (const key of pending) await putStoredObject(api, key, 'png');
    // Another account's QR object, which must stay.
    const otherKey = qrKey(`${sub}x`, 'other');
    await putStoredObject(api, otherKey, 'png');
    expect(await storedObjectExists(api, recoveryKey(sub))).toBe(true);

    const answer = await api.call(DeleteMeDocument, {}, { accessToken: user.tokens.accessToken });
    expect(answer).toEqual({
      data: { deleteMe: { __typename: 'DeletePayload', deleted: true } },
      errors: [],
    });

    for (const key of pending) expect(await storedObjectExists(api, key)).toBe(false);
    expect(await storedObjectExists(api, otherKey)).toBe(true);
    expect(await storedObjectExists(api, recoveryKey(sub))).toBe(false);
    expectRefused(
      await api.call(LoginDocument, { input: { email: user.email, password: user.password } }),
      'NOT_AUTHORIZED',
      'login',
    );
    // The token of a deleted account acts on nothing any more.
    expectRefused(
      await api.call(UserInfoDocument, {}, { accessToken: user.tokens.accessToken }),
      'NOT_AUTHORIZED',
      'userinfo',
    );
    expectRefused(
      await api.call(DeleteMeDocument, {}, { accessToken: user.tokens.accessToken }),
      'NOT_AUTHORIZED',
      'deleteMe',
    );
  });

  it('erases nothing with a token revoked by logout', async () => {
    const user = await enrolUser(api);
    const sub = await subOf(user);
    await api.call(LogoutDocument, {}, { accessToken: user.tokens.accessToken });
    expectRefused(
      await api.call(DeleteMeDocument, {}, { accessToken: user.tokens.accessToken }),
      'NOT_AUTHORIZED',
      'deleteMe',
    );
    expect(await storedObjectExists(api, recoveryKey(sub))).toBe(true);
    expect((await signIn(api, user)).tokenType).toBe('Bearer');
  });

  it('refuses an ID token as NOT_AUTHORIZED, and an API-key caller with AppSync Unauthorized', async () => {
    const user = await enrolUser(api, uniqueEmail('keeper'));
    expectRefused(
      await api.call(DeleteMeDocument, {}, { accessToken: user.tokens.idToken }),
      'NOT_AUTHORIZED',
      'deleteMe',
    );
    const anonymous = await api.call(DeleteMeDocument, {});
    expect(anonymous.errors[0]).toMatchObject({ errorType: 'Unauthorized', path: ['deleteMe'] });
    expect((await signIn(api, user)).tokenType).toBe('Bearer');
  });
});
