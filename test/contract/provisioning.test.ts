/**
 * The AWS road of the contract tests, proven without an AWS account: the provisioning and clean-up
 * code (aws-pool.ts, aws-bucket.ts, cleanup.ts, sweep.ts) runs unchanged against local endpoints
 * through its endpoint override.
 *
 * - Cognito: plain cognito-local (./cognito-local-server.ts) answers every call of the provisioning.
 *   The local Cognito (startLocalCognito) answers them all but one: its router completes
 *   DescribeUserPoolClient for its own pool's client only, and refuses any other client with
 *   ResourceNotFoundException; that refusal serves here to prove a half-made pool is deleted.
 * - S3: the local S3 (startLocalS3) answers CreateBucket, ListBuckets, ListObjectsV2, DeleteObjects and
 *   DeleteBucket; the bucket settings s3rver does not implement are answered and recorded by a proxy
 *   (./s3-gaps.ts), so what is asked for can be checked, not what S3 then does with it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  GetUserPoolMfaConfigCommand,
  type DescribeUserPoolClientCommandOutput,
  type DescribeUserPoolCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PASSWORD_POLICY, settingsFor, type Settings } from '../../infra/settings';
import { startLocalCognito } from '../../local/cognito';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from '../../local/s3';
import { REQUIRED_MFA_PUBLIC_CLIENT } from '../local-cognito/harness';
import { createContractBucket, listBuckets, type ContractBucket } from './aws-bucket';
import type { EndpointOverride } from './aws-env';
import {
  cognitoIssuer,
  createContractPool,
  listUserPools,
  tierFor,
  userPoolClientInput,
  userPoolInput,
  type ContractPool,
} from './aws-pool';
import { pendingResources } from './cleanup';
import { startCognitoLocal, type CognitoLocalServer } from './cognito-local-server';
import { createdAtOf, isContractName, STALE_AFTER_MS } from './names';
import { startS3GapProxy, type S3GapProxy } from './s3-gaps';
import { sweep } from './sweep';
import { deleteLeftoversAfterSuite } from './target';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/provision-and-wait.ts', import.meta.url));
const NAME = /^auth-api-contract-\d{13}-[a-z0-9]{6}$/;
const HOUR = 60 * 60_000;

let dir: string;
let plain: CognitoLocalServer;
let s3: LocalS3;
let proxy: S3GapProxy;
let cognito: CognitoIdentityProviderClient;
let buckets: S3Client;

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const via = (url: string): EndpointOverride => ({ url, region: 'us-east-1', credentials: localCredentials });
const cognitoVia = () => via(plain.endpoint);
const s3Via = (): EndpointOverride => ({
  url: proxy.endpoint,
  region: 'us-east-1',
  credentials: LOCAL_S3_CREDENTIALS,
});

const poolNames = async () => (await listUserPools(cognito)).map((p) => p.Name);
const bucketNames = async () => (await listBuckets(buckets)).map((b) => b.Name);
const contractNames = async () => [...(await poolNames()), ...(await bucketNames())].filter(isContractName);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contract-provisioning-'));
  plain = await startCognitoLocal(join(dir, 'cognito-local'));
  s3 = await startLocalS3({ dataDir: join(dir, 's3'), buckets: [] });
  proxy = await startS3GapProxy(s3.endpoint);
  cognito = new CognitoIdentityProviderClient({
    endpoint: plain.endpoint,
    region: 'us-east-1',
    credentials: localCredentials,
  });
  buckets = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...LOCAL_S3_CREDENTIALS },
  });
});

afterAll(async () => {
  cognito?.destroy();
  buckets?.destroy();
  await proxy?.close();
  await s3?.close();
  await plain?.close();
  await rm(dir, { recursive: true, force: true });
});

const pick = <T extends object, K extends keyof T>(value: T | undefined, keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, value?.[k]]));

const POOL_OPTIONS = [
  'UsernameAttributes',
  'UsernameConfiguration',
  'AutoVerifiedAttributes',
  'MfaConfiguration',
  'Policies',
  'AccountRecoverySetting',
  'AdminCreateUserConfig',
  'VerificationMessageTemplate',
  'EmailConfiguration',
] as const satisfies readonly (keyof NonNullable<DescribeUserPoolCommandOutput['UserPool']>)[];

/** Stored by cognito-local, so compared as DescribeUserPoolClient answers them. */
const CLIENT_OPTIONS = [
  'ClientName',
  'ExplicitAuthFlows',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'AccessTokenValidity',
  'IdTokenValidity',
  'RefreshTokenValidity',
  'TokenValidityUnits',
] as const satisfies readonly (keyof NonNullable<DescribeUserPoolClientCommandOutput['UserPoolClient']>)[];

