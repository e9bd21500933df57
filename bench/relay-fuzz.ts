/**
 * Relay fuzzer: `npx tsx bench/relay-fuzz.ts [--frames 20000] [--seed N]`.
 * Sends random and mutated frames from several sockets at a relay in its own process while a
 * canary client keeps publishing to itself. Passes when the relay never exits, the canary never
 * misses a round trip, every fuzz socket's topics are freed, and retained heap returns to its
 * baseline. Exit code 0 on pass, 1 on failure (with the seed to replay it).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { nextFrame, seededRng } from './relay-fuzz-frames';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '20000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    sockets: { type: 'string', default: '16' },
  },
});
const FRAMES = Number(values.frames);
const SEED = Number(values.seed);
const SOCKETS = Number(values.sockets);
const rng = seededRng(SEED);
console.log(`relay fuzz: ${FRAMES} frames from ${SOCKETS} sockets, seed ${SEED}`);

const root = fileURLToPath(new URL('..', import.meta.url));
const target = spawn(
  process.execPath,
  ['--expose-gc', '--import', 'tsx', 'bench/relay-fuzz-target.ts'],
  {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
let crashed: string | null = null;
target.on('exit', (code, signal) => (crashed = `relay exited (code ${code}, signal ${signal})`));
const replies: Array<(line: Record<string, unknown>) => void> = [];
let resolveUrl: (url: string) => void;
const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
createInterface({ input: target.stdout! }).on('line', (line) => {
  const entry = JSON.parse(line) as Record<string, unknown>;
  if (entry.event === 'listening') resolveUrl(entry.url as string);
  else replies.shift()?.(entry);
});
const heap = () =>
  new Promise<Record<string, unknown>>((resolve) => {
    replies.push(resolve);
    target.stdin!.write('heap\n');
  });

const url = (await listening).replace(/^http/, 'ws') + '/signal';
const open = () =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('error', () => {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => reject(new Error('upgrade refused')));
    ws.once('close', () => reject(new Error('closed before open')));
  });

// The canary is an ordinary client that must notice nothing.
const canary = await open();
const canaryWaiters: Array<() => void> = [];
canary.on('message', (data) => {
  if (String(data).includes('"canary-ping"')) canaryWaiters.shift()?.();
});
canary.send(JSON.stringify({ type: 'subscribe', topics: ['canary'] }));
let canaryMisses = 0;
let canaryWorstMs = 0;
const canaryRoundTrip = async () => {
  const started = performance.now();
  const arrived = new Promise<boolean>((resolve) => {
    canaryWaiters.push(() => resolve(true));
    setTimeout(() => resolve(false), 10_000);
  });
  canary.send(JSON.stringify({ type: 'publish', topic: 'canary', data: 'canary-ping' }));
  if (!(await arrived)) canaryMisses += 1;
  canaryWorstMs = Math.max(canaryWorstMs, performance.now() - started);
};
await canaryRoundTrip();
const baseline = await heap();

const kinds = new Map<string, number>();
let sent = 0;
let reconnects = 0;
const worker = async () => {
  let ws = await open();
  while (sent < FRAMES && !crashed) {
    if (ws.readyState !== WebSocket.OPEN) {
      reconnects += 1;
      ws = await open();
    }
    const frame = nextFrame(rng);
    kinds.set(frame.kind, (kinds.get(frame.kind) ?? 0) + 1);
    sent += 1;
    ws.send(frame.data, { binary: frame.binary });
    if (frame.closes) {
      // Wait for the relay to close this socket, so later frames are not sent into the void.
      await new Promise((resolve) => {
        ws.once('close', resolve);
        setTimeout(resolve, 2_000);
      });
    }
    // Let the relay keep up instead of queueing megabytes on the client side.
    if (ws.bufferedAmount > 256 * 1024 || sent % 25 === 0)
      await new Promise((r) => setImmediate(r));
    if (sent % 1000 === 0) await canaryRoundTrip();
  }
  ws.terminate();
};
const started = Date.now();
await Promise.all(Array.from({ length: SOCKETS }, worker));
await canaryRoundTrip();

// Everything the fuzz sockets held must be gone: only the canary and its topic remain.
const health = async () =>
  (await (await fetch(url.replace(/^ws/, 'http').replace('/signal', '/healthz'))).json()) as {
    connections: number;
    topics: number;
  };
let final = await health();
for (let i = 0; i < 100 && (final.connections !== 1 || final.topics !== 1); i++) {
  await new Promise((r) => setTimeout(r, 50));
  final = await health();
}
await new Promise((r) => setTimeout(r, 500));
const after = await heap();
target.kill('SIGTERM');

const mib = (n: unknown) => (Number(n) / 1024 / 1024).toFixed(1);
const heapBack = Number(after.heapUsed) <= Number(baseline.heapUsed) * 1.1 + 1024 * 1024;
console.log(
  `  sent ${sent} frames in ${((Date.now() - started) / 1000).toFixed(1)} s, ${reconnects} reconnects`,
);
console.log(`  kinds: ${JSON.stringify(Object.fromEntries(kinds))}`);
console.log(
  `  relay received ${Number(after.messagesIn) - Number(baseline.messagesIn)} fuzz frames`,
);
console.log(`  relay refused: ${JSON.stringify(after.refused)}`);
console.log(`  relay disconnects: ${JSON.stringify(after.disconnects)}`);
console.log(`  canary: ${canaryMisses} missed round trips, worst ${canaryWorstMs.toFixed(0)} ms`);
console.log(`  after: ${final.connections} connection(s), ${final.topics} topic(s)`);
console.log(
  `  heap ${mib(baseline.heapUsed)} → ${mib(after.heapUsed)} MiB, rss ${mib(baseline.rss)} → ${mib(after.rss)} MiB`,
);

const failures = [
  crashed,
  canaryMisses > 0 && `canary missed ${canaryMisses} round trips`,
  (final.connections !== 1 || final.topics !== 1) && 'fuzz connections or topics were not freed',
  !heapBack && 'retained heap did not return to baseline',
  sent < FRAMES && `only ${sent} of ${FRAMES} frames sent`,
].filter(Boolean);
if (failures.length > 0) {
  console.error(`FAIL (seed ${SEED}): ${failures.join('; ')}`);
  process.exit(1);
}
console.log('PASS: 0 crashes, canary unaffected, memory back to baseline');
process.exit(0);
