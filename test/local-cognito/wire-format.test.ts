/**
 * Contract of the local Cognito for the wire format: errors as Amazon Cognito sends them and the AWS
 * SDK reads them (AWS JSON 1.1 protocol; API reference "Common Errors").
 */
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCognitoError, removeDir, startHarness, STRONG_PASSWORD, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
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
