/**
 * Under load: a hundred complete account lifecycles at once, over HTTP against one local stack, end
 * with no error and every account intact, and the stack keeps every account across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  LoginDocument,
  LogoutDocument,
  RefreshDocument,
  UserInfoDocument,
  VerifyMfaDocument,
} from '../generated/graphql';
import { PASSWORD, startApi, uniqueEmail, type Api } from '../api/harness';

const LIFECYCLES = 100;
const stateDir = mkdtempSync(join(tmpdir(), 'load-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** A code for the time step after the current one: accepted (±1 step) and not the one used before. */
const nextCode = (api: Api, secret: string) =>
  generateSync({ secret, epoch: Math.floor(api.now() / 1000) + 30 });

/** Every step must answer without an error; the first that does not fails the lifecycle with its name. */
async function step<T>(
  name: string,
  call: Promise<{ data: T | null | undefined; errors: unknown[] }>,
): Promise<T> {
  const answer = await call;
  if (answer.errors.length > 0 || !answer.data) throw new Error(`${name}: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}

async function lifecycle(
  api: Api,
  email: string,
): Promise<{ email: string; secret: string; userId: string }> {
  await step('createUser', api.call(CreateUserDocument, { input: { email, fullName: 'Load Test' } }));
  const confirmed = await step(
    'confirmUser',
    api.call(ConfirmUserDocument, {
      input: { email, temporaryPassword: api.latestCode(email), newPassword: PASSWORD },
    }),
  );
  const setup = confirmed.confirmUser!;
  await step(
    'confirmMfa',
    api.call(ConfirmMfaDocument, {
      input: { email, session: setup.session, otp: api.totp(setup.secretCode) },
    }),
  );
  const login = await step('login', api.call(LoginDocument, { input: { email, password: PASSWORD } }));
  const tokens = (
    await step(
      'verifyMfa',
      api.call(VerifyMfaDocument, {
        input: { email, session: login.login!.session, otp: nextCode(api, setup.secretCode) },
      }),
    )
  ).verifyMfa!;
  const me = await step('userinfo', api.call(UserInfoDocument, {}, { accessToken: tokens.accessToken }));
  const refreshed = await step(
    'refresh',
    api.call(RefreshDocument, { input: { refreshToken: tokens.refreshToken } }),
  );
  await step('logout', api.call(LogoutDocument, {}, { accessToken: refreshed.refresh!.accessToken }));
  return { email, secret: setup.secretCode, userId: me.userinfo!.userId };
}

describe('under load', () => {
  it(
    `runs ${LIFECYCLES} complete account lifecycles at once with no error, and keeps every account across a restart`,
    { timeout: 240_000 },
    async () => {
      const first = await startApi({ stateDir });
      let accounts: Awaited<ReturnType<typeof lifecycle>>[];
      try {
        const results = await Promise.allSettled(
          Array.from({ length: LIFECYCLES }, (_, i) => lifecycle(first, uniqueEmail(`load${i}`))),
        );
        const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
        expect(failed).toEqual([]);
        accounts = results.map(
          (r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof lifecycle>>>).value,
        );
        expect(new Set(accounts.map((a) => a.userId)).size).toBe(LIFECYCLES);
      } finally {
        await first.stack.close();
      }

      // Every account is intact after a restart: it signs in with its password and its authenticator.
      const second = await startApi({ stateDir });
      try {
        second.advance(120_000); // past every code the first run used
        for (const account of accounts) {
          const login = await step(
            'login',
            second.call(LoginDocument, { input: { email: account.email, password: PASSWORD } }),
          );
          expect(login.login!.challenge).toBe('SOFTWARE_TOKEN_MFA');
          const tokens = await step(
            'verifyMfa',
            second.call(VerifyMfaDocument, {
              input: {
                email: account.email,
                session: login.login!.session,
                otp: second.totp(account.secret),
              },
            }),
          );
          const me = await step(
            'userinfo',
            second.call(UserInfoDocument, {}, { accessToken: tokens.verifyMfa!.accessToken }),
          );
          expect(me.userinfo).toMatchObject({
            userId: account.userId,
            email: account.email,
            mfaEnabled: true,
          });
        }
      } finally {
        await second.stack.close();
      }
    },
  );
});
