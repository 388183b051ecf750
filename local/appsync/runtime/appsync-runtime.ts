/**
 * The APPSYNC_JS runtime as the local AppSync provides it. This file is bundled on its own and
 * evaluated INSIDE a resolver's isolated context (node:vm), never in the host: everything the
 * resolver can reach (util, runtime, extensions, console, require) is made of the sandbox's own
 * objects, so no host object (and no `process`, `require` or network) is reachable from resolver code.
 * Values cross the boundary only as JSON strings.
 *
 * One context serves many calls of one resolver, so nothing a call does may outlive it (see
 * `lockDown`): the module is evaluated afresh for every call, every built-in is frozen, and the
 * host throws the context away after any call that changed its global object.
 *
 * Whatever AppSync offers and this file does not implement throws a NotImplemented error naming the
 * member, so a resolver never silently gets `undefined` locally where AWS would do something.
 */

interface AppSyncErrorEntry {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

interface Input {
  handler: 'request' | 'response';
  ctx: Record<string, unknown> & {
    stash: Record<string, unknown>;
    info: { fieldName: string; parentTypeName: string };
  };
  authType: string;
  /** Hex-encoded random bytes for autoId and friends: the sandbox has no crypto of its own. */
  random: string;
}

type Outcome =
  | { outcome: 'return'; value: unknown }
  | { outcome: 'earlyReturn'; value: unknown }
  | { outcome: 'error'; error: AppSyncErrorEntry }
  | { outcome: 'crash'; name: string; message: string; notImplemented?: string };

// Taken before any resolver code runs: a call may replace the JSON global, but not the way its
// answer reaches the host.
const { stringify, parse } = JSON;

const THROWN = Symbol('appsync.thrown');
const EARLY = Symbol('appsync.earlyReturn');

interface Thrown {
  [THROWN]: true;
  entry: AppSyncErrorEntry;
}
interface Early {
  [EARLY]: true;
  value: unknown;
}

// A class, not `error.name = …`: once Error.prototype is frozen, assigning an inherited name throws.
class NotImplemented extends Error {
  override readonly name = 'NotImplemented';
  constructor(readonly member: string) {
    super(`${member} is not implemented by the local AppSync runtime`);
  }
}

const notImplemented = (name: string): Error => new NotImplemented(name);

/** An object whose unknown members throw instead of reading as undefined. */
function strict<T extends object>(path: string, impl: T): T {
  return new Proxy(impl, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target) return Reflect.get(target, prop, receiver);
      if (prop === 'then' || prop === 'toJSON') return undefined;
      throw notImplemented(`${path}.${prop}`);
    },
  });
}

interface CallState {
  input: Input;
  appended: AppSyncErrorEntry[];
  logs: string[];
  randomOffset: number;
}

/** The call being run; undefined between calls, so nothing reads a finished call's input. */
let current: CallState | undefined;

function call(): CallState {
  if (!current) throw new Error('local AppSync: the APPSYNC_JS runtime was used outside a handler call');
  return current;
}

function randomBytes(n: number): number[] {
  const state = call();
  const hex = state.input.random;
  if ((state.randomOffset + n) * 2 > hex.length) throw new Error('local AppSync: random pool exhausted');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(parseInt(hex.substr((state.randomOffset + i) * 2, 2), 16));
  }
  state.randomOffset += n;
  return out;
}

const hex2 = (b: number): string => (b < 16 ? '0' : '') + b.toString(16);

function autoId(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.map(hex2).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function autoUlid(): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32]! + head;
    time = Math.floor(time / 32);
  }
  return (
    head +
    randomBytes(16)
      .map((b) => CROCKFORD[b % 32])
      .join('')
  );
}

