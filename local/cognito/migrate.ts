/**
 * State from before the store (store.ts): cognito-local's JSON files (`cognito-local/*.json`, a pool
 * each and the clients) and ours (`local-cognito-state.json`). A data directory that still has them
 * when its store is created has them imported, in the same batch that creates the store, and the files
 * are then renamed to *.imported, so users, enrolments and sign-ins kept in .local/ survive the
 * upgrade. A file that cannot be read is refused with what to do about it.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Context } from 'cognito-local/lib/services/context';
import { importStateFile, type StateFile } from './state';
import { StoreError, type Store, type Unit } from './store';
import { deserialize, importStoreFile } from './user-store';

const files = (dataDir: string) => ({
  pools: join(dataDir, 'cognito-local'),
  state: join(dataDir, 'local-cognito-state.json'),
});

export const hasJsonState = (dataDir: string): boolean => Object.values(files(dataDir)).some(existsSync);

async function readJson<T>(file: string, parse: (text: string) => T): Promise<T> {
  try {
    return parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new StoreError(
      `The local Cognito could not read ${file}, kept from an earlier version ` +
        `(${(error as Error).message}). Run \`npm run reset\` to start with an empty local state.`,
    );
  }
}

/** Writes every record of the JSON files into the new store's first unit. */
export async function importJsonState(
  ctx: Context,
  store: Store,
  unit: Unit,
  dataDir: string,
): Promise<void> {
  const { pools, state } = files(dataDir);
  if (existsSync(pools)) {
    for (const name of (await readdir(pools)).filter((n) => n.endsWith('.json')).sort()) {
      const root = await readJson(join(pools, name), deserialize<Record<string, unknown>>);
      await importStoreFile(ctx, store, unit, basename(name, '.json'), root);
    }
  }
  if (existsSync(state))
    importStateFile(unit, await readJson(state, (text) => JSON.parse(text) as StateFile));
}

/** The imported files, renamed so that nothing reads them again; their content is in the store. */
export async function setJsonStateAside(dataDir: string): Promise<void> {
  for (const file of Object.values(files(dataDir))) {
    if (existsSync(file)) await rename(file, `${file}.imported`);
  }
}
