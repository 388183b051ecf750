/**
 * The local Cognito: cognito-local run in-process (its HTTP server and user store) with our router in
 * front (router.ts), a pool created from infra/settings.ts, RS256 tokens from our own key, and every
 * message handed to the local mailbox. State lives under dataDir and survives restarts.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'cognito-local/lib/server/server';
import type { Services } from 'cognito-local/lib/services';
import type { Context } from 'cognito-local/lib/services/context';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery';
import { MessagesService } from 'cognito-local/lib/services/messages';
import type { Triggers } from 'cognito-local/lib/services/triggers';
import type { Settings } from '../../infra/settings';
import type { MessageSender } from '../mailbox/message';
import type { CoreServices } from './core';
import { CallLocks } from './locks';
import { sendCode } from './mail';
import { hasJsonState, importJsonState, setJsonStateAside } from './migrate';
import { ensurePool } from './pool';
import { createRouter } from './router';
import { ChallengeSessions } from './sessions';
import { LocalState } from './state';
import { Store } from './store';
import { TokenSigner } from './tokens';
import { StoreCognitoService } from './user-store';

export interface LocalCognitoOptions {
  /** Where users, groups, enrolments, sign-ins and the signing key are kept. */
  dataDir: string;
  /** 0 or undefined: a free port chosen by the system. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  settings: Settings;
  sendMessage: MessageSender;
  /** Milliseconds since the epoch; tests inject a clock to reach expiry without waiting. */
  now?: () => number;
  /**
   * After GlobalSignOut or AdminUserGlobalSignOut, sign-ins authenticated within this many
   * milliseconds are revoked too, as real pools are seen to do (aws/aws-sdk-java#2449,
   * aws/aws-sdk-js#2699). Default 0: only the sign-ins made before the sign-out.
   */
  revocationWindowMs?: number;
}

export interface LocalCognito {
  /** http://127.0.0.1:PORT, for the SDK's `endpoint`. */
  endpoint: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /**
   * The app client's secret when settings.clientSecret is on (DescribeUserPoolClient's ClientSecret):
   * SECRET_HASH and ClientSecret values are made with it. Undefined for a public client.
   */
  userPoolClientSecret?: string;
  /** The `iss` of every token: `${endpoint}/${userPoolId}`. */
  issuer: string;
  /** `${issuer}/.well-known/jwks.json`. */
  jwksUrl: string;
  close(): Promise<void>;
}

export async function startLocalCognito(options: LocalCognitoOptions): Promise<LocalCognito> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });

  // cognito-local logs through pino, at debug level with whole user records (passwords included):
  // a silent logger keeps secrets out of every log.
  const fromCognitoLocal = createRequire(
    createRequire(import.meta.url).resolve('cognito-local/package.json'),
  );
  const pino = fromCognitoLocal('pino') as (options: object) => Context['logger'];
  const logger = pino({ level: 'silent' });
  const ctx: Context = { logger };
  const clock = { get: () => new Date(now()) };
  // Users, pools and our state in one store; JSON files an earlier version left are imported into it.
  let imported = false;
  const store = await Store.open(join(options.dataDir, 'store'), async (unit, opened) => {
    if (!hasJsonState(options.dataDir)) return;
    await importJsonState(ctx, opened, unit, options.dataDir);
    imported = true;
  });
  try {
    return await serve(options, { ctx, logger, clock, now, host, store, imported });
  } catch (error) {
    // The store's lock goes with it, so another start (in this process too) can open it.
    await store.close();
    throw error;
  }
}

