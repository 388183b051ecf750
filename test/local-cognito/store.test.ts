/**
 * The local Cognito's store (local/cognito/store.ts): not AWS behaviours but this layer's. One local
 * Cognito per data directory, a store it cannot read refused with what to do, and the users an
 * earlier version kept in cognito-local's JSON files carried over.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminListGroupsForUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ClassicLevel } from 'classic-level';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import type { Context } from 'cognito-local/lib/services/context';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb';
import { UserPoolServiceFactoryImpl, type User } from 'cognito-local/lib/services/userPoolService';
import { afterAll, describe, expect } from 'vitest';
import { ensurePool } from '../../local/cognito/pool';
import { localOnly } from '../contract/target';
import {
  passwordAuth,
  removeDir,
  REQUIRED_MFA_PUBLIC_CLIENT,
  respond,
  startHarness,
  STRONG_PASSWORD,
  TestClock,
  totpAt,
  uniqueEmail,
} from './harness';

// Why a test runs against the local Cognito only (CONTRACT_TARGET=aws skips it: test/contract/target.ts).
const STORE = "tests the stand-in's own store";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await removeDir(dir);
});
async function scratchDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `local-cognito-${label}-`));
  dirs.push(dir);
  return dir;
}

describe("the local Cognito's store", () => {
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

describe('state kept by an earlier version', () => {
  localOnly(STORE)(
    "carries over users, enrolments and groups from the earlier version's JSON files",
    async () => {
      const dataDir = await scratchDir('import');
      const settings = REQUIRED_MFA_PUBLIC_CLIENT;
      const clock = new TestClock();
      // The files as the earlier version wrote them: cognito-local's own store (stormdb, one JSON
      // file per pool) with the pool our pool.ts makes.
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
          // The enrolment came along: the password asks for TOTP, and the authenticator's code signs in.
          const challenge = await passwordAuth(h, email, STRONG_PASSWORD);
          expect(challenge.ChallengeName, start).toBe('SOFTWARE_TOKEN_MFA');
          const signedIn = await respond(h, 'SOFTWARE_TOKEN_MFA', challenge.Session, {
            USERNAME: email,
            SOFTWARE_TOKEN_MFA_CODE: totpAt(secret, clock.ms),
          });
          expect(signedIn.AuthenticationResult?.AccessToken, start).toBeTruthy();
        } finally {
          await h.close();
        }
        clock.advance(30_000); // the next sign-in needs the next code
      }
      expect(existsSync(join(dataDir, 'cognito-local'))).toBe(false);
      expect(existsSync(join(dataDir, 'cognito-local.imported'))).toBe(true);
    },
  );
});
