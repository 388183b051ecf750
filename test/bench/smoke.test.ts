/**
 * `npm run bench` still runs end to end: every section, in its smoke mode (BENCH_QUICK=1, tiny counts,
 * the same code paths), as a user starts it, in a child process. Its figures mean nothing, so nothing
 * here checks a target is met: only that every section ran, printed its table, reported the figures
 * its targets need, and that the run left no process behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SECTIONS = readdirSync(join(ROOT, 'bench', 'sections'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const LIMIT_MS = 240_000;

interface Results {
  readonly quick: boolean;
  readonly sections: Record<
    string,
    {
      readonly error?: string;
      readonly title?: string;
      readonly columns?: readonly string[];
      readonly rows?: readonly Record<string, unknown>[];
      readonly targets?: readonly { name: string; value: unknown; met: unknown }[];
    }
  >;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Process ids whose command line names this run's results file: the bench and anything it left. */
function processesOf(marker: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/environ`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('npm run bench, smoke run', () => {
  it(
    'runs every section and writes a figure for each of its targets',
    async () => {
      const file = join(dir, 'results.json');
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
        cwd: ROOT,
        env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS: file },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

      // 0: every target met; 1: some missed, which quick counts may well do. 2 is a usage error; a
      // crash or a section that failed shows below.
      expect([0, 1], stderr.slice(-2_000)).toContain(code);
      const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
      expect(results.quick).toBe(true);
      expect(Object.keys(results.sections).sort()).toEqual(SECTIONS);
      for (const [id, section] of Object.entries(results.sections)) {
        expect(section.error, `${id} failed`).toBeUndefined();
        expect(section.rows?.length, `${id} has rows`).toBeGreaterThan(0);
        for (const row of section.rows ?? []) {
          for (const column of section.columns ?? []) expect(row, `${id}: ${column}`).toHaveProperty(column);
        }
        for (const target of section.targets ?? []) {
          expect(Number.isFinite(target.value), `${id}: ${target.name}`).toBe(true);
          expect(typeof target.met).toBe('boolean');
        }
        expect(stdout).toContain(`## ${section.title}`);
      }
      expect(stdout).not.toContain('FAILED');

      // Everything the run started (servers, synthesis, cold loads, npm start) has stopped with it.
      expect(processesOf(file)).toEqual([]);
    },
    LIMIT_MS,
  );
});
