/**
 * `npm run bench`: runs every section in bench/sections/ one after another (or those named on the
 * command line: `npm run bench -- sign-in`), prints one table per section on stdout, progress on
 * stderr, and writes bench/results.json with the machine it ran on. Exits 1 when a target is missed
 * or a section fails, 2 on a usage error. BENCH_QUICK=1 is a smoke run: tiny counts, the same code
 * paths, figures that mean nothing (written to bench/results.quick.json instead). BENCH_RESULTS names
 * another file to write (the smoke test's temporary one).
 *
 * Everything runs on loopback. Sections stop what they start; whatever child process is still
 * running at the end, on a failure or on Ctrl-C is stopped here by its process id.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, release, totalmem, type } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { met, type Section, type SectionResult, type Target } from './section';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECTIONS_DIR = join(HERE, 'sections');
/** The bound is 4 minutes for the whole run; past this, something hangs: stop it. */
const RUN_LIMIT_MS = 6 * 60_000;

const quick = process.env.BENCH_QUICK === '1';
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/** Process ids of every live descendant of this process (children, their children, …). */
function descendants(): number[] {
  let listing: string;
  try {
    listing = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of listing.split('\n')) {
    const [pid, ppid, command] = line.trim().split(/\s+/);
    // The ps that made this listing has exited by now: its id is no longer ours.
    if (!pid || !ppid || (command === 'ps' && Number(ppid) === process.pid)) continue;
    children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(pid)]);
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(process.pid);
  return found;
}

/**
 * Stops every process this run started and left running (servers a section failed to stop, and
 * the bundler services tsx and esbuild keep for the whole run): TERM first, then KILL for whatever
 * is still there a moment later. Only at the end or on a signal: tsx still needs its bundler.
 */
async function stopDescendants(): Promise<void> {
  const left = descendants();
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  if (left.length === 0) return;
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const pid of descendants()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

async function loadSections(): Promise<Section[]> {
  const files = readdirSync(SECTIONS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const sections: Section[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(SECTIONS_DIR, file)).href)) as { default?: Section };
    const section = module.default;
    if (!section || typeof section.id !== 'string' || typeof section.run !== 'function') {
      throw new Error(`bench/sections/${file} must default-export a Section ({ id, run })`);
    }
    sections.push(section);
  }
  return sections;
}

/** Figures as people read them: integers whole, others to three significant digits or so. */
function formatValue(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return value.toFixed(magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
}

function table(columns: readonly string[], rows: readonly (readonly string[])[], numeric: boolean[]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function targetLine(target: Target): string[] {
  const unit = target.unit ? ` ${target.unit}` : '';
  const bound = `${target.kind === 'max' ? '≤' : '≥'} ${formatValue(target.limit)}${unit}`;
  return [target.name, `${formatValue(target.value)}${unit}`, bound, met(target) ? 'met' : 'MISSED'];
}

function render(id: string, result: SectionResult, seconds: number): string {
  const rows = result.rows.map((row) => result.columns.map((c) => formatValue(row[c] ?? '')));
  const numeric = result.columns.map((c) => result.rows.some((row) => typeof row[c] === 'number'));
  const out = [
    `## ${result.title} (${id}, ${seconds.toFixed(0)} s)`,
    '',
    table(result.columns, rows, numeric),
  ];
  if (result.targets.length > 0) {
    out.push(
      '',
      table(['target', 'value', 'bound', ''], result.targets.map(targetLine), [false, true, false, false]),
    );
  }
  for (const note of result.notes ?? []) out.push(`  ${note}`);
  return `${out.join('\n')}\n`;
}

interface Outcome {
  readonly id: string;
  readonly seconds: number;
  readonly result?: SectionResult;
  readonly error?: string;
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all = await loadSections();
  const unknown = wanted.filter((id) => !all.some((s) => s.id === id));
  if (unknown.length > 0) {
    progress(`unknown section ${unknown.join(', ')}; sections: ${all.map((s) => s.id).join(', ')}`);
    return 2;
  }
  const sections = wanted.length > 0 ? all.filter((s) => wanted.includes(s.id)) : all;
  const started = Date.now();
  progress(
    `bench: ${sections.map((s) => s.id).join(', ')}${quick ? ' (BENCH_QUICK: figures mean nothing)' : ''}`,
  );

  const outcomes: Outcome[] = [];
  for (const section of sections) {
    const t0 = Date.now();
    progress(`▶ ${section.id}`);
    let outcome: Outcome;
    try {
      // Each line says which section it is from, once (some sections name themselves already).
      const named = (line: string) => (line.startsWith(`${section.id}:`) ? line : `${section.id}: ${line}`);
      const result = await section.run({ quick, progress: (line) => progress(`  ${named(line)}`) });
      outcome = { id: section.id, seconds: (Date.now() - t0) / 1000, result };
      process.stdout.write(`\n${render(section.id, result, outcome.seconds)}`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      outcome = { id: section.id, seconds: (Date.now() - t0) / 1000, error: message };
      process.stdout.write(`\n## ${section.id}: FAILED\n${message}\n`);
    }
    outcomes.push(outcome);
  }

  const cpu = cpus();
  const report = {
    date: new Date().toISOString(),
    quick,
    seconds: (Date.now() - started) / 1000,
    machine: {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      os: `${type()} ${release()} ${arch()}`,
    },
    sections: Object.fromEntries(
      outcomes.map((o) => [
        o.id,
        o.result
          ? { ...o.result, seconds: o.seconds, targets: o.result.targets.map((t) => ({ ...t, met: met(t) })) }
          : { seconds: o.seconds, error: o.error },
      ]),
    ),
  };
  const file = process.env.BENCH_RESULTS ?? join(HERE, quick ? 'results.quick.json' : 'results.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  const missed = outcomes.flatMap((o) =>
    (o.result?.targets ?? []).filter((t) => !met(t)).map((t) => `${o.id}: ${t.name}`),
  );
  const failed = outcomes.filter((o) => o.error).map((o) => o.id);
  const { machine } = report;
  process.stdout.write(
    `\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}; ` +
      `${report.seconds.toFixed(0)} s; results in ${relative(process.cwd(), file)}\n`,
  );
  for (const id of failed) process.stdout.write(`section failed: ${id}\n`);
  for (const name of missed) process.stdout.write(`target missed: ${name}\n`);
  return failed.length > 0 || missed.length > 0 ? 1 : 0;
}

const watchdog = setTimeout(() => {
  progress(`bench: still running after ${RUN_LIMIT_MS / 60_000} minutes; stopping`);
  void stopDescendants().finally(() => process.exit(1));
}, RUN_LIMIT_MS);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`bench: ${signal}, stopping`);
    void stopDescendants().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await stopDescendants();
    // In-process servers a section closed may still hold sockets open for a moment: do not wait.
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    progress(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopDescendants();
    process.exit(1);
  });
