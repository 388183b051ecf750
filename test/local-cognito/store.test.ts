/**
 * The local Cognito's store (local/cognito/store.ts) and the order it serves calls in
 * (local/cognito/locks.ts): not AWS behaviours but this layer's. Every answered call is on disk
 * before its answer, so a kill loses none; one user's calls are served one after another (a code is
 * spent once, a refresh token rotated once, every failed password counted), other users' meanwhile;
 * state an earlier version kept in JSON files is carried over.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ClassicLevel } from 'classic-level';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import type { Context } from 'cognito-local/lib/services/context';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb';
import { UserPoolServiceFactoryImpl, type User } from 'cognito-local/lib/services/userPoolService';
import { afterAll, describe, expect } from 'vitest';
import { settingsFor, type Settings } from '../../infra/settings';
import { startLocalCognito } from '../../local/cognito';
import { ensurePool } from '../../local/cognito/pool';
import type { OutgoingMessage } from '../../local/mailbox/message';
import { localOnly } from '../contract/target';
import {
  enrolledUser,
  expectCognitoError,
  nextTotpStep,
  passwordAuth,
  removeDir,
  REQUIRED_MFA_PUBLIC_CLIENT,
  respond,
  startHarness,
  STRONG_PASSWORD,
  TestClock,
  totpAt,
  uniqueEmail,
  type Harness,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const STORE = "tests the stand-in's own store and call order";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await removeDir(dir);
});
async function scratchDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `local-cognito-${label}-`));
  dirs.push(dir);
  return dir;
}

/** The API's pool (MFA optional) with a public client: a new password signs straight in. */
const OPTIONAL_PUBLIC: Settings = { ...settingsFor('local'), clientSecret: false };

const sdk = (endpoint: string) =>
  new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Settles the promise into what a test compares: the answer, or the exception's name. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: Error) => error.name,
  );

