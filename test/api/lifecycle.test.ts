import { execFileSync } from 'node:child_process';
import { GUESS_BOUNDS } from '../../functions/domain/guess-bounds';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
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
  VerifyEnrolmentEmailDocument,
  VerifyMfaDocument,
} from '../generated/graphql';
import {
  addToGroup,
  enrolUser,
  expectRefused,
  PASSWORD,
  signIn,
  startApi,
  uniqueEmail,
  type Api,
} from './harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function decodeQr(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded).not.toBeNull();
  return decoded!.data;
}

describe('the whole life of an account', () => {
  it('create → mailbox → confirm → enrol → login → TOTP → userinfo → refresh → logout → refresh refused', async () => {
    const email = uniqueEmail('jane');
    const created = await api.call(CreateUserDocument, {
      input: { email: email.toUpperCase(), fullName: 'Jane Doe', phoneNumber: '+447700900123' },
    });
    expect(created).toEqual({
      data: { createUser: { __typename: 'CreateUserPayload', email, status: 'INVITATION_SENT' } },
      errors: [],
    });

    const temporaryPassword = api.latestCode(email);
    const confirmed = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword, newPassword: PASSWORD },
    });
    expect(confirmed.errors).toEqual([]);
    const setup = confirmed.data!.confirmUser!;
    expect(setup.secretCode).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toBe(
      `otpauth://totp/AuthApi:${encodeURIComponent(email)}?secret=${setup.secretCode}&issuer=AuthApi&algorithm=SHA1&digits=6&period=30`,
    );
    const expiresIn = Date.parse(setup.qrCodeExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    expect(new URL(setup.qrCodeUrl).searchParams.get('X-Amz-Expires')).toBe('300');

    const enrolled = await api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expect(enrolled.errors).toEqual([]);
    const { mfaStatus, recoveryCodes, tokens: first } = enrolled.data!.confirmMfa!;
    expect(mfaStatus).toBe('CONFIRMED');
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    expect(first).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    // Enrolment is complete: the QR object is gone.
    expect((await fetch(setup.qrCodeUrl)).status).toBe(404);

    api.advance(30_000);
    const login = await api.call(LoginDocument, { input: { email, password: PASSWORD } });
    expect(login.data!.login).toMatchObject({ challenge: 'SOFTWARE_TOKEN_MFA' });
    // A code from an independent TOTP implementation, as an authenticator app would compute it.
    const otp = execFileSync('oathtool', [
      '--totp',
      '-b',
      setup.secretCode,
      '--now',
      new Date(api.now()).toISOString(),
    ])
      .toString()
      .trim();
    const verified = await api.call(VerifyMfaDocument, {
      input: { email, session: login.data!.login!.session, otp },
    });
    expect(verified.errors).toEqual([]);
    const tokens = verified.data!.verifyMfa!;
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });

    const me = await api.call(UserInfoDocument, {}, { accessToken: tokens.accessToken });
    expect(me.errors).toEqual([]);
    expect(me.data!.userinfo).toMatchObject({
      email,
      fullName: 'Jane Doe',
      phoneNumber: '+447700900123',
      groups: [],
      mfaEnabled: true,
    });
    expect(me.data!.userinfo!.userId).toMatch(/^[0-9a-f-]{36}$/);

    const refreshed = await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } });
    expect(refreshed.errors).toEqual([]);
    expect(refreshed.data!.refresh!.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.data!.refresh!.refreshToken).toBe(tokens.refreshToken);

    const out = await api.call(LogoutDocument, {}, { accessToken: refreshed.data!.refresh!.accessToken });
    expect(out.data!.logout).toEqual({ __typename: 'LogoutPayload', signedOut: true });

    expectRefused(
      await api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } }),
      'NOT_AUTHORIZED',
      'refresh',
      [tokens.refreshToken],
    );
    expectRefused(
      await api.call(UserInfoDocument, {}, { accessToken: tokens.accessToken }),
      'NOT_AUTHORIZED',
      'userinfo',
    );
  });

  it('hands out a QR code that decodes to the same otpauth:// URI, for two independent decoders', async () => {
    const email = uniqueEmail('qr');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Q R' } });
    const confirmed = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
    });
    const setup = confirmed.data!.confirmUser!;
    expect(await decodeQr(setup.qrCodeUrl)).toBe(setup.otpauthUri);

    const dir = mkdtempSync(join(tmpdir(), 'qr-'));
    try {
      const file = join(dir, 'qr.png');
      writeFileSync(file, Buffer.from(await (await fetch(setup.qrCodeUrl)).arrayBuffer()));
      const zbar = execFileSync('zbarimg', ['--quiet', '--raw', file]).toString().trim();
      expect(zbar).toBe(setup.otpauthUri);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a confirmed user who never finished enrolment enrol again with a code e-mailed at login', async () => {
    const email = uniqueEmail('late');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Late Enroller' } });
    await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
    });

    const login = await api.call(LoginDocument, { input: { email, password: PASSWORD } });
    expect(login.errors).toEqual([]);
    expect(login.data!.login!.challenge).toBe('EMAIL_VERIFICATION');
    const mail = api.stack.mailbox.messages({ to: email }).at(-1)!;
    expect(mail.kind).toBe('verification');

    const verified = await api.call(VerifyEnrolmentEmailDocument, {
      input: { email, session: login.data!.login!.session, code: mail.code! },
    });
    expect(verified.errors).toEqual([]);
    const setup = verified.data!.verifyEnrolmentEmail!;
    expect(await decodeQr(setup.qrCodeUrl)).toBe(setup.otpauthUri);

    const done = await api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expect(done.data!.confirmMfa!.mfaStatus).toBe('CONFIRMED');
  });
});