/** Dropped by cognito-local's CreateUserPoolClient: compared as sent. */
const CLIENT_OPTIONS_SENT = ['AuthSessionValidity', 'RefreshTokenRotation'] as const;

const rotating: Settings = {
  ...REQUIRED_MFA_PUBLIC_CLIENT,
  passwordPolicy: LEGACY_PASSWORD_POLICY,
  tokens: { ...REQUIRED_MFA_PUBLIC_CLIENT.tokens, refreshTokenRotation: { retryGracePeriodSeconds: 10 } },
};
const VARIANTS = [
  { label: "the API's settings: MFA OPTIONAL, a client secret", settings: settingsFor('local') },
  { label: 'MFA ON, a public client', settings: REQUIRED_MFA_PUBLIC_CLIENT },
  { label: 'refresh-token rotation, the legacy password policy', settings: rotating },
];

describe('user pool', () => {
  it.for(VARIANTS)(
    'creates a pool, app client and admin group with the options the local Cognito gets from $label',
    async ({ settings }) => {
      const localDir = await mkdtemp(join(tmpdir(), 'contract-local-cognito-'));
      const local = await startLocalCognito({ dataDir: localDir, settings, sendMessage: async () => {} });
      const localClient = new CognitoIdentityProviderClient({
        endpoint: local.endpoint,
        region: local.region,
        credentials: localCredentials,
      });
      const before = Date.now();
      const pool = await createContractPool(settings, { endpoint: cognitoVia() });
      try {
        expect(pool.name).toMatch(NAME);
        expect(createdAtOf(pool.name)).toBeGreaterThanOrEqual(before);
        expect(pendingResources()).toContain(`user pool ${pool.name} (${pool.userPoolId})`);

        const describePool = (client: CognitoIdentityProviderClient, UserPoolId: string) =>
          client.send(new DescribeUserPoolCommand({ UserPoolId })).then((r) => r.UserPool);
        const made = await describePool(cognito, pool.userPoolId);
        const reference = await describePool(localClient, local.userPoolId);
        expect(pick(made, POOL_OPTIONS)).toEqual(pick(reference, POOL_OPTIONS));
        expect(made?.MfaConfiguration).toBe(settings.mfa.poolMfa);
        expect(made?.Name).toBe(pool.name);
        expect(made?.UserPoolTags).toMatchObject({ 'auth-api-contract': 'throw-away' });
        const mfa = (client: CognitoIdentityProviderClient, UserPoolId: string) =>
          client.send(new GetUserPoolMfaConfigCommand({ UserPoolId })).then((r) => ({
            MfaConfiguration: r.MfaConfiguration,
            SoftwareTokenMfaConfiguration: r.SoftwareTokenMfaConfiguration,
          }));
        expect(await mfa(cognito, pool.userPoolId)).toEqual(await mfa(localClient, local.userPoolId));
        expect(await mfa(cognito, pool.userPoolId)).toEqual({
          MfaConfiguration: settings.mfa.poolMfa,
          SoftwareTokenMfaConfiguration: { Enabled: true },
        });
        // What cognito-local does not store, as sent: deletable, on the plan the settings need.
        const sentPool = userPoolInput(settings, pool.name, before);
        expect(sentPool.DeletionProtection).toBe('INACTIVE');
        expect(sentPool.UserPoolTier).toBe(settings.tokens.refreshTokenRotation ? 'ESSENTIALS' : 'LITE');
        expect(tierFor({ ...settings, featurePlan: 'PLUS' })).toBe('PLUS');

        const describeClient = (
          client: CognitoIdentityProviderClient,
          UserPoolId: string,
          ClientId: string,
        ) =>
          client
            .send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }))
            .then((r) => r.UserPoolClient);
        const app = await describeClient(cognito, pool.userPoolId, pool.userPoolClientId);
        const referenceApp = await describeClient(localClient, local.userPoolId, local.userPoolClientId);
        expect(pick(app, CLIENT_OPTIONS)).toEqual(pick(referenceApp, CLIENT_OPTIONS));
        expect(pick(userPoolClientInput(settings, pool.userPoolId), CLIENT_OPTIONS_SENT)).toEqual(
          pick(referenceApp, CLIENT_OPTIONS_SENT),
        );
        if (settings.clientSecret) {
          expect(pool.userPoolClientSecret).toBeTruthy();
          expect(pool.userPoolClientSecret).toBe(app?.ClientSecret);
        } else {
          expect(pool.userPoolClientSecret).toBeUndefined();
          expect(app?.ClientSecret).toBeUndefined();
        }

        const { Group } = await cognito.send(
          new GetGroupCommand({ UserPoolId: pool.userPoolId, GroupName: settings.adminGroup }),
        );
        expect(Group?.GroupName).toBe(settings.adminGroup);
        expect(pool.endpoint).toBe(plain.endpoint);
        expect(pool.issuer).toBe(`${plain.endpoint}/${pool.userPoolId}`);
        expect(pool.jwksUrl).toBe(`${pool.issuer}/.well-known/jwks.json`);
      } finally {
        await pool.close();
        localClient.destroy();
        await local.close();
        await rm(localDir, { recursive: true, force: true });
      }
      expect(await contractNames()).toEqual([]);
      await expect(
        cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      expect(pendingResources()).toEqual([]);
      await pool.close(); // a second close is harmless
    },
  );

  it("names a real pool's issuer after the regional endpoint the SDK resolves", () => {
    const issuer = new URL(cognitoIssuer('eu-west-1', 'eu-west-1_AbCdEfGhI'));
    expect(issuer.protocol).toBe('https:');
    expect(issuer.hostname.split('.').slice(0, 2)).toEqual(['cognito-idp', 'eu-west-1']);
    expect(issuer.pathname).toBe('/eu-west-1_AbCdEfGhI');
  });

  it('deletes a half-made pool when a step fails (the local Cognito refuses DescribeUserPoolClient for it)', async () => {
    // local/cognito/router.ts completes DescribeUserPoolClient with its own pool's client settings and
    // answers ResourceNotFoundException for a client of any other pool: CreateUserPool,
    // SetUserPoolMfaConfig and CreateUserPoolClient have succeeded by then.
    const localDir = await mkdtemp(join(tmpdir(), 'contract-local-cognito-'));
    const local = await startLocalCognito({
      dataDir: localDir,
      settings: settingsFor('local'),
      sendMessage: async () => {},
    });
    const localClient = new CognitoIdentityProviderClient({
      endpoint: local.endpoint,
      region: local.region,
      credentials: localCredentials,
    });
    try {
      const failure = await createContractPool(settingsFor('local'), { endpoint: via(local.endpoint) }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure?.message).toMatch(/^could not create the throw-away user pool auth-api-contract-/);
      expect((failure?.cause as Error | undefined)?.name).toBe('ResourceNotFoundException');
      expect((await listUserPools(localClient)).map((p) => p.Name)).toEqual([settingsFor('local').name]);
      expect(pendingResources()).toEqual([]);
    } finally {
      localClient.destroy();
      await local.close();
      await rm(localDir, { recursive: true, force: true });
    }
  });
});

