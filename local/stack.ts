/**
 * The whole API on one machine, in one process: local Cognito, S3 and mailbox, and the local AppSync
 * running the deployed resolver bundles against the real function handlers, wired by the same table
 * and settings the CDK stack reads.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRemoteJWKSet } from 'jose';
import { GUESS_TABLE } from '../functions/domain/guess-bounds';
import { ENV } from '../functions/runtime/config';
import { logger } from '../functions/runtime/logger';
import { useClock } from '../functions/runtime/operation';
import { functionEnvironment, type LogLevel } from '../infra/function-environment';
import { buildResolvers, bundlePathOf } from '../infra/resolver-bundles';
import { FUNCTIONS_DIR, readLocalSchemaSDL } from '../infra/paths';
import { guessTableName, recoveryKeyNameOf, settingsFor, type Settings } from '../infra/settings';
import { OPERATIONS, resolverFileOf, type Operation } from '../infra/wiring';
import { LocalAppSync } from './appsync/engine';
import { useConcurrentInvocations, type LambdaHandler } from './appsync/lambda-invoke';
import { ResolverCode } from './appsync/resolver-code';
import { startServer } from './appsync/server';
import type { WiredField } from './appsync/unit-resolver';
import { startLocalCognito } from './cognito';
import { startLocalDynamoDB } from './dynamodb';
import { createFaults, type Faults } from './faults';
import { createMailbox, type Mailbox } from './mailbox';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from './s3';
import { startLocalSecrets } from './secrets';

/** The keys of outputs.local.json (README, Quick start): a deployed environment exposes the first five too. */
export interface LocalOutputs {
  graphqlUrl: string;
  apiKey: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  s3Endpoint: string;
  mfaBucket: string;
  mailboxUrl: string;
}

export interface LocalStackOptions {
  /** Where every service keeps its state (`.local/` for `npm start`). */
  stateDir: string;
  /** 0 = a free port. */
  ports?: { api?: number; cognito?: number; s3?: number };
  settings?: Settings;
  /** Console lines: mailbox notices, resolver and function failures. */
  log?: (line: string) => void;
  /** Test clock for the local Cognito and the functions (session, code and password expiry). */
  now?: () => number;
  /**
   * The local Cognito's revocation window after a global sign-out (local/cognito/README.md; off unless set):
   * sign-ins this soon after one are revoked with it, as reported of real pools.
   */
  cognitoRevocationWindowMs?: number;
  /** Powertools log level of the functions (their JSON lines go to stdout). Default INFO. */
  functionLogLevel?: LogLevel;
  /**
   * Put a fault proxy (local/faults) between the functions and the local Cognito and S3, so tests can
   * make a chosen call fail. Off for `npm start`.
   */
  faults?: boolean;
}

export interface LocalStack {
  outputs: LocalOutputs;
  mailbox: Mailbox;
  /** The operations served: every row of the wiring table. */
  operations: readonly Operation[];
  /** Set when started with `faults: true`. */
  faults?: Faults;
  close(): Promise<void>;
}