describe('a lost authenticator', () => {
  it('recoverMfa with an unused code re-enrols with a new secret; the old secret and the used code are refused', async () => {
    const user = await enrolUser(api);
    const [code] = user.recoveryCodes;
    await addToGroup(api, user.email, 'admins');
    const before = await api.call(
      UserInfoDocument,
      {},
      { accessToken: (await signIn(api, user)).accessToken },
    );

    const recovered = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: code!.toLowerCase() },
    });
    expect(recovered.errors).toEqual([]);
    const setup = recovered.data!.recoverMfa!;
    expect(setup.secretCode).not.toBe(user.secret);
    expect(await decodeQr(setup.qrCodeUrl)).toBe(setup.otpauthUri);

    const confirmed = await api.call(ConfirmMfaDocument, {
      input: { email: user.email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expect(confirmed.data!.confirmMfa!.mfaStatus).toBe('CONFIRMED');
    const freshCodes = confirmed.data!.confirmMfa!.recoveryCodes;
    expect(freshCodes).not.toContain(code);
    api.advance(30_000);

    // The new secret signs in, as the same account: same user id, same groups.
    const tokens = await signIn(api, { ...user, secret: setup.secretCode });
    expect(tokens.tokenType).toBe('Bearer');
    const after = await api.call(UserInfoDocument, {}, { accessToken: tokens.accessToken });
    expect(after.data!.userinfo!.userId).toBe(before.data!.userinfo!.userId);
    expect(after.data!.userinfo!.groups).toEqual(['admins']);

    // The old secret does not.
    const login = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    const old = await api.call(VerifyMfaDocument, {
      input: { email: user.email, session: login.data!.login!.session, otp: api.totp(user.secret) },
    });
    expectRefused(old, 'CODE_MISMATCH', 'verifyMfa');

    // The used recovery code does not, and neither do the codes of the replaced set.
    for (const recoveryCode of [code!, user.recoveryCodes[1]!]) {
      const again = await api.call(RecoverMfaDocument, {
        input: { email: user.email, password: user.password, recoveryCode },
      });
      expectRefused(again, 'NOT_AUTHORIZED', 'recoverMfa', [recoveryCode, user.password]);
    }
  });

  it('accepts one recovery code once under concurrent requests', async () => {
    const user = await enrolUser(api);
    const recoveryCode = user.recoveryCodes[3]!;
    // As many at once as the account's recovery-code bound lets through (guess-bounds.test.ts goes past it).
    const answers = await Promise.all(
      Array.from({ length: GUESS_BOUNDS.recoveryCode.failures }, () =>
        api.call(RecoverMfaDocument, { input: { email: user.email, password: user.password, recoveryCode } }),
      ),
    );
    const won = answers.filter((a) => a.errors.length === 0 && a.data?.recoverMfa);
    expect(won).toHaveLength(1);
    for (const lost of answers.filter((a) => a.errors.length > 0)) {
      expect(lost.errors[0]!.errorType).toBe('NOT_AUTHORIZED');
    }
  });
});
