import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/settings';
import { CreateUserDocument, ForgotPasswordDocument, LoginDocument } from '../generated/graphql';
import { enrolUser, startApi, uniqueEmail, type Api, type EnrolledUser } from './harness';

// A floor well above what these operations take locally, so both paths end on it.
const FLOOR_MS = 600;
let api: Api;
let user: EnrolledUser;

beforeAll(async () => {
  api = await startApi({ settings: { ...settingsFor('local'), uniformResponseMs: FLOOR_MS } });
  user = await enrolUser(api);
}, 60_000);
afterAll(() => api.close());

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

describe('answers that could reveal an account take the same time', () => {
  it('createUser and forgotPassword wait until the floor, for a known and an unknown e-mail alike', async () => {
    for (const email of [user.email, uniqueEmail('stranger')]) {
      const created = await timed(() =>
        api.call(CreateUserDocument, { input: { email, fullName: 'Same Time' } }),
      );
      expect(created.result.errors).toEqual([]);
      expect(created.ms).toBeGreaterThanOrEqual(FLOOR_MS);
      const forgot = await timed(() => api.call(ForgotPasswordDocument, { input: { email } }));
      expect(forgot.result.errors).toEqual([]);
      expect(forgot.ms).toBeGreaterThanOrEqual(FLOOR_MS);
    }
  });

  it('leaves the other operations alone', async () => {
    const login = await timed(() =>
      api.call(LoginDocument, { input: { email: user.email, password: user.password } }),
    );
    expect(login.result.data?.login?.challenge).toBe('SOFTWARE_TOKEN_MFA');
    expect(login.ms).toBeLessThan(FLOOR_MS);
  });
});
