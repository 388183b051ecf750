/**
 * Where the local Cognito keeps everything it knows: one LevelDB database (classic-level) under the
 * data directory, holding cognito-local's pools, clients and users (user-store.ts) and our own state
 * (state.ts), each record under its own key, with indexes beside them. A call reads single keys (a
 * synchronous get, microseconds whatever the database holds) and collects its writes in a Unit, which
 * is committed as one atomic batch, fsynced, before the call is answered: a kill or a crash at any
 * moment keeps every answered call and never half of one.
 */
import { ClassicLevel } from 'classic-level';

/** The layout of keys and values below; a database with another one is refused. */
export const STORE_FORMAT = '1';
const FORMAT_KEY = key('meta', 'format');

/** Keys are their parts joined by NUL, which no part here contains, so prefixes are unambiguous. */
export function key(...parts: string[]): string {
  return parts.join('\0');
}

/** Every key that starts with these parts (and a separator after them). */
export function prefix(...parts: string[]): string {
  return `${key(...parts)}\0`;
}

/** The bound just past every key that starts with `start` (a prefix ending in NUL). */
const endOf = (start: string) => `${start.slice(0, -1)}\x01`;

export class StoreError extends Error {}

export class Store {
  private constructor(
    private readonly db: ClassicLevel<string, string>,
    readonly dir: string,
  ) {}

  /**
   * Opens (or creates) the database in `dir`. A new one is first given `initialise`'s writes (state
   * carried over from an earlier version, say) in the same batch as its format marker, so a start
   * killed half-way through begins again from scratch next time.
   */
  static async open(dir: string, initialise?: (unit: Unit, store: Store) => Promise<void>): Promise<Store> {
    const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      // LevelDB's LOCK file: one process at a time, so two stacks cannot write over each other.
      if (cause?.code === 'LEVEL_LOCKED' || /lock/i.test(cause?.message ?? '')) {
        throw new StoreError(
          `The local Cognito's store in ${dir} is in use by another process (is another npm start ` +
            'running on this state folder?). Stop it, or give this one its own LOCAL_STATE_DIR.',
        );
      }
      throw error;
    }
    const store = new Store(db, dir);
    const format = db.getSync(FORMAT_KEY);
    try {
      if (format === undefined) {
        const unit = store.unit();
        await initialise?.(unit, store);
        unit.put(FORMAT_KEY, STORE_FORMAT);
        await unit.commit();
      } else if (format !== STORE_FORMAT) {
        throw new StoreError(
          `The local Cognito's store in ${dir} has format ${format}, which this version does not read. ` +
            'Run `npm run reset` to start with an empty local state.',
        );
      }
    } catch (error) {
      await db.close();
      throw error;
    }
    return store;
  }

  /** A new unit of work: reads see the database and the unit's own writes; commit() applies them. */
  unit(): Unit {
    return new Unit(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export class Unit {
  /** Pending writes by key; null deletes. */
  private readonly writes = new Map<string, string | null>();

  constructor(private readonly db: ClassicLevel<string, string>) {}

  get(key: string): string | undefined {
    const pending = this.writes.get(key);
    if (pending !== undefined) return pending ?? undefined;
    return this.db.getSync(key);
  }

  put(key: string, value: string): void {
    this.writes.set(key, value);
  }

  del(key: string): void {
    this.writes.set(key, null);
  }

  /**
   * Every key under `start` (a prefix()) with its value, this unit's writes included; `below` ends the
   * range earlier, `limit` bounds how many keys are read from the database.
   */
  async entries(
    start: string,
    options: { below?: string; limit?: number } = {},
  ): Promise<[string, string][]> {
    const found = new Map(
      await this.db
        .iterator({ gte: start, lt: options.below ?? endOf(start), limit: options.limit ?? -1 })
        .all(),
    );
    const end = options.below ?? endOf(start);
    for (const [k, value] of this.writes) {
      if (k < start || k >= end) continue;
      if (value === null) found.delete(k);
      else found.set(k, value);
    }
    return [...found];
  }

  /** Writes everything as one batch, on disk (fsync) before it resolves. Nothing to write: no I/O. */
  async commit(): Promise<void> {
    if (this.writes.size === 0) return;
    const operations = [...this.writes].map(([k, value]) =>
      value === null ? { type: 'del' as const, key: k } : { type: 'put' as const, key: k, value },
    );
    this.writes.clear();
    await this.db.batch(operations, { sync: true });
  }
}
