/**
 * What one part of `npm run bench` reports. Every figure that has a target is a ratio (or a size)
 * measured side by side in the same run, so a busy machine slows both sides alike.
 */
export interface Target {
  /** What is compared, e.g. "sign-in median, API / direct". */
  readonly name: string;
  readonly value: number;
  /** The bound the value must stay within (inclusive). */
  readonly limit: number;
  /** 'max': value <= limit; 'min': value >= limit. */
  readonly kind: 'max' | 'min';
  readonly unit?: string;
}

export interface SectionResult {
  readonly title: string;
  /** Column names, in print order. */
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string | number>[];
  readonly targets: readonly Target[];
  /** Lines printed under the table: what the figures mean, what was assumed. */
  readonly notes?: readonly string[];
}

export interface BenchOptions {
  /** Smaller counts, for a smoke run (BENCH_QUICK=1): same code paths, figures not meaningful. */
  readonly quick: boolean;
  /** Progress lines go here (stderr), so the table on stdout stays readable. */
  readonly progress: (line: string) => void;
}

/** Every section file in bench/sections/ default-exports one of these. */
export interface Section {
  readonly id: string;
  run(options: BenchOptions): Promise<SectionResult>;
}

export function met(target: Target): boolean {
  return target.kind === 'max' ? target.value <= target.limit : target.value >= target.limit;
}

/** Median and a percentile of a sample, in its own unit. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) throw new Error('percentile of an empty sample');
  const sorted = [...sample].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
