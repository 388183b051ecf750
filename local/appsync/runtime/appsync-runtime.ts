/**
 * The APPSYNC_JS runtime as the local AppSync provides it. This file is bundled on its own and
 * evaluated INSIDE each resolver call's isolated context (node:vm), never in the host: everything the
 * resolver can reach (util, runtime, extensions, console, require) is made of the sandbox's own
 * objects, so no host object (and no `process`, `require` or network) is reachable from resolver code.
 * Values cross the boundary only as JSON strings.
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

function notImplemented(name: string): Error {
  const error = new Error(`${name} is not implemented by the local AppSync runtime`);
  error.name = 'NotImplemented';
  (error as Error & { member: string }).member = name;
  return error;
}

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

let state: { input: Input; appended: AppSyncErrorEntry[]; logs: string[]; randomOffset: number };

function randomBytes(n: number): number[] {
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
    state.appended.push(entry(message, errorType, data, errorInfo));
  },
  unauthorized(): never {
    const { fieldName, parentTypeName } = state.input.ctx.info;
    return raise(entry(`Not Authorized to access ${fieldName} on type ${parentTypeName}`, 'Unauthorized'));
  },
  authType: (): string => state.input.authType,
  autoId,
  autoUlid,
  base64Encode,
  base64Decode,
  urlEncode: (s: string): string => encodeURIComponent(s),
  urlDecode: (s: string): string => decodeURIComponent(s.replace(/\+/g, ' ')),
  escapeJavaScript: (s: string): string => JSON.stringify(String(s)).slice(1, -1),
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
  args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
const sandboxConsole = {
  log: (...args: unknown[]): void => void state.logs.push(format(args)),
  info: (...args: unknown[]): void => void state.logs.push(format(args)),
  warn: (...args: unknown[]): void => void state.logs.push(format(args)),
  error: (...args: unknown[]): void => void state.logs.push(format(args)),
  debug: (...args: unknown[]): void => void state.logs.push(format(args)),
};

type Handler = (ctx: unknown) => unknown;
const exportsOf: { request?: Handler; response?: Handler } = {};

function load(
  factory: (require: (id: string) => unknown, module: { exports: object }, exports: object) => void,
): void {
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): unknown => {
    if (id === '@aws-appsync/utils') return { util, runtime, extensions };
    throw notImplemented(`import of "${id}" (only @aws-appsync/utils is available to resolvers)`);
  };
  factory(require, module, module.exports);
  Object.assign(exportsOf, module.exports);
}

function invoke(inputJson: string): string {
  const input = JSON.parse(inputJson) as Input;
  state = { input, appended: [], logs: [], randomOffset: 0 };
  const ctx = input.ctx;
  let result: Outcome;
  try {
    const handler = exportsOf[input.handler];
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
  }
  return JSON.stringify({ ...result, stash: ctx.stash, appended: state.appended, logs: state.logs });
}

const g = globalThis as Record<string, unknown>;
g.util = util;
g.runtime = runtime;
g.extensions = extensions;
g.console = sandboxConsole;
g.__appsync = { load, invoke };
export {};
