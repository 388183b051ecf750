/**
 * Runs APPSYNC_JS resolver bundles the way AppSync does: each handler call isolated from every other,
 * in a context that holds only the APPSYNC_JS runtime (runtime/appsync-runtime.ts) and the resolver's
 * own code. The bundle file is the one that would be deployed; it is only converted from ESM to a
 * function body so it can run in a plain vm script (no experimental vm modules).
 *
 * Building a context and loading the runtime into it cost more than the rest of a field (about
 * 0.6 ms per handler call), so each resolver keeps one context and reuses it while no call has
 * changed it: the runtime freezes every built-in before the first call, evaluates the resolver's
 * module afresh for every call, drains promise jobs within the call, and reports whether the call
 * changed the global object; if it did, or the call timed out or failed to start, the context is
 * thrown away and the next call gets a new one.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { buildSync, transformSync } from 'esbuild';

/** AppSync limits a resolver handler's run time; an endless loop here must not hang the server. */
const HANDLER_TIMEOUT_MS = 1_000;
/** Enough random bytes for a handful of autoId() calls per handler. */
const RANDOM_POOL_BYTES = 512;

export interface AppSyncErrorEntry {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

export type HandlerOutcome = (
  | { outcome: 'return'; value: unknown }
  | { outcome: 'earlyReturn'; value: unknown }
  | { outcome: 'error'; error: AppSyncErrorEntry }
  | { outcome: 'crash'; name: string; message: string; notImplemented?: string }
) & { stash: Record<string, unknown>; appended: AppSyncErrorEntry[]; logs: string[] };

export interface HandlerInput {
  handler: 'request' | 'response';
  ctx: Record<string, unknown>;
  authType: string;
}

/** What the runtime gives the host once, before any resolver code runs (runtime/appsync-runtime.ts). */
interface RuntimeSetup {
  install(factory: unknown): void;
  prepare(inputJson: string): void;
  lockDown(): () => boolean;
}

interface Realm {
  readonly context: vm.Context;
  readonly prepare: (inputJson: string) => void;
  /** False once a call has changed what the next call would see. */
  readonly untouched: () => boolean;
}

let runtimeScript: vm.Script | undefined;
const takeSetupScript = new vm.Script(
  '(() => { const setup = globalThis.__appsyncSetup; delete globalThis.__appsyncSetup; return setup; })()',
  { filename: 'appsync-setup.js' },
);
const invokeScript = new vm.Script('__appsync.invoke()', { filename: 'appsync-invoke.js' });

function runtime(): vm.Script {
  if (!runtimeScript) {
    const here = dirname(fileURLToPath(import.meta.url));
    const { outputFiles } = buildSync({
      entryPoints: [join(here, 'runtime', 'appsync-runtime.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      target: 'es2022',
      logLevel: 'error',
    });
    runtimeScript = new vm.Script(outputFiles[0]!.text, { filename: 'appsync-runtime.js' });
  }
  return runtimeScript;
}

/** A resolver bundle, compiled once and run isolated per call. */
export class ResolverCode {
  private readonly script: vm.Script;
  private realm: Realm | undefined;

  constructor(readonly bundlePath: string) {
    const source = readFileSync(bundlePath, 'utf8');
    const { code } = transformSync(source, { format: 'cjs', loader: 'js', sourcefile: bundlePath });
    // Strict, as every ES module is on AppSync; the parentheses make the function the script's value.
    this.script = new vm.Script(`(function (require, module, exports) {"use strict";\n${code}\n})`, {
      filename: bundlePath,
    });
  }

  private newRealm(): Realm {
    // A null-prototype global: `globalThis.constructor` then leads to the sandbox's own Function
    // (which cannot compile strings), not to the host's. Promise jobs run inside each call
    // ('afterEvaluate'), under its time limit, never after it has been checked.
    const context = vm.createContext(Object.create(null) as object, {
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
      name: this.bundlePath,
    });
    runtime().runInContext(context);
    const setup = takeSetupScript.runInContext(context) as RuntimeSetup;
    setup.install(this.script.runInContext(context));
    const untouched = setup.lockDown();
    return { context, prepare: (json) => setup.prepare(json), untouched };
  }

  run(input: HandlerInput): HandlerOutcome {
    const options = { timeout: HANDLER_TIMEOUT_MS, breakOnSigint: true };
    try {
      const realm = (this.realm ??= this.newRealm());
      realm.prepare(JSON.stringify({ ...input, random: randomBytes(RANDOM_POOL_BYTES).toString('hex') }));
      const json = invokeScript.runInContext(realm.context, options) as string;
      if (!realm.untouched()) this.realm = undefined;
      return JSON.parse(json) as HandlerOutcome;
    } catch (error) {
      // Only a timeout or a failure to set the context up reaches here; handler errors are caught
      // inside. The context may be half-way through a call: never reuse it.
      this.realm = undefined;
      const e = error as Error;
      return {
        outcome: 'crash',
        name: e.name ?? 'Error',
        message: e.message ?? String(error),
        stash: (input.ctx.stash as Record<string, unknown>) ?? {},
        appended: [],
        logs: [],
      };
    }
  }
}
