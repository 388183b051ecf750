/**
 * Optional features, switched on through the settings (staging as the base): custom domain, SES
 * sender, Plus plan with threat protection, a rotated API key, source maps. Also the guards around the settings
 * and the deploy helpers.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/cdk-app';
import { retentionOf } from '../../infra/operation-function';
import { envFromCdkArgs, flattenOutputs } from '../../infra/outputs';
import { ENVIRONMENTS, settingsFor, type Settings } from '../../infra/settings';
import { ROOT } from '../../infra/paths';
import { OUTPUT_KEYS } from '../../infra/stack';
import { App } from 'aws-cdk-lib';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synth, type Synthesized } from './synth';

const base = settingsFor('staging');
const settings: Settings = {
  ...base,
  api: { ...base.api, apiKeyGeneration: 3 },
  sesFromAddress: 'no-reply@example.com',
  featurePlan: 'PLUS',
  functionSourceMaps: true,
  customDomain: {
    domainName: 'auth.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
  },
};
let s: Synthesized;

beforeAll(() => {
  s = synth({ env: 'staging', settings });
}, 120_000);

afterAll(() => s?.cleanup());

describe('optional features (settings)', () => {
  it('serves the API on the custom domain with its certificate and tells where to point DNS', () => {
    s.template.hasResourceProperties('AWS::AppSync::DomainName', {
      DomainName: 'auth.example.com',
      CertificateArn: settings.customDomain!.certificateArn,
    });
    s.template.hasResourceProperties('AWS::AppSync::DomainNameApiAssociation', {
      DomainName: 'auth.example.com',
    });
    s.template.hasOutput('graphqlUrl', { Value: 'https://auth.example.com/graphql' });
    s.template.hasOutput('customDomainTarget', {
      Value: { 'Fn::GetAtt': [Match.anyValue(), 'AppSyncDomainName'] },
    });
  });

  it("sends Cognito's mail through the SES identity of the settings", () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({
        EmailSendingAccount: 'DEVELOPER',
        From: 'no-reply@example.com',
        SourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      }),
    });
  });

  it('turns on threat protection in enforcement mode on the Plus plan', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('names the API key after its generation, so bumping it replaces the key', () => {
    const keys = Object.keys(s.template.findResources('AWS::AppSync::ApiKey'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^ApiGeneration3ApiKey/);
  });

  it('ships each function with its source map and runs it with --enable-source-maps when asked', () => {
    const functions = Object.values(s.template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.FunctionName !== undefined,
    );
    expect(functions.length).toBeGreaterThan(1);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      const asset = join(s.outdir, `asset.${String(fn.Properties.Code.S3Key).replace('.zip', '')}`);
      expect(readdirSync(asset).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    }
  });

  it('still passes cdk-nag, without the Plus-plan acknowledgements it no longer needs', () => {
    expect(s.nagViolations).toEqual([]);
  });
});

describe('guards', () => {
  const attempt = (env: string, override?: Partial<Settings>) => {
    const outdir = mkdtempSync(join(tmpdir(), 'infra-test-cdk.out-'));
    try {
      createApp({
        app: new App({ outdir, context: { env } }),
        settings: override ? { ...settingsFor('dev'), ...override } : undefined,
        resolverBundlesDir: join(outdir, 'bundles'),
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };

  it('refuses to deploy the local environment or an unknown one', () => {
    expect(() => attempt('local')).toThrow(/expected one of dev, staging, prod/);
    expect(() => attempt('qa')).toThrow(/expected one of/);
  });

  it('refuses an admin group that the schema directives do not name', () => {
    expect(() => attempt('dev', { adminGroup: 'operators' })).toThrow(/adminGroup "operators"/);
  });

  it(
    'refuses a resolver count limit other than one field per request, in every environment',
    { timeout: 120_000 },
    () => {
      const api = settingsFor('dev').api;
      expect(() => attempt('dev', { api: { ...api, resolverCountLimit: 2 } })).toThrow(
        /resolverCountLimit is 2/,
      );
      expect(() => attempt('dev', { api: { ...api, resolverCountLimit: 0 } })).toThrow(
        /resolverCountLimit is 0/,
      );
      for (const env of ENVIRONMENTS) expect(settingsFor(env).api.resolverCountLimit).toBe(1);
    },
  );

  it('refuses a log retention CloudWatch does not offer', () => {
    expect(() => retentionOf(45)).toThrow(/not a CloudWatch retention/);
    expect(retentionOf(30)).toBe(30);
  });
});

describe('deploy helpers', () => {
  it('runs the app with the CLI offline: notices and telemetry off (cdk.json)', () => {
    const cdk = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8'));
    expect(cdk.app).toBe('npx tsx infra/app.ts');
    expect(cdk.notices).toBe(false);
    expect(cdk.context['cli-telemetry']).toBe(false);
  });

  it('reads the environment from the CDK context flag in any of its spellings', () => {
    expect(envFromCdkArgs([])).toBe('dev');
    expect(envFromCdkArgs(['-c', 'env=prod'])).toBe('prod');
    expect(envFromCdkArgs(['--context', 'env=staging', '--require-approval', 'never'])).toBe('staging');
    expect(envFromCdkArgs(['--context=env=prod'])).toBe('prod');
    expect(envFromCdkArgs(['-c', 'other=1'])).toBe('dev');
  });

  it('flattens the nested outputs file to the keys of outputs.local.json', () => {
    const flat = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, `${k}-value`]));
    expect(
      flattenOutputs({ 'auth-api-prod': { ...flat, customDomainTarget: 'x' } }, 'auth-api-prod'),
    ).toEqual({
      ...flat,
      customDomainTarget: 'x',
    });
    expect(() => flattenOutputs({ other: flat }, 'auth-api-prod')).toThrow(
      /No outputs for stack auth-api-prod/,
    );
    expect(() => flattenOutputs({ 'auth-api-prod': { graphqlUrl: 'u' } }, 'auth-api-prod')).toThrow(
      /lacks outputs/,
    );
  });
});
