/**
 * Relay benchmark: the same signaling load against Moot's relay and y-webrtc's bin/server.js,
 * each in its own process, alternating over rounds in one run. Reports medians of:
 * deliveries per second at fan-out 20 (per second of relay CPU, which the load generator
 * sharing a small machine cannot distort, and per wall-clock second), p95 delivery latency under
 * that load, and resident memory per idle connection.
 */
import { CountingClient } from './relay-raw-client';
import { runLoad, sleep, type LoadResult } from './relay-load';
import { spawnMootRelay, spawnYWebrtcRelay, type RelayProcess } from './relay-servers';
import type { Benchmark, BenchResult } from './types';

const ROUNDS = 5;
const LOAD = {
  clients: 1000,
  topics: 50,
  window: 8,
  warmupMs: 1500,
  durationMs: 4000,
  payloadBytes: 1000,
};
const IDLE_CONNECTIONS = 2000;

interface Sample {
  load: LoadResult;
  bytesPerIdleConnection: number;
}

export const relayBenchmark: Benchmark = {
  name: 'relay',
  async run() {
    const samples: Record<'moot' | 'y-webrtc', Sample[]> = { moot: [], 'y-webrtc': [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first so drift in machine load does not favour one side.
      const order =
        round % 2 === 0 ? [spawnYWebrtcRelay, spawnMootRelay] : [spawnMootRelay, spawnYWebrtcRelay];
      for (const spawn of order) {
        const relay = await spawn();
        try {
          const sample = await measure(relay);
          samples[relay.name as 'moot' | 'y-webrtc'].push(sample);
          const { load } = sample;
          console.log(
            `  round ${round + 1} ${relay.name.padEnd(8)} ` +
              `${Math.round(load.perCpuSecond)} msg/CPU-s, ${Math.round(load.perSecond)} msg/s, ` +
              `p95 ${load.latencyMs.p95.toFixed(1)} ms, ` +
              `${(sample.bytesPerIdleConnection / 1024).toFixed(2)} KiB/idle conn, ` +
              `${load.delivered}/${load.published * load.fanOut} delivered`,
          );
          if (relay.name === 'moot' && load.delivered !== load.published * load.fanOut) {
            throw new Error('Moot relay lost or duplicated deliveries');
          }
        } finally {
          await relay.stop();
        }
      }
    }

    // Each round measures both relays back to back; the ratio of a pair is what survives the
    // load of a shared machine drifting between rounds, so targets judge the median pair.
    const pairs = samples.moot.map((ours, i) => ({ ours, base: samples['y-webrtc'][i]! }));
    const fanOut = `fan-out ${LOAD.clients / LOAD.topics}, ${LOAD.clients} clients, ${LOAD.topics} topics`;
    const row = (
      name: string,
      unit: string,
      value: (s: Sample) => number,
      better: 'higher' | 'lower',
      target: number,
    ): BenchResult => {
      const ratio = median(pairs.map((p) => value(p.ours) / value(p.base)));
      return {
        name,
        ours: median(samples.moot.map(value)),
        baseline: median(samples['y-webrtc'].map(value)),
        unit,
        ratio,
        target: `median paired ratio ${better === 'higher' ? '>=' : '<='} ${target}`,
        pass: better === 'higher' ? ratio >= target : ratio <= target,
      };
    };
    return [
      row(
        `relay deliveries per relay CPU-second (${fanOut})`,
        'msg/s',
        (s) => s.load.perCpuSecond,
        'higher',
        1.5,
      ),
      row(
        `relay deliveries per second, wall clock (${fanOut})`,
        'msg/s',
        (s) => s.load.perSecond,
        'higher',
        1.5,
      ),
      row(
        'relay p95 delivery latency under that load',
        'ms',
        (s) => s.load.latencyMs.p95,
        'lower',
        1,
      ),
      row(
        'relay memory per idle connection',
        'KiB',
        (s) => s.bytesPerIdleConnection / 1024,
        'lower',
        1,
      ),
    ];
  },
};

async function measure(relay: RelayProcess): Promise<Sample> {
  const bytesPerIdleConnection = await idleMemory(relay);
  const load = await runLoad({ ...LOAD, wsUrl: relay.wsUrl, relayCpuSeconds: relay.cpuSeconds });
  return { load, bytesPerIdleConnection };
}

/** RSS growth per connection that subscribed to a room and then sat idle. */
async function idleMemory(relay: RelayProcess): Promise<number> {
  const open = (n: number) =>
    Promise.all(Array.from({ length: n }, () => CountingClient.open(relay.wsUrl)));
  // Warm up code paths and pools so the baseline is not the cold process.
  const warm = await open(100);
  warm.forEach((c) => c.send('{"type":"subscribe","topics":["warm-up"]}'));
  await Promise.all(warm.map((c) => c.settle()));
  const before = await relay.rss();

  const idle: CountingClient[] = [];
  for (let i = 0; i < IDLE_CONNECTIONS; i += 100) idle.push(...(await open(100)));
  idle.forEach((c, i) =>
    c.send(JSON.stringify({ type: 'subscribe', topics: [`room-${i % 400}`] })),
  );
  await Promise.all(idle.map((c) => c.settle()));
  await sleep(1000);
  const after = await relay.rss();
  for (const c of [...warm, ...idle]) c.close();
  await sleep(300);
  return (after - before) / IDLE_CONNECTIONS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
