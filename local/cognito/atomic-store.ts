/**
 * cognito-local keeps each pool's users in a JSON file that its store (stormdb) rewrites in place:
 * the file is truncated, then written. A local stack killed between the two (SIGKILL, a crash, a
 * closed laptop lid) came back with the file empty or cut short, and every account in it lost
 * (test/security/kill-restart.test.ts). This replaces the store's file engine, once per process, with
 * one that writes the whole file beside it and renames it over the old one: a reader, or a start
 * after a kill, sees the previous file or the next, never half of one. Writes stay in call order.
 */
import { rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

interface Engine {
  path: string;
  serialize(data: unknown): string;
  write(data: unknown): Promise<void> | null;
}
type EngineClass = new (path: string, options?: object) => Engine;

let installed = false;

export function useAtomicCognitoLocalStore(): void {
  if (installed) return;
  installed = true;
  // stormdb as cognito-local resolves it (its own dependency), so the class it constructs is this one.
  const fromCognitoLocal = createRequire(
    createRequire(import.meta.url).resolve('cognito-local/package.json'),
  );
  const stormdb = fromCognitoLocal('stormdb') as { localFileEngine: EngineClass };
  const InPlace = stormdb.localFileEngine;
  let serial = 0;
  class AtomicFileEngine extends InPlace {
    private last: Promise<void> = Promise.resolve();

    override write(data: unknown): Promise<void> {
      // The data as it is now; later changes go into later writes.
      const text = this.serialize(data);
      const temporary = `${this.path}.${process.pid}.${++serial}.tmp`;
      const next = this.last
        .catch(() => undefined)
        .then(async () => {
          await writeFile(temporary, text, { mode: 0o600 });
          await rename(temporary, this.path);
        });
      this.last = next;
      return next;
    }
  }
  stormdb.localFileEngine = AtomicFileEngine;
}