function utf8Bytes(s: string): number[] {
  const binary = unescape(encodeURIComponent(s));
  const out: number[] = [];
  for (let i = 0; i < binary.length; i++) out.push(binary.charCodeAt(i));
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function base64Encode(s: string): string {
  const bytes = utf8Bytes(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}
function base64Decode(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  let binary = '';
  for (let i = 0; i < clean.length; i += 4) {
    const n =
      (B64.indexOf(clean[i]!) << 18) |
      (B64.indexOf(clean[i + 1] ?? 'A') << 12) |
      ((B64.indexOf(clean[i + 2] ?? 'A') & 63) << 6) |
      (B64.indexOf(clean[i + 3] ?? 'A') & 63);
    binary += String.fromCharCode((n >> 16) & 255);
    if (i + 2 < clean.length) binary += String.fromCharCode((n >> 8) & 255);
    if (i + 3 < clean.length) binary += String.fromCharCode(n & 255);
  }
  return decodeURIComponent(escape(binary));
}

function entry(
  message: unknown,
  errorType?: unknown,
  data?: unknown,
  errorInfo?: unknown,
): AppSyncErrorEntry {
  return {
    message: String(message),
    errorType: errorType === undefined || errorType === null ? null : String(errorType),
    data: data === undefined ? null : data,
    errorInfo: errorInfo === undefined ? null : errorInfo,
  };
}

function raise(e: AppSyncErrorEntry): never {
  const thrown: Thrown = { [THROWN]: true, entry: e };
  throw thrown;
}

const util = strict('util', {
  error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
    return raise(entry(message, errorType, data, errorInfo));
  },
  appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
    call().appended.push(entry(message, errorType, data, errorInfo));
  },
  unauthorized(): never {
    const { fieldName, parentTypeName } = call().input.ctx.info;
    return raise(entry(`Not Authorized to access ${fieldName} on type ${parentTypeName}`, 'Unauthorized'));
  },
  authType: (): string => call().input.authType,
  autoId,
  autoUlid,
  base64Encode,
  base64Decode,
  urlEncode: (s: string): string => encodeURIComponent(s),
  urlDecode: (s: string): string => decodeURIComponent(s.replace(/\+/g, ' ')),
  escapeJavaScript: (s: string): string => stringify(String(s)).slice(1, -1),
  matches: (pattern: string, value: string): boolean => new RegExp(`^(?:${pattern})$`).test(value),
  time: strict('util.time', {
    nowISO8601: (): string => new Date().toISOString(),
    nowEpochSeconds: (): number => Math.floor(Date.now() / 1000),
    nowEpochMilliSeconds: (): number => Date.now(),
    parseISO8601ToEpochMilliSeconds: (s: string): number => Date.parse(s),
    epochMilliSecondsToSeconds: (ms: number): number => Math.floor(ms / 1000),
    epochMilliSecondsToISO8601: (ms: number): string => new Date(ms).toISOString(),
  }),
  str: strict('util.str', {
    toUpper: (s: string): string => s.toUpperCase(),
    toLower: (s: string): string => s.toLowerCase(),
    toReplace: (s: string, find: string, replace: string): string => s.split(find).join(replace),
    normalize: (s: string, form: string): string => s.normalize(form.toUpperCase()),
  }),
  math: strict('util.math', {
    roundNum: (n: number): number => Math.round(n),
    minVal: (a: number, b: number): number => Math.min(a, b),
    maxVal: (a: number, b: number): number => Math.max(a, b),
    randomDouble: (): number => randomBytes(4).reduce((acc, b) => acc * 256 + b, 0) / 2 ** 32,
    randomWithinRange: (min: number, max: number): number =>
      min + Math.floor((randomBytes(4).reduce((acc, b) => acc * 256 + b, 0) / 2 ** 32) * (max - min + 1)),
  }),
  dynamodb: strict('util.dynamodb', {}),
  rds: strict('util.rds', {}),
  http: strict('util.http', {}),
  xml: strict('util.xml', {}),
  transform: strict('util.transform', {}),
});

const runtime = strict('runtime', {
  earlyReturn(value?: unknown): never {
    const early: Early = { [EARLY]: true, value: value === undefined ? null : value };
    throw early;
  },
});

const extensions = strict('extensions', {});

