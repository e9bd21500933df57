/**
 * Signaling load generator shared by the load program and the relay benchmark. Clients are
 * spread over topics; one client per topic publishes y-webrtc-shaped signals in a closed loop
 * (a new one each time its own echo returns), so a faster relay is offered more work, and one
 * other subscriber per topic measures delivery latency. Every client counts deliveries.
 */
import { WebSocket } from 'ws';
import { CountingClient } from './relay-raw-client';

export interface LoadOptions {
  wsUrl: string;
  clients: number;
  topics: number;
  /** Publishes each publisher keeps in flight. */
  window: number;
  warmupMs: number;
  durationMs: number;
  /** Size of the SDP-like string inside each signal. */
  payloadBytes: number;
  /** Reads the relay's CPU time (seconds), sampled at the edges of the measured window. */
  relayCpuSeconds?: () => number;
}

export interface LoadResult {
  fanOut: number;
  /** Publishes sent after every client had subscribed. */
  published: number;
  /** Messages received by all clients over the whole run. */
  delivered: number;
  /** Deliveries per second in the measured window. */
  perSecond: number;
  /** Deliveries per second of relay CPU time in the measured window (NaN without a sampler). */
  perCpuSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

export async function openClients(
  url: string,
  count: number,
  concurrency = 64,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - i) }, () => open(url));
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves when the relay has handled everything this socket sent before. */
export function settle(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      if (data.length < 32 && String(data).includes('"pong"')) {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    ws.send('{"type":"ping"}');
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { topics } = options;
  const fanOut = Math.floor(options.clients / topics);
  if (fanOut < 2) throw new Error('need at least two clients per topic');
  const topicOf = (i: number) => `load-topic-${i % topics}`;
  const subscribe = (i: number) => JSON.stringify({ type: 'subscribe', topics: [topicOf(i)] });
  // Clients 0..topics-1 publish, topics..2*topics-1 measure latency; the rest only count.
  const full = await openClients(options.wsUrl, topics * 2);
  const counters: CountingClient[] = [];
  for (let i = topics * 2; i < fanOut * topics; i += 64) {
    const batch = Math.min(64, fanOut * topics - i);
    counters.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => CountingClient.open(options.wsUrl)),
      )),
    );
  }
  full.forEach((ws, i) => ws.send(subscribe(i)));
  counters.forEach((c, i) => c.send(subscribe(topics * 2 + i)));
  await Promise.all([...full.map(settle), ...counters.map((c) => c.settle())]);

  let fullDelivered = 0;
  let published = 0;
  let measuring = false;
  let stopping = false;
  const delivered = () => counters.reduce((sum, c) => sum + c.frames, fullDelivered);
  const latencies: number[] = [];
  const pad = 'a'.repeat(options.payloadBytes);
  const frame = (topic: string, from: number) =>
    `{"type":"publish","topic":"${topic}","data":{"type":"signal","from":"peer-${from}","to":"any",` +
    `"t":${performance.now()},"signal":{"type":"offer","sdp":"${pad}"}}}`;

  full.forEach((ws, i) => {
    const topic = topicOf(i);
    const publisher = i < topics;
    ws.on('message', (data: Buffer) => {
      fullDelivered += 1;
      if (publisher) {
        if (stopping) return;
        published += 1;
        ws.send(frame(topic, i));
      } else if (measuring) {
        const sent = (JSON.parse(String(data)) as { data: { t: number } }).data.t;
        latencies.push(performance.now() - sent);
      }
    });
  });

  for (let i = 0; i < topics; i++) {
    for (let w = 0; w < options.window; w++) {
      published += 1;
      full[i]!.send(frame(topicOf(i), i));
    }
  }
  await sleep(options.warmupMs);
  measuring = true;
  const cpu = options.relayCpuSeconds ?? (() => NaN);
  const before = delivered();
  const cpuBefore = cpu();
  const start = performance.now();
  await sleep(options.durationMs);
  const measured = delivered() - before;
  const cpuSeconds = cpu() - cpuBefore;
  const seconds = (performance.now() - start) / 1000;
  measuring = false;
  stopping = true;

  // Drain: every publish should reach every subscriber of its topic exactly once.
  const deadline = Date.now() + 10_000;
  while (delivered() < published * fanOut && Date.now() < deadline) await sleep(20);
  const total = delivered();
  for (const ws of full) ws.terminate();
  for (const c of counters) c.close();

  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    fanOut,
    published,
    delivered: total,
    perSecond: measured / seconds,
    perCpuSecond: measured / cpuSeconds,
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99) },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
