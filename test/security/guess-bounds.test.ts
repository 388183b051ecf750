/**
 * Guess bounds per account, over HTTP against the local stack: whatever the requests look like
 * (one by one, aliased in one request, in parallel on several sessions), an account's wrong tries are
 * counted in one place (a request carries one field: one-field-per-request.test.ts), and past the bound even the right secret is refused until the window ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUESS_BOUNDS } from '../../functions/domain/guess-bounds';
import {
  ConfirmForgotPasswordDocument,
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  ForgotPasswordDocument,
  LoginDocument,
  RecoverMfaDocument,
  VerifyMfaDocument,
} from '../generated/graphql';
import { enrolUser, expectRefused, PASSWORD, startApi, uniqueEmail, type Api } from '../api/harness';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stack.close());

const NEW_PASSWORD = 'another horse battery staple';
/** A code that is not the current one (a one-in-a-million clash with the real code is ignored). */
const wrongOtp = (right: string): string => (right === '000000' ? '111111' : '000000');

async function sessionOf(email: string, password = PASSWORD): Promise<string> {
  const login = await api.call(LoginDocument, { input: { email, password } });
  expect(login.errors).toEqual([]);
  return login.data!.login!.session;
}

const verify = (email: string, session: string, otp: string) =>
  api.call(VerifyMfaDocument, { input: { email, session, otp } });

describe('authenticator codes', () => {
  it('refuses even the right code once an account has used up its wrong codes', async () => {
    const user = await enrolUser(api);
    const session = await sessionOf(user.email);
    for (let i = 0; i < GUESS_BOUNDS.totp.failures; i++) {
      const answer = await verify(user.email, session, wrongOtp(api.totp(user.secret)));
      expect(answer.errors[0]?.errorType).not.toBe('TOO_MANY_REQUESTS');
    }
    const right = await verify(user.email, await sessionOf(user.email), api.totp(user.secret));
    expectRefused(right, 'TOO_MANY_REQUESTS', 'verifyMfa');
  });

  it('shares one bound between parallel sign-in sessions', async () => {
    const user = await enrolUser(api);
    const sessions = await Promise.all([1, 2, 3].map(() => sessionOf(user.email)));
    const wrong = wrongOtp(api.totp(user.secret));
    const answers = await Promise.all(
      Array.from({ length: 3 * GUESS_BOUNDS.totp.failures }, (_, i) =>
        verify(user.email, sessions[i % 3]!, wrong),
      ),
    );
    // No more wrong codes were checked than the bound allows, however the tries were spread.
    const checked = answers.filter((a) => a.errors[0]?.errorType !== 'TOO_MANY_REQUESTS');
    expect(checked.length).toBeLessThanOrEqual(GUESS_BOUNDS.totp.failures);
    expectRefused(
      await verify(user.email, sessions[0]!, api.totp(user.secret)),
      'TOO_MANY_REQUESTS',
      'verifyMfa',
    );
  });

  it('counts a sign-in session only against the e-mail that signed in', async () => {
    const user = await enrolUser(api);
    const session = await sessionOf(user.email);
    // Naming a fresh address on every try would keep each count at one: the session refuses them all,
    // the right code included, before any code is checked.
    for (let i = 0; i <= GUESS_BOUNDS.totp.failures; i++) {
      expectRefused(
        await verify(uniqueEmail('other'), session, api.totp(user.secret)),
        'SESSION_EXPIRED',
        'verifyMfa',
      );
    }
    const altered = session.slice(0, -2) + (session.endsWith('AA') ? 'BB' : 'AA');
    expectRefused(await verify(user.email, altered, api.totp(user.secret)), 'SESSION_EXPIRED', 'verifyMfa');
    // The owner's session is untouched: the right code for the right e-mail signs in.
    const signedIn = await verify(user.email, session, api.totp(user.secret));
    expect(signedIn.errors).toEqual([]);
    expect(signedIn.data?.verifyMfa?.accessToken).toBeTruthy();
  });

  it('bounds the first code of an enrolment too', async () => {
    const email = uniqueEmail('enrol');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });
    const confirmed = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
    });
    const setup = confirmed.data!.confirmUser!;
    for (let i = 0; i < GUESS_BOUNDS.totp.failures; i++) {
      await api.call(ConfirmMfaDocument, {
        input: { email, session: setup.session, otp: wrongOtp(api.totp(setup.secretCode)) },
      });
    }
    const right = await api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
    });
    expectRefused(right, 'TOO_MANY_REQUESTS', 'confirmMfa');
  });

  it('leaves other accounts alone, and lets the account in again once the window has passed', async () => {
    const locked = await enrolUser(api);
    const other = await enrolUser(api);
    const session = await sessionOf(locked.email);
    for (let i = 0; i < GUESS_BOUNDS.totp.failures; i++) {
      await verify(locked.email, session, wrongOtp(api.totp(locked.secret)));
    }
    const refused = await verify(locked.email, await sessionOf(locked.email), api.totp(locked.secret));
    expectRefused(refused, 'TOO_MANY_REQUESTS', 'verifyMfa');
    const fine = await verify(other.email, await sessionOf(other.email), api.totp(other.secret));
    expect(fine.errors).toEqual([]);

    api.advance(GUESS_BOUNDS.totp.windowSeconds * 1000 + 1000);
    const back = await verify(locked.email, await sessionOf(locked.email), api.totp(locked.secret));
    expect(back.errors).toEqual([]);
    expect(back.data!.verifyMfa!.tokenType).toBe('Bearer');
  });
});

