/**
 * Every throw-away AWS resource is registered here the moment it exists, and unregistered once it is
 * deleted. Whatever is still registered is deleted by cleanUpAll() after each test file on the aws
 * target (target.ts), and on SIGINT or SIGTERM by a detached process (reap.ts): vitest ends its
 * workers soon after a signal (the main process exits at once on Ctrl-C, a worker that then reports to
 * it is exited, a stopped one is killed 500 ms after SIGTERM), so the deletions must not depend on the
 * process that made the resources. A run killed outright leaves its resources to the sweep (sweep.ts).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EndpointOverride } from './aws-env';

/** How reap.ts finds a resource again: enough to delete it from another process. */
export type Reap =
  | { kind: 'user-pool'; userPoolId: string; region: string; endpoint?: EndpointOverride }
  | { kind: 'bucket'; bucket: string; region: string; endpoint?: EndpointOverride };

interface Pending {
  readonly label: string;
  readonly remove: () => Promise<void>;
  readonly reap: Reap;
}

/** How long a signalled process waits for the reaper before it ends (the reaper goes on). */
const SIGNAL_CLEANUP_MS = 30_000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REAPER = fileURLToPath(new URL('./reap.ts', import.meta.url));

/**
 * One registry and one pair of signal handlers per process, on globalThis: vitest evaluates this
 * module afresh for every test file a worker runs.
 */
interface Registry {
  pending: Set<Pending>;
  signalsInstalled: boolean;
  signalled: boolean;
}
const KEY = Symbol.for('auth-api-contract.cleanup');
const registry = (): Registry =>
  ((globalThis as { [KEY]?: Registry })[KEY] ??= {
    pending: new Set(),
    signalsInstalled: false,
    signalled: false,
  });

/** Registers a resource; `remove` deletes it. Returns the function that unregisters it. */
export function track(label: string, remove: () => Promise<void>, reap: Reap): () => void {
  const entry: Pending = { label, remove, reap };
  const { pending } = registry();
  pending.add(entry);
  installSignalHandlers();
  return () => {
    pending.delete(entry);
  };
}

/** Labels of the resources registered and not yet deleted. */
export function pendingResources(): string[] {
  return [...registry().pending].map((entry) => entry.label);
}

/** Deletes everything still registered; throws, naming them, if some could not be deleted. */
export async function cleanUpAll(): Promise<void> {
  const { pending } = registry();
  const failures: string[] = [];
  await Promise.all(
    [...pending].map(async (entry) => {
      try {
        await entry.remove();
        pending.delete(entry);
      } catch (error) {
        failures.push(`${entry.label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  if (failures.length > 0) {
    throw new Error(
      `Could not delete ${failures.length} throw-away AWS resource(s); ` +
        `run \`npx tsx test/contract/sweep.ts\` once an hour has passed:\n  ${failures.join('\n  ')}`,
    );
  }
}

function installSignalHandlers(): void {
  const state = registry();
  if (state.signalsInstalled) return;
  state.signalsInstalled = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  const state = registry();
  if (state.signalled) {
    // Another signal (a second Ctrl-C, vitest stopping the worker): the reaper goes on without us.
    process.exit(128 + (constants.signals[signal] ?? 0));
  }
  state.signalled = true;
  const entries = [...state.pending];
  const finish = () => {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    // The signal's own ending (and exit status), now that the deletions are done or under way.
    process.kill(process.pid, signal);
  };
  if (entries.length === 0) return finish();
  const reap = JSON.stringify(entries.map((e) => e.reap));
  const reaper = spawn(process.execPath, ['--import', 'tsx', REAPER, reap], {
    cwd: ROOT,
    // Its own process group: a second Ctrl-C, which ends this process, does not reach it.
    detached: true,
    stdio: 'ignore',
  });
  process.stderr.write(
    `contract: ${signal}: deleting ${entries.map((e) => e.label).join(', ')} ` +
      `(reaper process ${reaper.pid ?? '?'}, detached)\n`,
  );
  const deadline = setTimeout(finish, SIGNAL_CLEANUP_MS);
  const done = () => {
    clearTimeout(deadline);
    finish();
  };
  reaper.once('exit', (code) => {
    if (code === 0) for (const entry of entries) state.pending.delete(entry);
    done();
  });
  reaper.once('error', (error) => {
    process.stderr.write(`contract: the reaper did not start (${error.message}); run the sweep later\n`);
    done();
  });
}
