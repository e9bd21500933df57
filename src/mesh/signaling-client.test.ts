import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createRelayPool, type RelayPool } from './relay-pool';
import {
  createSignalingClient,
  type SignalingClient,
  type WebSocketConstructor,
} from './signaling-client';
import { startTestRelay, type TestRelay } from './test-relay';

const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;
const fast = { WebSocket: NodeWebSocket, minBackoffMs: 20, maxBackoffMs: 200, pingIntervalMs: 100 };

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function relay(port?: number): Promise<TestRelay> {
  const r = await startTestRelay(port);
  cleanup.push(() => r.close());
  return r;
}

function client(url: string, received: unknown[] = [], statuses: boolean[] = []): SignalingClient {
  const c = createSignalingClient({
    ...fast,
    url,
    onMessage: (_topic, data) => received.push(data),
    onStatus: (s) => statuses.push(s),
  });
  cleanup.push(() => c.destroy());
  return c;
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('signaling client', () => {
  it('subscribes on open and receives publishes on its topic only', async () => {
    const r = await relay();
    const got: unknown[] = [];
    const a = client(r.url, got);
    const b = client(r.url);
    a.subscribe(['room']);
    await until(() => b.connected() && r.subscribers('room') === 1);
    b.publish('room', 'hello');
    b.publish('other', 'not for a');
    b.publish('room', 'again');
    await until(() => got.length === 2);
    expect(got).toEqual(['hello', 'again']);
  });

  it('reconnects after the relay restarts and subscribes again', async () => {
    const first = await startTestRelay();
    const got: unknown[] = [];
    const statuses: boolean[] = [];
    const a = client(first.url, got, statuses);
    a.subscribe(['room']);
    await until(() => a.connected());
    await first.close();
    await until(() => !a.connected());
    const second = await relay(first.port);
    await until(() => a.connected());
    const b = client(second.url);
    await until(() => b.connected() && second.subscribers('room') === 1);
    b.publish('room', 'after restart');
    await until(() => got.length > 0);
    expect(got).toEqual(['after restart']);
    expect(statuses.slice(0, 3)).toEqual([true, false, true]);
  });

  it('calls a relay that stops answering pings dead, and comes back when it answers', async () => {
    const r = await relay();
    const a = client(r.url);
    await until(() => a.connected());
    r.mute(true);
    await until(() => !a.connected());
    r.mute(false);
    await until(() => a.connected());
  });

  it('survives whatever the relay sends', async () => {
    const r = await relay();
    const got: unknown[] = [];
    const a = client(r.url, got);
    a.subscribe(['room']);
    await until(() => r.subscribers('room') === 1);
    const socket = r.sockets()[0]!;
    const garbage = [
      '{',
      'null',
      '5',
      '"text"',
      '[]',
      '{"type":"publish"}',
      '{"type":"publish","topic":5,"data":1}',
      '{"type":"error","reason":"nope"}',
      JSON.stringify({ type: 'publish', topic: 'room', data: 'x'.repeat(2_000_000) }),
    ];
    for (const frame of garbage) socket.send(frame);
    socket.send(Buffer.from([0, 1, 2, 255]));
    socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'still fine' }));
    await until(() => got.length > 0);
    expect(got).toEqual(['still fine']);
    expect(a.connected()).toBe(true);
  });
});

describe('signaling client lifecycle', () => {
  it('stops for good when destroyed', async () => {
    const r = await relay();
    const statuses: boolean[] = [];
    const a = client(r.url, [], statuses);
    await until(() => a.connected() && r.sockets().length === 1);
    a.destroy();
    expect(a.connected()).toBe(false);
    expect(a.publish('room', 'x')).toBe(false);
    await until(() => r.sockets().length === 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.sockets().length).toBe(0);
    expect(statuses).toEqual([true, false]);
  });

  it('keeps retrying a relay that is not there yet, then connects', async () => {
    const probe = await startTestRelay();
    const port = probe.port;
    await probe.close();
    const a = client(`ws://127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.connected()).toBe(false);
    await relay(port);
    await until(() => a.connected());
  });
});

describe('relay pool', () => {
  it('uses every relay and delivers a message once however many relays carry it', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const got: unknown[] = [];
    const pool: RelayPool = createRelayPool({
      relays: [r1.url, r2.url],
      topic: 't',
      onMessage: (data) => got.push(data),
      onStatus: () => {},
      client: fast,
    });
    cleanup.push(() => pool.destroy());
    const s1 = client(r1.url);
    const s2 = client(r2.url);
    await until(() => pool.status().every((s) => s.connected) && s1.connected() && s2.connected());
    await until(() => r1.subscribers('t') === 1 && r2.subscribers('t') === 1);
    s1.publish('t', 'one');
    s2.publish('t', 'one');
    s2.publish('t', 'two');
    await until(() => got.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['one', 'two']);
    // Our own publishes come back from both relays and are not delivered to us.
    expect(pool.publish('mine')).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['one', 'two']);
  });

  it('keeps working on the relays that are up', async () => {
    const r1 = await relay();
    const got: unknown[] = [];
    const pool = createRelayPool({
      relays: [r1.url, 'ws://127.0.0.1:1'],
      topic: 't',
      onMessage: (data) => got.push(data),
      onStatus: () => {},
      client: fast,
    });
    cleanup.push(() => pool.destroy());
    const s1 = client(r1.url);
    await until(() => s1.connected() && r1.subscribers('t') === 1);
    expect(pool.status()[1]).toEqual({ url: 'ws://127.0.0.1:1', connected: false });
    s1.publish('t', 'hi');
    await until(() => got.length === 1);
  });
});
