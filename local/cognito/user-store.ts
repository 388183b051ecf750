/**
 * cognito-local's user store in ours (store.ts). cognito-local reads and writes through a small
 * DataStore interface (get, set, delete by key path); its own implementation (stormdb) keeps a pool
 * in one JSON file and rewrites all of it on every change, and it finds a user by e-mail or groups by
 * member by going through all of them. Here every user, group and client is its own record, written
 * in the calling request's Unit, and two indexes are kept with them: alias (e-mail, sub) to user
 * name, and member to group. The pool service answers look-ups from those, so no call reads more than
 * the records it names, whatever the size of the pool.
 */
import { createRequire } from 'node:module';
import type { AppClient } from 'cognito-local/lib/services/appClient';
import type { Clock } from 'cognito-local/lib/services/clock';
import type { UserPoolDefaults } from 'cognito-local/lib/server/config';
import { USER_POOL_AWS_DEFAULTS, type CognitoService } from 'cognito-local/lib/services/cognitoService';
import type { Context } from 'cognito-local/lib/services/context';
import type { DataStore } from 'cognito-local/lib/services/dataStore/dataStore';
import type { DataStoreFactory } from 'cognito-local/lib/services/dataStore/factory';
import {
  UserPoolServiceImpl,
  type Group,
  type User,
  type UserPool,
  type UserPoolService,
  type UserPoolServiceFactory,
} from 'cognito-local/lib/services/userPoolService';
import { ResourceNotFoundError } from 'cognito-local/lib/errors';
import { key, prefix, type Store, type Unit } from './store';

/** cognito-local's context, carrying the Unit of the request it serves (router.ts). */
export interface CallContext extends Context {
  unit?: Unit;
}

/** The parts of a store that hold one record per name. Everything else at the top is one record. */
const COLLECTIONS = new Set(['Users', 'Groups', 'Clients']);
const CLIENTS = 'clients';

/** cognito-local's JSON: fields named *Date are Dates, stored as ISO strings (as its stormdb files). */
export function serialize(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, name, v: unknown) {
    const original = this[name];
    return name.endsWith('Date') && original instanceof Date ? original.toISOString() : v;
  });
}

export function deserialize<T>(text: string): T {
  return JSON.parse(text, (name, v: unknown) =>
    name.endsWith('Date') && (typeof v === 'string' || typeof v === 'number') ? new Date(v) : v,
  ) as T;
}

const recordKey = (storeId: string, path: string[]) => key('c', storeId, ...path);
const emailKey = (storeId: string, email: string) => key('i', storeId, 'email', email.toLowerCase());
const subKey = (storeId: string, sub: string) => key('i', storeId, 'sub', sub);
const memberKey = (storeId: string, username: string, group: string) => key('g', storeId, username, group);

const aliasesOf = (user: User | undefined) => ({
  email: user?.Attributes?.find((a) => a.Name === 'email')?.Value,
  sub: user?.Attributes?.find((a) => a.Name === 'sub')?.Value,
});

/** One of cognito-local's stores (a pool, or the clients), as records in the database. */
export class RecordDataStore implements DataStore {
  constructor(
    private readonly store: Store,
    readonly storeId: string,
  ) {}

  /** The request's unit, or one of its own committed at once (start-up, seeding). */
  private async within<T>(ctx: Context, work: (unit: Unit) => T | Promise<T>): Promise<T> {
    const given = (ctx as CallContext).unit;
    if (given) return work(given);
    const unit = this.store.unit();
    const result = await work(unit);
    await unit.commit();
    return result;
  }

  /** A record by its key path, read in this unit (the sync read of store.ts). */
  read<T>(unit: Unit, path: string[]): T | undefined {
    const text = unit.get(recordKey(this.storeId, path));
    return text === undefined ? undefined : deserialize<T>(text);
  }

