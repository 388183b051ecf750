/**
 * Contract of the local Cognito for failed passwords. Developer guide "Authentication" (lockout
 * behavior for failed sign-in attempts): after five failed sign-ins the user is locked out for 1 s,
 * doubling with each further failure (2^(n-5) s) up to about 15 minutes; attempts during a lockout
 * answer "Password attempts exceeded" and do not lengthen it; a successful sign-in or 15 minutes
 * without attempts resets the count. amazon-archives/amazon-cognito-identity-js#479 for the message.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnly } from '../contract/target';
import {
  createUser,
  enrolledUser,
  expectCognitoError,
  passwordAuth,
  removeDir,
  startHarness,
  STRONG_PASSWORD,
  uniqueEmail,
  waitFor,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
// A one-second lockout is waited for on AWS instead ('counts failures against the temporary password...').
const TO_THE_MS = 'moves the clock to the millisecond around each lockout';
const PAST_FIFTEEN_MINUTES = 'moves the clock 15 minutes and more';
const RESTART = 'restarts the stand-in on the same data directory';

const EXCEEDED = 'Password attempts exceeded';
const WRONG = 'Incorrect username or password.';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

const fail = (email: string) =>
  expectCognitoError(passwordAuth(h, email, 'not the password at all'), 'NotAuthorizedException', WRONG);
const locked = (email: string, password = STRONG_PASSWORD) =>
  expectCognitoError(passwordAuth(h, email, password), 'NotAuthorizedException', EXCEEDED);
const succeeds = async (email: string, password = STRONG_PASSWORD) =>
  expect((await passwordAuth(h, email, password)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');

describe('password lockout', () => {
  localOnly(TO_THE_MS)(
    'locks a user out for 1 s after five failed passwords, the right password included, doubling with each further failure',
    async () => {
      const { email } = await enrolledUser(h, 'lockout');
      // Any alias or letter case is the same user, and counts on the same counter.
      for (const name of [email, email.toUpperCase(), email, email, email]) await fail(name);
      await locked(email);
      h.clock.advance(999);
      await locked(email);
      h.clock.advance(1);
      await fail(email); // the sixth failure: 2 s
      h.clock.advance(1_999);
      await locked(email);
      h.clock.advance(1);
      await fail(email); // the seventh: 4 s
      h.clock.advance(3_999);
      await locked(email);
      h.clock.advance(1);
      await succeeds(email);
      // The success reset the count: four more failures lock nothing, the fifth does.
      for (let i = 0; i < 4; i++) await fail(email);
      await succeeds(email);
      for (let i = 0; i < 5; i++) await fail(email);
      await locked(email);
    },
  );

  localOnly(TO_THE_MS)('does not lengthen a lockout with the attempts made during it', async () => {
    const { email } = await enrolledUser(h, 'lockout-during');
    for (let i = 0; i < 5; i++) await fail(email);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(100);
      await locked(email, 'not the password at all');
    }
    h.clock.advance(500);
    await succeeds(email);
  });

  localOnly(PAST_FIFTEEN_MINUTES)(
    'caps the lockout at 15 minutes (local choice: exactly 15 for "about 15 minutes")',
    async () => {
      const { email } = await enrolledUser(h, 'lockout-cap');
      for (let i = 0; i < 5; i++) await fail(email);
      // Failures six to fifteen lock for 2, 4, ... 512 s, then 900 s where doubling would give 1024.
      for (let n = 5; n < 15; n++) {
        h.clock.advance(2 ** (n - 5) * 1000);
        await fail(email);
      }
      h.clock.advance(15 * 60_000 - 1);
      await locked(email);
      h.clock.advance(1);
      await succeeds(email);
    },
  );

  localOnly(PAST_FIFTEEN_MINUTES)(
    'starts the count again after 15 minutes without attempts, before a lockout and after one (local choice: before one too)',
    async () => {
      // The guide states the quiet reset "at any time after a lockout"; before the first lockout it is
      // silent, and counting failures days apart as consecutive would lock users out for nothing.
      const { email } = await enrolledUser(h, 'lockout-quiet');
      for (let i = 0; i < 4; i++) await fail(email);
      h.clock.advance(15 * 60_000);
      for (let i = 0; i < 4; i++) await fail(email);
      await succeeds(email);
      for (let i = 0; i < 5; i++) await fail(email);
      h.clock.advance(15 * 60_000);
      await fail(email); // the first of a new count, so no lockout follows
      await succeeds(email);
    },
  );

  it('counts failures against the temporary password of a FORCE_CHANGE_PASSWORD user', async () => {
    const email = uniqueEmail('lockout-temporary');
    const temporary = await createUser(h, email);
    for (let i = 0; i < 5; i++) await fail(email);
    await locked(email, temporary);
    await waitFor(h, 1_000);
    expect((await passwordAuth(h, email, temporary)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('locks unknown user names out the same way (local choice: otherwise the lockout would tell existing users apart)', async () => {
    // Developer guide "Managing user existence error responses": with PreventUserExistenceErrors an
    // unknown user and a wrong password are answered alike; whether AWS locks unknown names is not
    // documented.
    const nobody = uniqueEmail('lockout-nobody');
    for (let i = 0; i < 5; i++) await fail(nobody);
    await locked(nobody);
    await waitFor(h, 1_000);
    await fail(nobody);
  });

  localOnly(RESTART)('keeps the counters across a restart', async () => {
    // Not an AWS behaviour to test there: the local state file keeps them, as the service keeps them.
    const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-lockout-'));
    const first = await startHarness({ dataDir });
    const { email } = await enrolledUser(first, 'lockout-restart');
    for (let i = 0; i < 5; i++) {
      await expectCognitoError(
        passwordAuth(first, email, 'wrong wrong wrong'),
        'NotAuthorizedException',
        WRONG,
      );
    }
    await first.close();
    const second = await startHarness({ dataDir, clock: first.clock });
    try {
      await expectCognitoError(
        passwordAuth(second, email, STRONG_PASSWORD),
        'NotAuthorizedException',
        EXCEEDED,
      );
      second.clock.advance(1_000);
      expect((await passwordAuth(second, email, STRONG_PASSWORD)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    } finally {
      await second.close();
      await removeDir(dataDir);
    }
  });
});