const format = (args: unknown[]): string =>
  args.map((a) => (typeof a === 'string' ? a : stringify(a))).join(' ');
const sandboxConsole = {
  log: (...args: unknown[]): void => void call().logs.push(format(args)),
  info: (...args: unknown[]): void => void call().logs.push(format(args)),
  warn: (...args: unknown[]): void => void call().logs.push(format(args)),
  error: (...args: unknown[]): void => void call().logs.push(format(args)),
  debug: (...args: unknown[]): void => void call().logs.push(format(args)),
};

type Handler = (ctx: unknown) => unknown;
type ModuleFactory = (
  require: (id: string) => unknown,
  module: { exports: Record<string, unknown> },
  exports: Record<string, unknown>,
) => void;

const appsyncUtils = Object.freeze({ util, runtime, extensions });
const requireModule = (id: string): unknown => {
  if (id === '@aws-appsync/utils') return appsyncUtils;
  throw notImplemented(`import of "${id}" (only @aws-appsync/utils is available to resolvers)`);
};

let factory: ModuleFactory | undefined;
let pending: string | undefined;

/** The resolver's module, as a function: evaluated afresh for every call, so module state dies with it. */
function install(moduleFactory: ModuleFactory): void {
  factory = moduleFactory;
}

/** The host hands the next call's input over here, then runs `__appsync.invoke()` under its time limit. */
function prepare(inputJson: string): void {
  pending = inputJson;
}

function invoke(): string {
  const inputJson = pending;
  // Only the host's call, once: a resolver calling invoke itself gets nothing.
  if (inputJson === undefined || current || !factory) throw new Error('local AppSync: no call to invoke');
  pending = undefined;
  const input = parse(inputJson) as Input;
  current = { input, appended: [], logs: [], randomOffset: 0 };
  const state = current;
  const ctx = input.ctx;
  let result: Outcome;
  try {
    const module = { exports: {} as Record<string, unknown> };
    factory(requireModule, module, module.exports);
    const handler = module.exports[input.handler] as Handler | undefined;
    if (typeof handler !== 'function') {
      throw new TypeError(`the resolver does not export a "${input.handler}" function`);
    }
    const value = handler(ctx);
    result = { outcome: 'return', value: value === undefined ? null : value };
  } catch (caught) {
    if (caught && typeof caught === 'object' && THROWN in caught) {
      result = { outcome: 'error', error: (caught as Thrown).entry };
    } else if (caught && typeof caught === 'object' && EARLY in caught) {
      result = { outcome: 'earlyReturn', value: (caught as Early).value };
    } else {
      const e = caught as Error & { member?: string };
      result = {
        outcome: 'crash',
        name: e?.name ?? 'Error',
        message: e?.message ?? String(caught),
        ...(e?.member ? { notImplemented: e.member } : {}),
      };
    }
  } finally {
    current = undefined;
  }
  return stringify({ ...result, stash: ctx.stash, appended: state.appended, logs: state.logs });
}

const g = globalThis as Record<string, unknown>;

/**
 * Built-ins no resolver needs that could run code after its call has ended (finalizers, async
 * waits, WebAssembly compiles) and so touch the context between calls; APPSYNC_JS has none of them.
 */
const DEFERRED = ['FinalizationRegistry', 'WeakRef', 'WebAssembly', 'SharedArrayBuffer', 'Atomics'];

/** Properties commonly assigned on instances; frozen prototypes would make those assignments throw. */
const OVERRIDABLE = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'name', 'message'];

/**
 * Makes the shared parts of the context unchangeable, so one call cannot leave anything for the
 * next: every object reachable from the global object, and the built-in prototypes that only
 * instances lead to, is frozen. RegExp's legacy statics (RegExp.$1, lastMatch, …) would hand the
 * next call the text of this call's last match, so they go. Returns a check the host runs after each
 * call: false when the call changed the global object itself (added, replaced or removed a global,
 * or its prototype), which cannot be frozen; the host then discards the context.
 */
