/**
 * Drives the local Cognito the way the API's functions do: through the AWS SDK, over HTTP on loopback.
 * A test clock is injected so TOTP steps and expiries are reached by advancing it, not by waiting.
 *
 * With CONTRACT_TARGET=aws (test/contract/target.ts) every startHarness call provisions a throw-away
 * real user pool from the same settings instead (test/contract/aws-pool.ts), on real time: the clock
 * cannot be moved (advance throws), nothing arrives in the mailbox (users are created with an explicit
 * temporary password and no message), and tests that need either are declared localOnly.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AdminCreateUserCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { generateSync } from 'otplib';
import { expect } from 'vitest';
import { settingsFor, type Settings } from '../../infra/settings';
import { startLocalCognito, type LocalCognito } from '../../local/cognito';
import { secretHash } from '../../local/cognito/secrets';
import type { OutgoingMessage } from '../../local/mailbox/message';
import { createContractPool } from '../contract/aws-pool';
import { CONTRACT_TARGET, type ContractTarget } from '../contract/target';

export const STRONG_PASSWORD = 'correct horse battery staple';

/**
 * The pool most contract tests run against: MFA required and a public app client, the configuration
 * the Cognito documentation describes the MFA_SETUP flow for. The API's own pool (MFA OPTIONAL, a
 * client secret: settingsFor('local')) is driven in optional.test.ts, secret.test.ts and
 * pool-settings.test.ts, and through the API by test/api.
 */
export const REQUIRED_MFA_PUBLIC_CLIENT: Settings = {
  ...settingsFor('local'),
  mfa: { ...settingsFor('local').mfa, poolMfa: 'ON' },
  clientSecret: false,
};

/** What tests read from the harness's clock: TestClock locally, RealClock on AWS. */
export interface ContractClock {
  readonly ms: number;
  readonly now: () => number;
  advance(ms: number): void;
}

/** A TOTP step, and how far into one the clocks are put (a code and its neighbours unambiguous). */
const TOTP_STEP_MS = 30_000;
const INTO_STEP_MS = 10_000;

export class TestClock implements ContractClock {
  // Ten seconds into a 30-second TOTP step, so a code and its neighbours are unambiguous.
  ms = Math.floor(Date.now() / TOTP_STEP_MS) * TOTP_STEP_MS + INTO_STEP_MS;
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** AWS's time: the real one. A test that moves it is one that needs the local target. */
export class RealClock implements ContractClock {
  get ms(): number {
    return Date.now();
  }
  readonly now = () => Date.now();
  advance(ms: number): never {
    throw new Error(
      `cannot move AWS's clock (by ${ms} ms): a test that reaches an expiry by moving the clock needs ` +
        "the local target: declare it with localOnly('...') (test/contract/target.ts)",
    );
  }
}

/** Milliseconds from `nowMs` until ten seconds into the TOTP step `steps` after the current one. */
export function msUntilTotpStep(nowMs: number, steps = 1): number {
  return (Math.floor(nowMs / TOTP_STEP_MS) + steps) * TOTP_STEP_MS + INTO_STEP_MS - nowMs;
}

/** What an authenticator app shows for this secret at this instant. */
export const totpAt = (secret: string, ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });

/** LocalCognito, or a real pool that has no endpoint of its own (the SDK finds it). */
export type ContractCognito = Omit<LocalCognito, 'endpoint'> & { endpoint?: string };

export interface Harness {
  target: ContractTarget;
  cognito: ContractCognito;
  client: CognitoIdentityProviderClient;
  clock: ContractClock;
  /** What the local Cognito sent; always empty on AWS, whose messages go to the addresses. */
  mailbox: OutgoingMessage[];
  settings: Settings;
  /** The local Cognito's data; on AWS an empty directory, so tests remove it alike. */
  dataDir: string;
  /** Where the SDK's requests go: the local endpoint, or Cognito's regional one. */
  serviceUrl: string;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: {
    settings?: Settings;
    clock?: ContractClock | null;
    dataDir?: string;
    port?: number;
    /** startLocalCognito's revocationWindowMs. */
    revocationWindowMs?: number;
  } = {},
): Promise<Harness> {
  const settings = overrides.settings ?? REQUIRED_MFA_PUBLIC_CLIENT;
  if (CONTRACT_TARGET === 'aws') return startAwsHarness(settings, overrides);
  const clock = overrides.clock === undefined ? new TestClock() : overrides.clock;
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'local-cognito-')));
  const mailbox: OutgoingMessage[] = [];
  const cognito = await startLocalCognito({
    dataDir,
    port: overrides.port ?? 0,
    settings,
    sendMessage: async (message) => {
      mailbox.push(message);
    },
    ...(clock ? { now: clock.now } : {}),
    ...(overrides.revocationWindowMs !== undefined
      ? { revocationWindowMs: overrides.revocationWindowMs }
      : {}),
  });
  const client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: cognito.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    target: 'local',
    cognito,
    client,
    clock: clock ?? new TestClock(),
    mailbox,
    settings,
    dataDir,
    serviceUrl: cognito.endpoint,
    async close() {
      client.destroy();
      await cognito.close();
    },
  };
}