  private static path(name: string | string[]): string[] {
    const path = Array.isArray(name) ? name : [name];
    const [top] = path;
    // cognito-local uses one level (Options, Users) or two (Users/<name>); anything deeper is a change
    // in cognito-local that this layout must learn first.
    if (top === undefined || path.length > (COLLECTIONS.has(top) ? 2 : 1)) {
      throw new Error(`cognito-local store: key path ${JSON.stringify(path)} is not in this layout`);
    }
    return path;
  }

  async get<T>(ctx: Context, name: string | string[], defaultValue?: T): Promise<T> {
    const path = RecordDataStore.path(name);
    return this.within(ctx, async (unit) => {
      if (path.length === 1 && COLLECTIONS.has(path[0] as string)) {
        const start = prefix('c', this.storeId, path[0] as string);
        const entries = await unit.entries(start);
        if (entries.length === 0) return (defaultValue ?? {}) as T;
        return Object.fromEntries(entries.map(([k, v]) => [k.slice(start.length), deserialize(v)])) as T;
      }
      return (this.read<T>(unit, path) ?? defaultValue ?? null) as T;
    });
  }

  async getRoot<T>(ctx: Context): Promise<T | null> {
    return this.within(ctx, async (unit) => {
      const start = prefix('c', this.storeId);
      const root: Record<string, unknown> = {};
      for (const [k, v] of await unit.entries(start)) {
        const [top, name] = k.slice(start.length).split('\0') as [string, string | undefined];
        if (name === undefined) root[top] = deserialize(v);
        else ((root[top] ??= {}) as Record<string, unknown>)[name] = deserialize(v);
      }
      return root as T;
    });
  }

  async set<T>(ctx: Context, name: string | string[], value: T): Promise<void> {
    const path = RecordDataStore.path(name);
    await this.within(ctx, async (unit) => {
      const [top] = path as [string];
      if (path.length === 1 && COLLECTIONS.has(top)) {
        // A whole collection at once (only ever an empty default): record by record, indexes too.
        const wanted = (value ?? {}) as Record<string, unknown>;
        for (const [k] of await unit.entries(prefix('c', this.storeId, top))) {
          const member = k.split('\0').at(-1) as string;
          if (!(member in wanted)) this.writeRecord(unit, [top, member], undefined);
        }
        for (const [member, record] of Object.entries(wanted)) this.writeRecord(unit, [top, member], record);
        return;
      }
      this.writeRecord(unit, path, value);
    });
  }

  async delete(ctx: Context, name: string | string[]): Promise<void> {
    const path = RecordDataStore.path(name);
    if (path.length === 1 && COLLECTIONS.has(path[0] as string)) return this.set(ctx, path, {});
    await this.within(ctx, (unit) => this.writeRecord(unit, path, undefined));
  }

  /** Puts (or, undefined, deletes) one record and keeps the indexes in step with it. */
  private writeRecord(unit: Unit, path: string[], value: unknown): void {
    const [top, name] = path as [string, string | undefined];
    if (name !== undefined && top === 'Users') this.indexUser(unit, name, value as User | undefined);
    if (name !== undefined && top === 'Groups') this.indexGroup(unit, name, value as Group | undefined);
    const k = recordKey(this.storeId, path);
    if (value === undefined) unit.del(k);
    else unit.put(k, serialize(value));
  }

  private indexUser(unit: Unit, username: string, next: User | undefined): void {
    const before = aliasesOf(this.read<User>(unit, ['Users', username]));
    const after = aliasesOf(next);
    const pointsHere = (k: string) => unit.get(k) === username;
    if (before.email && before.email.toLowerCase() !== after.email?.toLowerCase()) {
      const k = emailKey(this.storeId, before.email);
      if (pointsHere(k)) unit.del(k);
    }
    if (before.sub && before.sub !== after.sub) {
      const k = subKey(this.storeId, before.sub);
      if (pointsHere(k)) unit.del(k);
    }
    if (after.email) unit.put(emailKey(this.storeId, after.email), username);
    if (after.sub) unit.put(subKey(this.storeId, after.sub), username);
  }