describe('bucket', () => {
  it('creates a private SSE-S3 bucket with the prefix, and close() empties and deletes it', async () => {
    const bucket = await createContractBucket({ endpoint: s3Via() });
    const client = new S3Client(bucket.clientConfig);
    try {
      expect(bucket.name).toMatch(NAME);
      expect(await bucketNames()).toContain(bucket.name);
      await client.send(new HeadBucketCommand({ Bucket: bucket.name }));
      const asked = proxy.calls.filter((c) => c.bucket === bucket.name);
      expect(asked.map((c) => c.subresource)).toEqual(['publicAccessBlock', 'encryption', 'tagging']);
      for (const block of [
        'BlockPublicAcls',
        'IgnorePublicAcls',
        'BlockPublicPolicy',
        'RestrictPublicBuckets',
      ]) {
        expect(asked[0]?.body).toContain(`<${block}>true</${block}>`);
      }
      expect(asked[1]?.body).toContain('<SSEAlgorithm>AES256</SSEAlgorithm>');
      expect(asked[2]?.body).toContain('<Key>auth-api-contract</Key><Value>throw-away</Value>');
      for (const Key of ['a.png', 'qr/b.png', 'codes/c']) {
        await client.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: 'x' }));
      }
    } finally {
      client.destroy();
      await bucket.close();
    }
    expect(proxy.calls.filter((c) => c.bucket === bucket.name).map((c) => c.subresource)).toContain(
      'uploads',
    );
    expect(await contractNames()).toEqual([]);
    await expect(buckets.send(new HeadBucketCommand({ Bucket: bucket.name }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    expect(pendingResources()).toEqual([]);
    await bucket.close();
  });
});

