/**
 * Recovery codes are stored as HMAC-SHA256 under a key the functions read from a secret store, so
 * read access to the bucket is not enough to test guesses against them (50-bit codes fall to a GPU in
 * hours as bare hashes).
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoveryKey } from '../../functions/domain/recovery-codes';
import { RecoverMfaDocument, UserInfoDocument } from '../generated/graphql';
import { enrolUser, startApi, storedObject, type Api } from '../api/harness';

const stateDir = mkdtempSync(join(tmpdir(), 'recovery-key-'));
let api: Api;
beforeAll(async () => {
  api = await startApi({ stateDir });
});
afterAll(async () => {
  await api.stack.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('stored recovery codes', () => {
  it('are keyed hashes: no bare SHA-256 of any code is stored, and the key is not in the bucket', async () => {
    const user = await enrolUser(api);
    const me = await api.call(UserInfoDocument, {}, { accessToken: user.tokens.accessToken });
    const sub = me.data!.userinfo!.userId;
    const text = (await storedObject(api, recoveryKey(sub)))!;
    const stored = JSON.parse(text) as { version: number; codes: { hash: string }[] };
    const normalised = user.recoveryCodes.map((c) => c.replace('-', ''));

    const bare = normalised.map((c) => createHash('sha256').update(`${sub}:${c}`).digest('hex'));
    for (const hash of bare) expect(text).not.toContain(hash);

    // What the functions hold (the local stand-in of the Secrets Manager secret) is what they keyed with.
    const key = readFileSync(join(stateDir, 'recovery-key'), 'utf8').trim();
    expect(text).not.toContain(key);
    const keyed = normalised.map((c) => createHmac('sha256', key).update(`${sub}:${c}`).digest('hex'));
    expect(stored.codes.map((c) => c.hash)).toEqual(keyed);
  });

  it('still match after a restart, with the key kept by the stack', { timeout: 60_000 }, async () => {
    const user = await enrolUser(api);
    await api.stack.close();
    api = await startApi({ stateDir });
    const recovered = await api.call(RecoverMfaDocument, {
      input: { email: user.email, password: user.password, recoveryCode: user.recoveryCodes[1]! },
    });
    expect(recovered.errors).toEqual([]);
  });
});
