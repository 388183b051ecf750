/**
 * The dev environment's user pool, app client and MFA bucket, with a fixture handler for every
 * wiring row: sign-in by e-mail, TOTP only, the password policy, messages, plan and token lifetimes
 * of the settings, the client secret kept out of the template, a private, encrypted bucket whose QR
 * codes expire; then the optional features left off, the outputs, and cdk-nag over the whole stack.
 * The API and its functions: stack-dev-api.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/settings';
import { OUTPUT_KEYS, QR_PREFIX, RECOVERY_PREFIX } from '../../infra/stack';
import { fixtureFunctionsDir, lookups, synth, type Synthesized, type CfnJson } from './synth';

const settings = settingsFor('dev');
let s: Synthesized;
let fixtures: ReturnType<typeof fixtureFunctionsDir>;

beforeAll(() => {
  fixtures = fixtureFunctionsDir();
  s = synth({ env: 'dev', functionsDir: fixtures.dir });
}, 120_000);

afterAll(() => {
  s?.cleanup();
  fixtures?.cleanup();
});

type Json = CfnJson;
const { only, logicalIdOf } = lookups(() => s);

describe('Cognito (dev)', () => {
  it('signs in by e-mail, case-insensitively, with no self sign-up', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      AutoVerifiedAttributes: ['email'],
    });
  });

  it('offers authenticator apps (TOTP) only, with MFA OPTIONAL so a lost authenticator can be replaced', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('refuses settings that would open a side door or need a plan they do not have', () => {
    const dev = settingsFor('dev');
    expect(() =>
      synth({ env: 'dev', functionsDir: fixtures.dir, settings: { ...dev, clientSecret: false } }),
    ).toThrow(/needs settings.clientSecret/);
    expect(() =>
      synth({
        env: 'dev',
        functionsDir: fixtures.dir,
        settings: {
          ...dev,
          tokens: { ...dev.tokens, refreshTokenRotation: { retryGracePeriodSeconds: 10 } },
        },
      }),
    ).toThrow(/Essentials or Plus/);
  });

  it('keeps the client secret in Secrets Manager, copied by CloudFormation: never a value in the template', () => {
    const secret = s.template.toJSON().Resources[logicalIdOf(s.stack.clientSecret!)] as Json;
    // A reference to the client's ClientSecret (read at deploy time), not a literal string.
    expect(typeof secret.Properties.SecretString).not.toBe('string');
    expect(JSON.stringify(secret.Properties.SecretString)).toContain('UserPoolClient.ClientSecret');
  });

  it('keeps the recovery-code key in a secret Secrets Manager generates: never a value in the template', () => {
    const secrets = s.template.findResources('AWS::SecretsManager::Secret');
    // The client secret and the recovery-code key, nothing else.
    expect(Object.keys(secrets).sort()).toEqual(
      [logicalIdOf(s.stack.clientSecret!), logicalIdOf(s.stack.recoveryKey)].sort(),
    );
    const key = secrets[logicalIdOf(s.stack.recoveryKey)] as Json;
    expect(key.Properties.SecretString).toBeUndefined();
    expect(key.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  it('applies the password policy and temporary-password validity of the settings', () => {
    const p = settings.passwordPolicy;
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: p.minLength,
          RequireLowercase: p.requireLowercase,
          RequireUppercase: p.requireUppercase,
          RequireNumbers: p.requireDigits,
          RequireSymbols: p.requireSymbols,
          TemporaryPasswordValidityDays: p.temporaryPasswordValidityDays,
        },
      },
    });
  });

  it('sends the invitation and verification texts of the settings, and recovers by e-mail only', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({
        InviteMessageTemplate: Match.objectLike({
          EmailSubject: settings.emails.invitationSubject,
          EmailMessage: settings.emails.invitationBody,
        }),
      }),
      VerificationMessageTemplate: Match.objectLike({
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
        EmailSubject: settings.emails.verificationSubject,
        EmailMessage: settings.emails.verificationBody,
      }),
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
    });
  });

  it('keeps e-mail (required), name and phone number as standard attributes', () => {
    const schema = only('AWS::Cognito::UserPool').Properties.Schema as Json[];
    expect(schema).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'email', Required: true }),
        expect.objectContaining({ Name: 'name', Required: false }),
        expect.objectContaining({ Name: 'phone_number', Required: false }),
      ]),
    );
  });

  it('is on the Lite plan with no deletion protection in dev, and is destroyed with the stack', () => {
    s.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ UserPoolTier: 'LITE', DeletionProtection: 'INACTIVE' }),
    });
  });

  it('has a confidential client with only USER_PASSWORD_AUTH and refresh, revocation and the token lifetimes of the settings', () => {
    const t = settings.tokens;
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AllowedOAuthFlowsUserPoolClient: false,
      AccessTokenValidity: t.accessTokenValidityMinutes,
      IdTokenValidity: t.idTokenValidityMinutes,
      RefreshTokenValidity: t.refreshTokenValidityMinutes,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      AuthSessionValidity: t.authSessionValidityMinutes,
    });
  });

  it('lets users change their name and phone number directly, never the e-mail that is their user name', () => {
    const client = only('AWS::Cognito::UserPoolClient');
    expect([...client.Properties.WriteAttributes].sort()).toEqual(['name', 'phone_number']);
  });

  it('creates the admins group the schema directives name', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: settings.adminGroup,
      UserPoolId: { Ref: logicalIdOf(s.stack.userPool) },
    });
  });
});

describe('MFA bucket (dev)', () => {
  it('is encrypted, private, unversioned and destroyed with a dev stack', () => {
    const bucket = only('AWS::S3::Bucket');
    expect(bucket.DeletionPolicy).toBe('Delete');
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
  });

  it('expires QR codes under qr/ after the configured days, and never the recovery-code hashes', () => {
    const rules = only('AWS::S3::Bucket').Properties.LifecycleConfiguration.Rules as Json[];
    const expiring = rules.filter((r) => r.ExpirationInDays !== undefined);
    expect(expiring).toEqual([
      expect.objectContaining({
        Prefix: QR_PREFIX,
        ExpirationInDays: settings.qrCode.objectExpiryDays,
        Status: 'Enabled',
      }),
    ]);
    expect(QR_PREFIX.startsWith(RECOVERY_PREFIX) || RECOVERY_PREFIX.startsWith(QR_PREFIX)).toBe(false);
  });

  it('refuses every request that is not TLS', () => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('optional features and outputs (dev)', () => {
  it('has no WAF and no custom domain by default', () => {
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    s.template.resourceCountIs('AWS::AppSync::DomainName', 0);
  });

  it('outputs the keys of outputs.local.json', () => {
    expect(Object.keys(s.template.findOutputs('*')).sort()).toEqual([...OUTPUT_KEYS].sort());
    s.template.hasOutput('graphqlUrl', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'GraphQLUrl'] } });
    s.template.hasOutput('apiKey', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'ApiKey'] } });
  });
});

describe('cdk-nag AWS Solutions (dev, every function present)', () => {
  it('reports no unacknowledged finding', () => {
    expect(s.nagViolations).toEqual([]);
    expect(existsSync(join(s.outdir, 'manifest.json'))).toBe(true);
  });
});
