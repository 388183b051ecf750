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
import {
  ANSWER,
  REQUEST,
  type WorkerAnswer,
  type WorkerData,
  type WorkerMessage,
  type WorkerReply,
} from './runtime/worker';

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

const timedOut = (): WorkerAnswer => ({
  failed: { name: 'Error', message: `Script execution timed out after ${HANDLER_TIMEOUT_MS}ms` },
});

interface Call {
  readonly code: ResolverCode;
  readonly input: string;
  readonly deliver: (answer: WorkerAnswer) => void;
  timer?: NodeJS.Timeout;
}

interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
  /** Resolvers whose code this thread has been sent. */
  readonly loaded: Set<number>;
}

/**
 * The resolver worker and the calls it owes answers to. The engine awaits its calls, so the host's
 * thread serves other requests meanwhile; the build's checks wait synchronously. Either way a call
 * over the time limit ends the thread, and the calls queued behind it go to a new one.
 */
class ResolverWorker {
  private thread: Thread | undefined;
  private seq = 0;
  private readonly calls = new Map<number, Call>();

  private start(): Thread {
    const { port1: port, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const { worker: program, runtime } = workerSources();
    const data: WorkerData = { signal, port: port2, runtimeSource: runtime };
    // No host environment (credentials live there) and none of the host's loader flags.
    const worker = new Worker(program, {
      eval: true,
      workerData: data,
      transferList: [port2],
      env: {},
      execArgv: [],
    });
    worker.unref();
    const thread: Thread = { worker, port, signal, loaded: new Set() };
    port.on('message', (reply: WorkerReply) => this.settle(reply));
    port.unref();
    // A thread that fails or exits owes nothing more; its calls go to a new one.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.thread === thread) this.restart();
    });
    const deadline = performance.now() + WORKER_START_MS;
    while (Atomics.load(signal, ANSWER) !== -1) {
      const left = deadline - performance.now();
      if (left <= 0) {
        port.close();
        void worker.terminate();
        throw new Error('the resolver worker did not start');
      }
      Atomics.wait(signal, ANSWER, 0, left);
    }
    return thread;
  }

  private send(seq: number, call: Call): void {
    let thread: Thread;
    try {
      thread = this.thread ??= this.start();
    } catch (error) {
      // No thread to run it: the call fails, with the reason, as a crashed handler does.
      this.settle({ seq, answer: { failed: { name: 'Error', message: (error as Error).message } } });
      return;
    }
    const { code } = call;
    if (!thread.loaded.has(code.id)) {
      const load: WorkerMessage = { kind: 'load', id: code.id, filename: code.bundlePath, code: code.source };
      thread.port.postMessage(load);
      thread.loaded.add(code.id);
    }
    const run: WorkerMessage = { kind: 'run', seq, id: code.id, input: call.input };
    thread.port.postMessage(run);
    thread.port.ref();
    Atomics.store(thread.signal, REQUEST, seq);
    Atomics.notify(thread.signal, REQUEST);
  }

  private settle({ seq, answer }: WorkerReply): void {
    const call = this.calls.get(seq);
    if (!call) return;
    this.calls.delete(seq);
    clearTimeout(call.timer);
    if (this.calls.size === 0) this.thread?.port.unref();
    call.deliver(answer);
  }

  /** Ends the thread (a call ran over, or it died) and sends the calls still owed to a new one. */
  private restart(): void {
    const old = this.thread;
    this.thread = undefined;
    if (old) {
      old.port.close();
      void old.worker.terminate();
    }
    for (const [seq, call] of this.calls) this.send(seq, call);
  }

  private expire(seq: number): void {
    if (!this.calls.has(seq)) return;
    this.settle({ seq, answer: timedOut() });
    this.restart();
  }

  run(code: ResolverCode, input: string): Promise<WorkerAnswer> {
    return new Promise((resolve) => {
      const seq = ++this.seq;
      const call: Call = { code, input, deliver: resolve };
      this.calls.set(seq, call);
      // Counted from when it is sent: a call queued behind a slow one shares its wait.
      call.timer = setTimeout(() => this.expire(seq), HANDLER_TIMEOUT_MS);
      this.send(seq, call);
    });
  }

  runSync(code: ResolverCode, input: string): WorkerAnswer {
    const seq = ++this.seq;
    let answer: WorkerAnswer | undefined;
    this.calls.set(seq, { code, input, deliver: (a) => (answer = a) });
    this.send(seq, this.calls.get(seq)!);
    const deadline = performance.now() + HANDLER_TIMEOUT_MS;
    for (;;) {
      const thread = this.thread;
      if (answer || !thread) return answer ?? timedOut();
      const seen = Atomics.load(thread.signal, ANSWER);
      // Answers to other calls arrive on the same port: hand each to its caller.
      for (let m = receiveMessageOnPort(thread.port); m; m = receiveMessageOnPort(thread.port)) {
        this.settle(m.message as WorkerReply);
      }
      if (answer) return answer;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.expire(seq);
        return answer ?? timedOut();
      }
      Atomics.wait(thread.signal, ANSWER, seen, left);
    }
  }
}

const worker = new ResolverWorker();
/**
 * The worker's id for each distinct bundle, by path and code: the build's checks, every local stack
 * started in this process and every restart load the same bundles again, and they share one context
 * each instead of piling up new ones (a context holds no call's state between calls).
 */
const ids = new Map<string, number>();

/** A resolver bundle, converted once and run isolated per call. */
export class ResolverCode {
  readonly id: number;
  /** The bundle as a CommonJS function body. */
  readonly source: string;

  constructor(readonly bundlePath: string) {
    const source = readFileSync(bundlePath, 'utf8');
    this.source = transformSync(source, { format: 'cjs', loader: 'js', sourcefile: bundlePath }).code;
    const key = `${bundlePath}\n${this.source}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    this.id = id;
  }

  /** Runs one handler call in the resolver worker; the host's thread is free meanwhile. */
  async run(input: HandlerInput): Promise<HandlerOutcome> {
    return this.outcome(input, await worker.run(this, this.serialise(input)));
  }

  /** The same, waiting for the answer: for callers that cannot await (the build's checks). */
  runSync(input: HandlerInput): HandlerOutcome {
    return this.outcome(input, worker.runSync(this, this.serialise(input)));
  }

  private serialise(input: HandlerInput): string {
    return JSON.stringify({ ...input, random: randomBytes(RANDOM_POOL_BYTES).toString('hex') });
  }

  private outcome(input: HandlerInput, answer: WorkerAnswer): HandlerOutcome {
    if ('json' in answer) return JSON.parse(answer.json) as HandlerOutcome;
    // Over the time limit, or the context could not be set up: the field fails with the reason.
    return {
      outcome: 'crash',
      name: answer.failed.name,
      message: answer.failed.message,
      stash: (input.ctx.stash as Record<string, unknown>) ?? {},
      appended: [],
      logs: [],
    };
  }
}
