/**
 * The local Cognito's user store is written whole or not at all: a reader (or a start after a kill)
 * never finds the pool file empty or cut short while it is being rewritten.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useAtomicCognitoLocalStore } from '../../local/cognito/atomic-store';

const dir = mkdtempSync(join(tmpdir(), 'atomic-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Engine {
  write(data: unknown): Promise<void> | null;
}
const fromCognitoLocal = createRequire(createRequire(import.meta.url).resolve('cognito-local/package.json'));

/** Rewrites a large file many times while reading it as fast as possible; counts unreadable reads. */
async function tornReads(engine: Engine, file: string): Promise<number> {
  const big = (n: number) => ({
    Users: Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`u${i}`, { n, pad: 'x'.repeat(64) }])),
  });
  await engine.write(big(0));
  let torn = 0;
  let writing = true;
  const writes = (async () => {
    for (let n = 1; n <= 40; n++) await engine.write(big(n));
    writing = false;
  })();
  while (writing) {
    try {
      JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      torn++;
    }
    await new Promise((r) => setImmediate(r));
  }
  await writes;
  return torn;
}

describe("the local Cognito's user store", () => {
  it('is never seen half-written, as the in-place store of cognito-local is', async () => {
    const stormdb = fromCognitoLocal('stormdb') as {
      localFileEngine: new (path: string, o: object) => Engine;
    };
    const inPlaceFile = join(dir, 'in-place.json');
    const inPlace = new stormdb.localFileEngine(inPlaceFile, { async: true });
    // The reason for the replacement: cognito-local's own engine exposes a torn file while writing.
    expect(await tornReads(inPlace, inPlaceFile)).toBeGreaterThan(0);

    useAtomicCognitoLocalStore();
    const atomicFile = join(dir, 'atomic.json');
    const atomic = new stormdb.localFileEngine(atomicFile, { async: true });
    expect(await tornReads(atomic, atomicFile)).toBe(0);
  });
});
