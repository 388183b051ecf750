/**
 * Cognito's own bounds, as the API answers them: password lockout, the reset-code attempt limit and
 * codes that are not pending. Each answer must be the one a wrong credential gets, so a stranger
 * learns nothing of whether an account exists; and the real user's way back must work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmForgotPasswordDocument, ForgotPasswordDocument, LoginDocument } from '../generated/graphql';
import { enrolUser, expectRefused, startApi, uniqueEmail, type Api, type AppSyncError } from './harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const NEW_PASSWORD = 'a brand new passphrase for this account';
/** What a person sees: the type, the message and any extra information, not where it was raised. */
const seen = (e: AppSyncError) => ({ errorType: e.errorType, message: e.message, errorInfo: e.errorInfo });

describe('password lockout', () => {
  it('answers a locked-out account exactly as a wrong password and an unknown e-mail, and lets the user in once it has passed', async () => {
    const user = await enrolUser(api);
    const wrong = (email: string) =>
      api.call(LoginDocument, { input: { email, password: 'not the password of this account' } });
    const wrongAnswer = seen(expectRefused(await wrong(user.email), 'NOT_AUTHORIZED', 'login'));
    for (let i = 0; i < 5; i++) await wrong(user.email);

    // Locked out: the right password gets the wrong-password answer.
    const locked = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    expect(seen(expectRefused(locked, 'NOT_AUTHORIZED', 'login', [user.password]))).toEqual(wrongAnswer);
    expect(seen(expectRefused(await wrong(uniqueEmail('ghost')), 'NOT_AUTHORIZED', 'login'))).toEqual(
      wrongAnswer,
    );

    // Fifteen minutes without attempts end any lockout.
    api.advance(15 * 60_000 + 1_000);
    const back = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    expect(back.errors).toEqual([]);
    expect(back.data!.login!.challenge).toBe('SOFTWARE_TOKEN_MFA');
  });
});

describe('password reset', () => {
  it('answers a wrong code, an unrequested code and an unknown e-mail identically', async () => {
    const confirm = (email: string, code: string) =>
      api.call(ConfirmForgotPasswordDocument, { input: { email, code, newPassword: NEW_PASSWORD } });
    const refused = async (email: string, code: string) =>
      seen(expectRefused(await confirm(email, code), 'CODE_MISMATCH', 'confirmForgotPassword'));

    // An existing account that asked for no code (Cognito: ExpiredCodeException).
    const unrequested = await refused((await enrolUser(api)).email, '123456');
    // An unknown e-mail (Cognito: CodeMismatchException).
    const unknown = await refused(uniqueEmail('nobody'), '123456');
    // A wrong code after a real request.
    const user = await enrolUser(api);
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const code = api.latestCode(user.email);
    const wrongCode = code === '123456' ? '654321' : '123456';
    const wrong = await refused(user.email, wrongCode);
    // Cognito's own attempt limit (5 to 20 an hour, DG "Recovering user accounts") is not reached
    // through the API: its guess bound refuses first, alike for every address (guess-bounds.test.ts).

    expect(unrequested).toEqual(wrong);
    expect(unknown).toEqual(wrong);
  });

  it('answers forgotPassword the same whether Cognito sends a code, refuses past its limit, or knows no account', async () => {
    const user = await enrolUser(api);
    const answers = [];
    for (let i = 0; i < 21; i++) {
      answers.push(await api.call(ForgotPasswordDocument, { input: { email: user.email } }));
    }
    // Same label, so the masked destination (first letters) is alike too.
    answers.push(await api.call(ForgotPasswordDocument, { input: { email: uniqueEmail() } }));
    // Cognito's limit stopped the mails; the answers did not change.
    const sent = api.stack.mailbox.messages({ to: user.email }).filter((m) => m.kind === 'password-reset');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(21);
    expect(answers[0]!.errors).toEqual([]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });
});
