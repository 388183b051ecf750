/**
 * Contract of the local Cognito for refresh tokens through GetTokensFromRefreshToken, with and without
 * refresh-token rotation (settings.tokens.refreshTokenRotation). API reference GetTokensFromRefreshToken,
 * RefreshTokenRotationType; developer guide "Refresh tokens".
 */
import {
  AdminInitiateAuthCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../infra/settings';
import { localOnly } from '../contract/target';
import {
  enrolledUser,
  expectCognitoError,
  removeDir,
  REQUIRED_MFA_PUBLIC_CLIENT,
  signIn,
  skipAheadLocally,
  startHarness,
  type Harness,
  getUser,
  refreshAuth,
} from './harness';

const local = REQUIRED_MFA_PUBLIC_CLIENT;
const rotating = (retryGracePeriodSeconds: number): Settings => ({
  ...local,
  tokens: { ...local.tokens, refreshTokenRotation: { retryGracePeriodSeconds } },
});
// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const GRACE_TO_THE_MS = 'moves the clock to the millisecond around the grace period';
const PAST_REFRESH_TOKEN = "moves the clock through the refresh token's day";

const REUSED = 'Refresh Token has already been used';
const harnesses: Harness[] = [];
let h: Harness; // rotating, 10 s grace
let strict: Harness; // rotating, no grace
let plain: Harness; // no rotation

beforeAll(async () => {
  h = await startHarness({ settings: rotating(10) });
  strict = await startHarness({ settings: rotating(0) });
  plain = await startHarness();
  harnesses.push(h, strict, plain);
});

afterAll(async () => {
  for (const harness of harnesses) {
    await harness.close();
    await removeDir(harness.dataDir);
  }
});

const getTokens = (harness: Harness, refreshToken: string, clientSecret?: string) =>
  harness.client
    .send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: harness.cognito.userPoolClientId,
        RefreshToken: refreshToken,
        ...(clientSecret ? { ClientSecret: clientSecret } : {}),
      }),
    )
    .then((r) => r.AuthenticationResult!);

describe('refresh-token rotation', () => {
  it('describes the rotating client with its grace period, and without the REFRESH_TOKEN_AUTH flow', async () => {
    // API reference: DescribeUserPoolClient, RefreshTokenRotationType; developer guide "Refresh
    // tokens" (rotation is not compatible with REFRESH_TOKEN_AUTH, which must be off).
    const { UserPoolClient } = await h.client.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: h.cognito.userPoolId,
        ClientId: h.cognito.userPoolClientId,
      }),
    );
    expect(UserPoolClient?.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
    expect(UserPoolClient?.ExplicitAuthFlows).toEqual(['ALLOW_USER_PASSWORD_AUTH']);
  });

  it('returns new ID, access and refresh tokens, and the new refresh token works', async () => {
    const { tokens } = await enrolledUser(h, 'rotate');
    skipAheadLocally(h, 60_000);
    const first = await getTokens(h, tokens.RefreshToken);
    expect(first.IdToken).toBeTruthy();
    expect(first.RefreshToken).toBeTruthy();
    expect(first.RefreshToken).not.toBe(tokens.RefreshToken);
    expect((await getUser(h, first.AccessToken!)).Username).toBeTruthy();
    const second = await getTokens(h, first.RefreshToken!);
    expect(second.RefreshToken).not.toBe(first.RefreshToken);
  });

  localOnly(GRACE_TO_THE_MS)(
    'keeps the submitted token working for RetryGracePeriodSeconds, then answers RefreshTokenReuseException (local choice: its message)',
    async () => {
      // RefreshTokenRotationType (RetryGracePeriodSeconds); the exception's message is not documented.
      const { tokens } = await enrolledUser(h, 'rotate-grace');
      const rotated = await getTokens(h, tokens.RefreshToken);
      h.clock.advance(9_999);
      const retried = await getTokens(h, tokens.RefreshToken);
      expect(retried.RefreshToken).toBeTruthy();
      h.clock.advance(1);
      await expectCognitoError(getTokens(h, tokens.RefreshToken), 'RefreshTokenReuseException', REUSED);
      // The grace period runs from the first rotation, not from the retry.
      expect((await getTokens(h, rotated.RefreshToken!)).AccessToken).toBeTruthy();
    },
  );

  it('leaves the newer tokens working after a reuse (local choice: whether reuse revokes the family is not documented)', async () => {
    const { tokens } = await enrolledUser(strict, 'rotate-family');
    const rotated = await getTokens(strict, tokens.RefreshToken);
    await expectCognitoError(getTokens(strict, tokens.RefreshToken), 'RefreshTokenReuseException', REUSED);
    expect((await getUser(strict, rotated.AccessToken!)).Username).toBeTruthy();
    expect((await getTokens(strict, rotated.RefreshToken!)).RefreshToken).toBeTruthy();
  });

  it('invalidates the submitted token at once when the grace period is 0', async () => {
    const { tokens } = await enrolledUser(strict, 'rotate-strict');
    await getTokens(strict, tokens.RefreshToken);
    await expectCognitoError(getTokens(strict, tokens.RefreshToken), 'RefreshTokenReuseException', REUSED);
  });

  localOnly(PAST_REFRESH_TOKEN)('gives a rotated refresh token the expiry of the original', async () => {
    // Developer guide "Refresh tokens" (a rotated token keeps the original expiration).
    const { email, secret } = await enrolledUser(h, 'rotate-expiry');
    const tokens = await signIn(h, email, secret);
    const validityMs = h.settings.tokens.refreshTokenValidityMinutes * 60_000;
    h.clock.advance(validityMs / 2);
    const rotated = await getTokens(h, tokens.RefreshToken);
    h.clock.advance(validityMs / 2 - 1_000);
    const again = await getTokens(h, rotated.RefreshToken!);
    h.clock.advance(2_000);
    await expectCognitoError(
      getTokens(h, again.RefreshToken!),
      'NotAuthorizedException',
      'Refresh Token has expired',
    );
  });

  it("refuses REFRESH_TOKEN_AUTH on a rotating client (local choice: the disabled flow's InvalidParameterException)", async () => {
    // API reference RefreshTokenRotationType (rotation only through GetTokensFromRefreshToken);
    // AWS's exact answer was not found.
    const { tokens } = await enrolledUser(h, 'rotate-no-auth-flow');
    await expectCognitoError(
      refreshAuth(h, tokens.RefreshToken),
      'InvalidParameterException',
      'REFRESH_TOKEN_AUTH flow not enabled for this client',
    );
    await expectCognitoError(
      h.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: h.cognito.userPoolId,
          ClientId: h.cognito.userPoolClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
        }),
      ),
      'InvalidParameterException',
      'Auth flow not enabled for this client',
    );
  });

  it('revokes the rotated tokens of a sign-in with RevokeToken and GlobalSignOut', async () => {
    // API reference RevokeToken, GlobalSignOut; a rotated token belongs to the same sign-in.
    const revoked = await enrolledUser(h, 'rotate-revoke');
    const one = await getTokens(h, revoked.tokens.RefreshToken);
    const two = await getTokens(h, one.RefreshToken!);
    await h.client.send(
      new RevokeTokenCommand({ ClientId: h.cognito.userPoolClientId, Token: two.RefreshToken! }),
    );
    for (const token of [revoked.tokens.RefreshToken, one.RefreshToken!, two.RefreshToken!]) {
      await expectCognitoError(
        getTokens(h, token),
        'NotAuthorizedException',
        'Refresh Token has been revoked',
      );
    }
    for (const token of [revoked.tokens.AccessToken, one.AccessToken!, two.AccessToken!]) {
      await expectCognitoError(getUser(h, token), 'NotAuthorizedException', 'Access Token has been revoked');
    }
    const signedOut = await enrolledUser(h, 'rotate-global');
    const rotated = await getTokens(h, signedOut.tokens.RefreshToken);
    await h.client.send(new GlobalSignOutCommand({ AccessToken: rotated.AccessToken! }));
    await expectCognitoError(
      getTokens(h, rotated.RefreshToken!),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
  });
});

