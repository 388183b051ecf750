/**
 * Contract of the local Cognito for a pool whose MFA is ON, with software tokens (TOTP): enrolment
 * through MFA_SETUP, the SOFTWARE_TOKEN_MFA challenge, spent and skewed codes, a switch-off that
 * changes nothing, and suspending or replacing the authenticator. API reference
 * AssociateSoftwareToken, VerifySoftwareToken, RespondToAuthChallenge, SetUserMFAPreference;
 * developer guide "TOTP software token MFA". The same calls in a pool whose MFA is OPTIONAL:
 * optional.test.ts.
 */
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeMfaSetup,
  confirmPassword,
  createUser,
  enrolledUser,
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
} from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
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
