/**
 * Contract of the local Cognito for user existence: the public calls answer alike for a known and an
 * unknown user (PreventUserExistenceErrors ENABLED), the admin calls do tell them apart, and only an
 * administrator makes users. Developer guide "Managing user existence error responses"; API
 * reference AdminCreateUser, SignUp.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  enrolledUser,
  expectCognitoError,
  passwordAuth,
  removeDir,
  startHarness,
  STRONG_PASSWORD,
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
