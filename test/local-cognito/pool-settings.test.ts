/**
 * Contract of the local Cognito for the pool the settings module describes (infra/settings.ts): the
 * API's own pool, its app client and admin group, the auth flows the client allows, and the same pool
 * brought back in line with changed settings on a restart. API reference DescribeUserPool,
 * DescribeUserPoolClient, GetGroup, AdminInitiateAuth.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminInitiateAuthCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PASSWORD_POLICY, settingsFor } from '../../infra/settings';
import { localOnly } from '../contract/target';
import {
  createUser,
  removeDir,
  REQUIRED_MFA_PUBLIC_CLIENT,
  startHarness,
  uniqueEmail,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const RESTART = 'restarts the stand-in on the same data directory';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
  await removeDir(h.dataDir);
});

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
