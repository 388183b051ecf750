/**
 * The dev environment, with a fixture handler for every wiring row: proves the API, resolvers,
 * functions, roles, pool, client and bucket for every operation, whether or not its real handler
 * has landed yet (real handlers are covered by real-functions.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/runtime/config';
import { USER_OBJECT_PREFIXES } from '../../functions/domain/orphans';
import { S3_ACTIONS } from '../../infra/operation-function';
import { readSchemaSDL } from '../../infra/paths';
import { passwordPolicyEnv, settingsFor } from '../../infra/settings';
import { OUTPUT_KEYS, QR_PREFIX, RECOVERY_PREFIX } from '../../infra/stack';
import { OPERATIONS, resolverFileOf } from '../../infra/wiring';
import { fixtureFunctionsDir, statementsOfRole, synth, type Synthesized, type CfnJson } from './synth';

const settings = settingsFor('dev');
const RICH = 'createUser';
let s: Synthesized;
let fixtures: ReturnType<typeof fixtureFunctionsDir>;

beforeAll(() => {
  fixtures = fixtureFunctionsDir(RICH);
  s = synth({ env: 'dev', functionsDir: fixtures.dir });
}, 120_000);

afterAll(() => {
  s?.cleanup();
  fixtures?.cleanup();
});

type Json = CfnJson;
const only = (type: string): Json => {
  const found = Object.values(s.template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as Json;
};
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }): string =>
  s.stack.getLogicalId(construct.node.defaultChild as never);

describe('AppSync API (dev)', () => {
  it('serves schema/schema.graphql exactly as written', () => {
    expect(only('AWS::AppSync::GraphQLSchema').Properties.Definition).toBe(readSchemaSDL());
  });

  it('takes the API key by default and Cognito access tokens of its own app client as the second mode', () => {
    s.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'API_KEY',
      AdditionalAuthenticationProviders: [
        {
          AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
          UserPoolConfig: Match.objectLike({
            UserPoolId: { Ref: logicalIdOf(s.stack.userPool) },
            AppIdClientRegex: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          }),
        },
      ],
    });
  });

  it('limits query depth and resolver count, keeps introspection as dev settings say, traces with X-Ray', () => {
    s.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      QueryDepthLimit: settings.api.queryDepthLimit,
      ResolverCountLimit: settings.api.resolverCountLimit,
      IntrospectionConfig: 'ENABLED',
      XrayEnabled: true,
    });
  });

  it('logs field errors without verbose content (no arguments, headers or tokens) to its own log group', () => {
    const api = only('AWS::AppSync::GraphQLApi');
    expect(api.Properties.LogConfig).toMatchObject({ FieldLogLevel: 'ERROR', ExcludeVerboseContent: true });
    s.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['/aws/appsync/apis/', Match.anyValue()]] },
      RetentionInDays: settings.logRetentionDays,
    });
    // No log-retention custom resource (a Lambda with a managed policy on "*").
    expect(s.template.findResources('Custom::LogRetention')).toEqual({});
  });

  it('issues an API key that expires after the configured number of days', () => {
    const key = only('AWS::AppSync::ApiKey');
    const days = (key.Properties.Expires * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(settings.api.apiKeyExpiryDays - 1);
    expect(days).toBeLessThanOrEqual(settings.api.apiKeyExpiryDays);
  });

  it('gives every wired field an APPSYNC_JS unit resolver on its own function, from the built bundle', () => {
    const resolvers = Object.values(s.template.findResources('AWS::AppSync::Resolver')) as Json[];
    expect(resolvers).toHaveLength(OPERATIONS.length);
    const sources = s.template.findResources('AWS::AppSync::DataSource');
    for (const o of OPERATIONS) {
      const r = resolvers.find(
        (x) => x.Properties.TypeName === o.typeName && x.Properties.FieldName === o.fieldName,
      );
      expect(r, resolverFileOf(o)).toBeDefined();
      expect(r!.Properties).toMatchObject({
        Kind: 'UNIT',
        Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
      });
      // The data source behind the resolver invokes this operation's function and no other.
      const sourceName = r!.Properties.DataSourceName as unknown;
      const source = Object.entries(sources).find(
        ([id, d]) =>
          JSON.stringify(sourceName) === JSON.stringify({ 'Fn::GetAtt': [id, 'Name'] }) ||
          (d as Json).Properties.Name === sourceName,
      );
      expect(source, `data source of ${resolverFileOf(o)}`).toBeDefined();
      const fnId = logicalIdOf(s.stack.functions.get(resolverFileOf(o))!.fn);
      expect((source![1] as Json).Properties).toMatchObject({
        Type: 'AWS_LAMBDA',
        LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] } },
      });
      // The deployed code is byte for byte the bundle infra/resolver-bundles.ts built.
      const key = JSON.stringify(r!.Properties.CodeS3Location).match(/([0-9a-f]{64}\.js)/)![1]!;
      expect(readFileSync(join(s.outdir, `asset.${key}`), 'utf8')).toBe(
        readFileSync(join(s.resolverBundlesDir, `${resolverFileOf(o)}.js`), 'utf8'),
      );
    }
  });
});

describe('Lambda functions (dev)', () => {
  // The operations' functions, each named after its operation; the one unnamed function is CDK's
  // deploy-time provider that copies the client secret into Secrets Manager.
  const functions = (): Json[] =>
    (Object.values(s.template.findResources('AWS::Lambda::Function')) as Json[]).filter(
      (fn) => fn.Properties.FunctionName !== undefined,
    );

  it('creates one Node.js 22 arm64 function per operation, with X-Ray and a source-mapped handler', () => {
    // Plus the daily orphaned-object sweep.
    expect(functions()).toHaveLength(OPERATIONS.length + 1);
    for (const fn of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('sets exactly the environment functions/runtime/config.ts reads, from the settings, and no local endpoints', () => {
    for (const [name, f] of s.stack.functions) {
      const vars = (s.template.toJSON().Resources[logicalIdOf(f.fn)] as Json).Properties.Environment
        .Variables;
      expect(vars, name).toMatchObject({
        [ENV.userPoolId]: { Ref: logicalIdOf(s.stack.userPool) },
        [ENV.userPoolClientId]: { Ref: logicalIdOf(s.stack.userPoolClient) },
        [ENV.mfaBucket]: { Ref: logicalIdOf(s.stack.bucket) },
        [ENV.mfaIssuer]: settings.mfa.issuer,
        [ENV.qrUrlTtlSeconds]: String(settings.qrCode.urlExpirySeconds),
        [ENV.adminGroup]: settings.adminGroup,
        [ENV.enrolmentSessionSeconds]: String(settings.mfa.enrolmentSessionMinutes * 60),
        [ENV.uniformResponseMs]: String(settings.uniformResponseMs),
        [ENV.signOutSettleMs]: String(settings.signOutSettleMs),
        POWERTOOLS_SERVICE_NAME: settings.name,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      });
      // Local-only endpoints are never set on AWS; AWS_REGION is set by Lambda itself.
      for (const absent of [ENV.cognitoEndpoint, ENV.s3Endpoint, ENV.region])
        expect(vars).not.toHaveProperty(absent);
    }
  });

  it('gives each function its own log group with the configured retention', () => {
    for (const [name, f] of s.stack.functions) {
      const fn = s.template.toJSON().Resources[logicalIdOf(f.fn)] as Json;
      const groupId = logicalIdOf(f.logGroup);
      expect(fn.Properties.LoggingConfig.LogGroup, name).toEqual({ Ref: groupId });
      expect((s.template.toJSON().Resources[groupId] as Json).Properties.RetentionInDays).toBe(
        settings.logRetentionDays,
      );
    }
  });

  it('bundles with the local esbuild: minified ESM with a source map that runs in plain Node with its SDK', () => {
    const f = s.stack.functions.get('Mutation.createUser')!;
    const fn = s.template.toJSON().Resources[logicalIdOf(f.fn)] as Json;
    const hash = (fn.Properties.Code.S3Key as string).replace('.zip', '');
    const dir = join(s.outdir, `asset.${hash}`);
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.length).toBeGreaterThan(100_000); // the SDK is inside, not left to the runtime
    expect(code.length / code.split('\n').length).toBeGreaterThan(2_000); // minified: long lines
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(join(dir, 'index.mjs'))});
         const env = { USER_POOL_ID: 'eu-west-1_x', USER_POOL_CLIENT_ID: 'c', AWS_REGION: 'eu-west-1',
           MFA_BUCKET: 'bucket', MFA_ISSUER: 'AuthApi', QR_URL_TTL_SECONDS: '300', ADMIN_GROUP: 'admins',
           ENROLMENT_SESSION_SECONDS: '600',
           PASSWORD_POLICY: ${JSON.stringify(passwordPolicyEnv(settingsFor('dev')))} };
         console.log(JSON.stringify(await handler({ env })));`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ region: 'eu-west-1', pool: 'eu-west-1_x' });
  });
});

describe('IAM: each function holds exactly what its wiring row lists', () => {
  for (const o of OPERATIONS) {
    const grants = [...o.cognito, ...o.bucket, ...(o.guessBounds ? ['guess bounds'] : [])];
    it(`${resolverFileOf(o)}: ${grants.join(', ') || 'no Cognito, S3 or DynamoDB permission'}`, () => {
      const f = s.stack.functions.get(resolverFileOf(o))!;
      const roleId = logicalIdOf(f.role);
      const role = s.template.toJSON().Resources[roleId] as Json;
      // No managed policies (AWSLambdaBasicExecutionRole would allow writing to every log group).
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);

      const statements = statementsOfRole(s.template, roleId);
      expect(statements.every((st) => st.effect === 'Allow')).toBe(true);
      const expected = [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        ...o.cognito.map((a) => `cognito-idp:${a}`),
        ...o.bucket.map((b) => S3_ACTIONS[b]),
        ...(o.clientSecret && settings.clientSecret
          ? ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']
          : []),
        ...(o.guessBounds ? ['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'] : []),
      ];
      expect(statements.flatMap((st) => st.actions).sort()).toEqual([...new Set(expected)].sort());

      for (const st of statements) {
        const service = st.actions[0]!.split(':')[0];
        expect(st.actions.every((a) => a.startsWith(`${service}:`))).toBe(true);
        if (service === 'xray') expect(st.resources).toEqual(['*']);
        else expect(st.resources).not.toContain('*');
        if (service === 'logs')
          expect(st.resources).toEqual([{ 'Fn::GetAtt': [logicalIdOf(f.logGroup), 'Arn'] }]);
        if (service === 'cognito-idp') {
          expect(st.resources).toEqual([{ 'Fn::GetAtt': [logicalIdOf(s.stack.userPool), 'Arn'] }]);
        }
        if (service === 'secretsmanager') {
          expect(st.resources).toEqual([{ Ref: logicalIdOf(s.stack.clientSecret!) }]);
        }
        if (service === 's3') {
          expect(st.resources).toEqual([
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(s.stack.bucket), 'Arn'] }, '/*']] },
          ]);
        }
        if (service === 'dynamodb') {
          // The table itself: no index, no stream, no other table.
          expect(st.resources).toEqual([{ 'Fn::GetAtt': [logicalIdOf(s.stack.guessTable), 'Arn'] }]);
        }
      }
      const environment = (s.template.toJSON().Resources[logicalIdOf(f.fn)] as Json).Properties.Environment
        .Variables as Record<string, unknown>;
      expect('GUESS_TABLE' in environment).toBe(o.guessBounds);
    });
  }

  it('keeps guess counts in an on-demand table whose items expire by TTL', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('lets AppSync invoke each function through its own data source role, and nothing else', () => {
    const roles = s.template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'appsync.amazonaws.com' } })],
        },
      },
    });
    for (const roleId of Object.keys(roles)) {
      for (const st of statementsOfRole(s.template, roleId)) {
        expect(st.resources).not.toContain('*');
        expect(
          st.actions.every((a) =>
            ['lambda:InvokeFunction', 'logs:CreateLogStream', 'logs:PutLogEvents'].includes(a),
          ),
        ).toBe(true);
      }
    }
  });
});

describe('the orphaned-object sweep', () => {
  it('runs daily with exactly: AdminGetUser on the pool, ListBucket and DeleteObject on the per-user prefixes', () => {
    const sweeper = s.stack.orphanSweeper;
    const roleId = s.stack.getLogicalId(sweeper.fn.role!.node.defaultChild as never);
    const statements = statementsOfRole(s.template, roleId);
    expect(statements.flatMap((st) => st.actions).sort()).toEqual(
      [
        'cognito-idp:AdminGetUser',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:DeleteObject',
        's3:ListBucket',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    const bucketArn = { 'Fn::GetAtt': [logicalIdOf(s.stack.bucket), 'Arn'] };
    const del = statements.find((st) => st.actions.includes('s3:DeleteObject'))!;
    expect(del.resources).toEqual(
      USER_OBJECT_PREFIXES.map((p) => ({ 'Fn::Join': ['', [bucketArn, `/${p}*`]] })),
    );
    const policies = JSON.stringify(s.template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(
      JSON.stringify({ StringLike: { 's3:prefix': USER_OBJECT_PREFIXES.map((p) => `${p}*`) } }),
    );
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
    });
  });
});

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
    const secrets = s.template.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(1);
    const secret = Object.values(secrets)[0] as Json;
    // A reference to the client's ClientSecret (read at deploy time), not a literal string.
    expect(typeof secret.Properties.SecretString).not.toBe('string');
    expect(JSON.stringify(secret.Properties.SecretString)).toContain('UserPoolClient.ClientSecret');
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
