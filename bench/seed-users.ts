/**
 * Fills a local Cognito's store with users (and, if asked, earlier sign-ins) directly, as the calls
 * that make them would leave them, so a benchmark can start on a large pool in a second or two
 * instead of making ten thousand AdminCreateUser calls. The local Cognito must have been started once
 * on the directory (its pool exists) and be stopped (the store is one process's at a time).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from 'cognito-local/lib/services/context';
import type { User } from 'cognito-local/lib/services/userPoolService';
import { LocalState, sha256 } from '../local/cognito/state';
import { Store } from '../local/cognito/store';
import { StoreCognitoService, type CallContext } from '../local/cognito/user-store';

/** Every seeded user's password and authenticator secret (TOTP enabled, preferred and verified). */
export const BENCH_PASSWORD = 'bench password, long enough';
export const BENCH_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const benchEmail = (i: number) => `bench-${i}@example.com`;

const BATCH = 1_000;
const DAY_MS = 86_400_000;

const quiet = () => undefined;
const logger = { debug: quiet, info: quiet, warn: quiet, error: quiet } as unknown as Context['logger'];

/** `count` confirmed, enrolled users (benchEmail(0) … benchEmail(count - 1)) and `signIns` sign-ins. */
export async function seedUsers(dataDir: string, count: number, options: { signIns?: number } = {}) {
  const store = await Store.open(join(dataDir, 'store'), async () => {
    throw new Error(`no local Cognito store in ${dataDir}: start the local Cognito on it once first`);
  });
  try {
    const clock = { get: () => new Date() };
    const cognito = await StoreCognitoService.create({ logger }, store, clock, {
      UsernameAttributes: ['email'],
    });
    const [pool] = await cognito.listUserPools();
    if (!pool) throw new Error(`no user pool in ${dataDir}`);
    const [client] = await cognito.listAppClients({ logger }, pool.Id);
    if (!client) throw new Error(`no app client in ${dataDir}`);
    const service = await cognito.getUserPool({ logger }, pool.Id);
    const usernames: string[] = [];
    for (let from = 0; from < count; from += BATCH) {
      const unit = store.unit();
      const ctx: CallContext = { logger, unit };
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const sub = randomUUID();
        usernames.push(sub);
        const now = new Date();
        const user: User = {
          Username: sub,
          Password: BENCH_PASSWORD,
          Attributes: [
            { Name: 'email', Value: benchEmail(i) },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: `Bench User ${i}` },
            { Name: 'sub', Value: sub },
          ],
          Enabled: true,
          UserStatus: 'CONFIRMED',
          UserCreateDate: now,
          UserLastModifiedDate: now,
          RefreshTokens: [],
          SoftwareTokenMfaConfiguration: { Secret: BENCH_TOTP_SECRET, Verified: true },
          UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
          PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
        } as User;
        await service.saveUser(ctx, user);
      }
      await unit.commit();
    }
    const signIns = options.signIns ?? 0;
    for (let from = 0; from < signIns; from += BATCH) {
      const unit = store.unit();
      const state = new LocalState(unit);
      const now = Date.now();
      for (let i = from; i < Math.min(signIns, from + BATCH); i++) {
        state.addSignIn(randomUUID(), {
          username: usernames[i % usernames.length] as string,
          clientId: client.ClientId,
          refreshTokenHash: sha256(randomBytes(64).toString('base64url')),
          authTime: Math.floor(now / 1000),
          refreshExpiresAt: now + 30 * DAY_MS,
          keepUntil: now + 31 * DAY_MS,
          revoked: false,
        });
      }
      state.flush();
      await unit.commit();
    }
  } finally {
    await store.close();
  }
}