async function serve(
  options: LocalCognitoOptions,
  started: {
    ctx: Context;
    logger: Context['logger'];
    clock: { get: () => Date };
    now: () => number;
    host: string;
    store: Store;
    imported: boolean;
  },
): Promise<LocalCognito> {
  const { settings, sendMessage } = options;
  const { ctx, logger, clock, now, host, store } = started;
  if (started.imported) {
    await setJsonStateAside(options.dataDir);
    console.log(`  local Cognito: state in ${options.dataDir} moved into its store (old files: *.imported)`);
  }
  const locks = new CallLocks();
  const cognito = await StoreCognitoService.create(ctx, store, clock, { UsernameAttributes: ['email'] });
  const { userPoolId, userPoolClientId, userPoolClientSecret } = await ensurePool(
    ctx,
    cognito,
    clock,
    settings,
  );

  // The HTTP server is listening before the issuer is known (it names the port), so the port is taken first.
  // Idle keep-alive connections stay open until the client closes them. With Node's 5-second default,
  // a call sent on a connection the server was just closing failed with ECONNRESET, and the API's
  // functions send each Cognito call once (maxAttempts 1): an INTERNAL error under load.
  const http = createHttpServer({ keepAliveTimeout: 0 });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const issuer = `${endpoint}/${userPoolId}`;
  const jwksUrl = `${issuer}/.well-known/jwks.json`;

  const core: CoreServices = {
    ctx,
    settings,
    poolId: userPoolId,
    issuer,
    now,
    clock,
    cognito,
    sessions: new ChallengeSessions(now),
    revocationWindowMs: Math.max(0, options.revocationWindowMs ?? 0),
    signer: await TokenSigner.load(join(options.dataDir, 'local-cognito-signing-key.json')),
    sendMessage,
  };

  const services: Services = {
    clock,
    cognito,
    config: { TokenConfig: { IssuerDomain: endpoint } } as Services['config'],
    // Codes for calls that fall through to cognito-local (attribute verification, for instance).
    otp: () => String(randomInt(1_000_000)).padStart(6, '0'),
    messages: new MessagesService(
      noTriggers,
      new MessageDeliveryService({
        sendEmail: (_ctx, _user, destination, message) =>
          sendCode(core, destination, message.__code ?? '', 'verification'),
        // SMS is not reproduced: nothing is sent.
        sendSms: async () => undefined,
      }),
    ),
    // Every token-issuing call is ours; nothing may mint tokens with cognito-local's public key.
    tokenGenerator: {
      generate: () => Promise.reject(new Error('tokens are issued by the local Cognito layer only')),
    },
    triggers: noTriggers,
  };
  // No `services` argument: cognito-local's OAuth2 routes would sign with its own key.
  const app = createServer(createRouter(core, services, store, locks), logger as never, {
    development: false,
  }).application as (req: unknown, res: ServerResponse) => void;

  // Expired sign-ins and idle counters are forgotten in the background, a bounded batch at a time.
  const sweeper = startSweeper(store, now);

  const wellKnown = `/${userPoolId}/.well-known/`;
  http.on('request', (req, res) => {
    res.setHeader('x-amzn-requestid', randomUUID());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === `${wellKnown}jwks.json`)
      return sendJson(res, 200, core.signer.jwks());
    if (req.method === 'GET' && path === `${wellKnown}openid-configuration`) {
      return sendJson(res, 200, {
        issuer,
        jwks_uri: jwksUrl,
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
      });
    }
    // Other pools' well-known documents would be cognito-local's shared key: there are none here.
    if (path.includes('/.well-known/')) return sendJson(res, 404, { message: 'Not found' });
    tagErrorType(res);
    app(req, res);
  });

  return {
    endpoint,
    region: settings.region,
    userPoolId,
    userPoolClientId,
    ...(userPoolClientSecret ? { userPoolClientSecret } : {}),
    issuer,
    jwksUrl,
    async close() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      });
      await sweeper.stop();
      await locks.idle();
      await store.close();
    },
  };
}

const SWEEP_EVERY_MS = 60_000;
const SWEEP_BATCH = 500;

function startSweeper(store: Store, now: () => number) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    // Beside the calls, holding no lock: it deletes only what is past its time, which no call can
    // use, and a call that writes such a record meanwhile writes its expiry entry again with it.
    for (let read = SWEEP_BATCH; read === SWEEP_BATCH && !stopped;) {
      const unit = store.unit();
      const state = new LocalState(unit);
      read = await state.sweep(now(), SWEEP_BATCH);
      state.flush();
      await unit.commit();
    }
  };
  const tick = () => {
    running = running
      .then(sweep)
      .catch((error: unknown) => console.error('local Cognito: sweep failed:', error));
  };
  tick();
  const timer = setInterval(tick, SWEEP_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * The AWS SDK reads the exception name from `x-amzn-errortype` (or the body's __type); cognito-local
 * sends only the body, so the header is copied from it as the response is finished.
 */
function tagErrorType(res: ServerResponse): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const [chunk] = args;
    if (res.statusCode >= 400 && !res.headersSent && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      try {
        const type = (JSON.parse(chunk.toString()) as { __type?: unknown }).__type;
        if (typeof type === 'string') res.setHeader('x-amzn-errortype', type);
      } catch {
        // Not JSON (an HTML error page from express): nothing to copy.
      }
    }
    return end(...args);
  }) as ServerResponse['end'];
}

/** This stack configures no Lambda triggers. */
const noTriggers = {
  enabled: () => false,
} as unknown as Triggers;
