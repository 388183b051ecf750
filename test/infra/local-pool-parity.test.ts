/**
 * The local Cognito is built from the same settings as the deployed pool; this holds the two against
 * each other, property by property, so a CDK change the local pool does not follow fails here rather
 * than on AWS. The synthesized AWS::Cognito::UserPool / UserPoolClient is compared with what the local
 * Cognito answers to DescribeUserPool / DescribeUserPoolClient for the same settings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type UserPoolClientType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor, type Settings } from '../../infra/settings';
import { startLocalCognito, type LocalCognito } from '../../local/cognito';
import { fixtureFunctionsDir, synth, type CfnJson, type Synthesized } from './synth';

// The dev environment's settings for both, so only the two builders (CDK, local pool) differ.
const settings: Settings = { ...settingsFor('dev') };
let s: Synthesized;
let fixtures: ReturnType<typeof fixtureFunctionsDir>;
let local: LocalCognito;
let dataDir: string;
let pool: UserPoolType;
let client: UserPoolClientType;
let cfnPool: CfnJson;
let cfnClient: CfnJson;

beforeAll(async () => {
  fixtures = fixtureFunctionsDir();
  s = synth({ env: 'dev', functionsDir: fixtures.dir, settings });
  cfnPool = (Object.values(s.template.findResources('AWS::Cognito::UserPool'))[0] as CfnJson).Properties;
  cfnClient = (Object.values(s.template.findResources('AWS::Cognito::UserPoolClient'))[0] as CfnJson)
    .Properties;
  dataDir = await mkdtemp(join(tmpdir(), 'pool-parity-'));
  local = await startLocalCognito({ dataDir, settings, sendMessage: async () => undefined });
  const sdk = new CognitoIdentityProviderClient({
    endpoint: local.endpoint,
    region: local.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  pool = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: local.userPoolId }))).UserPool!;
  client = (
    await sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: local.userPoolId, ClientId: local.userPoolClientId }),
    )
  ).UserPoolClient!;
  sdk.destroy();
}, 120_000);

afterAll(async () => {
  await local?.close();
  await rm(dataDir, { recursive: true, force: true });
  s?.cleanup();
  fixtures?.cleanup();
});

describe('the local pool and the deployed pool, from the same settings', () => {
  it('sign in the same way: e-mail user names, case-insensitive, admin-created accounts only', () => {
    expect(pool.UsernameAttributes).toEqual(cfnPool.UsernameAttributes);
    expect(pool.UsernameConfiguration).toEqual({
      CaseSensitive: cfnPool.UsernameConfiguration.CaseSensitive,
    });
    expect(pool.AutoVerifiedAttributes).toEqual(cfnPool.AutoVerifiedAttributes);
    expect(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(
      cfnPool.AdminCreateUserConfig.AllowAdminCreateUserOnly,
    );
  });

  it('have the same MFA configuration', () => {
    expect(pool.MfaConfiguration).toBe(cfnPool.MfaConfiguration);
    expect(cfnPool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('have the same password policy and temporary-password validity', () => {
    const deployed = cfnPool.Policies.PasswordPolicy;
    expect(pool.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: deployed.MinimumLength,
      RequireLowercase: deployed.RequireLowercase,
      RequireUppercase: deployed.RequireUppercase,
      RequireNumbers: deployed.RequireNumbers,
      RequireSymbols: deployed.RequireSymbols,
      TemporaryPasswordValidityDays: deployed.TemporaryPasswordValidityDays,
    });
  });

  it('have app clients alike: secret, flows, user-existence errors, revocation, lifetimes, write attributes', () => {
    expect(client.ClientSecret !== undefined).toBe(cfnClient.GenerateSecret === true);
    expect([...(client.ExplicitAuthFlows ?? [])].sort()).toEqual([...cfnClient.ExplicitAuthFlows].sort());
    expect(client.PreventUserExistenceErrors).toBe(cfnClient.PreventUserExistenceErrors);
    expect(client.EnableTokenRevocation).toBe(cfnClient.EnableTokenRevocation);
    expect(client.AccessTokenValidity).toBe(cfnClient.AccessTokenValidity);
    expect(client.IdTokenValidity).toBe(cfnClient.IdTokenValidity);
    expect(client.RefreshTokenValidity).toBe(cfnClient.RefreshTokenValidity);
    expect(client.TokenValidityUnits).toEqual(cfnClient.TokenValidityUnits);
    expect(client.AuthSessionValidity).toBe(cfnClient.AuthSessionValidity);
    expect([...(client.WriteAttributes ?? [])].sort()).toEqual([...cfnClient.WriteAttributes].sort());
    expect(client.RefreshTokenRotation?.Feature ?? 'DISABLED').toBe(
      cfnClient.RefreshTokenRotation?.Feature ?? 'DISABLED',
    );
  });
});
