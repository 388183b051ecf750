/**
 * Drives the local Cognito the way the API's functions do: through the AWS SDK, over HTTP on loopback.
 * A test clock is injected so TOTP steps and expiries are reached by advancing it, not by waiting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
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

export const STRONG_PASSWORD = 'correct horse battery staple';

/**
 * The pool most contract tests run against: MFA required and a public app client, the configuration
 * the Cognito documentation describes the MFA_SETUP flow for. The API's own pool (MFA OPTIONAL, a
 * client secret: settingsFor('local')) is driven in optional.test.ts, secret.test.ts and the
 * 'pool from the settings module' test, and through the API by test/api.
 */
export const REQUIRED_MFA_PUBLIC_CLIENT: Settings = {
  ...settingsFor('local'),
  mfa: { ...settingsFor('local').mfa, poolMfa: 'ON' },
  clientSecret: false,
};

export class TestClock {
  // Ten seconds into a 30-second TOTP step, so a code and its neighbours are unambiguous.
  ms = Math.floor(Date.now() / 30_000) * 30_000 + 10_000;
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** What an authenticator app shows for this secret at this instant. */
export const totpAt = (secret: string, ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });

export interface Harness {
  cognito: LocalCognito;
  client: CognitoIdentityProviderClient;
  clock: TestClock;
  mailbox: OutgoingMessage[];
  settings: Settings;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: {
    settings?: Settings;
    clock?: TestClock | null;
    dataDir?: string;
    port?: number;
    /** startLocalCognito's revocationWindowMs. */
    revocationWindowMs?: number;
  } = {},
): Promise<Harness> {
  const settings = overrides.settings ?? REQUIRED_MFA_PUBLIC_CLIENT;
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
    cognito,
    client,
    clock: clock ?? new TestClock(),
    mailbox,
    settings,
    dataDir,
    async close() {
      client.destroy();
      await cognito.close();
    },
  };
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

/** AdminCreateUser as the API's createUser does it; returns the e-mailed temporary password. */
export async function createUser(h: Harness, email: string, attributes: Record<string, string> = {}) {
  await h.client.send(
    new AdminCreateUserCommand({
      UserPoolId: h.cognito.userPoolId,
      Username: email,
      UserAttributes: Object.entries({ email_verified: 'true', name: 'Test User', ...attributes }).map(
        ([Name, Value]) => ({ Name, Value }),
      ),
      DesiredDeliveryMediums: ['EMAIL'],
    }),
  );
  return lastCode(h, email, 'invitation');
}

export function lastCode(h: Harness, email: string, kind: OutgoingMessage['kind']): string {
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
  h.clock.advance(30_000);
  const first = await passwordAuth(h, email, STRONG_PASSWORD);
  expect(first.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  const done = await respond(h, 'SOFTWARE_TOKEN_MFA', first.Session, {
    USERNAME: email,
    SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, h.clock.ms),
  });
  return done.AuthenticationResult as Required<AuthenticationResultType>;
}
