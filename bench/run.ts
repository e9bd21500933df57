/**
 * `npm run bench`: runs every benchmark, prints a table, writes bench/results/latest.json.
 * Each benchmark measures its own baseline in the same run, so ratios survive a noisy machine.
 *
 * `npm run bench <name>…` runs those whose name contains a given word. Each benchmark's rows are
 * also kept in bench/results/by-bench/, and latest.json is every benchmark's latest rows, so a
 * partial run updates its own rows without dropping the others' (the full run takes ~40 min).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discussionsBenchmark } from './discussions';
import { postPropagationBenchmark } from './post-propagation';
import { meshSimulationBenchmark } from './mesh-sim-bench';
import { meshPropagationBenchmark } from './mesh-propagation';
import { relayBenchmark } from './relay';
import { storageGrowthBenchmark } from './storage-growth';
import { filesBenchmark } from './files';
import { governanceBenchmark } from './governance';
import type { Benchmark, BenchResult } from './types';

const benchmarks: Benchmark[] = [
  postPropagationBenchmark,
  discussionsBenchmark,
  relayBenchmark,
  storageGrowthBenchmark,
  filesBenchmark,
  meshSimulationBenchmark,
  governanceBenchmark,
  meshPropagationBenchmark,
];

const only = process.argv.slice(2);
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
const byBench = join(resultsDir, 'by-bench');
const fileOf = (bench: Benchmark) =>
  join(byBench, `${bench.name.replace(/[^a-z0-9]+/gi, '-')}.json`);
mkdirSync(byBench, { recursive: true });

const results: BenchResult[] = [];
for (const bench of benchmarks) {
  if (only.length > 0 && !only.some((name) => bench.name.includes(name))) continue;
  console.log(`\n▶ ${bench.name}`);
  let rows: BenchResult[];
  try {
    rows = await bench.run();
  } catch (error) {
    console.error(`  ${bench.name} failed:`, error);
    rows = [
      {
        name: bench.name,
        ours: NaN,
        baseline: NaN,
        unit: '',
        ratio: NaN,
        target: 'runs',
        pass: false,
      },
    ];
  }
  results.push(...rows);
  writeFileSync(fileOf(bench), JSON.stringify(rows, null, 2) + '\n');
}

console.log('');
console.table(
  results.map((r) => ({
    name: r.name,
    ours: `${round(r.ours)} ${r.unit}`,
    baseline: `${round(r.baseline)} ${r.unit}`,
    ratio: round(r.ratio),
    target: r.target,
    pass: r.pass ? 'yes' : 'NO',
  })),
);

const out = join(resultsDir, 'latest.json');
const latest = benchmarks.flatMap((bench) =>
  existsSync(fileOf(bench))
    ? (JSON.parse(readFileSync(fileOf(bench), 'utf8')) as BenchResult[])
    : [],
);
writeFileSync(out, JSON.stringify(latest, null, 2) + '\n');
console.log(`wrote ${out} (${latest.length} rows: this run's and earlier runs' of the others)`);
process.exit(results.every((r) => r.pass) ? 0 : 1);

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
