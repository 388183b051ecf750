/**
 * recoverMfa when something that is not the user's fault fails after their recovery code was taken:
 * the code is given back. Unit test with fake clients (Cognito answers by command name, S3 is an
 * in-memory bucket with ETags and If-Match), because the local stack has no way to make Cognito fail
 * on one call; the real road is covered in test/api/lifecycle.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/runtime/clients';
import type { Config } from '../../functions/runtime/config';
import {
  consumeRecoveryCode,
  issueRecoveryCodes,
  remainingRecoveryCodes,
} from '../../functions/domain/recovery-codes';
import { recoverMfa } from '../../functions/domain/enrolment';

const USER_ID = '7d3c2a4e-0000-4000-8000-000000000001';

/** An unsigned JWT whose payload carries the sub, as tokens.ts reads it. */
const jwtFor = (sub: string) => `e30.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.sig`;

function fakeDeps(cognitoAnswers: Record<string, (() => unknown)[]>): Deps {
  const objects = new Map<string, { body: string; etag: string }>();
  let version = 0;
  const s3 = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const key = String(command.input.Key);
      switch (command.constructor.name) {
        case 'PutObjectCommand': {
          const current = objects.get(key);
          if (command.input.IfMatch && current?.etag !== command.input.IfMatch) {
            throw Object.assign(new Error('precondition'), { name: 'PreconditionFailed' });
          }
          objects.set(key, { body: String(command.input.Body), etag: `"${++version}"` });
          return {};
        }
        case 'GetObjectCommand': {
          const current = objects.get(key);
          if (!current) throw Object.assign(new Error('no key'), { name: 'NoSuchKey' });
          return { ETag: current.etag, Body: { transformToString: async () => current.body } };
        }
        default:
          return {};
      }
    },
  };
  const cognito = {
    async send(command: { constructor: { name: string } }) {
      const next = cognitoAnswers[command.constructor.name]?.shift();
      if (!next) throw new Error(`unexpected ${command.constructor.name}`);
      return next();
    },
  };
  return {
    config: {
      userPoolId: 'pool',
      userPoolClientId: 'client',
      mfaBucket: 'bucket',
      guessTable: 'guesses',
    } as Config,
    cognito: cognito as unknown as Deps['cognito'],
    s3: s3 as unknown as Deps['s3'],
    // The guess bound always has a slot: this test is about what happens after the code is taken.
    dynamodb: { send: async () => ({}) } as unknown as Deps['dynamodb'],
    clientSecret: { value: async () => 'secret' },
    recoveryKey: { value: async () => 'recovery key' },
    now: () => new Date(),
  };
}

const challenge = () => ({
  ChallengeName: 'SOFTWARE_TOKEN_MFA',
  Session: 's'.repeat(32),
  ChallengeParameters: { USER_ID_FOR_SRP: USER_ID },
});
const tokens = () => ({
  AuthenticationResult: {
    AccessToken: jwtFor(USER_ID),
    IdToken: jwtFor(USER_ID),
    RefreshToken: 'r'.repeat(32),
  },
});
const outage = () => {
  throw Object.assign(new Error('service unavailable'), { name: 'InternalErrorException' });
};

describe('recoverMfa and the recovery code', () => {
  it('gives the code back when Cognito fails after the code was taken, so the user can try again', async () => {
    const deps = fakeDeps({
      InitiateAuthCommand: [challenge, tokens],
      AdminUserGlobalSignOutCommand: [() => ({})],
      AdminSetUserMFAPreferenceCommand: [() => ({})],
      AssociateSoftwareTokenCommand: [outage],
    });
    const [code] = await issueRecoveryCodes(deps, USER_ID, 'enrolment-1');
    const normalised = code!.replace('-', '');

    await expect(
      recoverMfa(deps, { email: 'jane@example.com', password: 'right password', recoveryCode: normalised }),
    ).rejects.toThrow();
    // Unused again: consuming it now succeeds (it would fail for a code already spent).
    expect(await consumeRecoveryCode(deps, USER_ID, normalised)).toBe(true);
  });

  it('refuses a code already spent before it changes anything in Cognito', async () => {
    const deps = fakeDeps({
      InitiateAuthCommand: [challenge],
    });
    const [code] = await issueRecoveryCodes(deps, USER_ID, 'enrolment-1');
    const normalised = code!.replace('-', '');
    expect(await consumeRecoveryCode(deps, USER_ID, normalised)).toBe(true);
    // The same code again: refused before any Cognito call that could change the account.
    await expect(
      recoverMfa(deps, { email: 'jane@example.com', password: 'right password', recoveryCode: normalised }),
    ).rejects.toMatchObject({ type: 'NOT_AUTHORIZED' });
  });

  it('counts only the unused codes of a set', async () => {
    const deps = fakeDeps({});
    const codes = await issueRecoveryCodes(deps, USER_ID, 'enrolment-1');
    expect(await remainingRecoveryCodes(deps, USER_ID)).toBe(10);
    expect(await consumeRecoveryCode(deps, USER_ID, codes[4]!.replace('-', ''))).toBe(true);
    expect(await remainingRecoveryCodes(deps, USER_ID)).toBe(9);
  });
});