/** A throw-away pool per call, made from the settings; the SDK client with no endpoint of ours. */
async function startAwsHarness(
  settings: Settings,
  overrides: { clock?: unknown; dataDir?: string; port?: number; revocationWindowMs?: number },
): Promise<Harness> {
  const localOnly = (['clock', 'dataDir', 'port', 'revocationWindowMs'] as const).filter(
    (option) => overrides[option] !== undefined,
  );
  if (localOnly.length > 0) {
    throw new Error(
      `startHarness: ${localOnly.join(', ')} ${localOnly.length > 1 ? 'are options' : 'is an option'} of ` +
        "the local Cognito, not of a real pool: declare the test with localOnly('...')",
    );
  }
  const cognito = await createContractPool(settings);
  const client = new CognitoIdentityProviderClient({ region: cognito.region });
  const dataDir = await mkdtemp(join(tmpdir(), 'contract-aws-'));
  return {
    target: 'aws',
    cognito,
    client,
    clock: new RealClock(),
    mailbox: [],
    settings,
    dataDir,
    serviceUrl: cognito.serviceUrl,
    async close() {
      client.destroy();
      await cognito.close();
    },
  };
}

/**
 * Moves on to a fresh TOTP step `steps` after the current one, ten seconds in: the local clock is
 * advanced; on AWS real time is waited for (up to 40 s a step).
 */
export async function nextTotpStep(h: Harness, steps = 1): Promise<void> {
  if (h.target === 'local') {
    h.clock.advance(steps * TOTP_STEP_MS);
    return;
  }
  await sleep(msUntilTotpStep(Date.now(), steps));
}

/** A short wait (a lockout of a second): the local clock is advanced; on AWS real time passes. */
export async function waitFor(h: Harness, ms: number): Promise<void> {
  if (h.target === 'local') h.clock.advance(ms);
  else await sleep(ms);
}

/**
 * For a test that moves the local clock only so that later calls happen later, without reaching
 * any expiry: the local clock is advanced; on AWS nothing is done, the calls are later anyway.
 */
export function skipAheadLocally(h: Harness, ms: number): void {
  if (h.target === 'local') h.clock.advance(ms);
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

/** Asserts the SDK surfaced this Cognito exception with HTTP 400, and returns it. */
export async function expectCognitoError(
  promise: Promise<unknown>,
  name: string,
  message?: string,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
  expect(error, `expected ${name}`).toBeDefined();
  expect(error?.name).toBe(name);
  expect(error?.$metadata.httpStatusCode).toBe(400);
  if (message !== undefined) expect(error?.message).toBe(message);
  return error as Error & { $metadata: { httpStatusCode?: number } };
}

let counter = 0;
export const uniqueEmail = (label: string) => `${label}.${Date.now()}.${counter++}@example.com`;

/**
 * A temporary password any of the settings' policies accepts (length, and every character class).
 * On AWS, users are created with one and no invitation, so nothing is mailed to test addresses.
 */
const temporaryPassword = () => `Temp-${randomBytes(12).toString('hex')}-Aa1!`;

/**
 * AdminCreateUser as the API's createUser does it; returns the e-mailed temporary password. On AWS,
 * with an explicit temporary password and MessageAction SUPPRESS (returns that password).
 */
export async function createUser(h: Harness, email: string, attributes: Record<string, string> = {}) {
  const UserAttributes = Object.entries({ email_verified: 'true', name: 'Test User', ...attributes }).map(
    ([Name, Value]) => ({ Name, Value }),
  );
  if (h.target === 'aws') {
    const TemporaryPassword = temporaryPassword();
    await h.client.send(
      new AdminCreateUserCommand({
        UserPoolId: h.cognito.userPoolId,
        Username: email,
        UserAttributes,
        TemporaryPassword,
        MessageAction: 'SUPPRESS',
      }),
    );
    return TemporaryPassword;
  }
  await h.client.send(
    new AdminCreateUserCommand({
      UserPoolId: h.cognito.userPoolId,
      Username: email,
      UserAttributes,
      DesiredDeliveryMediums: ['EMAIL'],
    }),
  );
  return lastCode(h, email, 'invitation');
}

export function lastCode(h: Harness, email: string, kind: OutgoingMessage['kind']): string {
  if (h.target === 'aws') {
    throw new Error(
      `no mailbox on AWS (the ${kind} code went to ${email}): a test that reads e-mailed codes needs ` +
        "the local target: declare it with localOnly('...')",
    );
  }
  const message = h.mailbox
    .filter((m) => m.to.toLowerCase() === email.toLowerCase() && m.kind === kind)
    .at(-1);
  if (!message) throw new Error(`no ${kind} message for ${email}`);
  return message.code;
}

/** The SECRET_HASH over this user name when the harness's client has a secret. */
export function hashFor(h: Harness, username: string): string | undefined {
  const secret = h.cognito.userPoolClientSecret;
  return secret ? secretHash(secret, username, h.cognito.userPoolClientId) : undefined;
}

/** `{ SECRET_HASH }` for AuthParameters and ChallengeResponses, or nothing for a public client. */
export function secretHashParameter(h: Harness, username: string): { SECRET_HASH?: string } {
  const hash = hashFor(h, username);
  return hash ? { SECRET_HASH: hash } : {};
}

export function passwordAuth(h: Harness, email: string, password: string) {
  return h.client.send(
    new InitiateAuthCommand({
      ClientId: h.cognito.userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password, ...secretHashParameter(h, email) },
    }),
  );
}

