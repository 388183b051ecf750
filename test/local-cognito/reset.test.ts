/**
 * Contract of the local Cognito for ConfirmForgotPassword and the reset-attempt limit. Developer guide
 * "Managing error responses" (PreventUserExistenceErrors ENABLED), "Recovering user accounts" (codes
 * last one hour; between 5 and 20 attempts an hour to request or enter a code, then
 * LimitExceededException); aws-amplify/amplify-js#13225.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminDisableUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnly } from '../contract/target';
import {
  enrolledUser,
  expectCognitoError,
  lastCode,
  passwordAuth,
  removeDir,
  startHarness,
  uniqueEmail,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const MAILBOX = 'reads the e-mailed reset code from the local mailbox';
const PAST_CODE = "moves the clock past the code's hour, reads the mailbox";
const LIMIT_WINDOW = 'moves the clock through the hour of the limit, reads the mailbox';
const RESTART = 'restarts the stand-in on the same data directory';

const LIMIT = 'Attempt limit exceeded, please try after some time.';
const NEW_PASSWORD = 'a passphrase chosen after a reset';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

const forgot = (harness: Harness, email: string) =>
  harness.client.send(
    new ForgotPasswordCommand({ ClientId: harness.cognito.userPoolClientId, Username: email }),
  );
const confirm = (harness: Harness, email: string, code: string) =>
  harness.client.send(
    new ConfirmForgotPasswordCommand({
      ClientId: harness.cognito.userPoolClientId,
      Username: email,
      ConfirmationCode: code,
      Password: NEW_PASSWORD,
    }),
  );
/** A six-digit code that is not this one. */
const other = (code: string) => (code === '000000' ? '111111' : '000000');

describe('ConfirmForgotPassword', () => {
  it('answers ExpiredCodeException for an existing user who has no code waiting', async () => {
    const { email } = await enrolledUser(h, 'reset-none');
    await expectCognitoError(
      confirm(h, email, '123456'),
      'ExpiredCodeException',
      'Invalid code provided, please request a code again.',
    );
  });

  localOnly(MAILBOX)(
    'answers CodeMismatchException for a wrong code, an unknown user and a disabled one',
    async () => {
      const { email } = await enrolledUser(h, 'reset-mismatch');
      await forgot(h, email);
      const code = lastCode(h, email, 'password-reset');
      await expectCognitoError(
        confirm(h, email, other(code)),
        'CodeMismatchException',
        'Invalid verification code provided, please try again.',
      );
      await expectCognitoError(confirm(h, uniqueEmail('reset-nobody'), code), 'CodeMismatchException');
      await h.client.send(new AdminDisableUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email }));
      // Even the right code: a disabled user is answered as an unknown one.
      await expectCognitoError(confirm(h, email, code), 'CodeMismatchException');
    },
  );

  localOnly(PAST_CODE)('expires a reset code after one hour', async () => {
    const { email } = await enrolledUser(h, 'reset-expired');
    await forgot(h, email);
    const code = lastCode(h, email, 'password-reset');
    h.clock.advance(60 * 60_000 + 1);
    await expectCognitoError(confirm(h, email, code), 'ExpiredCodeException');
  });
});

describe('reset attempt limit', () => {
  localOnly(LIMIT_WINDOW)(
    'allows five requests and entries an hour per user, then LimitExceededException (local choice: 5, the lower bound of "between 5 and 20")',
    async () => {
      const { email } = await enrolledUser(h, 'reset-limit');
      await forgot(h, email); // 1, at t0
      h.clock.advance(30 * 60_000);
      const first = lastCode(h, email, 'password-reset');
      for (let i = 0; i < 3; i++)
        await expectCognitoError(confirm(h, email, other(first)), 'CodeMismatchException');
      await forgot(h, email); // 5, at t0 + 30 min
      const code = lastCode(h, email, 'password-reset');
      // Another alias of the same user counts on the same limit; the right code is refused too.
      await expectCognitoError(forgot(h, email.toUpperCase()), 'LimitExceededException', LIMIT);
      await expectCognitoError(confirm(h, email, code), 'LimitExceededException', LIMIT);
      // An hour after the first attempt, one slot is free again, and the refused ones did not count.
      h.clock.advance(30 * 60_000);
      await confirm(h, email, code);
      expect((await passwordAuth(h, email, NEW_PASSWORD)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
      await expectCognitoError(forgot(h, email), 'LimitExceededException', LIMIT);
    },
  );

  it('limits unknown user names the same way (local choice: otherwise the limit would tell existing users apart)', async () => {
    const nobody = uniqueEmail('reset-limit-nobody');
    for (let i = 0; i < 5; i++) await forgot(h, nobody);
    await expectCognitoError(forgot(h, nobody), 'LimitExceededException', LIMIT);
    await expectCognitoError(confirm(h, nobody, '123456'), 'LimitExceededException', LIMIT);
  });

  localOnly(RESTART)('keeps counting across a restart', async () => {
    // The local state file keeps the attempts, as the service does.
    const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-reset-'));
    const first = await startHarness({ dataDir });
    const { email } = await enrolledUser(first, 'reset-restart');
    for (let i = 0; i < 5; i++) await forgot(first, email);
    await first.close();
    const second = await startHarness({ dataDir, clock: first.clock });
    try {
      await expectCognitoError(forgot(second, email), 'LimitExceededException', LIMIT);
    } finally {
      await second.close();
      await removeDir(dataDir);
    }
  });
});
