/**
 * QR objects belong to one enrolment: a link handed out for an enrolment never shows a later one's
 * secret, and deleting the account removes every QR object it has.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrKey } from '../../functions/domain/authenticator';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  DeleteMeDocument,
  LoginDocument,
  VerifyEnrolmentEmailDocument,
} from '../generated/graphql';
import {
  PASSWORD,
  putStoredObject,
  startApi,
  storedObjectExists,
  uniqueEmail,
  type Api,
} from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

/** Starts another enrolment for a confirmed account that never finished one: login, then the e-mailed code. */
async function enrolAgain(email: string) {
  const login = (await api.call(LoginDocument, { input: { email, password: PASSWORD } })).data!.login!;
  expect(login.challenge).toBe('EMAIL_VERIFICATION');
  const answer = await api.call(VerifyEnrolmentEmailDocument, {
    input: { email, session: login.session, code: api.latestCode(email) },
  });
  return answer.data!.verifyEnrolmentEmail!;
}

async function secretInQr(url: string): Promise<string | undefined> {
  const res = await fetch(url);
  if (res.status !== 200) return undefined;
  const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
  const data = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  return data ? (new URL(data).searchParams.get('secret') ?? undefined) : undefined;
}

describe('QR objects', () => {
  it("keeps an earlier enrolment's link on its own secret when a new enrolment starts", async () => {
    const email = uniqueEmail('qr');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });
    const first = (
      await api.call(ConfirmUserDocument, {
        input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
      })
    ).data!.confirmUser!;
    // Enrolment abandoned; the next sign-in starts another with a new secret.
    const second = await enrolAgain(email);
    expect(second.secretCode).not.toBe(first.secretCode);
    expect(second.qrCodeUrl).not.toBe(first.qrCodeUrl);
    expect(await secretInQr(second.qrCodeUrl)).toBe(second.secretCode);
    // The first link shows its own (now dead) secret or nothing, never the new one.
    expect(await secretInQr(first.qrCodeUrl)).not.toBe(second.secretCode);
  });

  it('are all deleted with the account, and no other account loses one', async () => {
    const email = uniqueEmail('qr-delete');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });
    const setup = (
      await api.call(ConfirmUserDocument, {
        input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
      })
    ).data!.confirmUser!;
    const again = await enrolAgain(email);
    const keys = [setup.qrCodeUrl, again.qrCodeUrl].map((u) =>
      decodeURIComponent(new URL(u).pathname).split('/').slice(2).join('/'),
    );
    for (const key of keys) expect(await storedObjectExists(api, key)).toBe(true);
    const sub = keys[0]!.split('/')[1]!;
    const neighbour = qrKey(`${sub}0`, 'kept');
    await putStoredObject(api, neighbour, 'png');

    // Finish the second enrolment: its own QR object goes, the abandoned one stays until the account does.
    const done = await api.call(ConfirmMfaDocument, {
      input: { email, session: again.session, otp: api.totp(again.secretCode) },
    });
    expect(done.errors).toEqual([]);
    expect(await storedObjectExists(api, keys[0]!)).toBe(true);
    expect(await storedObjectExists(api, keys[1]!)).toBe(false);
    const deleted = await api.call(
      DeleteMeDocument,
      {},
      { accessToken: done.data!.confirmMfa!.tokens.accessToken },
    );
    expect(deleted.errors).toEqual([]);
    for (const key of keys) expect(await storedObjectExists(api, key)).toBe(false);
    expect(await storedObjectExists(api, neighbour)).toBe(true);
  });
});
