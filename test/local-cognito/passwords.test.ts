/**
 * Contract of the local Cognito for passwords: the policy wherever a password is set, generated and
 * expiring temporary passwords, ChangePassword, ForgotPassword and AdminResetUserPassword. Developer
 * guide "Adding user pool password requirements"; API reference ChangePassword, ForgotPassword,
 * ConfirmForgotPassword, AdminResetUserPassword. Reset codes' expiry and attempt limit:
 * reset.test.ts; failed passwords: lockout.test.ts.
 */
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PASSWORD_POLICY } from '../../infra/settings';
import { localOnly } from '../contract/target';
import {
  completeMfaSetup,
  createUser,
  enrolledUser,
  expectCognitoError,
  lastCode,
  passwordAuth,
  removeDir,
  REQUIRED_MFA_PUBLIC_CLIENT,
  respond,
  startHarness,
  STRONG_PASSWORD,
  uniqueEmail,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const MAILBOX = 'reads an e-mailed code from the local mailbox';
const GENERATED_PASSWORDS = 'reads the generated temporary passwords from the local mailbox';
const PAST_TEMPORARY_PASSWORD = "moves the clock past the temporary password's days, reads the mailbox";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
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
