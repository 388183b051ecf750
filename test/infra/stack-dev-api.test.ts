/**
 * The dev environment's API and the functions behind it, with a fixture handler for every wiring
 * row: the schema, resolvers and data sources, each function's runtime, environment, logs, bundle
 * and role, and the orphan sweep, for every operation whether or not its real handler has landed
 * yet (real handlers are covered by real-functions.test.ts). The pool, client and bucket of the same
 * stack: stack-dev-pool-bucket.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/runtime/config';
import { USER_OBJECT_PREFIXES } from '../../functions/domain/orphans';
import { ON_DEMAND_CREDENTIAL_PROVIDERS, ON_DEMAND_EVENT_STREAMS } from '../../infra/function-bundling';
import { OBJECT_PREFIXES, S3_ACTIONS } from '../../infra/operation-function';
import { readSchemaSDL } from '../../infra/paths';
import { passwordPolicyEnv, settingsFor } from '../../infra/settings';
import { OPERATIONS, resolverFileOf, type StoredObjectKind } from '../../infra/wiring';
import {
  fixtureFunctionsDir,
  lookups,
  statementsOfRole,
  synth,
  type Synthesized,
  type CfnJson,
} from './synth';

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
const { only, logicalIdOf } = lookups(() => s);

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

  it('creates one Node.js 22 arm64 function per operation, with X-Ray and no source maps by default', () => {
    // Plus the daily orphaned-object sweep.
    expect(functions()).toHaveLength(OPERATIONS.length + 1);
    for (const fn of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      // Node reads source maps only with --enable-source-maps, which slows every cold start.
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('NODE_OPTIONS');
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

  it('bundles with the local esbuild: minified ESM, no source map, that runs in plain Node with its SDK', () => {
    const f = s.stack.functions.get('Mutation.createUser')!;
    const fn = s.template.toJSON().Resources[logicalIdOf(f.fn)] as Json;
    const hash = (fn.Properties.Code.S3Key as string).replace('.zip', '');
    const dir = join(s.outdir, `asset.${hash}`);
    expect(readdirSync(dir)).toEqual(['index.mjs']);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.length).toBeGreaterThan(100_000); // the SDK is inside, not left to the runtime
    expect(code.length / code.split('\n').length).toBeGreaterThan(2_000); // minified: long lines
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    // The default chain's providers after the environment's are imported only if it has no keys, which
    // never happens on Lambda: they are not in the bundle.
    for (const provider of ON_DEMAND_CREDENTIAL_PROVIDERS) expect(code).toContain(`import("${provider}")`);
    // Nor is the event-stream serde in a function without S3 (createUser): none of its calls streams.
    expect(code).toContain(`import("${ON_DEMAND_EVENT_STREAMS}")`);
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
      {
        encoding: 'utf8',
        timeout: 30_000,
        // The execution role's keys, where Lambda puts them; no profile that would send the chain elsewhere.
        env: {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_SESSION_TOKEN: 'token',
        },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      region: 'eu-west-1',
      pool: 'eu-west-1_x',
      accessKeyId: 'AKIDEXAMPLE',
    });
  });
});

describe('IAM: each function holds exactly what its wiring row lists', () => {
  for (const o of OPERATIONS) {
    const objects = Object.entries(o.bucket).map(([kind, access]) => `${kind} ${access.join('/')}`);
    const grants = [
      ...o.cognito,
      ...objects,
      ...(o.guessBounds ? ['guess bounds'] : []),
      ...(o.mailBounds ? ['mail bounds'] : []),
    ];
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
        ...Object.values(o.bucket).flatMap((access) => access.map((a) => S3_ACTIONS[a])),
        ...((o.clientSecret && settings.clientSecret) || o.recoveryKey
          ? ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']
          : []),
        ...(o.guessBounds || o.mailBounds
          ? ['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']
          : []),
      ];
      expect([...new Set(statements.flatMap((st) => st.actions))].sort()).toEqual(
        [...new Set(expected)].sort(),
      );
      // Each secret it may read, and only those: the client secret, the recovery-code key.
      const secrets = statements
        .filter((st) => st.actions[0]!.startsWith('secretsmanager:'))
        .flatMap((st) => st.resources);
      expect(secrets).toEqual(
        expect.arrayContaining([
          ...(o.clientSecret && settings.clientSecret ? [{ Ref: logicalIdOf(s.stack.clientSecret!) }] : []),
          ...(o.recoveryKey ? [{ Ref: logicalIdOf(s.stack.recoveryKey) }] : []),
        ]),
      );
      expect(secrets).toHaveLength(Number(o.clientSecret && settings.clientSecret) + Number(o.recoveryKey));

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
        if (service === 's3' && st.actions.includes('s3:ListBucket')) {
          // Listing is on the bucket, limited by condition to one prefix (checked below).
          expect(st.actions).toEqual(['s3:ListBucket']);
          expect(st.resources).toEqual([{ 'Fn::GetAtt': [logicalIdOf(s.stack.bucket), 'Arn'] }]);
          expect(Object.values(o.bucket).some((access) => access.includes('list'))).toBe(true);
        } else if (service === 's3') {
          // One statement per kind of object, on its key prefix only, with the actions the row lists.
          const kind = (Object.keys(OBJECT_PREFIXES) as StoredObjectKind[]).find((k) =>
            JSON.stringify(st.resources).includes(`/${OBJECT_PREFIXES[k]}*`),
          );
          expect(kind).toBeDefined();
          expect(st.resources).toEqual([
            {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [logicalIdOf(s.stack.bucket), 'Arn'] }, `/${OBJECT_PREFIXES[kind!]}*`],
              ],
            },
          ]);
          expect([...st.actions].sort()).toEqual(
            [...new Set(o.bucket[kind!]!.filter((a) => a !== 'list').map((a) => S3_ACTIONS[a]))].sort(),
          );
        }
        if (service === 'dynamodb') {
          // The table itself: no index, no stream, no other table.
          expect(st.resources).toEqual([{ 'Fn::GetAtt': [logicalIdOf(s.stack.guessTable), 'Arn'] }]);
        }
      }
      const environment = (s.template.toJSON().Resources[logicalIdOf(f.fn)] as Json).Properties.Environment
        .Variables as Record<string, unknown>;
      expect('GUESS_TABLE' in environment).toBe(o.guessBounds || o.mailBounds);
      expect('RECOVERY_KEY_ID' in environment).toBe(o.recoveryKey);
    });
  }

  it('limits every function role that may list the bucket to one key prefix', () => {
    const listing = Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      ((policy as Json).Properties.PolicyDocument.Statement as Json[]).filter(
        (st) => st.Action === 's3:ListBucket',
      ),
    );
    expect(listing.length).toBeGreaterThan(0);
    for (const st of listing) {
      const prefix = st.Condition?.StringLike?.['s3:prefix'];
      const prefixes = [prefix].flat();
      expect(prefixes.length).toBeGreaterThan(0);
      for (const p of prefixes) expect(Object.values(OBJECT_PREFIXES).map((k) => `${k}*`)).toContain(p);
    }
  });

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
