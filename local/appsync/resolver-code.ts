/**
 * Runs APPSYNC_JS resolver bundles the way AppSync does: each handler call in a fresh, isolated
 * context that holds only the APPSYNC_JS runtime (runtime/appsync-runtime.ts) and the resolver's own code.
 * The bundle file is the one that would be deployed; it is only converted from ESM to a function
 * body so it can run in a plain vm script (no experimental vm modules).
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

let runtimeScript: vm.Script | undefined;
const invokeScript = new vm.Script('__appsync.invoke(__input)', { filename: 'appsync-invoke.js' });

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

/** A resolver bundle, compiled once and run in a new context per call. */
export class ResolverCode {
  private readonly script: vm.Script;

  constructor(readonly bundlePath: string) {
    const source = readFileSync(bundlePath, 'utf8');
    const { code } = transformSync(source, { format: 'cjs', loader: 'js', sourcefile: bundlePath });
    this.script = new vm.Script(`__appsync.load(function (require, module, exports) {\n${code}\n});`, {
      filename: bundlePath,
    });
  }

  run(input: HandlerInput): HandlerOutcome {
    // A null-prototype global: `globalThis.constructor` then leads to the sandbox's own Function
    // (which cannot compile strings), not to the host's.
    const context = vm.createContext(Object.create(null) as object, {
      codeGeneration: { strings: false, wasm: false },
      name: this.bundlePath,
    });
    (context as { __input?: string }).__input = JSON.stringify({
      ...input,
      random: randomBytes(RANDOM_POOL_BYTES).toString('hex'),
    });
    const options = { timeout: HANDLER_TIMEOUT_MS, breakOnSigint: true };
    try {
      runtime().runInContext(context, options);
      this.script.runInContext(context, options);
      const json = invokeScript.runInContext(context, options) as string;
      return JSON.parse(json) as HandlerOutcome;
    } catch (error) {
      // Only a timeout or an error while loading the module reaches here; handler errors are caught inside.
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
