/**
 * `npm run bench:markdown`: the targets of the last `npm run bench` (bench/results.json) as a
 * Markdown table with the machine it ran on, for the README. Figures come only from that file.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { met, type SectionResult, type Target } from './section';

interface Results {
  readonly date: string;
  readonly quick: boolean;
  readonly seconds: number;
  readonly machine: { cpu: string; cores: number; memoryGiB: number; node: string; os: string };
  readonly sections: Record<string, SectionResult | { error: string }>;
}

const file = join(dirname(fileURLToPath(import.meta.url)), 'results.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
if (results.quick) throw new Error(`${file} is a smoke run (BENCH_QUICK=1): its figures mean nothing`);

const figure = (n: number): string =>
  Number.isInteger(n)
    ? n.toLocaleString('en')
    : n.toFixed(Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
const bound = (t: Target): string =>
  `${t.kind === 'max' ? '≤' : '≥'} ${figure(t.limit)}${t.unit ? ` ${t.unit}` : ''}`;

const { machine } = results;
const lines = [
  `Run ${results.date.slice(0, 10)} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node.replace(/^v/, '')}, ${machine.os}; ${Math.round(results.seconds)} s.`,
  '',
  '| Section | Target | Measured | Bound | |',
  '| --- | --- | --- | --- | --- |',
];
for (const [id, section] of Object.entries(results.sections)) {
  if ('error' in section) {
    lines.push(`| ${id} | the section failed | | | ✗ |`);
    continue;
  }
  for (const t of section.targets) {
    lines.push(
      `| ${id} | ${t.name} | ${figure(t.value)}${t.unit ? ` ${t.unit}` : ''} | ${bound(t)} | ${met(t) ? 'met' : '**missed**'} |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
