/**
 * The local stack's start-up: `npm start` (the real command, a child process) to the first GraphQL
 * answer over HTTP, on a fresh state folder and on one kept from an earlier run, and on one holding a
 * large pool. Each start gets a temporary state folder and outputs file; the API port is chosen free
 * beforehand so the first answer can be asked for before the stack says it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../infra/paths';
import { seedUsers } from '../seed-users';
import { percentile, type BenchOptions, type Section, type SectionResult, type Target } from '../section';

/** The bound for `npm start` to the first GraphQL answer, in seconds. */
const READY_LIMIT_S = 3;
/** A start that takes longer than this is a failure, not a figure. */
const GIVE_UP_MS = 60_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Whether any process of the group is still running. Zombies do not count: a process whose parent
 * died first may wait for a reaper this machine's init does not run. Without /proc, any member counts.
 */
function groupRunning(group: number): boolean {
  try {
    return readdirSync('/proc')
      .filter((name) => /^[0-9]+$/.test(name))
      .some((pid) => {
        try {
          // pid (comm) state ppid pgrp ...: comm may hold spaces, so fields are read after its ')'.
          const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          return Number(pgrp) === group && state !== 'Z';
        } catch {
          return false; // gone meanwhile
        }
      });
  } catch {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Ends `npm start` and everything under it (npm, tsx, node: one process group). */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const group = child.pid as number;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-group, name);
    } catch {
      // The group is gone.
    }
  };
  let done = false;
  void exited.then(() => (done = true));
  // Ctrl-C, as a user stops it: the state is closed cleanly and kept for the next start.
  signal('SIGINT');
  // npm may exit before the processes under it: wait for the whole group (10 s at most), then end
  // whatever is left.
  const deadline = performance.now() + 10_000;
  while ((!done || groupRunning(group)) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  signal('SIGKILL');
  await exited;
}

/** One `npm start` on this state folder: milliseconds from spawn to the first GraphQL answer. */
async function timeStart(stateDir: string, scratch: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      COGNITO_PORT: '0',
      S3_PORT: '0',
      LOCAL_STATE_DIR: stateDir,
      OUTPUTS_FILE: join(scratch, 'outputs.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so npm and every process under it can be ended together.
    detached: true,
  });
  let output = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const url = `http://127.0.0.1:${port}/graphql`;
    for (;;) {
      if (exitCode !== undefined) throw new Error(`npm start exited with ${exitCode}:\n${output}`);
      if (performance.now() - started > GIVE_UP_MS)
        throw new Error(`no GraphQL answer after 60 s:\n${output}`);
      const answered = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // Any GraphQL answer counts, a refusal of the missing API key included: the API is up.
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(2_000),
      }).then(
        async (res) => res.headers.get('content-type')?.includes('json') === true && (await res.json(), true),
        () => false,
      );
      if (answered) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await stop(child, exited);
  }
}

const section: Section = {
  id: 'startup',
  async run(options: BenchOptions): Promise<SectionResult> {
    const runs = options.quick ? 1 : 3;
    const largePool = options.quick ? 500 : 10_000;
    const scratch = mkdtempSync(join(tmpdir(), 'bench-startup-'));
    try {
      // One start, not measured, so tsx's transform cache is warm for every measured one alike.
      options.progress('startup: warming up (one start, not measured)');
      await timeStart(join(scratch, 'warm-up'), scratch);

      const fresh: number[] = [];
      const kept: number[] = [];
      const large: number[] = [];
      for (let i = 0; i < runs; i++) {
        const stateDir = join(scratch, `state-${i}`);
        options.progress(`startup: run ${i + 1}/${runs}, fresh state folder`);
        fresh.push(await timeStart(stateDir, scratch));
        options.progress(`startup: run ${i + 1}/${runs}, state kept from that start`);
        kept.push(await timeStart(stateDir, scratch));
        options.progress(`startup: run ${i + 1}/${runs}, ${largePool.toLocaleString('en')} users kept`);
        await seedUsers(join(stateDir, 'cognito'), largePool);
        large.push(await timeStart(stateDir, scratch));
      }
      const seconds = (sample: number[]) => percentile(sample, 50) / 1000;
      const row = (state: string, sample: number[]) => ({
        'state folder': state,
        'median s': Number(seconds(sample).toFixed(2)),
        'max s': Number((Math.max(...sample) / 1000).toFixed(2)),
        runs: sample.length,
      });
      const targets: Target[] = [
        { name: 'npm start to first GraphQL answer, fresh', value: seconds(fresh), limit: READY_LIMIT_S },
        { name: 'npm start to first GraphQL answer, kept state', value: seconds(kept), limit: READY_LIMIT_S },
        {
          name: `npm start to first GraphQL answer, ${largePool.toLocaleString('en')} users kept`,
          value: seconds(large),
          limit: READY_LIMIT_S,
        },
      ].map((t) => ({ ...t, value: Number(t.value.toFixed(2)), kind: 'max' as const, unit: 's' }));
      return {
        title: 'Local stack start-up (npm start to the first GraphQL answer)',
        columns: ['state folder', 'median s', 'max s', 'runs'],
        rows: [
          row('fresh', fresh),
          row('kept from the previous start', kept),
          row(`kept, ${largePool.toLocaleString('en')} users in the pool`, large),
        ],
        targets,
        notes: [
          'Wall-clock seconds from spawning `npm start` to its first answer on /graphql (polled every 10 ms).',
          "tsx's transform cache is warm (one unmeasured start first); a clone's very first start compiles more.",
          'Each start is stopped with Ctrl-C (SIGINT to its process group), as a user stops it.',
        ],
      };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};

export default section;
