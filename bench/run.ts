/**
 * `npm run bench`: runs every benchmark, prints a table, writes bench/results/latest.json.
 * Each benchmark measures its own baseline in the same run, so ratios survive a noisy machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
const results: BenchResult[] = [];
for (const bench of benchmarks) {
  if (only.length > 0 && !only.some((name) => bench.name.includes(name))) continue;
  console.log(`\n▶ ${bench.name}`);
  try {
    results.push(...(await bench.run()));
  } catch (error) {
    console.error(`  ${bench.name} failed:`, error);
    results.push({
      name: bench.name,
      ours: NaN,
      baseline: NaN,
      unit: '',
      ratio: NaN,
      target: 'runs',
      pass: false,
    });
  }
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

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote ${out}`);
process.exit(results.every((r) => r.pass) ? 0 : 1);

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