describe("the local Cognito's store", () => {
  localOnly(STORE)(
    'keeps every call it answered when its process is killed in the middle of others',
    async () => {
      const dataDir = await scratchDir('kill');
      // A local Cognito of its own in a child process, killed with SIGKILL: no clean shutdown at all.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `
          const { startLocalCognito } = await import(${JSON.stringify(join(import.meta.dirname, '../../local/cognito/index.ts'))});
          const { settingsFor } = await import(${JSON.stringify(join(import.meta.dirname, '../../infra/settings.ts'))});
          const cognito = await startLocalCognito({
            dataDir: ${JSON.stringify(dataDir)},
            settings: { ...settingsFor('local'), clientSecret: false },
            sendMessage: async () => undefined,
          });
          console.log(JSON.stringify(cognito));
          `,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const started = await new Promise<{ endpoint: string; userPoolId: string; userPoolClientId: string }>(
        (resolve, reject) => {
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const line = output.split('\n').find((l) => l.startsWith('{'));
            if (line) resolve(JSON.parse(line));
          });
          child.once('exit', (code) => reject(new Error(`the local Cognito exited with ${code}: ${output}`)));
        },
      );
      const client = sdk(started.endpoint);
      const { userPoolId: UserPoolId, userPoolClientId: ClientId } = started;

      // Each worker creates accounts and signs them in with a new password, until the kill.
      const answered: { email: string; refreshToken: string }[] = [];
      let killed = false;
      const worker = async (n: number) => {
        for (let i = 0; !killed; i++) {
          const email = `kill${n}-${i}-${randomUUID()}@example.com`;
          const TemporaryPassword = `Temp-${randomBytes(8).toString('hex')}-Aa1!`;
          try {
            await client.send(
              new AdminCreateUserCommand({
                UserPoolId,
                Username: email,
                TemporaryPassword,
                MessageAction: 'SUPPRESS',
              }),
            );
            const first = await client.send(
              new InitiateAuthCommand({
                ClientId,
                AuthFlow: 'USER_PASSWORD_AUTH',
                AuthParameters: { USERNAME: email, PASSWORD: TemporaryPassword },
              }),
            );
            const done = await client.send(
              new RespondToAuthChallengeCommand({
                ClientId,
                ChallengeName: 'NEW_PASSWORD_REQUIRED',
                Session: first.Session,
                ChallengeResponses: { USERNAME: email, NEW_PASSWORD: STRONG_PASSWORD },
              }),
            );
            if (!killed) answered.push({ email, refreshToken: done.AuthenticationResult!.RefreshToken! });
          } catch {
            // Cut off by the kill: this account may or may not exist, and it is not counted.
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, n) => worker(n));
      while (answered.length < 60) await new Promise((resolve) => setTimeout(resolve, 10));
      // Killed while calls are in flight: each worker has one under way.
      killed = true;
      const kept = [...answered];
      child.kill('SIGKILL');
      await exited;
      await Promise.all(workers);
      client.destroy();

      const again = await startHarness({ dataDir, settings: OPTIONAL_PUBLIC, clock: null });
      try {
        const lost: string[] = [];
        for (const { email, refreshToken } of kept) {
          const user = await outcome(
            again.client
              .send(new AdminGetUserCommand({ UserPoolId: again.cognito.userPoolId, Username: email }))
              .then((u) => (u.UserStatus === 'CONFIRMED' ? u : Promise.reject(new Error(u.UserStatus)))),
          );
          const refreshed = await outcome(
            again.client.send(
              new InitiateAuthCommand({
                ClientId: again.cognito.userPoolClientId,
                AuthFlow: 'REFRESH_TOKEN_AUTH',
                AuthParameters: { REFRESH_TOKEN: refreshToken },
              }),
            ),
          );
          if (user !== 'ok' || refreshed !== 'ok') lost.push(`${email}: user ${user}, refresh ${refreshed}`);
        }
        expect(lost).toEqual([]);
        expect(kept.length).toBeGreaterThanOrEqual(60);
      } finally {
        await again.close();
      }
    },
    120_000,
  );

  localOnly(STORE)(
    'refuses a second local Cognito on the same data directory, naming what to do',
    async () => {
      const dataDir = await scratchDir('twice');
      const first = await startHarness({ dataDir });
      try {
        await expect(startHarness({ dataDir })).rejects.toThrow(
          /in use by another process.*LOCAL_STATE_DIR/s,
        );
      } finally {
        await first.close();
      }
    },
  );

  localOnly(STORE)('refuses a store it cannot read, telling the user to run npm run reset', async () => {
    const dataDir = await scratchDir('format');
    await (await startHarness({ dataDir })).close();
    const db = new ClassicLevel(join(dataDir, 'store'));
    await db.put('meta\0format', 'from the future');
    await db.close();
    await expect(startHarness({ dataDir })).rejects.toThrow(/npm run reset/);
  });
});

describe('calls served concurrently', () => {
  localOnly(STORE)(
    "serves other users while one user's call is under way, and that user's next call after it",
    async () => {
      const dataDir = await scratchDir('order');
      // Mail to the slow address waits until the test lets it go: its AdminCreateUser stays under way.
      const slow = uniqueEmail('slow');
      let reached!: () => void;
      const mailReached = new Promise<void>((resolve) => (reached = resolve));
      let release!: () => void;
      const mailReleased = new Promise<void>((resolve) => (release = resolve));
      const mailbox: OutgoingMessage[] = [];
      const cognito = await startLocalCognito({
        dataDir,
        settings: REQUIRED_MFA_PUBLIC_CLIENT,
        sendMessage: async (message) => {
          if (message.to === slow) {
            reached();
            await mailReleased;
          }
          mailbox.push(message);
        },
      });
      const client = sdk(cognito.endpoint);
      const create = (email: string) =>
        client.send(
          new AdminCreateUserCommand({
            UserPoolId: cognito.userPoolId,
            Username: email,
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
      try {
        const first = outcome(create(slow));
        await mailReached;
        // The same address again, in another case: the same account, so it waits for the first call.
        let secondSettled = false;
        const second = outcome(create(slow.toUpperCase())).finally(() => (secondSettled = true));
        const others = await Promise.all(
          Array.from({ length: 5 }, (_, i) => outcome(create(uniqueEmail(`other${i}`)))),
        );
        expect(others).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
        expect(secondSettled).toBe(false);
        release();
        // One account for the address: the second call saw the first one's.
        expect([await first, await second]).toEqual(['ok', 'UsernameExistsException']);
        expect(mailbox.filter((m) => m.to === slow)).toHaveLength(1);
      } finally {
        release();
        client.destroy();
        await cognito.close();
      }
    },
  );

  let h: Harness;
  localOnly(STORE)(
    'accepts a TOTP code once when two sign-ins answer with it at the same moment',
    async () => {
      h = await startHarness({ dataDir: await scratchDir('totp') });
      try {
        const { email, secret } = await enrolledUser(h, 'same-code');
        await nextTotpStep(h);
        const sessions = await Promise.all([1, 2].map(() => passwordAuth(h, email, STRONG_PASSWORD)));
        const code = totpAt(secret, h.clock.ms);
        const answers = await Promise.all(
          sessions.map((s) =>
            outcome(
              respond(h, 'SOFTWARE_TOKEN_MFA', s.Session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code }),
            ),
          ),
        );
        expect(answers.sort()).toEqual(['ExpiredCodeException', 'ok']);
      } finally {
        await h.close();
      }
    },
  );

  localOnly(STORE)(
    'counts every one of many wrong passwords sent at once: five, then the lockout',
    async () => {
      h = await startHarness({ dataDir: await scratchDir('lockout') });
      try {
        const { email } = await enrolledUser(h, 'many-wrong');
        const answers = await Promise.all(
          Array.from({ length: 40 }, () =>
            passwordAuth(h, email, 'not the password at all').then(
              () => 'ok',
              (error: Error) => error.message,
            ),
          ),
        );
        expect(answers.filter((a) => a === 'Incorrect username or password.')).toHaveLength(5);
        expect(answers.filter((a) => a === 'Password attempts exceeded')).toHaveLength(35);
        await expectCognitoError(
          passwordAuth(h, email, STRONG_PASSWORD),
          'NotAuthorizedException',
          'Password attempts exceeded',
        );
      } finally {
        await h.close();
      }
    },
  );

  localOnly(STORE)('rotates a refresh token once when it is sent twice at the same moment', async () => {
    h = await startHarness({
      dataDir: await scratchDir('rotate'),
      settings: {
        ...REQUIRED_MFA_PUBLIC_CLIENT,
        tokens: {
          ...REQUIRED_MFA_PUBLIC_CLIENT.tokens,
          refreshTokenRotation: { retryGracePeriodSeconds: 0 },
        },
      },
    });
    try {
      const { tokens } = await enrolledUser(h, 'rotate-once');
      const send = () =>
        h.client.send(
          new GetTokensFromRefreshTokenCommand({
            ClientId: h.cognito.userPoolClientId,
            RefreshToken: tokens.RefreshToken,
          }),
        );
      const answers = await Promise.all([outcome(send()), outcome(send())]);
      expect(answers.sort()).toEqual(['RefreshTokenReuseException', 'ok']);
    } finally {
      await h.close();
    }
  });
});

describe('state kept by an earlier version', () => {
  localOnly(STORE)(
    "carries over users, enrolments, groups, sign-ins and spent codes from the earlier version's JSON files",
    async () => {
      const dataDir = await scratchDir('import');
      const settings = REQUIRED_MFA_PUBLIC_CLIENT;
      const clock = new TestClock();
      // The files as the earlier version wrote them: cognito-local's own store (stormdb, one JSON
      // file per pool) with the pool our pool.ts makes, and our state file beside it.
      const fromCognitoLocal = createRequire(
        createRequire(import.meta.url).resolve('cognito-local/package.json'),
      );
      const ctx: Context = {
        logger: (fromCognitoLocal('pino') as (o: object) => Context['logger'])({ level: 'silent' }),
      };
      const stormDir = join(dataDir, 'cognito-local');
      const factory = new StormDBDataStoreFactory(stormDir);
      await mkdir(stormDir, { recursive: true });
      const cognitoClock = { get: () => new Date(clock.ms) };
      const old = await new CognitoServiceFactoryImpl(
        stormDir,
        factory,
        new UserPoolServiceFactoryImpl(cognitoClock, factory),
      ).create(ctx, { UsernameAttributes: ['email'] });
      const ids = await ensurePool(ctx, old, cognitoClock, settings);
      const pool = await old.getUserPool(ctx, ids.userPoolId);
      const sub = randomUUID();
      const email = uniqueEmail('imported');
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      const user: User = {
        Username: sub,
        Password: STRONG_PASSWORD,
        Attributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'sub', Value: sub },
        ],
        Enabled: true,
        UserStatus: 'CONFIRMED',
        UserCreateDate: cognitoClock.get(),
        UserLastModifiedDate: cognitoClock.get(),
        RefreshTokens: [],
        SoftwareTokenMfaConfiguration: { Secret: secret, Verified: true },
        UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
        PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
      } as User;
      await pool.saveUser(ctx, user);
      await pool.addUserToGroup(ctx, (await pool.getGroupByGroupName(ctx, settings.adminGroup))!, user);
      // The oldest state files had no index of refresh tokens: the sign-in alone names its token.
      const refreshToken = randomBytes(64).toString('base64url');
      const step = Math.floor(clock.ms / 30_000);
      await writeFile(
        join(dataDir, 'local-cognito-state.json'),
        JSON.stringify({
          signIns: {
            [randomUUID()]: {
              username: sub,
              clientId: ids.userPoolClientId,
              refreshTokenHash: createHash('sha256').update(refreshToken).digest('hex'),
              authTime: Math.floor(clock.ms / 1000),
              refreshExpiresAt: clock.ms + 86_400_000,
              keepUntil: clock.ms + 2 * 86_400_000,
              revoked: false,
            },
          },
          users: { [sub]: { lastTotpStep: step } },
        }),
      );

      for (const start of ['first start, which imports', 'second start']) {
        const h = await startHarness({ dataDir, settings, clock });
        try {
          expect([h.cognito.userPoolId, h.cognito.userPoolClientId], start).toEqual([
            ids.userPoolId,
            ids.userPoolClientId,
          ]);
          const groups = await h.client.send(
            new AdminListGroupsForUserCommand({ UserPoolId: h.cognito.userPoolId, Username: email }),
          );
          expect(
            groups.Groups?.map((g) => g.GroupName),
            start,
          ).toEqual([settings.adminGroup]);
          const refreshed = await h.client.send(
            new InitiateAuthCommand({
              ClientId: h.cognito.userPoolClientId,
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              AuthParameters: { REFRESH_TOKEN: refreshToken },
            }),
          );
          expect(refreshed.AuthenticationResult?.AccessToken, start).toBeTruthy();
          // The code of the step spent before the upgrade stays spent; the enrolment still asks for TOTP.
          const challenge = await passwordAuth(h, email, STRONG_PASSWORD);
          expect(challenge.ChallengeName, start).toBe('SOFTWARE_TOKEN_MFA');
          await expectCognitoError(
            respond(h, 'SOFTWARE_TOKEN_MFA', challenge.Session, {
              USERNAME: email,
              SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.ms),
            }),
            'ExpiredCodeException',
          );
        } finally {
          await h.close();
        }
      }
      expect(existsSync(join(dataDir, 'cognito-local'))).toBe(false);
      expect(existsSync(join(dataDir, 'cognito-local.imported'))).toBe(true);
      expect(existsSync(join(dataDir, 'local-cognito-state.json.imported'))).toBe(true);
    },
  );
});