const madeByTheFailingTest: string[] = [];

describe('a test whose body throws', () => {
  let pool: ContractPool | undefined;
  let bucket: ContractBucket | undefined;
  // As the contract test files do: provisioned in beforeAll, closed in afterAll.
  beforeAll(async () => {
    pool = await createContractPool(settingsFor('local'), { endpoint: cognitoVia() });
    bucket = await createContractBucket({ endpoint: s3Via() });
    madeByTheFailingTest.push(pool.name, bucket.name);
  });
  afterAll(async () => {
    await pool?.close();
    await bucket?.close();
  });

  it.fails('fails after using the pool and the bucket', async () => {
    const client = new S3Client(bucket!.clientConfig);
    await client.send(new PutObjectCommand({ Bucket: bucket!.name, Key: 'left.png', Body: 'x' }));
    client.destroy();
    throw new Error('a contract test failed');
  });
});

it('leaves nothing with the prefix behind after that failing test', async () => {
  expect(madeByTheFailingTest).toHaveLength(2);
  expect(await contractNames()).toEqual([]);
  expect(pendingResources()).toEqual([]);
});

const neverClosed: string[] = [];

describe('a test that provisions and never deletes', () => {
  // What the aws target installs for every test file (target.ts): clean-up after the suite.
  deleteLeftoversAfterSuite();

  it.fails('fails with a pool and a bucket it did not close', async () => {
    neverClosed.push((await createContractPool(settingsFor('local'), { endpoint: cognitoVia() })).name);
    neverClosed.push((await createContractBucket({ endpoint: s3Via() })).name);
    expect(await contractNames()).toEqual(expect.arrayContaining(neverClosed));
    throw new Error('a contract test failed before its clean-up');
  });
});

it('has them deleted once the suite is over', async () => {
  expect(neverClosed).toHaveLength(2);
  expect(await contractNames()).toEqual([]);
  expect(pendingResources()).toEqual([]);
});

/** The first line the child writes, or its stderr if it ends first. */
async function firstLine(child: ReturnType<typeof spawn>): Promise<string> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
    child.once('exit', (code) =>
      reject(new Error(`the fixture ended (${code}) before provisioning:\n${err}`)),
    );
  });
}

