/** One row of `npm run bench`: ours against a baseline measured in the same run. */
export interface BenchResult {
  name: string;
  ours: number;
  baseline: number;
  unit: string;
  /** ours / baseline (or as the benchmark defines it; the target says which way is better). */
  ratio: number;
  /** Human-readable target, e.g. "ratio >= 1.5" or "ours <= baseline + 50 ms". */
  target: string;
  pass: boolean;
}

export type Benchmark = { name: string; run: () => Promise<BenchResult[]> };