  private indexGroup(unit: Unit, groupName: string, next: Group | undefined): void {
    const before = new Set(this.read<Group>(unit, ['Groups', groupName])?.members ?? []);
    const after = new Set(next?.members ?? []);
    for (const member of before) if (!after.has(member)) unit.del(memberKey(this.storeId, member, groupName));
    for (const member of after)
      if (!before.has(member)) unit.put(memberKey(this.storeId, member, groupName), '');
  }

  /** The user name an alias (e-mail, case-insensitively, or sub) belongs to. */
  async userByAlias(ctx: Context, alias: string): Promise<string | undefined> {
    return this.within(
      ctx,
      (unit) => unit.get(subKey(this.storeId, alias)) ?? unit.get(emailKey(this.storeId, alias)),
    );
  }

  async groupsOf(ctx: Context, username: string): Promise<string[]> {
    const start = prefix('g', this.storeId, username);
    return this.within(ctx, async (unit) => (await unit.entries(start)).map(([k]) => k.slice(start.length)));
  }

  /** Every record of this store and its index entries (DeleteUserPool). */
  async deleteAll(ctx: Context): Promise<void> {
    await this.within(ctx, async (unit) => {
      for (const kind of ['c', 'i', 'g']) {
        for (const [k] of await unit.entries(prefix(kind, this.storeId))) unit.del(k);
      }
      unit.del(key('meta', 'pool', this.storeId));
    });
  }
}

/** One of cognito-local's JSON files (a pool, or the clients) into the unit, record by record. */
export async function importStoreFile(
  logged: Context,
  store: Store,
  unit: Unit,
  id: string,
  root: Record<string, unknown>,
): Promise<void> {
  const ctx: CallContext = { ...logged, unit };
  const dataStore = await new RecordDataStoreFactory(store).create(ctx, id, {});
  for (const [top, value] of Object.entries(root)) await dataStore.set(ctx, top, value);
}

export class RecordDataStoreFactory implements DataStoreFactory {
  constructor(private readonly store: Store) {}

  async create(ctx: Context, id: string, defaults: object): Promise<RecordDataStore> {
    const dataStore = new RecordDataStore(this.store, id);
    const unit = (ctx as CallContext).unit ?? this.store.unit();
    // Pools are found again at the next start from this list (cognito-local lists its files instead).
    const listed = key('meta', 'pool', id);
    if (id !== CLIENTS && unit.get(listed) === undefined) unit.put(listed, '');
    const withUnit: CallContext = { ...ctx, unit };
    for (const [top, value] of Object.entries(defaults)) {
      const present = COLLECTIONS.has(top)
        ? (await unit.entries(prefix('c', id, top), { limit: 1 })).length > 0
        : dataStore.read(unit, [top]) !== undefined;
      if (!present) await dataStore.set(withUnit, top, value);
    }
    if (!(ctx as CallContext).unit) await unit.commit();
    return dataStore;
  }

  /** The pools created so far. */
  async poolIds(): Promise<string[]> {
    const start = prefix('meta', 'pool');
    return (await this.store.unit().entries(start)).map(([k]) => k.slice(start.length));
  }
}

/**
 * cognito-local's pool service with the look-ups it would make by reading every user or every group
 * answered from the indexes instead. The pool's user names are case-insensitive
 * (UsernameConfiguration.CaseSensitive false) and so is its e-mail alias.
 */
export class IndexedUserPoolService extends UserPoolServiceImpl {
  constructor(
    clients: DataStore,
    clock: Clock,
    private readonly records: RecordDataStore,
    config: UserPool,
  ) {
    super(clients, clock, records, config);
  }

  override async getUserByUsername(ctx: Context, username: string): Promise<User | null> {
    if (username.length === 0) return null;
    const get = (name: string) => this.records.get<User | null>(ctx, ['Users', name]);
    const found = (await get(username)) ?? (await get(username.toLowerCase()));
    if (found) return found;
    const aliased = await this.records.userByAlias(ctx, username);
    return aliased === undefined ? null : get(aliased);
  }