export function respond(
  h: Harness,
  challenge: string,
  session: string | undefined,
  responses: Record<string, string>,
) {
  return h.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: h.cognito.userPoolClientId,
      ChallengeName: challenge as 'MFA_SETUP',
      Session: session,
      ChallengeResponses: { ...secretHashParameter(h, responses.USERNAME ?? ''), ...responses },
    }),
  );
}

/** Temporary password -> new password; returns the MFA_SETUP session. */
export async function confirmPassword(h: Harness, email: string, temporaryPassword: string) {
  const first = await passwordAuth(h, email, temporaryPassword);
  expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const second = await respond(h, 'NEW_PASSWORD_REQUIRED', first.Session, {
    USERNAME: email,
    NEW_PASSWORD: STRONG_PASSWORD,
  });
  expect(second.ChallengeName).toBe('MFA_SETUP');
  return second.Session as string;
}

/** MFA_SETUP with a session: associate, verify the current code, answer the challenge. */
export async function completeMfaSetup(h: Harness, email: string, session: string) {
  const associated = await h.client.send(new AssociateSoftwareTokenCommand({ Session: session }));
  const secret = associated.SecretCode as string;
  const code = totpAt(secret, h.clock.ms);
  const verified = await h.client.send(
    new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: code }),
  );
  expect(verified.Status).toBe('SUCCESS');
  const done = await respond(h, 'MFA_SETUP', verified.Session, { USERNAME: email });
  return { secret, code, tokens: done.AuthenticationResult as Required<AuthenticationResultType> };
}

/** A new, confirmed and enrolled user, signed in once (by the MFA setup). */
export async function enrolledUser(h: Harness, label: string, attributes: Record<string, string> = {}) {
  const email = uniqueEmail(label);
  const session = await confirmPassword(h, email, await createUser(h, email, attributes));
  return { email, ...(await completeMfaSetup(h, email, session)) };
}

/** Password then SOFTWARE_TOKEN_MFA with a fresh code (the clock moves to the next TOTP step first). */
export async function signIn(h: Harness, email: string, secret: string) {
  await nextTotpStep(h);
  const first = await passwordAuth(h, email, STRONG_PASSWORD);
  expect(first.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  const done = await respond(h, 'SOFTWARE_TOKEN_MFA', first.Session, {
    USERNAME: email,
    SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, h.clock.ms),
  });
  return done.AuthenticationResult as Required<AuthenticationResultType>;
}

/** GetUser with an access token, as the API's token-bound calls make it. */
export const getUser = (h: Harness, accessToken: string) =>
  h.client.send(new GetUserCommand({ AccessToken: accessToken }));

/** InitiateAuth REFRESH_TOKEN_AUTH on a client without a secret. */
export const refreshAuth = (h: Harness, refreshToken: string) =>
  h.client.send(
    new InitiateAuthCommand({
      ClientId: h.cognito.userPoolClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
