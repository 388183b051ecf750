/**
 * Runs APPSYNC_JS resolver bundles the way AppSync does: each handler call isolated from every other,
 * in a context that holds only the APPSYNC_JS runtime (runtime/appsync-runtime.ts) and the resolver's
 * own code. The bundle file is the one that would be deployed; it is only converted from ESM to a
 * function body so it can run in a plain vm script (no experimental vm modules).
 *
 * The contexts live in one worker thread (runtime/worker.ts), one per resolver, reused while no call
 * has changed it: building a context and loading the runtime cost about 0.6 ms of every call, and a
 * vm time limit starts and joins a watchdog thread on every call (about 0.2 ms in a sign-in, more
 * than the call itself, and more again on a busy machine). A call that runs over the limit ends the
 * worker instead; the next call starts a new one.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { buildSync, transformSync } from 'esbuild';
import { ANSWER, REQUEST, type WorkerAnswer, type WorkerData, type WorkerMessage } from './runtime/worker';

/** AppSync limits a resolver handler's run time; an endless loop here must not hang the server. */
const HANDLER_TIMEOUT_MS = 1_000;
/** A new worker loads its code and answers within this, or the call fails. */
const WORKER_START_MS = 10_000;
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

const here = dirname(fileURLToPath(import.meta.url));
let sources: { worker: string; runtime: string } | undefined;

const bundle = (file: string, platform: 'node' | 'neutral', format: 'cjs' | 'iife'): string =>
  buildSync({
    entryPoints: [join(here, 'runtime', file)],
    bundle: true,
    write: false,
    format,
    platform,
    target: 'es2022',
    logLevel: 'error',
  }).outputFiles[0]!.text;

/** The worker's program and the runtime it loads into every context, bundled once per process. */
function workerSources(): { worker: string; runtime: string } {
  return (sources ??= {
    worker: bundle('worker.ts', 'node', 'cjs'),
    runtime: bundle('appsync-runtime.ts', 'neutral', 'iife'),
  });
}

class Timeout extends Error {
  override readonly name = 'Error';
}

/** The resolver worker, called synchronously: a call blocks until its answer or its time limit. */
class ResolverWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly loaded = new Set<number>();
  private seq = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const { worker, runtime } = workerSources();
    const data: WorkerData = { signal: this.signal, port: port2, runtimeSource: runtime };
    // No host environment (credentials live there) and none of the host's loader flags.
    this.worker = new Worker(worker, {
      eval: true,
      workerData: data,
      transferList: [port2],
      env: {},
      execArgv: [],
    });
    this.worker.unref();
    this.port.unref();
    // Its errors surface as a missed answer; an 'error' listener keeps them from crashing the host.
    this.worker.on('error', () => undefined);
    if (!this.waitFor(-1, WORKER_START_MS)) {
      this.stop();
      throw new Error('the resolver worker did not start');
    }
  }

  /** Waits until signal[ANSWER] is `value`; false when `ms` pass first. */
  private waitFor(value: number, ms: number): boolean {
    const deadline = performance.now() + ms;
    for (
      let now = Atomics.load(this.signal, ANSWER);
      now !== value;
      now = Atomics.load(this.signal, ANSWER)
    ) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.signal, ANSWER, now, left);
    }
    return true;
  }

  run(code: ResolverCode, input: string): WorkerAnswer {
    if (!this.loaded.has(code.id)) {
      this.post({ kind: 'load', id: code.id, filename: code.bundlePath, code: code.source });
      this.loaded.add(code.id);
    }
    const seq = ++this.seq;
    this.post({ kind: 'run', seq, id: code.id, input });
    Atomics.store(this.signal, REQUEST, seq);
    Atomics.notify(this.signal, REQUEST);
    if (!this.waitFor(seq, HANDLER_TIMEOUT_MS)) {
      throw new Timeout(`Script execution timed out after ${HANDLER_TIMEOUT_MS}ms`);
    }
    return receiveMessageOnPort(this.port)!.message as WorkerAnswer;
  }

  private post(message: WorkerMessage): void {
    this.port.postMessage(message);
  }

  stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

let worker: ResolverWorker | undefined;
let nextId = 0;

/** A resolver bundle, converted once and run isolated per call. */
export class ResolverCode {
  readonly id = nextId++;
  /** The bundle as a CommonJS function body. */
  readonly source: string;

  constructor(readonly bundlePath: string) {
    const source = readFileSync(bundlePath, 'utf8');
    this.source = transformSync(source, { format: 'cjs', loader: 'js', sourcefile: bundlePath }).code;
  }

  run(input: HandlerInput): HandlerOutcome {
    const crash = (e: { name?: string; message?: string }): HandlerOutcome => ({
      outcome: 'crash',
      name: e.name ?? 'Error',
      message: e.message ?? 'failed',
      stash: (input.ctx.stash as Record<string, unknown>) ?? {},
      appended: [],
      logs: [],
    });
    try {
      worker ??= new ResolverWorker();
      const answer = worker.run(
        this,
        JSON.stringify({ ...input, random: randomBytes(RANDOM_POOL_BYTES).toString('hex') }),
      );
      return 'json' in answer ? (JSON.parse(answer.json) as HandlerOutcome) : crash(answer.failed);
    } catch (error) {
      // Over the time limit, or the worker is gone: whatever it held goes with it.
      worker?.stop();
      worker = undefined;
      return crash(error as Error);
    }
  }
}
