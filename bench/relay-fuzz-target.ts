/**
 * The relay under fuzz, in its own process so that a crash is a process exit the fuzzer sees.
 * Run with --expose-gc: on "heap" from stdin it runs a full GC and prints heap and RSS, so the
 * fuzzer can compare retained memory before and after.
 */
import { createInterface } from 'node:readline';
import { startRelay } from '../signaling/relay';

const events = new Map<string, number>();
const relay = await startRelay({
  port: 0,
  host: '127.0.0.1',
  staticDir: null,
  // Wide open rate and address limits so that fuzz frames reach the parser; every other limit
  // stays at its default.
  limits: {
    messagesPerSecond: 1_000_000,
    messageBurst: 1_000_000,
    maxConnectionsPerAddress: 10_000,
  },
  log: (event) => events.set(event, (events.get(event) ?? 0) + 1),
});
const print = (value: object) => process.stdout.write(JSON.stringify(value) + '\n');
print({ event: 'listening', url: relay.url });

const gc = (globalThis as { gc?: () => void }).gc;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'heap') return;
  gc?.();
  gc?.();
  const memory = process.memoryUsage();
  print({
    event: 'heap',
    heapUsed: memory.heapUsed,
    rss: memory.rss,
    messagesIn: relay.metrics.messagesIn,
    logEvents: Object.fromEntries(events),
    refused: Object.fromEntries(relay.metrics.frameRefusals),
    disconnects: Object.fromEntries(relay.metrics.disconnects),
  });
});
