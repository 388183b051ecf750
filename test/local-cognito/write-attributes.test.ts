/**
 * Contract of the local Cognito for the app client's write attributes: with an access token a user
 * changes only the attributes the client may write (settings.userWritableAttributes), never the
 * e-mail that is their user name. API reference UserPoolClientType (WriteAttributes),
 * UpdateUserAttributes.
 */
import {
  DescribeUserPoolClientCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolledUser, expectCognitoError, getUser, removeDir, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
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
    expect((await getUser(h, tokens.AccessToken)).UserAttributes).toContainEqual({
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
    expect((await getUser(h, tokens.AccessToken)).UserAttributes).toContainEqual({
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