describe('passwords, recovery codes and reset codes', () => {
  it('refuses the right password once an account has used up its wrong ones', async () => {
    const user = await enrolUser(api);
    for (let i = 0; i < GUESS_BOUNDS.password.failures; i++) {
      await api.call(LoginDocument, { input: { email: user.email, password: `wrong ${i} ${PASSWORD}` } });
    }
    const right = await api.call(LoginDocument, { input: { email: user.email, password: user.password } });
    expectRefused(right, 'TOO_MANY_REQUESTS', 'login', [user.password]);
  });

  it('refuses the right temporary password once an invitation has used up its wrong ones', async () => {
    const email = uniqueEmail('invited');
    await api.call(CreateUserDocument, { input: { email, fullName: 'Test User' } });
    const temporaryPassword = api.latestCode(email);
    for (let i = 0; i < GUESS_BOUNDS.password.failures; i++) {
      await api.call(ConfirmUserDocument, {
        input: { email, temporaryPassword: `wrong-${i}-Aa1!`, newPassword: PASSWORD },
      });
    }
    const right = await api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword, newPassword: PASSWORD },
    });
    expectRefused(right, 'TOO_MANY_REQUESTS', 'confirmUser', [temporaryPassword]);
  });

  it('refuses an unused recovery code once an account has used up its wrong ones', async () => {
    const user = await enrolUser(api);
    for (let i = 0; i < GUESS_BOUNDS.recoveryCode.failures; i++) {
      await api.call(RecoverMfaDocument, {
        input: { email: user.email, password: user.password, recoveryCode: `AAAAA-AAAA${'BCDEFG'[i]}` },
      });
    }
    const right = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: user.recoveryCodes[0]! },
    });
    expectRefused(right, 'TOO_MANY_REQUESTS', 'recoverMfa', [user.recoveryCodes[0]!]);
  });

  it('refuses the right reset code once an account has used up its wrong ones', async () => {
    const user = await enrolUser(api);
    await api.call(ForgotPasswordDocument, { input: { email: user.email } });
    const code = api.latestCode(user.email);
    const wrong = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < GUESS_BOUNDS.resetCode.failures; i++) {
      await api.call(ConfirmForgotPasswordDocument, {
        input: { email: user.email, code: wrong, newPassword: NEW_PASSWORD },
      });
    }
    const right = await api.call(ConfirmForgotPasswordDocument, {
      input: { email: user.email, code, newPassword: NEW_PASSWORD },
    });
    expectRefused(right, 'TOO_MANY_REQUESTS', 'confirmForgotPassword', [code]);
  });

  it('answers an unknown e-mail exactly as an account, before and past the bound', async () => {
    const user = await enrolUser(api);
    const tries = async (email: string) => {
      const answers = [];
      for (let i = 0; i <= GUESS_BOUNDS.resetCode.failures; i++) {
        const answer = await api.call(ConfirmForgotPasswordDocument, {
          input: { email, code: '123456', newPassword: NEW_PASSWORD },
        });
        answers.push(answer.errors.map((e) => ({ errorType: e.errorType, message: e.message })));
      }
      return answers;
    };
    const known = await tries(user.email);
    const unknown = await tries(uniqueEmail('nobody'));
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toEqual([expect.objectContaining({ errorType: 'TOO_MANY_REQUESTS' })]);
  });
});

describe('the count itself', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'guess-restart-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('survives a restart of the local stack', { timeout: 60_000 }, async () => {
    const email = uniqueEmail('restart');
    const attempt = (stack: Api) =>
      stack.call(ConfirmForgotPasswordDocument, {
        input: { email, code: '123456', newPassword: NEW_PASSWORD },
      });
    const first = await startApi({ stateDir });
    try {
      for (let i = 0; i < GUESS_BOUNDS.resetCode.failures; i++) await attempt(first);
    } finally {
      await first.stack.close();
    }
    const second = await startApi({ stateDir });
    try {
      expectRefused(await attempt(second), 'TOO_MANY_REQUESTS', 'confirmForgotPassword');
    } finally {
      await second.stack.close();
    }
  });
});
