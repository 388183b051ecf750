/**
 * Contract of the local Cognito for the timing of global sign-outs (startLocalCognito's
 * revocationWindowMs). Real pools are seen to refuse, as revoked, the tokens of a sign-in made just
 * after a global sign-out: revocation behaves as time-based or eventually consistent, not strictly
 * per sign-in (aws/aws-sdk-java#2449, aws/aws-sdk-js#2699). The window's length is not published.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { localOnly } from '../contract/target';
import {
  enrolledUser,
  expectCognitoError,
  getUser,
  refreshAuth,
  removeDir,
  signIn,
  startHarness,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
// revocationWindowMs is the stand-in's model of AWS's unpublished window, set per test; a real pool has
// one window of its own, which these tests cannot set or move past.
const WINDOW_OPTION = "sets the stand-in's revocationWindowMs and moves its clock";
const RESTART = 'restarts the stand-in on the same data directory';

/** Longer than the 30 s the signIn helper moves the clock for a fresh TOTP code. */
const WINDOW_MS = 60_000;
let h: Harness;
let exact: Harness;

beforeAll(async () => {
  h = await startHarness({ revocationWindowMs: WINDOW_MS });
  exact = await startHarness();
});

afterAll(async () => {
  for (const harness of [h, exact]) {
    await harness.close();
    await removeDir(harness.dataDir);
  }
});

const getTokens = (harness: Harness, refreshToken: string) =>
  harness.client.send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: harness.cognito.userPoolClientId,
      RefreshToken: refreshToken,
    }),
  );

async function expectRevoked(harness: Harness, tokens: { AccessToken: string; RefreshToken: string }) {
  await expectCognitoError(
    getUser(harness, tokens.AccessToken),
    'NotAuthorizedException',
    'Access Token has been revoked',
  );
  await expectCognitoError(
    refreshAuth(harness, tokens.RefreshToken),
    'NotAuthorizedException',
    'Refresh Token has been revoked',
  );
  await expectCognitoError(
    getTokens(harness, tokens.RefreshToken),
    'NotAuthorizedException',
    'Refresh Token has been revoked',
  );
}

describe('revocation window', () => {
  localOnly(WINDOW_OPTION)(
    'refuses the tokens of a sign-in made within the window after GlobalSignOut (local choice: the window is an option, off by default)',
    async () => {
      const { email, secret, tokens } = await enrolledUser(h, 'window');
      await h.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
      // The sign-in itself succeeds; its tokens are refused.
      const during = await signIn(h, email, secret);
      expect(during.AccessToken).toBeTruthy();
      await expectRevoked(h, during);
      h.clock.advance(WINDOW_MS);
      const after = await signIn(h, email, secret);
      expect((await getUser(h, after.AccessToken)).Username).toBeTruthy();
      expect((await refreshAuth(h, after.RefreshToken)).AuthenticationResult?.AccessToken).toBeTruthy();
    },
  );

  localOnly(WINDOW_OPTION)('applies the window to AdminUserGlobalSignOut too', async () => {
    const { email, secret } = await enrolledUser(h, 'window-admin');
    await h.client.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
    );
    await expectRevoked(h, await signIn(h, email, secret));
  });

  localOnly(WINDOW_OPTION)(
    'revokes only the sign-ins made before the sign-out when the window is 0',
    async () => {
      const { email, secret, tokens } = await enrolledUser(exact, 'window-off');
      await exact.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
      const next = await signIn(exact, email, secret);
      expect((await getUser(exact, next.AccessToken)).Username).toBeTruthy();
    },
  );

  localOnly(RESTART)('keeps the window across a restart', async () => {
    // The local state file keeps it, as the service would.
    const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-window-'));
    const first = await startHarness({ dataDir, revocationWindowMs: WINDOW_MS });
    const { email, secret, tokens } = await enrolledUser(first, 'window-restart');
    await first.client.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await first.close();
    const second = await startHarness({ dataDir, revocationWindowMs: WINDOW_MS, clock: first.clock });
    try {
      await expectRevoked(second, await signIn(second, email, secret));
    } finally {
      await second.close();
      await removeDir(dataDir);
    }
  });
});
