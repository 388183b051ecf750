/**
 * Enrolment belongs to whoever can read the account's mail: for a confirmed account that never
 * finished enrolment, the password alone starts no enrolment (login e-mails a code instead), and
 * nothing a password-holder does invalidates the owner's pending enrolment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUESS_BOUNDS } from '../../functions/domain/guess-bounds';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  LoginDocument,
  VerifyEnrolmentEmailDocument,
} from '../generated/graphql';
import { expectRefused, PASSWORD, startApi, uniqueEmail, type Api } from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

/** An account that is confirmed and has an enrolment pending (confirmUser's). */
async function pendingAccount() {
  const email = uniqueEmail('pending');
  await api.call(CreateUserDocument, { input: { email, fullName: 'Owner' } });
  const setup = (
    await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
    })
  ).data!.confirmUser!;
  return { email, setup };
}

describe('enrolment is owned by its starter', () => {
  it("gives a password-holder no enrolment, and leaves the owner's pending one working", async () => {
    const { email, setup } = await pendingAccount();
    // Someone with the password signs in: a code goes to the owner's mailbox, no secret to them.
    const login = await api.call(LoginDocument, { input: { email, password: PASSWORD } });
    expect(login.errors).toEqual([]);
    expect(login.data!.login!.challenge).toBe('EMAIL_VERIFICATION');
    expect(JSON.stringify(login)).not.toContain('otpauth');
    expect(api.stack.mailbox.messages({ to: email }).at(-1)!.kind).toBe('verification');

    // The owner completes the enrolment confirmUser started, with its secret.
    const done = await api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expect(done.errors).toEqual([]);
    expect(done.data!.confirmMfa!.mfaStatus).toBe('CONFIRMED');
  });

  it('refuses a wrong e-mailed code, and bounds the guesses', async () => {
    const { email } = await pendingAccount();
    const session = (await api.call(LoginDocument, { input: { email, password: PASSWORD } })).data!.login!
      .session;
    const code = api.latestCode(email);
    const wrong = code === '123456' ? '654321' : '123456';
    const first = await api.call(VerifyEnrolmentEmailDocument, { input: { email, session, code: wrong } });
    expectRefused(first, 'CODE_MISMATCH', 'verifyEnrolmentEmail');
    for (let i = 1; i < GUESS_BOUNDS.emailCode.failures; i++) {
      await api.call(VerifyEnrolmentEmailDocument, { input: { email, session, code: wrong } });
    }
    const right = await api.call(VerifyEnrolmentEmailDocument, { input: { email, session, code } });
    expectRefused(right, 'TOO_MANY_REQUESTS', 'verifyEnrolmentEmail', [code]);
  });

  it('keeps the two kinds of session apart: neither opens as the other', async () => {
    const { email, setup } = await pendingAccount();
    const proofSession = (await api.call(LoginDocument, { input: { email, password: PASSWORD } })).data!
      .login!.session;
    expectRefused(
      await api.call(ConfirmMfaDocument, {
        input: { email, session: proofSession, otp: api.totp(setup.secretCode) },
      }),
      'SESSION_EXPIRED',
      'confirmMfa',
    );
    expectRefused(
      await api.call(VerifyEnrolmentEmailDocument, {
        input: { email, session: setup.session, code: api.latestCode(email) },
      }),
      'SESSION_EXPIRED',
      'verifyEnrolmentEmail',
    );
  });
});
