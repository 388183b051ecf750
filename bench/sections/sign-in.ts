/**
 * Sign-in through the local API against the same Cognito calls made directly, side by side in one
 * run: login + verifyMfa over HTTP through the local AppSync (resolvers, functions, guess bounds in
 * DynamoDB) against InitiateAuth (USER_PASSWORD_AUTH, SECRET_HASH) + RespondToAuthChallenge
 * (SOFTWARE_TOKEN_MFA) with the AWS SDK, on the same local Cognito, for accounts enrolled through the
 * API. Latency: median and p99, alternating the two sides. Throughput: complete sign-ins per second
 * at 1, 4 and 16 concurrent clients, the sides in rotating slices. A third side, "with bounds", is the
 * direct one inside the functions' own guess bounds (see Side).
 *
 * Cognito accepts each TOTP time step's code once per user, as real Cognito does. Rather than
 * waiting 30 s, the stack runs on a clock this section moves one step on whenever the next account
 * would otherwise sign in twice in one step (and every sign-in under way stays valid); both sides
 * take accounts from the same queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { print } from 'graphql';
import { generateSync } from 'otplib';
import { withinGuessBound } from '../../functions/domain/guess-bounds';
import { secretHash } from '../../functions/runtime/client-secret';
import { createDeps, type Deps } from '../../functions/runtime/clients';
import { ENV, readConfig } from '../../functions/runtime/config';
import { startLocalStack, type LocalStack } from '../../local/stack';
import {
  ConfirmMfaDocument,
  ConfirmUserDocument,
  CreateUserDocument,
  LoginDocument,
  VerifyMfaDocument,
} from '../../test/generated/graphql';
import { percentile, type BenchOptions, type Section, type SectionResult } from '../section';

const COUNTS = {
  full: { accounts: 64, warmup: 30, pairs: 300, slices: 2, sliceMs: 2_500 },
  quick: { accounts: 20, warmup: 2, pairs: 10, slices: 1, sliceMs: 300 },
};
const CLIENTS = [1, 4, 16] as const;
const LIMITS = { medianRatio: 1.1, throughputRatio: 0.9 };
const PASSWORD = 'correct horse battery staple';
const STEP_MS = 30_000;
const stepOf = (ms: number): number => Math.floor(ms / STEP_MS);

const LOGIN = print(LoginDocument);
const VERIFY_MFA = print(VerifyMfaDocument);

interface Account {
  readonly email: string;
  readonly secret: string;
  /** The last TOTP time step this account spent. */
  spent: number;
}

/**
 * `bounded` is `direct` with each secret's guess bound around its check, by the functions' own code
 * (functions/domain/guess-bounds.ts) on the same local DynamoDB: the store calls the API makes by
 * design, so that API / bounded is what the local road itself (HTTP, AppSync, Lambda) costs.
 */
type Side = 'api' | 'direct' | 'bounded';
type SignIn = (account: Account, pin: Pin) => Promise<void>;

/** A sign-in under way, and the TOTP step it relies on: the one it started in, then its code's. */
interface Pin {
  step: number;
}

/**
 * The stack's clock, moved on by whole TOTP steps, and only when every sign-in under way stays
 * valid: Cognito accepts a code one step either side of its own, so the clock may not move twice
 * while a code is on its way (nor a session grow stale).
 */
class Clock {
  private offset = 0;
  private readonly pins = new Set<Pin>();
  private waiting: (() => void)[] = [];
  readonly now = (): number => Date.now() + this.offset;

  private step(): number {
    return stepOf(this.now());
  }

  /** A code the account's authenticator shows now; the sign-in now relies on its step. */
  code(secret: string, pin?: Pin): { otp: string; step: number } {
    const at = this.now();
    if (pin) pin.step = stepOf(at);
    return { otp: generateSync({ secret, epoch: Math.floor(at / 1000) }), step: stepOf(at) };
  }

  pin(): Pin {
    const pin = { step: this.step() };
    this.pins.add(pin);
    return pin;
  }

