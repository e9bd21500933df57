/**
 * Relay load program: `npx tsx bench/relay-loadtest.ts [--clients 1000] [--topics 200]
 * [--seconds 10] [--window 4] [--url ws://host:port/signal]`.
 * Without --url it starts Moot's relay in its own process. Every client subscribes to one topic;
 * one per topic publishes y-webrtc-shaped signals in a closed loop. Passes when every publish
 * reached every subscriber of its topic exactly once; prints throughput, latency, relay memory.
 */
import { parseArgs } from 'node:util';
import { runLoad } from './relay-load';
import { spawnMootRelay, type RelayProcess } from './relay-servers';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    topics: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    window: { type: 'string', default: '4' },
    payload: { type: 'string', default: '1000' },
    url: { type: 'string' },
  },
});

const relay: RelayProcess | null = values.url ? null : await spawnMootRelay();
const wsUrl = values.url ?? relay!.wsUrl;
const clients = Number(values.clients);
const topics = Number(values.topics);
console.log(`relay load: ${clients} clients on ${topics} topics against ${wsUrl}`);

const rssBefore = relay ? await relay.rss() : NaN;
const result = await runLoad({
  wsUrl,
  clients,
  topics,
  window: Number(values.window),
  warmupMs: 1000,
  durationMs: Number(values.seconds) * 1000,
  payloadBytes: Number(values.payload),
  relayCpuSeconds: relay?.cpuSeconds,
});
const rssPeak = relay ? await relay.rss() : NaN;
await relay?.stop();

const expected = result.published * result.fanOut;
const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
console.log(
  `  fan-out ${result.fanOut}; ${result.published} publishes, ${result.delivered}/${expected} deliveries`,
);
console.log(
  `  ${Math.round(result.perSecond)} deliveries/s (${Math.round(result.perCpuSecond)} per relay CPU-second)`,
);
console.log(
  `  latency p50 ${result.latencyMs.p50.toFixed(1)} ms, p95 ${result.latencyMs.p95.toFixed(1)} ms, p99 ${result.latencyMs.p99.toFixed(1)} ms`,
);
if (relay)
  console.log(`  relay RSS ${mib(rssBefore)} MiB idle → ${mib(rssPeak)} MiB after the run`);

if (result.delivered !== expected) {
  console.error(`FAIL: ${expected - result.delivered} deliveries missing (negative: duplicated)`);
  process.exit(1);
}
console.log('PASS: every publish reached every subscriber exactly once');
process.exit(0);
