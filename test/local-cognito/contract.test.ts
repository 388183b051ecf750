/**
 * Contract of the local Cognito: each test names one behaviour of Amazon Cognito that the API relies
 * on, says where AWS documents it, and drives it through the AWS SDK. Measured with every operation
 * routed straight to cognito-local, 29 of the first 31 tests failed; the two that passed check the
 * pool setup from the settings and the store under concurrent writes (regression tests of this layer,
 * which plain cognito-local happens to get right too). The restart-resync and admin-flow tests came
 * after that measurement.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminInitiateAuthCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  DeleteUserCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetGroupCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PASSWORD_POLICY, settingsFor } from '../../infra/settings';
import { localOnly } from '../contract/target';
import {
  completeMfaSetup,
  confirmPassword,
  createUser,
  enrolledUser,
  expectCognitoError,
  lastCode,
  nextTotpStep,
  passwordAuth,
  removeDir,
  REQUIRED_MFA_PUBLIC_CLIENT,
  respond,
  signIn,
  skipAheadLocally,
  startHarness,
  STRONG_PASSWORD,
  totpAt,
  uniqueEmail,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const RESTART = 'restarts the stand-in on the same data directory';
const MAILBOX = 'reads an e-mailed code from the local mailbox';
const GENERATED_PASSWORDS = 'reads the generated temporary passwords from the local mailbox';
const PAST_SESSION_VALIDITY = 'moves the clock past the 3-minute AuthSessionValidity';
const PAST_TEMPORARY_PASSWORD = "moves the clock past the temporary password's days, reads the mailbox";
const PAST_ACCESS_TOKEN = "moves the clock past the access token's 60 minutes";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

const refresh = (refreshToken: string) =>
  h.client.send(
    new InitiateAuthCommand({
      ClientId: h.cognito.userPoolClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
const getUser = (accessToken: string) => h.client.send(new GetUserCommand({ AccessToken: accessToken }));

describe('pool from the settings module', () => {
  it("creates the API's pool, its confidential app client and the admin group that the settings describe", async () => {
    // API reference: DescribeUserPool, DescribeUserPoolClient, GetGroup. The API's own settings:
    // MFA OPTIONAL (TOTP enforced by the API) and a client with a secret.
    const product = await startHarness({ settings: settingsFor('local') });
    try {
      const { UserPool } = await product.client.send(
        new DescribeUserPoolCommand({ UserPoolId: product.cognito.userPoolId }),
      );
      expect(UserPool?.MfaConfiguration).toBe(settingsFor('local').mfa.poolMfa);
      expect(UserPool?.UsernameAttributes).toEqual(['email']);
      expect(UserPool?.UsernameConfiguration).toEqual({ CaseSensitive: false });
      expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({
        MinimumLength: product.settings.passwordPolicy.minLength,
        TemporaryPasswordValidityDays: product.settings.passwordPolicy.temporaryPasswordValidityDays,
      });
      const { UserPoolClient } = await product.client.send(
        new DescribeUserPoolClientCommand({
          UserPoolId: product.cognito.userPoolId,
          ClientId: product.cognito.userPoolClientId,
        }),
      );
      expect(UserPoolClient?.ClientSecret).toBe(product.cognito.userPoolClientSecret);
      expect(UserPoolClient?.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
      expect(UserPoolClient?.PreventUserExistenceErrors).toBe('ENABLED');
      expect(UserPoolClient?.EnableTokenRevocation).toBe(true);
      expect(UserPoolClient?.ExplicitAuthFlows).toEqual([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]);
      expect(UserPoolClient?.AccessTokenValidity).toBe(product.settings.tokens.accessTokenValidityMinutes);
      const { Group } = await product.client.send(
        new GetGroupCommand({
          UserPoolId: product.cognito.userPoolId,
          GroupName: product.settings.adminGroup,
        }),
      );
      expect(Group?.GroupName).toBe(product.settings.adminGroup);
    } finally {
      await product.close();
      await removeDir(product.dataDir);
    }
  });

  it('refuses the admin password flow the app client does not allow', async () => {
    // API reference: AdminInitiateAuth ("Auth flow not enabled for this client"). The functions sign in
    // with the public USER_PASSWORD_AUTH flow, so no role needs cognito-idp:AdminInitiateAuth.
    const email = uniqueEmail('adminflow');
    const temporary = await createUser(h, email);
    await expect(
      h.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: h.cognito.userPoolId,
          ClientId: h.cognito.userPoolClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: temporary },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
  });

  localOnly(RESTART)(
    'keeps the pool and client across a restart, brought back in line with changed settings',
    async () => {
      // The same ids after a restart (tokens and outputs stay valid); a policy change in the settings
      // module reaches the pool, as a CDK deploy of the same settings would.
      const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-resync-'));
      const first = await startHarness({ dataDir, clock: null });
      const ids = { pool: first.cognito.userPoolId, client: first.cognito.userPoolClientId };
      await first.close();
      const second = await startHarness({
        dataDir,
        clock: null,
        settings: { ...REQUIRED_MFA_PUBLIC_CLIENT, passwordPolicy: LEGACY_PASSWORD_POLICY },
      });
      try {
        expect({ pool: second.cognito.userPoolId, client: second.cognito.userPoolClientId }).toEqual(ids);
        const { UserPool } = await second.client.send(new DescribeUserPoolCommand({ UserPoolId: ids.pool }));
        expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({
          MinimumLength: LEGACY_PASSWORD_POLICY.minLength,
          RequireSymbols: true,
          RequireUppercase: true,
        });
      } finally {
        await second.close();
        await removeDir(dataDir);
      }
    },
  );
});

describe('MFA ON with software tokens', () => {
  it('takes a new user from the temporary password through MFA_SETUP to tokens', async () => {
    // API reference: RespondToAuthChallenge (NEW_PASSWORD_REQUIRED, MFA_SETUP), AssociateSoftwareToken,
    // VerifySoftwareToken; developer guide: "TOTP software token MFA".
    const email = uniqueEmail('enrol');
    const first = await passwordAuth(h, email, await createUser(h, email));
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const second = await respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
      USERNAME: email,
      NEW_PASSWORD: STRONG_PASSWORD,
    });
    expect(second.ChallengeName).toBe('MFA_SETUP');
    expect(second.AuthenticationResult).toBeUndefined();
    expect(JSON.parse(second.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]')).toEqual(['SOFTWARE_TOKEN_MFA']);
    const { secret, tokens } = await completeMfaSetup(h, email, second.Session as string);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(tokens.AccessToken).toBeTruthy();
    const user = await h.client.send(
      new AdminGetUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(user.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('asks a confirmed user who never finished enrolment for MFA_SETUP at sign-in', async () => {
    // API reference: AssociateSoftwareToken ("If your user pool requires TOTP MFA, Amazon Cognito
    // generates an MFA_SETUP ... challenge each time your user signs in").
    const email = uniqueEmail('unenrolled');
    await confirmPassword(h, email, await createUser(h, email));
    const again = await passwordAuth(h, email, STRONG_PASSWORD);
    expect(again.ChallengeName).toBe('MFA_SETUP');
    expect(again.AuthenticationResult).toBeUndefined();
    const { tokens } = await completeMfaSetup(h, email, again.Session as string);
    expect(tokens.IdToken).toBeTruthy();
  });

  it('asks an enrolled user for SOFTWARE_TOKEN_MFA and signs in with a valid code', async () => {
    // API reference: InitiateAuth, RespondToAuthChallenge (SOFTWARE_TOKEN_MFA_CODE).
    const { email, secret } = await enrolledUser(h, 'enrolled');
    const tokens = await signIn(h, email, secret);
    expect(tokens.TokenType).toBe('Bearer');
  });

  it('refuses a TOTP code the second time', async () => {
    // Developer guide "TOTP software token MFA" and RFC 6238 section 5.2: a code is accepted once.
    const { email, code } = await enrolledUser(h, 'replay');
    const first = await passwordAuth(h, email, STRONG_PASSWORD);
    await expectCognitoError(
      respond(h, 'SOFTWARE_TOKEN_MFA', first.Session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code }),
      'ExpiredCodeException',
    );
  });

  it('accepts one TOTP step of clock skew and no more', async () => {
    // Developer guide "TOTP software token MFA" (codes are accepted a short time around their window).
    const { email, secret } = await enrolledUser(h, 'skew');
    await nextTotpStep(h, 3);
    const attempt = async (offsetSteps: number) => {
      const start = await passwordAuth(h, email, STRONG_PASSWORD);
      return respond(h, 'SOFTWARE_TOKEN_MFA', start.Session, {
        USERNAME: email,
        SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, h.clock.ms + offsetSteps * 30_000),
      });
    };
    await expectCognitoError(attempt(-2), 'CodeMismatchException');
    await expectCognitoError(attempt(2), 'CodeMismatchException');
    expect((await attempt(-1)).AuthenticationResult).toBeDefined();
    expect((await attempt(1)).AuthenticationResult).toBeDefined();
  });

  it('refuses a wrong TOTP code and lets the user try again in the same session', async () => {
    // API reference: VerifySoftwareToken (EnableSoftwareTokenMFAException), RespondToAuthChallenge
    // (CodeMismatchException).
    const email = uniqueEmail('wrong-code');
    const session = await confirmPassword(h, email, await createUser(h, email));
    const associated = await h.client.send(new AssociateSoftwareTokenCommand({ Session: session }));
    const wrong = totpAt(associated.SecretCode as string, h.clock.ms + 10 * 30_000);
    await expectCognitoError(
      h.client.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: wrong })),
      'EnableSoftwareTokenMFAException',
    );
    const right = totpAt(associated.SecretCode as string, h.clock.ms);
    const verified = await h.client.send(
      new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: right }),
    );
    expect(verified.Status).toBe('SUCCESS');
    await respond(h, 'MFA_SETUP', verified.Session, { USERNAME: email });
    await nextTotpStep(h);
    const start = await passwordAuth(h, email, STRONG_PASSWORD);
    const wrongLater = totpAt(associated.SecretCode as string, h.clock.ms + 10 * 30_000);
    await expectCognitoError(
      respond(h, 'SOFTWARE_TOKEN_MFA', start.Session, {
        USERNAME: email,
        SOFTWARE_TOKEN_MFA_CODE: wrongLater,
      }),
      'CodeMismatchException',
      'Invalid code received for user',
    );
  });

  it('answers a TOTP switch-off with 200 and changes nothing, as a pool that requires MFA does', async () => {
    // API reference: SoftwareTokenMfaSettingsType (with MFA required, only the preferred type can be
    // set, not whether MFA is on); aws-amplify/amplify-js#4722, aws-amplify/amplify-flutter#5716. The
    // switch-off working in an optional pool: optional.test.ts.
    const { email, secret, tokens } = await enrolledUser(h, 'switch-off');
    await h.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: h.cognito.userPoolId,
        Username: email,
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    await h.client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: tokens.AccessToken,
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    const user = await h.client.send(
      new AdminGetUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
    );
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(user.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
    expect((await signIn(h, email, secret)).AccessToken).toBeTruthy();
  });

  it('suspends the software token at AssociateSoftwareToken: MFA_SETUP at every sign-in until a token is verified', async () => {
    // API reference: AssociateSoftwareToken (note: associating with an access token suspends the
    // existing token; with MFA required every sign-in answers MFA_SETUP); aws-amplify/amplify-js#1226.
    const { email, secret, tokens } = await enrolledUser(h, 'suspend');
    const { SecretCode } = await h.client.send(
      new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }),
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      await nextTotpStep(h);
      const start = await passwordAuth(h, email, STRONG_PASSWORD);
      expect(start.ChallengeName).toBe('MFA_SETUP');
      // The old secret's codes answer no challenge: there is none to answer with them.
      await expectCognitoError(
        respond(h, 'SOFTWARE_TOKEN_MFA', start.Session, {
          USERNAME: email,
          SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, h.clock.ms),
        }),
        'NotAuthorizedException',
      );
    }
    const user = await h.client.send(
      new AdminGetUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
    );
    expect(user.UserMFASettingList ?? []).toEqual([]);
    // Enabling TOTP needs a verified token, and the suspended one no longer is.
    await expectCognitoError(
      h.client.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: tokens.AccessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      ),
      'InvalidParameterException',
    );
    // Completing MFA_SETUP with yet another secret enrols the user again.
    await nextTotpStep(h);
    const start = await passwordAuth(h, email, STRONG_PASSWORD);
    const renewed = await completeMfaSetup(h, email, start.Session as string);
    expect(renewed.secret).not.toBe(secret);
    expect(renewed.secret).not.toBe(SecretCode);
    expect((await signIn(h, email, renewed.secret)).AccessToken).toBeTruthy();
  });

  it('refuses VerifySoftwareToken with an access token when no token waits for verification (local choice: SoftwareTokenMFANotFoundException)', async () => {
    // API reference: VerifySoftwareToken (SoftwareTokenMFANotFoundException); what Cognito answers when
    // nothing was associated is not documented.
    const { secret, tokens } = await enrolledUser(h, 'verify-nothing');
    await nextTotpStep(h);
    await expectCognitoError(
      h.client.send(
        new VerifySoftwareTokenCommand({
          AccessToken: tokens.AccessToken,
          UserCode: totpAt(secret, h.clock.ms),
        }),
      ),
      'SoftwareTokenMFANotFoundException',
    );
  });

  it('replaces the authenticator through AssociateSoftwareToken and VerifySoftwareToken with an access token (local choice: TOTP that was on is on again once the new token is verified)', async () => {
    // API reference: AssociateSoftwareToken ("disassociates an existing software token when you verify
    // the new token"), SetUserMFAPreference.
    const { email, secret, tokens } = await enrolledUser(h, 'replace');
    const { SecretCode } = await h.client.send(
      new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }),
    );
    await expectCognitoError(
      h.client.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: tokens.AccessToken,
          SMSMfaSettings: { Enabled: true },
        }),
      ),
      'InvalidParameterException',
    );
    expect((await passwordAuth(h, email, STRONG_PASSWORD)).ChallengeName).toBe('MFA_SETUP');
    await nextTotpStep(h);
    await h.client.send(
      new VerifySoftwareTokenCommand({
        AccessToken: tokens.AccessToken,
        UserCode: totpAt(SecretCode as string, h.clock.ms),
      }),
    );
    await nextTotpStep(h);
    // Verified, the new token is the one sign-in asks for: TOTP stays on (local choice: it was on before).
    const start = await passwordAuth(h, email, STRONG_PASSWORD);
    await expectCognitoError(
      respond(h, 'SOFTWARE_TOKEN_MFA', start.Session, {
        USERNAME: email,
        SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, h.clock.ms),
      }),
      'CodeMismatchException',
    );
    const done = await respond(h, 'SOFTWARE_TOKEN_MFA', start.Session, {
      USERNAME: email,
      SOFTWARE_TOKEN_MFA_CODE: totpAt(SecretCode as string, h.clock.ms),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe('challenge sessions', () => {
  it('refuses unknown and already used challenge sessions', async () => {
    // API reference: RespondToAuthChallenge (NotAuthorizedException); a session is used once.
    const email = uniqueEmail('session');
    const first = await passwordAuth(h, email, await createUser(h, email));
    await expectCognitoError(
      respond(h, 'NEW_PASSWORD_REQUIRED', 'A'.repeat(120), {
        USERNAME: email,
        NEW_PASSWORD: STRONG_PASSWORD,
      }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
    await respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
      USERNAME: email,
      NEW_PASSWORD: STRONG_PASSWORD,
    });
    await expectCognitoError(
      respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, { USERNAME: email, NEW_PASSWORD: STRONG_PASSWORD }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
    // A session is bound to its user too.
    const other = uniqueEmail('session-other');
    await createUser(h, other);
    const second = await passwordAuth(h, email, STRONG_PASSWORD);
    await expectCognitoError(
      h.client.send(new AssociateSoftwareTokenCommand({ Session: 'B'.repeat(120) })),
      'NotAuthorizedException',
    );
    await expectCognitoError(
      respond(h, 'MFA_SETUP', second.Session, { USERNAME: other }),
      'NotAuthorizedException',
    );
  });

  it('refuses MFA_SETUP answered before VerifySoftwareToken succeeded (local choice: "Invalid session for the user.", undocumented)', async () => {
    // API reference RespondToAuthChallenge (MFA_SETUP comes after VerifySoftwareToken); what Cognito
    // answers for an unverified setup is not documented.
    const email = uniqueEmail('setup-early');
    const session = await confirmPassword(h, email, await createUser(h, email));
    const associated = await h.client.send(new AssociateSoftwareTokenCommand({ Session: session }));
    await expectCognitoError(
      respond(h, 'MFA_SETUP', associated.Session, { USERNAME: email }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
  });

  localOnly(PAST_SESSION_VALIDITY)(
    'refuses a challenge session once its validity (AuthSessionValidity, 3 minutes) has passed',
    async () => {
      // API reference: UserPoolClientType AuthSessionValidity; RespondToAuthChallenge (NotAuthorizedException).
      const email = uniqueEmail('expired-session');
      const first = await passwordAuth(h, email, await createUser(h, email));
      h.clock.advance(h.settings.tokens.authSessionValidityMinutes * 60_000 + 1_000);
      await expectCognitoError(
        respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
          USERNAME: email,
          NEW_PASSWORD: STRONG_PASSWORD,
        }),
        'NotAuthorizedException',
        'Invalid session for the user, session is expired.',
      );
    },
  );
});

describe('passwords', () => {
  localOnly(MAILBOX)('enforces the password policy wherever a password is set', async () => {
    // Developer guide "Adding user pool password requirements"; API reference: AdminCreateUser,
    // RespondToAuthChallenge, ChangePassword, ConfirmForgotPassword (InvalidPasswordException).
    const short = 'too short 1!A';
    const policyError = 'Password does not conform to policy: Password not long enough';
    await expectCognitoError(
      h.client.send(
        new AdminCreateUserCommand({
          UserPoolId: h.cognito.userPoolId,
          Username: uniqueEmail('policy'),
          TemporaryPassword: short,
          MessageAction: 'SUPPRESS',
        }),
      ),
      'InvalidPasswordException',
      policyError,
    );
    const email = uniqueEmail('policy');
    const first = await passwordAuth(h, email, await createUser(h, email));
    await expectCognitoError(
      respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, { USERNAME: email, NEW_PASSWORD: short }),
      'InvalidPasswordException',
      policyError,
    );
    const setup = await respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
      USERNAME: email,
      NEW_PASSWORD: STRONG_PASSWORD,
    });
    const { tokens } = await completeMfaSetup(h, email, setup.Session as string);
    await expectCognitoError(
      h.client.send(
        new ChangePasswordCommand({
          AccessToken: tokens.AccessToken,
          PreviousPassword: STRONG_PASSWORD,
          ProposedPassword: short,
        }),
      ),
      'InvalidPasswordException',
      policyError,
    );
    await h.client.send(new ForgotPasswordCommand({ ClientId: h.cognito.userPoolClientId, Username: email }));
    await expectCognitoError(
      h.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: h.cognito.userPoolClientId,
          Username: email,
          ConfirmationCode: lastCode(h, email, 'password-reset'),
          Password: short,
        }),
      ),
      'InvalidPasswordException',
      policyError,
    );
  });

  localOnly(GENERATED_PASSWORDS)(
    'generates temporary passwords that satisfy the policy, the legacy one included',
    async () => {
      // Developer guide "Adding user pool password requirements" (temporary passwords follow the policy).
      const email = uniqueEmail('generated');
      const nist = await createUser(h, email);
      expect(nist.length).toBeGreaterThanOrEqual(h.settings.passwordPolicy.minLength);
      const legacySettings = { ...REQUIRED_MFA_PUBLIC_CLIENT, passwordPolicy: LEGACY_PASSWORD_POLICY };
      const legacy = await startHarness({ settings: legacySettings });
      try {
        for (let i = 0; i < 5; i++) {
          const password = await createUser(legacy, uniqueEmail('legacy'));
          expect(password.length).toBeGreaterThanOrEqual(LEGACY_PASSWORD_POLICY.minLength);
          expect(password).toMatch(/[A-Z]/);
          expect(password).toMatch(/[a-z]/);
          expect(password).toMatch(/[0-9]/);
          expect(password).toMatch(/[^A-Za-z0-9]/);
        }
      } finally {
        await legacy.close();
        await removeDir(legacy.dataDir);
      }
    },
  );

  localOnly(PAST_TEMPORARY_PASSWORD)(
    'expires a temporary password after the configured days until the invitation is resent',
    async () => {
      // API reference: PasswordPolicyType TemporaryPasswordValidityDays; AdminCreateUser (MessageAction RESEND).
      const email = uniqueEmail('expired-temp');
      const temporary = await createUser(h, email);
      h.clock.advance(h.settings.passwordPolicy.temporaryPasswordValidityDays * 86_400_000 + 60_000);
      await expectCognitoError(
        passwordAuth(h, email, temporary),
        'NotAuthorizedException',
        'Temporary password has expired and must be reset by an administrator.',
      );
      await h.client.send(
        new AdminCreateUserCommand({
          UserPoolId: h.cognito.userPoolId,
          Username: email,
          MessageAction: 'RESEND',
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      const renewed = lastCode(h, email, 'invitation');
      expect(renewed).not.toBe(temporary);
      expect((await passwordAuth(h, email, renewed)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    },
  );

  it('changes a password only when the current one is given', async () => {
    // API reference: ChangePassword (NotAuthorizedException for a wrong previous password).
    const { email, tokens } = await enrolledUser(h, 'change');
    await expectCognitoError(
      h.client.send(
        new ChangePasswordCommand({
          AccessToken: tokens.AccessToken,
          PreviousPassword: 'not the password at all',
          ProposedPassword: 'another long passphrase',
        }),
      ),
      'NotAuthorizedException',
    );
    await h.client.send(
      new ChangePasswordCommand({
        AccessToken: tokens.AccessToken,
        PreviousPassword: STRONG_PASSWORD,
        ProposedPassword: 'another long passphrase',
      }),
    );
    expect((await passwordAuth(h, email, 'another long passphrase')).ChallengeName).toBe(
      'SOFTWARE_TOKEN_MFA',
    );
  });

  localOnly(MAILBOX)('resets a forgotten password with the e-mailed code, once', async () => {
    // API reference: ForgotPassword, ConfirmForgotPassword (CodeMismatchException).
    const { email } = await enrolledUser(h, 'forgot');
    const sent = await h.client.send(
      new ForgotPasswordCommand({ ClientId: h.cognito.userPoolClientId, Username: email }),
    );
    expect(sent.CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: 'f***@e***',
    });
    const code = lastCode(h, email, 'password-reset');
    const confirm = (confirmationCode: string) =>
      h.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: h.cognito.userPoolClientId,
          Username: email,
          ConfirmationCode: confirmationCode,
          Password: 'a brand new passphrase',
        }),
      );
    await expectCognitoError(confirm(code === '000000' ? '111111' : '000000'), 'CodeMismatchException');
    await confirm(code);
    // A spent code leaves no code waiting: ExpiredCodeException (reset.test.ts).
    await expectCognitoError(confirm(code), 'ExpiredCodeException');
    expect((await passwordAuth(h, email, 'a brand new passphrase')).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  localOnly(MAILBOX)('makes AdminResetUserPassword require a reset and e-mail a code for it', async () => {
    // API reference: AdminResetUserPassword ("responds with a PasswordResetRequiredException").
    const { email } = await enrolledUser(h, 'admin-reset');
    await h.client.send(
      new AdminResetUserPasswordCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
    );
    await expectCognitoError(passwordAuth(h, email, STRONG_PASSWORD), 'PasswordResetRequiredException');
    await h.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: h.cognito.userPoolClientId,
        Username: email,
        ConfirmationCode: lastCode(h, email, 'password-reset'),
        Password: 'reset by an administrator',
      }),
    );
    expect((await passwordAuth(h, email, 'reset by an administrator')).ChallengeName).toBe(
      'SOFTWARE_TOKEN_MFA',
    );
  });
});

describe('user existence', () => {
  it('answers a wrong password and an unknown user with the same NotAuthorizedException', async () => {
    // Developer guide "Managing user existence error responses" (PreventUserExistenceErrors ENABLED).
    const { email } = await enrolledUser(h, 'existence');
    const wrong = await expectCognitoError(
      passwordAuth(h, email, 'not the right passphrase'),
      'NotAuthorizedException',
    );
    const unknown = await expectCognitoError(
      passwordAuth(h, uniqueEmail('nobody'), 'not the right passphrase'),
      'NotAuthorizedException',
    );
    expect(wrong.message).toBe('Incorrect username or password.');
    expect(unknown.message).toBe(wrong.message);
  });

  it('simulates a code delivery when ForgotPassword names an unknown e-mail', async () => {
    // Developer guide "Managing user existence error responses" (simulated delivery medium).
    const before = h.mailbox.length;
    const sent = await h.client.send(
      new ForgotPasswordCommand({ ClientId: h.cognito.userPoolClientId, Username: 'nobody@example.org' }),
    );
    expect(sent.CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: 'n***@e***',
    });
    expect(h.mailbox.length).toBe(before);
    await expectCognitoError(
      h.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: h.cognito.userPoolClientId,
          Username: 'nobody@example.org',
          ConfirmationCode: '123456',
          Password: 'whatever long passphrase',
        }),
      ),
      'CodeMismatchException',
    );
  });

  it('refuses AdminCreateUser for an e-mail that exists, in any letter case', async () => {
    // API reference: AdminCreateUser (UsernameExistsException); admin calls do reveal existence.
    const email = uniqueEmail('exists');
    await createUser(h, email);
    await expectCognitoError(
      h.client.send(
        new AdminCreateUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email.toUpperCase() }),
      ),
      'UsernameExistsException',
    );
    await expectCognitoError(
      h.client.send(
        new AdminGetUserCommand({ UserPoolId: h.cognito.userPoolId, Username: uniqueEmail('none') }),
      ),
      'UserNotFoundException',
    );
  });

  it('resends the invitation with RESEND, sends nothing with SUPPRESS, and refuses SignUp', async () => {
    // API reference: AdminCreateUser (MessageAction), SignUp (AllowAdminCreateUserOnly).
    const quiet = uniqueEmail('suppress');
    const before = h.mailbox.length;
    await h.client.send(
      new AdminCreateUserCommand({
        UserPoolId: h.cognito.userPoolId,
        Username: quiet,
        MessageAction: 'SUPPRESS',
      }),
    );
    expect(h.mailbox.length).toBe(before);
    const { email } = await enrolledUser(h, 'confirmed');
    await expectCognitoError(
      h.client.send(
        new AdminCreateUserCommand({
          UserPoolId: h.cognito.userPoolId,
          Username: email,
          MessageAction: 'RESEND',
        }),
      ),
      'UnsupportedUserStateException',
    );
    await expectCognitoError(
      h.client.send(
        new SignUpCommand({
          ClientId: h.cognito.userPoolClientId,
          Username: uniqueEmail('self'),
          Password: STRONG_PASSWORD,
        }),
      ),
      'NotAuthorizedException',
    );
  });
});

describe("the app client's write attributes", () => {
  it('lets a user change only the attributes the client may write, as UpdateUserAttributes with an access token', async () => {
    // API-ref UserPoolClientType (WriteAttributes); NotAuthorizedException wording: aws/aws-sdk-js#1319.
    const { email, tokens } = await enrolledUser(h, 'writer');
    await h.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: 'name', Value: 'A New Name' }],
      }),
    );
    expect((await getUser(tokens.AccessToken)).UserAttributes).toContainEqual({
      Name: 'name',
      Value: 'A New Name',
    });
    await expectCognitoError(
      h.client.send(
        new UpdateUserAttributesCommand({
          AccessToken: tokens.AccessToken,
          UserAttributes: [{ Name: 'email', Value: 'someone.else@example.com' }],
        }),
      ),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
    expect((await getUser(tokens.AccessToken)).UserAttributes).toContainEqual({
      Name: 'email',
      Value: email,
    });
    const { UserPoolClient } = await h.client.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: h.cognito.userPoolId,
        ClientId: h.cognito.userPoolClientId,
      }),
    );
    expect(UserPoolClient?.WriteAttributes).toEqual([...h.settings.userWritableAttributes]);
  });
});

describe('tokens', () => {
  it('signs RS256 tokens with the key at the JWKS URL, with the claims and lifetimes Cognito gives them', async () => {
    // Developer guide "Understanding user pool JSON web tokens (JWTs)"; API reference: AuthenticationResultType.
    const email = uniqueEmail('claims');
    const session = await confirmPassword(
      h,
      email,
      await createUser(h, email, { phone_number: '+441234567890' }),
    );
    await h.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: h.cognito.userPoolId,
        Username: email.toUpperCase(),
        GroupName: h.settings.adminGroup,
      }),
    );
    const { tokens } = await completeMfaSetup(h, email, session);
    expect(tokens.TokenType).toBe('Bearer');
    expect(tokens.ExpiresIn).toBe(h.settings.tokens.accessTokenValidityMinutes * 60);

    const jwks = createLocalJWKSet(await (await fetch(h.cognito.jwksUrl)).json());
    const options = { issuer: h.cognito.issuer, algorithms: ['RS256'], currentDate: new Date(h.clock.ms) };
    const access = (await jwtVerify(tokens.AccessToken, jwks, options)).payload;
    const id = (await jwtVerify(tokens.IdToken, jwks, { ...options, audience: h.cognito.userPoolClientId }))
      .payload;
    expect(Object.keys(access).sort()).toEqual(
      [
        'sub',
        'cognito:groups',
        'iss',
        'client_id',
        'origin_jti',
        'event_id',
        'token_use',
        'scope',
        'auth_time',
        'exp',
        'iat',
        'jti',
        'username',
      ].sort(),
    );
    expect(access).toMatchObject({
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      client_id: h.cognito.userPoolClientId,
      'cognito:groups': [h.settings.adminGroup],
    });
    expect(access.exp! - access.iat!).toBe(h.settings.tokens.accessTokenValidityMinutes * 60);
    expect(id).toMatchObject({
      token_use: 'id',
      email,
      email_verified: true,
      name: 'Test User',
      phone_number: '+441234567890',
      'cognito:username': access.username,
      'cognito:groups': [h.settings.adminGroup],
      origin_jti: access.origin_jti,
      event_id: access.event_id,
      sub: access.sub,
    });
    expect(id.exp! - id.iat!).toBe(h.settings.tokens.idTokenValidityMinutes * 60);
    const groups = await h.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email.toUpperCase() }),
    );
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual([h.settings.adminGroup]);
  });

  it('refreshes tokens after an MFA sign-in, without a new refresh token', async () => {
    // API reference: InitiateAuth (REFRESH_TOKEN_AUTH); developer guide "Refresh tokens" (rotation off).
    const { email, secret } = await enrolledUser(h, 'refresh');
    const tokens = await signIn(h, email, secret);
    skipAheadLocally(h, 10 * 60_000);
    const refreshed = await refresh(tokens.RefreshToken);
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(refreshed.AuthenticationResult?.IdToken).toBeTruthy();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect((await getUser(refreshed.AuthenticationResult?.AccessToken as string)).Username).toBeTruthy();
    await expectCognitoError(refresh('not-a-refresh-token'), 'NotAuthorizedException');
  });

  localOnly(PAST_ACCESS_TOKEN)(
    'refuses access tokens it did not sign, ID tokens, and expired access tokens',
    async () => {
      // API reference: GetUser (NotAuthorizedException); developer guide "Verifying a JSON web token".
      const { tokens } = await enrolledUser(h, 'verify');
      const claims = JSON.parse(
        Buffer.from(tokens.AccessToken.split('.')[1] as string, 'base64url').toString(),
      );
      const stranger = await generateKeyPair('RS256');
      const { kid } = JSON.parse(
        Buffer.from(tokens.AccessToken.split('.')[0] as string, 'base64url').toString(),
      );
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid })
        .sign(stranger.privateKey);
      await expectCognitoError(getUser(forged), 'NotAuthorizedException', 'Invalid Access Token');
      // Calls that fall through to cognito-local check the token here too.
      await expectCognitoError(
        h.client.send(
          new UpdateUserAttributesCommand({
            AccessToken: forged,
            UserAttributes: [{ Name: 'name', Value: 'Mallory' }],
          }),
        ),
        'NotAuthorizedException',
        'Invalid Access Token',
      );
      await expectCognitoError(getUser(tokens.IdToken), 'NotAuthorizedException', 'Invalid Access Token');
      expect((await getUser(tokens.AccessToken)).Username).toBe(claims.username);
      h.clock.advance(h.settings.tokens.accessTokenValidityMinutes * 60_000 + 1_000);
      await expectCognitoError(
        getUser(tokens.AccessToken),
        'NotAuthorizedException',
        'Access Token has expired',
      );
    },
  );

  it('revokes every refresh token and earlier access token of the user on GlobalSignOut', async () => {
    // API reference: GlobalSignOut; developer guide "Revoking tokens".
    const { email, secret, tokens: first } = await enrolledUser(h, 'global');
    const second = await signIn(h, email, secret);
    await h.client.send(new GlobalSignOutCommand({ AccessToken: second.AccessToken }));
    for (const tokens of [first, second]) {
      await expectCognitoError(
        getUser(tokens.AccessToken),
        'NotAuthorizedException',
        'Access Token has been revoked',
      );
      await expectCognitoError(refresh(tokens.RefreshToken), 'NotAuthorizedException');
    }
    const third = await signIn(h, email, secret);
    expect((await getUser(third.AccessToken)).Username).toBeTruthy();
  });

  it("revokes the user's tokens on AdminUserGlobalSignOut", async () => {
    // API reference: AdminUserGlobalSignOut.
    const { email, tokens } = await enrolledUser(h, 'admin-global');
    await h.client.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
    );
    await expectCognitoError(
      getUser(tokens.AccessToken),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
    await expectCognitoError(refresh(tokens.RefreshToken), 'NotAuthorizedException');
  });

  it('revokes one refresh token and the access tokens issued from it with RevokeToken', async () => {
    // API reference: RevokeToken ("Revokes all of the access tokens generated by ... the specified refresh token").
    const { email, secret, tokens: first } = await enrolledUser(h, 'revoke');
    const second = await signIn(h, email, secret);
    const fromFirst = (await refresh(first.RefreshToken)).AuthenticationResult?.AccessToken as string;
    await h.client.send(
      new RevokeTokenCommand({ ClientId: h.cognito.userPoolClientId, Token: first.RefreshToken }),
    );
    await expectCognitoError(refresh(first.RefreshToken), 'NotAuthorizedException');
    await expectCognitoError(
      getUser(first.AccessToken),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
    await expectCognitoError(getUser(fromFirst), 'NotAuthorizedException', 'Access Token has been revoked');
    expect((await getUser(second.AccessToken)).Username).toBeTruthy();
    expect((await refresh(second.RefreshToken)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('answers RevokeToken for a token that is no live refresh token with success, and for a JWT with UnsupportedTokenTypeException (local choice: RFC 7009 for the first)', async () => {
    // API reference RevokeToken (UnsupportedTokenTypeException); RFC 7009 section 2.2 (an invalid
    // token is not an error for a revocation endpoint). What Cognito answers is not documented.
    const { tokens } = await enrolledUser(h, 'revoke-odd');
    await h.client.send(
      new RevokeTokenCommand({ ClientId: h.cognito.userPoolClientId, Token: 'not-a-refresh-token' }),
    );
    await expectCognitoError(
      h.client.send(
        new RevokeTokenCommand({ ClientId: h.cognito.userPoolClientId, Token: tokens.AccessToken }),
      ),
      'UnsupportedTokenTypeException',
    );
    expect((await getUser(tokens.AccessToken)).Username).toBeTruthy();
  });

  it('deletes the account and ends its tokens with DeleteUser and AdminDeleteUser', async () => {
    // API reference: DeleteUser, AdminDeleteUser.
    const self = await enrolledUser(h, 'delete-self');
    await h.client.send(new DeleteUserCommand({ AccessToken: self.tokens.AccessToken }));
    await expectCognitoError(getUser(self.tokens.AccessToken), 'NotAuthorizedException');
    await expectCognitoError(refresh(self.tokens.RefreshToken), 'NotAuthorizedException');
    await expectCognitoError(passwordAuth(h, self.email, STRONG_PASSWORD), 'NotAuthorizedException');
    const byAdmin = await enrolledUser(h, 'delete-admin');
    await h.client.send(
      new AdminDeleteUserCommand({ UserPoolId: h.cognito.userPoolId, Username: byAdmin.email }),
    );
    await expectCognitoError(getUser(byAdmin.tokens.AccessToken), 'NotAuthorizedException');
    await expectCognitoError(
      h.client.send(
        new AdminDeleteUserCommand({ UserPoolId: h.cognito.userPoolId, Username: byAdmin.email }),
      ),
      'UserNotFoundException',
    );
  });
});

describe('wire format', () => {
  it('answers errors as Cognito does: HTTP 400, x-amzn-errortype and a JSON __type the SDK reads', async () => {
    // AWS JSON 1.1 protocol, as the AWS SDK parses it; API reference "Common Errors".
    const response = await fetch(h.serviceUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser',
      },
      body: JSON.stringify({ AccessToken: 'not.a.token' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(await response.json()).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    await expectCognitoError(
      h.client.send(
        new InitiateAuthCommand({
          ClientId: 'no-such-client',
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'a@example.com', PASSWORD: STRONG_PASSWORD },
        }),
      ),
      'ResourceNotFoundException',
    );
  });
});

describe('state across restarts', () => {
  localOnly(RESTART)(
    'keeps users, groups and MFA enrolment when restarted on the same data directory',
    async () => {
      // Not an AWS behaviour: the local stack keeps its state under .local/ so it survives restarts.
      const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-restart-'));
      const first = await startHarness({ dataDir });
      const { email, secret, tokens } = await enrolledUser(first, 'restart');
      await first.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: first.cognito.userPoolId,
          Username: email,
          GroupName: 'admins',
        }),
      );
      const ids = [first.cognito.userPoolId, first.cognito.userPoolClientId];
      const port = Number(new URL(first.serviceUrl).port);
      await first.close();

      const second = await startHarness({ dataDir, port, clock: first.clock });
      try {
        expect([second.cognito.userPoolId, second.cognito.userPoolClientId]).toEqual(ids);
        const user = await second.client.send(
          new AdminGetUserCommand({ UserPoolId: second.cognito.userPoolId, Username: email }),
        );
        expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
        const groups = await second.client.send(
          new AdminListGroupsForUserCommand({ UserPoolId: second.cognito.userPoolId, Username: email }),
        );
        expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['admins']);
        expect(
          (await second.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username,
        ).toBe(user.Username);
        const signedIn = await signIn(second, email, secret);
        expect(signedIn.AccessToken).toBeTruthy();
      } finally {
        await second.close();
        await removeDir(dataDir);
      }
    },
  );

  localOnly(RESTART)('creates 50 users in parallel, and all 50 are still there after a restart', async () => {
    // API reference: AdminCreateUser. A regression test of this layer's store and queue (without the
    // queue, 16 of 50 were refused): plain cognito-local also keeps all 50.
    const dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-parallel-'));
    const first = await startHarness({ dataDir, clock: null });
    const emails = Array.from({ length: 50 }, (_, i) => uniqueEmail(`parallel${i}`));
    const results = await Promise.allSettled(
      emails.map((email) =>
        first.client.send(
          new AdminCreateUserCommand({
            UserPoolId: first.cognito.userPoolId,
            Username: email,
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(first.mailbox).toHaveLength(50);
    await first.close();

    const second = await startHarness({ dataDir, clock: null });
    try {
      const found = await Promise.all(
        emails.map((email) =>
          second.client.send(
            new AdminGetUserCommand({ UserPoolId: second.cognito.userPoolId, Username: email }),
          ),
        ),
      );
      expect(found.map((u) => u.UserStatus)).toEqual(emails.map(() => 'FORCE_CHANGE_PASSWORD'));
      // The real clock works too: a temporary password from before the restart still starts the flow.
      const started = await passwordAuth(second, emails[0] as string, first.mailbox[0]?.code as string);
      expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    } finally {
      await second.close();
      await removeDir(dataDir);
    }
  });
});