/** The recovery-code key, made once per state folder (a Secrets Manager generated secret on AWS). */
function localRecoveryKey(stateDir: string): string {
  const file = join(stateDir, 'recovery-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** The API key survives restarts, so saved GraphiQL tabs and scripts keep working. */
function localApiKey(stateDir: string): string {
  const file = join(stateDir, 'api-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `da2-${randomBytes(13).toString('hex')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

const handlerFile = (o: Operation): string => join(FUNCTIONS_DIR, o.functionName, 'handler.ts');

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  await useConcurrentInvocations();
  const settings = options.settings ?? settingsFor('local');
  const log = options.log ?? ((line: string) => console.log(line));
  mkdirSync(options.stateDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };

  try {
    const mailbox = createMailbox({ dataDir: join(options.stateDir, 'mailbox'), log });
    const cognito = await startLocalCognito({
      dataDir: join(options.stateDir, 'cognito'),
      port: options.ports?.cognito ?? 0,
      settings,
      sendMessage: mailbox.send,
      ...(options.now ? { now: options.now } : {}),
      ...(options.cognitoRevocationWindowMs ? { revocationWindowMs: options.cognitoRevocationWindowMs } : {}),
    });
    closers.push(() => cognito.close());
    const mfaBucket = `${settings.name}-mfa`;
    const s3 = await startLocalS3({
      dataDir: join(options.stateDir, 's3'),
      port: options.ports?.s3 ?? 0,
      buckets: [mfaBucket],
    });
    closers.push(() => s3.close());
    const guessTable = guessTableName(settings);
    const dynamodb = await startLocalDynamoDB({
      dataDir: join(options.stateDir, 'dynamodb'),
      region: cognito.region,
      tables: [{ name: guessTable, ...GUESS_TABLE }],
    });
    closers.push(() => dynamodb.close());

    const faults = options.faults ? createFaults() : undefined;
    const functionEndpoints = { cognito: cognito.endpoint, s3: s3.endpoint };
    if (faults) {
      for (const service of ['cognito', 's3'] as const) {
        const proxy = await faults.proxy(service, functionEndpoints[service]);
        closers.push(() => proxy.close());
        functionEndpoints[service] = proxy.endpoint;
      }
    }

    // Secrets reach the functions as they do on AWS: by their Secrets Manager id, read through the
    // SDK once per cold start, never as a value in the environment. The recovery-code key is kept in
    // the state folder, so recovery codes issued before a restart still match their hashes.
    const clientSecretName = `${settings.name}-app-client-secret`;
    const recoveryKeyName = recoveryKeyNameOf(settings);
    const secrets = await startLocalSecrets({
      secrets: {
        [recoveryKeyName]: localRecoveryKey(options.stateDir),
        ...(cognito.userPoolClientSecret ? { [clientSecretName]: cognito.userPoolClientSecret } : {}),
      },
      region: cognito.region,
    });
    closers.push(() => secrets.close());
    const secretsEnv: Record<string, string> = {
      [ENV.secretsEndpoint]: secrets.endpoint,
      [ENV.recoveryKeyId]: secrets.arnOf(recoveryKeyName),
      ...(cognito.userPoolClientSecret ? { [ENV.clientSecretId]: secrets.arnOf(clientSecretName) } : {}),
    };
    // A previous start in this process may have set it.
    if (!cognito.userPoolClientSecret) delete process.env[ENV.clientSecretId];

    // The functions read their configuration from the environment, as on Lambda. Set before any
    // handler module is imported (they read it once, at cold start).
    Object.assign(process.env, {
      ...secretsEnv,
      [ENV.userPoolId]: cognito.userPoolId,
      [ENV.userPoolClientId]: cognito.userPoolClientId,
      [ENV.region]: cognito.region,
      [ENV.mfaBucket]: mfaBucket,
      [ENV.guessTable]: guessTable,
      [ENV.dynamodbEndpoint]: dynamodb.endpoint,
      ...functionEnvironment(settings, options.functionLogLevel),
      [ENV.cognitoEndpoint]: functionEndpoints.cognito,
      [ENV.s3Endpoint]: functionEndpoints.s3,
      // s3rver accepts only its own account; the local Cognito ignores credentials.
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    });

    // The functions' logger is made once per process, maybe before this start set its level: set it.
    logger.setLogLevel(options.functionLogLevel ?? 'INFO');
    if (options.now) {
      const now = options.now;
      useClock(() => new Date(now()));
    }
    buildResolvers();
    // buildResolvers checked the wiring: every row has its resolver and its function's handler.
    const fields = new Map<string, WiredField>();
    for (const o of OPERATIONS) {
      const module = (await import(pathToFileURL(handlerFile(o)).href)) as { handler?: LambdaHandler };
      if (typeof module.handler !== 'function') {
        throw new Error(`functions/${o.functionName}/handler.ts must export a "handler" function`);
      }
      const name = resolverFileOf(o);
      fields.set(name, {
        code: new ResolverCode(bundlePathOf(name)),
        functionName: o.functionName,
        handler: module.handler,
      });
    }

    const apiKey = localApiKey(options.stateDir);
    const engine = new LocalAppSync({
      schemaSDL: readLocalSchemaSDL(),
      fields,
      auth: {
        apiKeys: () => [apiKey],
        cognito: {
          issuer: cognito.issuer,
          jwks: createRemoteJWKSet(new URL(cognito.jwksUrl)),
          clientIds: [cognito.userPoolClientId],
        },
      },
      limits: {
        queryDepth: settings.api.queryDepthLimit,
        resolverCount: settings.api.resolverCountLimit,
        maxRequestBytes: settings.api.maxRequestBytes,
        introspection: settings.api.introspection,
      },
      log,
    });
    const server = await startServer({
      engine,
      apiKey,
      port: options.ports?.api ?? 0,
      routes: { '/mailbox': (req, res) => mailbox.handle(req, res) },
    });
    closers.push(() => server.close());

    return {
      outputs: {
        graphqlUrl: server.graphqlUrl,
        apiKey,
        region: cognito.region,
        userPoolId: cognito.userPoolId,
        userPoolClientId: cognito.userPoolClientId,
        cognitoEndpoint: cognito.endpoint,
        s3Endpoint: s3.endpoint,
        mfaBucket,
        mailboxUrl: `${server.url}/mailbox`,
      },
      mailbox,
      operations: OPERATIONS,
      ...(faults ? { faults } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
