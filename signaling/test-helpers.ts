/**
 * Shared by the relay's tests, fuzzer and load programs: a relay on a random loopback port and
 * WebSocket clients that record what they receive.
 */
import { WebSocket, type ClientOptions } from 'ws';
import type { StartRelayOptions } from './config';
import type { LogFields } from './log';
import { startRelay, type RunningRelay } from './relay';

export interface TestRelay extends RunningRelay {
  wsUrl: string;
  logs: Array<{ event: string } & LogFields>;
}

export async function startTestRelay(options: StartRelayOptions = {}): Promise<TestRelay> {
  const logs: TestRelay['logs'] = [];
  const relay = await startRelay({
    port: 0,
    host: '127.0.0.1',
    staticDir: null,
    log: (event, fields) => logs.push({ event, ...fields }),
    ...options,
  });
  return { ...relay, wsUrl: relay.url.replace(/^http/, 'ws') + '/signal', logs };
}

export interface TestClient {
  ws: WebSocket;
  /** Parsed text frames, in arrival order. */
  received: unknown[];
  send(message: unknown): void;
  /** Resolves with the first matching message after the previous match, already received or not. */
  next(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<unknown>;
  closed: Promise<{ code: number; reason: string }>;
}

export async function connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
  const ws = new WebSocket(url, options);
  const received: unknown[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    received.push(isBinary ? data : JSON.parse(String(data)));
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  let seen = 0;
  return {
    ws,
    received,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next(match, timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (; seen < received.length; seen++) {
            const message = received[seen] as Record<string, unknown>;
            if (message && typeof message === 'object' && match(message)) {
              seen++;
              waiters.delete(check);
              clearTimeout(timer);
              resolve(message);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds, polling; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A ping/pong round trip: everything the relay received before it has been handled. */
export async function roundTrip(client: TestClient): Promise<void> {
  client.send({ type: 'ping' });
  await client.next((m) => m.type === 'pong');
}