describe('GetTokensFromRefreshToken without rotation', () => {
  it('returns new ID and access tokens and no refresh token, and REFRESH_TOKEN_AUTH works as before', async () => {
    // API reference GetTokensFromRefreshToken ("If refresh token rotation is disabled, issues new ID
    // and access tokens only"), RefreshTokenRotationType.
    const { tokens } = await enrolledUser(plain, 'plain-refresh');
    const renewed = await getTokens(plain, tokens.RefreshToken);
    expect(renewed.AccessToken).toBeTruthy();
    expect(renewed.IdToken).toBeTruthy();
    expect(renewed.RefreshToken).toBeUndefined();
    expect((await getTokens(plain, tokens.RefreshToken)).AccessToken).toBeTruthy();
    expect((await refreshAuth(plain, tokens.RefreshToken)).AuthenticationResult?.AccessToken).toBeTruthy();
    const { UserPoolClient } = await plain.client.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: plain.cognito.userPoolId,
        ClientId: plain.cognito.userPoolClientId,
      }),
    );
    expect(UserPoolClient?.RefreshTokenRotation).toBeUndefined();
  });

  it('refuses a token it did not issue', async () => {
    // The message aws/aws-sdk-js-v3#7162 reports for this operation.
    await expectCognitoError(
      getTokens(plain, 'not-a-refresh-token'),
      'NotAuthorizedException',
      'Invalid Refresh Token.',
    );
  });

  it('asks for the ClientSecret of a client with a secret (local choice: the wording of the SECRET_HASH refusal)', async () => {
    // API reference GetTokensFromRefreshToken (ClientSecret "if the client has a secret"); the message
    // for a wrong one is not documented.
    const withSecret = await startHarness({ settings: { ...rotating(0), clientSecret: true } });
    harnesses.push(withSecret);
    const { tokens } = await enrolledUser(withSecret, 'rotate-secret');
    const refused = `Unable to verify secret hash for client ${withSecret.cognito.userPoolClientId}`;
    await expectCognitoError(getTokens(withSecret, tokens.RefreshToken), 'NotAuthorizedException', refused);
    await expectCognitoError(
      getTokens(withSecret, tokens.RefreshToken, 'wrong'),
      'NotAuthorizedException',
      refused,
    );
    const rotated = await getTokens(withSecret, tokens.RefreshToken, withSecret.cognito.userPoolClientSecret);
    expect(rotated.RefreshToken).toBeTruthy();
  });
});