  unpin(pin: Pin): void {
    this.pins.delete(pin);
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** Moves time on until the account has a step it has not spent yet. */
  async readyFor(account: Account): Promise<void> {
    while (this.step() <= account.spent) {
      const now = this.step();
      if ([...this.pins].every((p) => p.step >= now)) this.offset += STEP_MS;
      else await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }
}

/** Accounts in turn, so each signs in as rarely as possible; never one in use by another client. */
class Accounts {
  private readonly free: Account[];

  constructor(
    accounts: readonly Account[],
    private readonly clock: Clock,
  ) {
    this.free = [...accounts];
  }

  /** Signs the next account in with `signIn`, the clock held still for it meanwhile. */
  async signIn(signIn: SignIn): Promise<void> {
    const account = this.free.shift();
    if (!account) throw new Error('more clients than accounts');
    try {
      await this.clock.readyFor(account);
      const pin = this.clock.pin();
      try {
        await signIn(account, pin);
      } finally {
        this.clock.unpin(pin);
      }
    } finally {
      this.free.push(account);
    }
  }
}

interface GraphqlAnswer {
  data?: Record<string, Record<string, string> | null> | null;
  errors?: { errorType?: string | null; message: string }[];
}

async function graphql(
  stack: LocalStack,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, string>> {
  const res = await fetch(stack.outputs.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.outputs.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphqlAnswer;
  const field = body.data && Object.values(body.data)[0];
  if (!res.ok || body.errors?.length || !field) {
    // The catalogue type, never the message: it could echo what was sent.
    throw new Error(`HTTP ${res.status}, ${body.errors?.[0]?.errorType ?? 'no data'}`);
  }
  return field;
}

async function enrol(stack: LocalStack, clock: Clock, email: string): Promise<Account> {
  await graphql(stack, print(CreateUserDocument), { input: { email, fullName: 'Bench User' } });
  const invitation = stack.mailbox.messages({ to: email }).at(-1);
  if (!invitation) throw new Error(`no invitation for ${email}`);
  const setup = await graphql(stack, print(ConfirmUserDocument), {
    input: { email, temporaryPassword: invitation.code, newPassword: PASSWORD },
  });
  const { otp, step } = clock.code(setup.secretCode!);
  await graphql(stack, print(ConfirmMfaDocument), { input: { email, session: setup.session, otp } });
  return { email, secret: setup.secretCode!, spent: step };
}

/** Runs `task` on `items` with at most `width` at a time. */
async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
  return results;
}

interface Slice {
  done: number;
  errors: number;
  seconds: number;
  firstError?: string;
}

/** `clients` clients signing in back to back for `ms`; sign-ins under way at the end are waited for and counted. */
async function slice(signIn: SignIn, accounts: Accounts, clients: number, ms: number): Promise<Slice> {
  const started = performance.now();
  const end = started + ms;
  const out: Slice = { done: 0, errors: 0, seconds: 0 };
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        try {
          await accounts.signIn(signIn);
          out.done += 1;
        } catch (error) {
          out.errors += 1;
          out.firstError ??=
            (error as Error).name === 'Error' ? (error as Error).message : (error as Error).name;
        }
      }
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

async function run(options: BenchOptions): Promise<SectionResult> {
  const { quick } = options;
  const counts = quick ? COUNTS.quick : COUNTS.full;
  const began = performance.now();
  const progress = (line: string) =>
    options.progress(`${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s  ${line}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'auth-api-bench-'));
  // Interrupted (Ctrl-C), the process ends without reaching `finally`: the state still goes.
  const removeState = () => rmSync(stateDir, { recursive: true, force: true });
  process.once('exit', removeState);
  const clock = new Clock();
  let stack: LocalStack | undefined;
  let cognito: CognitoIdentityProviderClient | undefined;
  let boundDeps: Deps | undefined;
  try {
    stack = await startLocalStack({
      stateDir,
      now: clock.now,
      log: () => undefined,
      functionLogLevel: 'SILENT',
    });
    const { outputs } = stack;
    const local = stack;

    // The client secret by the functions' own road: the local Secrets Manager, by its id.
    const secrets = new SecretsManagerClient({
      region: outputs.region,
      endpoint: process.env[ENV.secretsEndpoint],
    });
    const clientSecret = (
      await secrets.send(new GetSecretValueCommand({ SecretId: process.env[ENV.clientSecretId] }))
    ).SecretString;
    secrets.destroy();
    if (!clientSecret) throw new Error('the local app client has no secret');
    const hash = (username: string) => secretHash(clientSecret, username, outputs.userPoolClientId);

    // Built as the functions build theirs (functions/runtime/clients.ts), with the same credentials.
    const direct = new CognitoIdentityProviderClient({
      region: outputs.region,
      endpoint: outputs.cognitoEndpoint,
      maxAttempts: 1,
    });
    // The bounds' store calls through the functions' own client, built from the environment the
    // stack set for them, on the stack's clock.
    const deps = createDeps(readConfig(), () => new Date(clock.now()));
    boundDeps = deps;

    const signIns: Record<Side, SignIn> = {
      api: async (account, pin) => {
        const login = await graphql(local, LOGIN, { input: { email: account.email, password: PASSWORD } });
        const { otp, step } = clock.code(account.secret, pin);
        await graphql(local, VERIFY_MFA, { input: { email: account.email, session: login.session, otp } });
        account.spent = step;
      },
      direct: (account, pin) => directSignIn(account, pin, (_, check) => check()),
      bounded: (account, pin) =>
        directSignIn(account, pin, (secret, check) => withinGuessBound(deps, secret, account.email, check)),
    };
    cognito = direct;

    async function directSignIn(
      account: Account,
      pin: Pin,
      bound: <T>(secret: 'password' | 'totp', check: () => Promise<T>) => Promise<T>,
    ): Promise<void> {
      const challenge = await bound('password', () =>
        direct.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: outputs.userPoolClientId,
            AuthParameters: { USERNAME: account.email, PASSWORD, SECRET_HASH: hash(account.email) },
          }),
        ),
      );
      const { otp, step } = clock.code(account.secret, pin);
      const answer = await bound('totp', () =>
        direct.send(
          new RespondToAuthChallengeCommand({
            ClientId: outputs.userPoolClientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: challenge.Session,
            ChallengeResponses: {
              USERNAME: account.email,
              SOFTWARE_TOKEN_MFA_CODE: otp,
              SECRET_HASH: hash(account.email),
            },
          }),
        ),
      );
      if (!answer.AuthenticationResult?.AccessToken) throw new Error('no tokens');
      account.spent = step;
    }

    progress(`enrolling ${counts.accounts} accounts through the API`);
    const run = Date.now().toString(36);
    const enrolled = await inParallel(
      Array.from({ length: counts.accounts }, (_, i) => `bench.${run}.${i}@example.com`),
      4,
      (email) => enrol(local, clock, email),
    );
    const accounts = new Accounts(enrolled, clock);

    progress(`latency: ${counts.pairs} sign-ins each way, alternating (after ${counts.warmup} to warm up)`);
    const latency: Record<Side, number[]> = { api: [], direct: [], bounded: [] };
    const orders: Side[][] = [
      ['api', 'direct', 'bounded'],
      ['direct', 'bounded', 'api'],
      ['bounded', 'api', 'direct'],
    ];
    for (let i = 0; i < counts.warmup + counts.pairs; i++) {
      const order = orders[i % orders.length]!;
      for (const side of order) {
        let t0 = 0;
        await accounts.signIn(async (account, pin) => {
          // Timed from the first request: moving the clock on is no part of a sign-in.
          t0 = performance.now();
          await signIns[side](account, pin);
        });
        if (i >= counts.warmup) latency[side].push(performance.now() - t0);
      }
    }

    const SIDES: readonly Side[] = ['api', 'direct', 'bounded'];
    const throughput: ({ clients: number } & Record<Side, Slice>)[] = [];
    for (const clients of CLIENTS) {
      const total = Object.fromEntries(
        SIDES.map((side) => [side, { done: 0, errors: 0, seconds: 0 }]),
      ) as Record<Side, Slice>;
      // Each side once per round, the round's first side moving on each time.
      for (let s = 0; s < counts.slices * SIDES.length; s++) {
        const round = Math.floor(s / SIDES.length);
        const side = SIDES[(s + round) % SIDES.length]!;
        const part = await slice(signIns[side], accounts, clients, counts.sliceMs);
        const sum = total[side];
        sum.done += part.done;
        sum.errors += part.errors;
        sum.seconds += part.seconds;
        sum.firstError ??= part.firstError;
      }
      throughput.push({ clients, ...total });
      const rate = (x: Slice) => (x.done / x.seconds).toFixed(0);
      progress(
        `${clients} client(s): API ${rate(total.api)}/s, direct ${rate(total.direct)}/s, with bounds ${rate(total.bounded)}/s`,
      );
    }

    const median = {
      api: percentile(latency.api, 50),
      direct: percentile(latency.direct, 50),
      bounded: percentile(latency.bounded, 50),
    };
    const p99 = {
      api: percentile(latency.api, 99),
      direct: percentile(latency.direct, 99),
      bounded: percentile(latency.bounded, 99),
    };
    const row = (measure: string, x: Record<Side, number>, errors: number | '') => ({
      measure,
      API: x.api,
      direct: x.direct,
      'API / direct': x.api / x.direct,
      'with bounds': x.bounded,
      'API / with bounds': x.api / x.bounded,
      errors,
    });
    const rate = (x: Slice): number => x.done / x.seconds;
    const rows: Record<string, string | number>[] = [
      row('sign-in, median (ms)', median, ''),
      row('sign-in, p99 (ms)', p99, ''),
      ...throughput.map((t) =>
        row(
          `sign-ins per second, ${t.clients} client${t.clients > 1 ? 's' : ''}`,
          { api: rate(t.api), direct: rate(t.direct), bounded: rate(t.bounded) },
          SIDES.reduce((n, side) => n + t[side].errors, 0),
        ),
      ),
    ];
    const errors = throughput.reduce((n, t) => n + SIDES.reduce((m, side) => m + t[side].errors, 0), 0);
    const firstErrors = throughput.flatMap((t) =>
      SIDES.flatMap((side) =>
        t[side].firstError ? [`${side} at ${t.clients} client(s): ${t[side].firstError}`] : [],
      ),
    );
    return {
      title: 'Sign-in: the local API against the same Cognito calls made directly',
      columns: ['measure', 'API', 'direct', 'API / direct', 'with bounds', 'API / with bounds', 'errors'],
      rows,
      targets: [
        {
          name: 'sign-in median, API / direct',
          value: median.api / median.direct,
          limit: LIMITS.medianRatio,
          kind: 'max',
        },
        ...throughput.map((t) => ({
          name: `sign-ins per second at ${t.clients} client${t.clients > 1 ? 's' : ''}, API / direct`,
          value: rate(t.api) / rate(t.direct),
          limit: LIMITS.throughputRatio,
          kind: 'min' as const,
        })),
        { name: 'failed sign-ins, every side, all clients', value: errors, limit: 0, kind: 'max' },
      ],
      notes: [
        `API: login + verifyMfa over HTTP (local AppSync, resolvers, functions, DynamoDB guess bounds); direct: InitiateAuth + RespondToAuthChallenge with the AWS SDK; the same local Cognito, ${counts.accounts} accounts.`,
        `The API's own cost at the median: ${(median.api - median.direct).toFixed(1)} ms per sign-in: 2 HTTP requests to the local AppSync, 4 resolver handler calls, 2 function calls and 4 DynamoDB calls (each secret's guess bound takes a slot before the check and clears the count after it), besides the same 2 Cognito calls.`,
        `"With bounds" wraps the direct calls in the functions' own guess-bound code on the same local DynamoDB: those 4 calls take ${(median.bounded - median.direct).toFixed(1)} ms of it, the local road (HTTP, AppSync, Lambda, validation) ${(median.api - median.bounded).toFixed(1)} ms. While every sign-in makes them, API / direct cannot go below ${(median.bounded / median.direct).toFixed(2)}.`,
        'Clients and stack share one Node process (resolvers and DynamoDB in threads of their own): the ratios depend on what else the machine is running.',
        'Local ratios say nothing about AWS, where AppSync, Lambda and Cognito each add network and service latency.',
        ...firstErrors.map((e) => `first error, ${e}`),
      ],
    };
  } finally {
    cognito?.destroy();
    for (const client of [boundDeps?.cognito, boundDeps?.dynamodb, boundDeps?.s3]) client?.destroy();
    await stack?.close();
    removeState();
    process.removeListener('exit', removeState);
  }
}

const section: Section = { id: 'sign-in', run };
export default section;
