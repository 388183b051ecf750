/**
 * The resolver worker: a thread of its own where every resolver's context lives and every handler
 * call runs (resolver-code.ts starts it and talks to it). The host's objects are in another isolate
 * altogether, and a handler that never returns is stopped by ending this thread, with no watchdog
 * thread made per call (a vm time limit makes one, which costs more than the call itself).
 *
 * Protocol: the host posts calls on `port` and bumps `signal[REQUEST]`; this thread wakes, reads
 * them with receiveMessageOnPort, runs them one at a time in order, posts each answer with the call's
 * number and sets `signal[ANSWER]` to it. The host takes answers as port messages, or, when it must
 * wait for one synchronously, with Atomics.wait on `signal[ANSWER]`.
 */
import vm from 'node:vm';
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';

export const REQUEST = 0;
export const ANSWER = 1;

export type WorkerMessage =
  | { kind: 'load'; id: number; filename: string; code: string }
  | { kind: 'run'; seq: number; id: number; input: string };

/** The answer to a run: the runtime's JSON, or why the call could not start. */
export type WorkerAnswer = { json: string } | { failed: { name: string; message: string } };

export interface WorkerReply {
  readonly seq: number;
  readonly answer: WorkerAnswer;
}

export interface WorkerData {
  readonly signal: Int32Array;
  readonly port: MessagePort;
  readonly runtimeSource: string;
}

/** What the runtime gives the host once, before any resolver code runs (appsync-runtime.ts). */
interface RuntimeSetup {
  install(factory: unknown): void;
  prepare(inputJson: string): void;
  lockDown(): () => boolean;
}

interface Realm {
  readonly context: vm.Context;
  readonly setup: RuntimeSetup;
  /** False once a call has changed what the next call would see. */
  readonly untouched: () => boolean;
}

function serve({ signal, port, runtimeSource }: WorkerData): never {
  const runtime = new vm.Script(runtimeSource, { filename: 'appsync-runtime.js' });
  const takeSetup = new vm.Script(
    '(() => { const setup = globalThis.__appsyncSetup; delete globalThis.__appsyncSetup; return setup; })()',
    { filename: 'appsync-setup.js' },
  );
  const invoke = new vm.Script('__appsync.invoke()', { filename: 'appsync-invoke.js' });
  const scripts = new Map<number, { script?: vm.Script; failure?: Error; filename: string }>();
  const realms = new Map<number, Realm>();

  const newRealm = (id: number): Realm => {
    const resolver = scripts.get(id);
    if (!resolver) throw new Error(`resolver ${id} was never loaded`);
    if (!resolver.script) throw resolver.failure!;
    // A null-prototype global: `globalThis.constructor` then leads to the sandbox's own Function
    // (which cannot compile strings). Promise jobs run inside each call ('afterEvaluate'), never
    // after the call has been checked.
    const context = vm.createContext(Object.create(null) as object, {
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
      name: resolver.filename,
    });
    runtime.runInContext(context);
    const setup = takeSetup.runInContext(context) as RuntimeSetup;
    setup.install(resolver.script.runInContext(context));
    return { context, setup, untouched: setup.lockDown() };
  };

  const run = (id: number, input: string): WorkerAnswer => {
    try {
      let realm = realms.get(id);
      if (!realm) realms.set(id, (realm = newRealm(id)));
      realm.setup.prepare(input);
      const json = invoke.runInContext(realm.context) as string;
      // Changed by the call: the next call gets a new context.
      if (!realm.untouched()) realms.delete(id);
      return { json };
    } catch (error) {
      // Only a failure to set the context up reaches here; handler errors are caught inside.
      realms.delete(id);
      const e = error as Error;
      return { failed: { name: e?.name ?? 'Error', message: e?.message ?? String(error) } };
    }
  };

  let seen = 0;
  // Ready: the host waits for this before its first call.
  Atomics.store(signal, ANSWER, -1);
  Atomics.notify(signal, ANSWER);
  for (;;) {
    Atomics.wait(signal, REQUEST, seen);
    seen = Atomics.load(signal, REQUEST);
    for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
      const message = received.message as WorkerMessage;
      if (message.kind === 'load') {
        const { id, filename } = message;
        // Strict, as every ES module is on AppSync; the parentheses make the function the value.
        const code = `(function (require, module, exports) {"use strict";\n${message.code}\n})`;
        try {
          scripts.set(id, { script: new vm.Script(code, { filename }), filename });
        } catch (error) {
          // Reported by every call of this resolver, as a crash naming the error.
          scripts.set(id, { failure: error as Error, filename });
        }
        continue;
      }
      const reply: WorkerReply = { seq: message.seq, answer: run(message.id, message.input) };
      port.postMessage(reply);
      Atomics.store(signal, ANSWER, message.seq);
      Atomics.notify(signal, ANSWER);
    }
  }
}

// Bundled on its own and run as the worker's whole program; imported elsewhere only for its types.
if (workerData && (workerData as Partial<WorkerData>).runtimeSource) serve(workerData as WorkerData);
