/**
 * Contract of the local Cognito for the wire format: errors as Amazon Cognito sends them and the AWS
 * SDK reads them (AWS JSON 1.1 protocol; API reference "Common Errors").
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnly } from '../contract/target';
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

  localOnly("tests the stand-in's own connections")(
    "keeps an idle connection open past Node's 5-second default, so no call is sent on one being closed (local choice)",
    async () => {
      // The API's functions send each Cognito call once: a call on a connection the server is
      // closing fails with ECONNRESET. One connection, two calls 7 s apart: the second reuses it.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const call = () =>
        new Promise<boolean>((resolve, reject) => {
          const req = request(
            h.serviceUrl,
            {
              agent,
              method: 'POST',
              headers: {
                'content-type': 'application/x-amz-json-1.1',
                'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser',
              },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(req.reusedSocket));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ AccessToken: 'not.a.token' }));
        });
      try {
        expect(await call()).toBe(false);
        await sleep(7_000);
        expect(await call()).toBe(true);
      } finally {
        agent.destroy();
      }
    },
  );
});
