/**
 * Contract of the local Cognito for e-mail verification codes with an access token: API reference
 * GetUserAttributeVerificationCode ("sends a message to a user with a code that they must return in a
 * VerifyUserAttribute request") and VerifyUserAttribute (CodeMismatchException for a wrong code).
 */
import {
  GetUserAttributeVerificationCodeCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolledUser, expectCognitoError, lastCode, removeDir, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

describe('e-mail verification codes', () => {
  it('e-mails a code with GetUserAttributeVerificationCode and accepts it once in VerifyUserAttribute', async () => {
    const { email, tokens } = await enrolledUser(h, 'verify');
    const sent = await h.client.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: tokens.AccessToken,
        AttributeName: 'email',
      }),
    );
    expect(sent.$metadata.httpStatusCode).toBe(200);
    const code = lastCode(h, email, 'verification');
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '123456' ? '654321' : '123456';
    await expectCognitoError(
      h.client.send(
        new VerifyUserAttributeCommand({
          AccessToken: tokens.AccessToken,
          AttributeName: 'email',
          Code: wrong,
        }),
      ),
      'CodeMismatchException',
    );
    const verified = await h.client.send(
      new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code: code }),
    );
    expect(verified.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses both calls with an access token that is not valid', async () => {
    await expectCognitoError(
      h.client.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: 'not.a.token', AttributeName: 'email' }),
      ),
      'NotAuthorizedException',
    );
    await expectCognitoError(
      h.client.send(
        new VerifyUserAttributeCommand({
          AccessToken: 'not.a.token',
          AttributeName: 'email',
          Code: '123456',
        }),
      ),
      'NotAuthorizedException',
    );
  });
});
