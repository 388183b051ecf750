/**
 * Contract of the local Cognito for a pool whose MFA is OPTIONAL (settings.mfa.poolMfa): a user with
 * no enabled, verified software token signs in with the password alone; a user with TOTP enabled is
 * asked for it; and switching TOTP off really switches it off. API reference AssociateSoftwareToken
 * (note: without a verified token and with MFA not required, user name and password alone sign in),
 * SetUserMFAPreference, AdminSetUserMFAPreference.
 */
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  DescribeUserPoolCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  expectCognitoError,
  nextTotpStep,
  passwordAuth,
  removeDir,
  respond,
  signIn,
  startHarness,
  STRONG_PASSWORD,
  totpAt,
  uniqueEmail,
  type Harness,
  REQUIRED_MFA_PUBLIC_CLIENT,
} from './harness';

const local = REQUIRED_MFA_PUBLIC_CLIENT;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ settings: { ...local, mfa: { ...local.mfa, poolMfa: 'OPTIONAL' } } });
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

/** A confirmed user without TOTP: the new password answers with tokens straight away. */
async function confirmedUser(label: string) {
  const email = uniqueEmail(label);
  const first = await passwordAuth(h, email, await createUser(h, email));
  expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const done = await respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
    USERNAME: email,
    NEW_PASSWORD: STRONG_PASSWORD,
  });
  return { email, done, tokens: done.AuthenticationResult as Required<AuthenticationResultType> };
}

/** Associate and verify a token with the access token, then enable TOTP; returns the secret. */
async function enableTotp(accessToken: string) {
  const { SecretCode } = await h.client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  await nextTotpStep(h);
  await h.client.send(
    new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpAt(SecretCode!, h.clock.ms) }),
  );
  await h.client.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  return SecretCode!;
}

const mfaOf = (email: string) =>
  h.client.send(new AdminGetUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email }));

describe('MFA OPTIONAL', () => {
  it('creates the pool with the MFA configuration the settings name', async () => {
    // API reference: DescribeUserPool (MfaConfiguration).
    const { UserPool } = await h.client.send(
      new DescribeUserPoolCommand({ UserPoolId: h.cognito.userPoolId }),
    );
    expect(UserPool?.MfaConfiguration).toBe('OPTIONAL');
  });

  it('gives a user without a software token tokens after NEW_PASSWORD_REQUIRED and after the password, with no MFA_SETUP', async () => {
    // API reference: AssociateSoftwareToken (note), RespondToAuthChallenge (NEW_PASSWORD_REQUIRED).
    const { email, done } = await confirmedUser('optional-plain');
    expect(done.ChallengeName).toBeUndefined();
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const again = await passwordAuth(h, email, STRONG_PASSWORD);
    expect(again.ChallengeName).toBeUndefined();
    expect(again.AuthenticationResult?.RefreshToken).toBeTruthy();
  });

  it('asks a user with TOTP enabled for SOFTWARE_TOKEN_MFA', async () => {
    // API reference: SetUserMFAPreference, InitiateAuth (SOFTWARE_TOKEN_MFA challenge).
    const { email, tokens } = await confirmedUser('optional-totp');
    const secret = await enableTotp(tokens.AccessToken);
    expect((await mfaOf(email)).UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect((await signIn(h, email, secret)).AccessToken).toBeTruthy();
  });

  it("does not ask for TOTP after VerifySoftwareToken alone (local choice: enabling it is SetUserMFAPreference's call)", async () => {
    // API reference: VerifySoftwareToken only "marks the software token MFA status as verified";
    // amazon-archives/amazon-cognito-identity-js#630 shows a verified but not enabled token failing a
    // sign-in. Whether AWS enables it on verification is not documented.
    const { email, tokens } = await confirmedUser('optional-verified');
    const { SecretCode } = await h.client.send(
      new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }),
    );
    await nextTotpStep(h);
    await h.client.send(
      new VerifySoftwareTokenCommand({
        AccessToken: tokens.AccessToken,
        UserCode: totpAt(SecretCode!, h.clock.ms),
      }),
    );
    expect((await passwordAuth(h, email, STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
    expect((await mfaOf(email)).UserMFASettingList ?? []).toEqual([]);
  });

  it('switches TOTP off with SetUserMFAPreference and with AdminSetUserMFAPreference', async () => {
    // API reference: SetUserMFAPreference, AdminSetUserMFAPreference (SoftwareTokenMfaSettings.Enabled).
    for (const by of ['user', 'admin'] as const) {
      const { email, tokens } = await confirmedUser(`optional-off-${by}`);
      await enableTotp(tokens.AccessToken);
      expect((await passwordAuth(h, email, STRONG_PASSWORD)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
      const off = { Enabled: false, PreferredMfa: false };
      if (by === 'user') {
        await h.client.send(
          new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken, SoftwareTokenMfaSettings: off }),
        );
      } else {
        await h.client.send(
          new AdminSetUserMFAPreferenceCommand({
            UserPoolId: h.cognito.userPoolId,
            Username: email,
            SoftwareTokenMfaSettings: off,
          }),
        );
      }
      const user = await mfaOf(email);
      expect(user.UserMFASettingList ?? []).toEqual([]);
      expect(user.PreferredMfaSetting).toBeUndefined();
      const next = await passwordAuth(h, email, STRONG_PASSWORD);
      expect(next.ChallengeName).toBeUndefined();
      expect(next.AuthenticationResult?.AccessToken).toBeTruthy();
    }
  });

  it('lets the password alone sign in once AssociateSoftwareToken suspended the token, until the new one is verified (local choice: TOTP that was on is on again then)', async () => {
    // API reference: AssociateSoftwareToken (note: the existing token is suspended; without a verified
    // token and with MFA not required, the password alone signs in); aws-amplify/amplify-js#1226.
    const { email, tokens } = await confirmedUser('optional-suspend');
    const old = await enableTotp(tokens.AccessToken);
    const { SecretCode } = await h.client.send(
      new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }),
    );
    const during = await passwordAuth(h, email, STRONG_PASSWORD);
    expect(during.ChallengeName).toBeUndefined();
    expect(during.AuthenticationResult?.AccessToken).toBeTruthy();
    await nextTotpStep(h);
    await expectCognitoError(
      h.client.send(
        new VerifySoftwareTokenCommand({
          AccessToken: tokens.AccessToken,
          UserCode: totpAt(old, h.clock.ms),
        }),
      ),
      'EnableSoftwareTokenMFAException',
    );
    await h.client.send(
      new VerifySoftwareTokenCommand({
        AccessToken: tokens.AccessToken,
        UserCode: totpAt(SecretCode!, h.clock.ms),
      }),
    );
    await nextTotpStep(h);
    const start = await passwordAuth(h, email, STRONG_PASSWORD);
    expect(start.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    await expectCognitoError(
      respond(h, 'SOFTWARE_TOKEN_MFA', start.Session, {
        USERNAME: email,
        SOFTWARE_TOKEN_MFA_CODE: totpAt(old, h.clock.ms),
      }),
      'CodeMismatchException',
    );
    const done = await respond(h, 'SOFTWARE_TOKEN_MFA', start.Session, {
      USERNAME: email,
      SOFTWARE_TOKEN_MFA_CODE: totpAt(SecretCode!, h.clock.ms),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