  override async listUserGroupMembership(ctx: Context, user: User): Promise<readonly string[]> {
    return (await this.records.groupsOf(ctx, user.Username)).sort((a, b) => a.localeCompare(b));
  }

  /** The records behind this pool (DeleteUserPool). */
  recordStore(): RecordDataStore {
    return this.records;
  }
}

export class IndexedUserPoolServiceFactory implements UserPoolServiceFactory {
  constructor(
    private readonly clock: Clock,
    private readonly factory: RecordDataStoreFactory,
  ) {}

  async create(ctx: Context, clients: DataStore, defaultOptions: UserPool): Promise<UserPoolService> {
    const records = await this.factory.create(ctx, defaultOptions.Id, { Users: {}, Options: defaultOptions });
    const options = await records.get(ctx, 'Options', defaultOptions);
    return new IndexedUserPoolService(clients, this.clock, records, options);
  }
}

// cognito-local merges a new pool over AWS's defaults with lodash's mergeWith; the same function here.
const mergeWith = createRequire(createRequire(import.meta.url).resolve('cognito-local/package.json'))(
  'lodash.mergewith',
) as (target: object, ...sources: object[]) => UserPool;

/**
 * cognito-local's CognitoService (pools and clients) over the record store; cognito-local's own finds
 * its pools by listing JSON files, here they are listed in the database.
 */
export class StoreCognitoService implements CognitoService {
  private constructor(
    private readonly clients: RecordDataStore,
    private readonly defaults: UserPoolDefaults,
    private readonly pools: UserPoolService[],
    private readonly poolFactory: IndexedUserPoolServiceFactory,
  ) {}

  static async create(ctx: Context, store: Store, clock: Clock, defaults: UserPoolDefaults) {
    const factory = new RecordDataStoreFactory(store);
    const poolFactory = new IndexedUserPoolServiceFactory(clock, factory);
    const clients = await factory.create(ctx, CLIENTS, { Clients: {} });
    const pools = await Promise.all(
      (await factory.poolIds()).map((Id) =>
        poolFactory.create(ctx, clients, { ...USER_POOL_AWS_DEFAULTS, ...defaults, Id }),
      ),
    );
    return new StoreCognitoService(clients, defaults, pools, poolFactory);
  }

  async createUserPool(ctx: Context, userPool: UserPool): Promise<UserPool> {
    const merged = mergeWith({}, USER_POOL_AWS_DEFAULTS, this.defaults, userPool);
    const service = await this.poolFactory.create(ctx, this.clients, merged);
    this.pools.push(service);
    return service.options;
  }

  async deleteUserPool(ctx: Context, userPool: UserPool): Promise<void> {
    const index = this.pools.findIndex((p) => p.options.Id === userPool.Id);
    const service = this.pools[index];
    if (service instanceof IndexedUserPoolService) await service.recordStore().deleteAll(ctx);
    if (index >= 0) this.pools.splice(index, 1);
  }

  async getUserPool(_ctx: Context, userPoolId: string): Promise<UserPoolService> {
    const found = this.pools.find((p) => p.options.Id === userPoolId);
    if (!found) throw new ResourceNotFoundError(`User Pool ${userPoolId} not found`);
    return found;
  }

  async getUserPoolForClientId(ctx: Context, clientId: string): Promise<UserPoolService> {
    const client = await this.getAppClient(ctx, clientId);
    if (!client) throw new ResourceNotFoundError(`App Client ${clientId} not found`);
    return this.getUserPool(ctx, client.UserPoolId);
  }

  getAppClient(ctx: Context, clientId: string): Promise<AppClient | null> {
    return this.clients.get<AppClient | null>(ctx, ['Clients', clientId]);
  }

  async listAppClients(ctx: Context, userPoolId: string): Promise<readonly AppClient[]> {
    const clients = await this.clients.get<Record<string, AppClient>>(ctx, 'Clients', {});
    return Object.values(clients).filter((c) => c.UserPoolId === userPoolId);
  }

  async listUserPools(): Promise<readonly UserPool[]> {
    return this.pools.map((p) => p.options);
  }
}