function lockDown(): () => boolean {
  for (const name of DEFERRED) delete g[name];
  for (const key of Reflect.ownKeys(RegExp)) {
    if (!['length', 'name', 'prototype', Symbol.species].includes(key)) delete (RegExp as never)[key];
  }
  // Taken now: a resolver cannot swap them (Object is frozen), and the check must not depend on it.
  const { freeze, getOwnPropertyDescriptor, defineProperty, getPrototypeOf, is } = Object;
  const ownKeys = Reflect.ownKeys;

  // A data property on a shared prototype becomes a getter and a setter that puts the value on the
  // instance, as assigning it would on an unfrozen prototype.
  const tame = (proto: object): void => {
    for (const key of OVERRIDABLE) {
      const d = getOwnPropertyDescriptor(proto, key);
      if (!d || !('value' in d) || !d.configurable) continue;
      const value: unknown = d.value;
      defineProperty(proto, key, {
        get: () => value,
        set(this: object, next: unknown) {
          if (this === proto) throw new TypeError(`Cannot assign to read only property '${key}'`);
          defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable ?? false,
        configurable: false,
      });
    }
  };

  const seen = new Set<unknown>([g]);
  const harden = (root: unknown): void => {
    const stack = [root];
    while (stack.length > 0) {
      const value = stack.pop();
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) {
        continue;
      }
      seen.add(value);
      for (const key of ownKeys(value)) {
        const d = getOwnPropertyDescriptor(value, key);
        if (d) stack.push(d.value, d.get, d.set);
      }
      stack.push(getPrototypeOf(value));
      freeze(value);
    }
  };
  const anonymous: unknown[] = [
    getPrototypeOf([][Symbol.iterator]()),
    getPrototypeOf(''[Symbol.iterator]()),
    getPrototypeOf(new Map().entries()),
    getPrototypeOf(new Set().values()),
    getPrototypeOf(/a/g[Symbol.matchAll]('a')),
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function () {}),
    getPrototypeOf(async function* () {}),
    getPrototypeOf(Int8Array),
  ];
  // Prototypes first: once harden has frozen one, it can no longer be tamed.
  for (const key of ownKeys(g)) {
    const value: unknown = getOwnPropertyDescriptor(g, key)?.value;
    // Read as a descriptor: a getter (or the runtime's strict proxies) must not run here.
    const prototype: unknown =
      typeof value === 'function' ? getOwnPropertyDescriptor(value, 'prototype')?.value : undefined;
    if ((typeof prototype === 'object' || typeof prototype === 'function') && prototype !== null) {
      tame(prototype);
    }
  }
  for (const key of ownKeys(g)) {
    const d = getOwnPropertyDescriptor(g, key);
    if (d) for (const part of [d.value, d.get, d.set]) harden(part);
  }
  for (const intrinsic of anonymous) harden(intrinsic);
  harden(getPrototypeOf(g));

  const snapshot = new Map(ownKeys(g).map((key) => [key, getOwnPropertyDescriptor(g, key)!]));
  const prototype = getPrototypeOf(g);
  return () => {
    if (getPrototypeOf(g) !== prototype) return false;
    const keys = ownKeys(g);
    if (keys.length !== snapshot.size) return false;
    for (const key of keys) {
      const before = snapshot.get(key);
      const now = getOwnPropertyDescriptor(g, key);
      if (
        !before ||
        !now ||
        !is(before.value, now.value) ||
        before.get !== now.get ||
        before.set !== now.set ||
        before.writable !== now.writable ||
        before.enumerable !== now.enumerable ||
        before.configurable !== now.configurable
      ) {
        return false;
      }
    }
    return true;
  };
}

g.util = util;
g.runtime = runtime;
g.extensions = extensions;
g.console = sandboxConsole;
// The one entry point resolver code can see; it runs nothing unless the host prepared a call.
g.__appsync = Object.freeze({ invoke });
// Taken and deleted by the host right after this file runs, before any resolver code.
g.__appsyncSetup = { install, prepare, lockDown };
export {};
