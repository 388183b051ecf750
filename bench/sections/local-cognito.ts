/**
 * The local Cognito's cost per call as the pool and its history grow: the calls one sign-in and its
 * first use make (InitiateAuth, RespondToAuthChallenge with a TOTP code, GetUser,
 * GetTokensFromRefreshToken), through the AWS SDK on loopback, against a pool of 100 users, one of
 * 10,000, and one of 10,000 that keeps many earlier sign-ins. The three run in this process side by
 * side, in alternating batches, so a busy machine slows them alike. Users and earlier sign-ins are
 * written into each pool's store before it starts (seeding is not what is measured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { generateSync } from 'otplib';
import { settingsFor } from '../../infra/settings';
import { startLocalCognito, type LocalCognito } from '../../local/cognito';
import { secretHash } from '../../local/cognito/secrets';
import { BENCH_PASSWORD, BENCH_TOTP_SECRET, benchEmail, seedUsers } from '../seed-users';
import { percentile, type BenchOptions, type Section, type SectionResult } from '../section';

/** The bound: per-call cost at 10,000 users within 1.2x of its cost at 100. */
const RATIO_LIMIT = 1.2;
const CALLS_PER_ROUND = 4;
const TOTP_STEP_MS = 30_000;

interface Pool {
  readonly label: string;
  readonly users: number;
  readonly cognito: LocalCognito;
  readonly client: CognitoIdentityProviderClient;
  readonly dataDir: string;
  /** Milliseconds per round (the four calls together, divided by four). */
  readonly perCall: number[];
  /** The pool's clock runs ahead by this much: each user signs in at most once per TOTP step. */
  offsetMs: number;
  next: number;
}

async function startPool(label: string, users: number, signIns: number, scratch: string): Promise<Pool> {
  const dataDir = mkdtempSync(join(scratch, 'pool-'));
  const pool = { offsetMs: 0 } as Pool;
  const now = () => Date.now() + pool.offsetMs;
  const options = {
    dataDir,
    settings: settingsFor('local'),
    sendMessage: async () => undefined,
    now,
  };
  // The first start creates the pool and its client; users go into its store while it is stopped.
  await (await startLocalCognito(options)).close();
  await seedUsers(dataDir, users, { signIns });
  const cognito = await startLocalCognito(options);
  const client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: cognito.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return Object.assign(pool, { label, users, cognito, client, dataDir, perCall: [], next: 0 });
}

/** One sign-in with password and TOTP, then GetUser and a refresh with its tokens. */
async function round(pool: Pool): Promise<number> {
  if (pool.next >= pool.users) {
    // Every user has spent this step's code: the pool's clock moves on to the next step.
    pool.next = 0;
    pool.offsetMs += TOTP_STEP_MS;
  }
  const email = benchEmail(pool.next++);
  const { userPoolClientId: clientId, userPoolClientSecret: clientSecret = '' } = pool.cognito;
  const hash = (username: string) => secretHash(clientSecret, username, clientId);
  const started = performance.now();
  const challenge = await pool.client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: BENCH_PASSWORD, SECRET_HASH: hash(email) },
    }),
  );
  if (challenge.ChallengeName !== 'SOFTWARE_TOKEN_MFA') {
    throw new Error(`${pool.label}: expected SOFTWARE_TOKEN_MFA, got ${String(challenge.ChallengeName)}`);
  }
  const code = generateSync({
    secret: BENCH_TOTP_SECRET,
    epoch: Math.floor((Date.now() + pool.offsetMs) / 1000),
  });
  const signedIn = await pool.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code, SECRET_HASH: hash(email) },
    }),
  );
  const tokens = signedIn.AuthenticationResult;
  if (!tokens?.AccessToken || !tokens.RefreshToken) throw new Error(`${pool.label}: no tokens`);
  await pool.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
  await pool.client.send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: clientId,
      ClientSecret: clientSecret,
      RefreshToken: tokens.RefreshToken,
    }),
  );
  return (performance.now() - started) / CALLS_PER_ROUND;
}

const ms = (value: number) => Number(value.toFixed(3));

const section: Section = {
  id: 'local-cognito',
  async run(options: BenchOptions): Promise<SectionResult> {
    const small = 100;
    const large = options.quick ? 1_000 : 10_000;
    const signIns = options.quick ? 2_000 : 50_000;
    const batches = options.quick ? 3 : 12;
    const roundsPerBatch = options.quick ? 5 : 25;
    const scratch = mkdtempSync(join(tmpdir(), 'bench-local-cognito-'));
    const pools: Pool[] = [];
    try {
      options.progress(`local-cognito: seeding pools of ${small} and ${large.toLocaleString('en')} users`);
      pools.push(await startPool(`${small} users`, small, 0, scratch));
      pools.push(await startPool(`${large.toLocaleString('en')} users`, large, 0, scratch));
      options.progress(`local-cognito: seeding ${signIns.toLocaleString('en')} earlier sign-ins`);
      pools.push(
        await startPool(
          `${large.toLocaleString('en')} users, ${signIns.toLocaleString('en')} sign-ins kept`,
          large,
          signIns,
          scratch,
        ),
      );
      // Warm-up: connections, JIT and the stores' caches, not measured.
      for (const pool of pools) for (let i = 0; i < roundsPerBatch; i++) await round(pool);
      for (let batch = 0; batch < batches; batch++) {
        options.progress(`local-cognito: batch ${batch + 1}/${batches}`);
        // The order rotates, so no pool always runs first after another's garbage.
        for (let k = 0; k < pools.length; k++) {
          const pool = pools[(batch + k) % pools.length] as Pool;
          for (let i = 0; i < roundsPerBatch; i++) pool.perCall.push(await round(pool));
        }
      }
      const median = (pool: Pool) => percentile(pool.perCall, 50);
      const base = median(pools[0] as Pool);
      const ratio = (pool: Pool) => Number((median(pool) / base).toFixed(3));
      return {
        title: 'Local Cognito: cost per call as the pool and its sign-ins grow',
        columns: ['pool', 'median ms/call', 'p99 ms/call', 'rounds', 'ratio to 100 users'],
        rows: pools.map((pool) => ({
          pool: pool.label,
          'median ms/call': ms(median(pool)),
          'p99 ms/call': ms(percentile(pool.perCall, 99)),
          rounds: pool.perCall.length,
          'ratio to 100 users': ratio(pool),
        })),
        targets: pools.slice(1).map((pool) => ({
          name: `local Cognito per call, ${pool.label} / ${small} users`,
          value: ratio(pool),
          limit: RATIO_LIMIT,
          kind: 'max' as const,
        })),
        notes: [
          'A round is InitiateAuth (password) + RespondToAuthChallenge (TOTP) + GetUser + GetTokensFromRefreshToken,',
          'through the AWS SDK over loopback HTTP; its time divided by four is one sample of the cost per call.',
          'Each pool is its own local Cognito (own store) in this process; SDK time is in every figure alike.',
        ],
      };
    } finally {
      for (const pool of pools) {
        pool.client.destroy();
        await pool.cognito.close();
      }
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};

export default section;