describe('signals', () => {
  it.for(['SIGTERM', 'SIGINT'] as const)(
    'deletes what a process made when it gets %s, then ends by that signal',
    { timeout: 60_000 },
    async (signal) => {
      const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
        cwd: ROOT,
        env: { ...process.env, CONTRACT_COGNITO_URL: plain.endpoint, CONTRACT_S3_URL: proxy.endpoint },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const made = JSON.parse(await firstLine(child)) as { pool: string; bucket: string };
        expect(await contractNames()).toEqual(expect.arrayContaining([made.pool, made.bucket]));
        const exited = once(child, 'exit');
        child.kill(signal);
        const [, endedBy] = await exited;
        expect(endedBy).toBe(signal);
        expect(await contractNames()).toEqual([]);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('finishes the deletions in a detached process after a second Ctrl-C ends the first one at once', async () => {
    // Its own process group, as a terminal's foreground job is: Ctrl-C signals the whole group.
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, CONTRACT_COGNITO_URL: plain.endpoint, CONTRACT_S3_URL: proxy.endpoint },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const group = -(child.pid as number);
    try {
      await firstLine(child);
      const reaping = new Promise<void>((resolve) =>
        child.stderr?.on('data', (chunk: Buffer) => chunk.toString().includes('reaper process') && resolve()),
      );
      const exited = once(child, 'exit');
      process.kill(group, 'SIGINT');
      await reaping;
      process.kill(group, 'SIGINT');
      expect((await exited)[0]).toBe(130);
      // The reaper is a fresh process (tsx and the SDK to load): up to 20 s on a busy machine.
      for (let i = 0; i < 200 && (await contractNames()).length > 0; i++) await sleep(100);
      expect(await contractNames()).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

describe('sweep', () => {
  it('deletes leftovers older than an hour, and keeps fresh ones and everything without the prefix', async () => {
    const twoHoursAgo = () => Date.now() - 2 * HOUR;
    const oldPool = await createContractPool(settingsFor('local'), {
      endpoint: cognitoVia(),
      now: twoHoursAgo,
    });
    const freshPool = await createContractPool(REQUIRED_MFA_PUBLIC_CLIENT, { endpoint: cognitoVia() });
    const otherPool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'auth-api-dev' }));
    const oldBucket = await createContractBucket({ endpoint: s3Via(), now: twoHoursAgo });
    const freshBucket = await createContractBucket({ endpoint: s3Via() });
    await buckets.send(new CreateBucketCommand({ Bucket: 'auth-api-dev-mfa' }));
    await buckets.send(new PutObjectCommand({ Bucket: oldBucket.name, Key: 'qr/left.png', Body: 'x' }));
    const options = { cognito: cognitoVia(), s3: s3Via() };
    try {
      const dry = await sweep({ ...options, dryRun: true });
      const stale = [`user pool ${oldPool.name} (${oldPool.userPoolId})`, `bucket ${oldBucket.name}`];
      expect(dry.deleted).toEqual(stale);
      expect(await contractNames()).toContain(oldPool.name);

      const report = await sweep(options);
      expect(report).toEqual({
        deleted: stale,
        kept: [`user pool ${freshPool.name} (${freshPool.userPoolId})`, `bucket ${freshBucket.name}`],
        failed: [],
      });
      expect(await poolNames()).toEqual(expect.arrayContaining([freshPool.name, 'auth-api-dev']));
      expect(await poolNames()).not.toContain(oldPool.name);
      expect(await bucketNames()).toEqual(expect.arrayContaining([freshBucket.name, 'auth-api-dev-mfa']));
      expect(await bucketNames()).not.toContain(oldBucket.name);
      // Within the hour, the fresh ones are left alone; past it, they would go too.
      expect(
        (await sweep({ ...options, dryRun: true, now: Date.now() + STALE_AFTER_MS + 60_000 })).deleted,
      ).toEqual([`user pool ${freshPool.name} (${freshPool.userPoolId})`, `bucket ${freshBucket.name}`]);
    } finally {
      // The swept ones are gone already: closing them again is harmless.
      for (const resource of [oldPool, freshPool, oldBucket, freshBucket]) await resource.close();
      await cognito.send(new DeleteUserPoolCommand({ UserPoolId: otherPool.UserPool!.Id! }));
      await buckets.send(new DeleteBucketCommand({ Bucket: 'auth-api-dev-mfa' }));
    }
    expect(await contractNames()).toEqual([]);
    expect(pendingResources()).toEqual([]);
  });
});
