import { connect as tcp } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenBucket } from './limits';
import {
  connect,
  roundTrip,
  sleep,
  startTestRelay,
  until,
  type TestClient,
  type TestRelay,
} from './test-helpers';

const relays: TestRelay[] = [];
const clients: TestClient[] = [];
async function relayWith(options: Parameters<typeof startTestRelay>[0]): Promise<TestRelay> {
  const relay = await startTestRelay(options);
  relays.push(relay);
  return relay;
}
async function client(relay: TestRelay, options = {}): Promise<TestClient> {
  const c = await connect(relay.wsUrl, options);
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

const health = async (relay: TestRelay) =>
  (await (await fetch(relay.url + '/healthz')).json()) as { connections: number; topics: number };

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 100; // one token at 10/s
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000; // refills to the burst, no further
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('publish flood', () => {
  it('is throttled, then closed with 1008, while another topic keeps flowing', async () => {
    const relay = await relayWith({ limits: { messagesPerSecond: 20, messageBurst: 10 } });
    const [flooder, calm] = await Promise.all([client(relay), client(relay)]);
    calm.send({ type: 'subscribe', topics: ['calm'] });
    await roundTrip(calm);

    for (let i = 0; i < 200; i++) flooder.send({ type: 'publish', topic: 'noise', data: i });
    expect(await flooder.next((m) => m.type === 'error')).toEqual({
      type: 'error',
      reason: 'rate_limited',
    });
    expect((await flooder.closed).code).toBe(1008);

    const sent = performance.now();
    calm.send({ type: 'publish', topic: 'calm', data: 'hi' });
    await calm.next((m) => m.type === 'publish');
    expect(performance.now() - sent).toBeLessThan(200);
    expect(relay.metrics.disconnects.get('rate_limited')).toBe(1);
  });

  it('counts WebSocket ping frames too, so a ping flood is closed', async () => {
    const relay = await relayWith({ limits: { messagesPerSecond: 20, messageBurst: 10 } });
    const flooder = await client(relay);
    for (let i = 0; i < 100; i++) flooder.ws.ping();
    expect((await flooder.closed).code).toBe(1008);
  });

  it('lets a client that slows down keep its connection', async () => {
    const relay = await relayWith({ limits: { messagesPerSecond: 50, messageBurst: 5 } });
    const a = await client(relay);
    for (let i = 0; i < 8; i++) a.send({ type: 'ping' });
    await a.next((m) => m.type === 'error');
    await sleep(200);
    await roundTrip(a);
    expect(a.ws.readyState).toBe(a.ws.OPEN);
  });
});

describe('topics per connection', () => {
  it('refuses subscriptions past the cap and keeps the ones it has', async () => {
    const relay = await relayWith({ limits: { maxTopicsPerConnection: 3 } });
    const a = await client(relay);
    a.send({ type: 'subscribe', topics: ['t1', 't2', 't3'] });
    a.send({ type: 'subscribe', topics: ['t1'] }); // already held: not a new topic
    await roundTrip(a);
    expect(a.received.some((m) => (m as { type: string }).type === 'error')).toBe(false);

    a.send({ type: 'subscribe', topics: ['t4'] });
    expect(await a.next((m) => m.type === 'error')).toEqual({
      type: 'error',
      reason: 'too_many_topics',
    });
    a.send({ type: 'subscribe', topics: ['a', 'b', 'c', 'd'] });
    expect(await a.next((m) => m.type === 'error')).toMatchObject({ reason: 'too_many_topics' });
    expect(await health(relay)).toMatchObject({ topics: 3 });

    a.send({ type: 'unsubscribe', topics: ['t3'] });
    a.send({ type: 'subscribe', topics: ['t4'] });
    a.send({ type: 'publish', topic: 't4', data: 'ok' });
    expect(await a.next((m) => m.type === 'publish')).toMatchObject({ topic: 't4' });
  });
});

describe('connections', () => {
  it('refuses a client address past its cap with 429 and admits again when one leaves', async () => {
    const relay = await relayWith({ limits: { maxConnectionsPerAddress: 2 } });
    const first = await client(relay);
    await client(relay);
    await expect(connect(relay.wsUrl)).rejects.toThrow('HTTP 429');
    first.ws.close();
    await first.closed;
    await until(() => relay.metrics.connections === 1);
    await roundTrip(await client(relay));
  });

  it('counts addresses from X-Forwarded-For only when told to trust a proxy', async () => {
    const relay = await relayWith({ trustProxy: true, limits: { maxConnectionsPerAddress: 1 } });
    await client(relay, { headers: { 'X-Forwarded-For': '203.0.113.1, 10.0.0.1' } });
    await client(relay, { headers: { 'X-Forwarded-For': '203.0.113.2, 10.0.0.2' } });
    await expect(
      connect(relay.wsUrl, { headers: { 'X-Forwarded-For': '198.51.100.9, 10.0.0.1' } }),
    ).rejects.toThrow('HTTP 429');
  });

  it('refuses past the total cap with 503', async () => {
    const relay = await relayWith({ limits: { maxConnections: 1 } });
    await client(relay);
    await expect(connect(relay.wsUrl)).rejects.toThrow('HTTP 503');
  });
});

describe('slow consumers', () => {
  it('are dropped once their backlog passes the threshold; the publisher is unaffected', async () => {
    const relay = await relayWith({
      limits: { maxBufferedBytes: 256 * 1024, messagesPerSecond: 10_000, messageBurst: 10_000 },
    });
    const [publisher, sloth] = await Promise.all([client(relay), client(relay)]);
    publisher.send({ type: 'subscribe', topics: ['t'] });
    sloth.send({ type: 'subscribe', topics: ['t'] });
    await Promise.all([roundTrip(publisher), roundTrip(sloth)]);
    sloth.ws.pause(); // stops reading: the relay's send queue to it grows

    const data = 'x'.repeat(60_000);
    for (let i = 0; i < 400 && relay.metrics.disconnects.get('slow_consumer') !== 1; i++) {
      publisher.send({ type: 'publish', topic: 't', data });
      if (i % 20 === 19) await roundTrip(publisher);
    }
    expect(relay.metrics.disconnects.get('slow_consumer')).toBe(1);
    expect(relay.logs.some((l) => l.event === 'client_slow_consumer')).toBe(true);
    await roundTrip(publisher);
    expect(await health(relay)).toMatchObject({ connections: 1 });
  });
});

describe('heartbeat', () => {
  it('evicts a client that stops answering pings and frees its topics', async () => {
    const relay = await relayWith({ limits: { heartbeatMs: 100 } });
    const dead = await client(relay, { autoPong: false });
    const alive = await client(relay);
    dead.send({ type: 'subscribe', topics: ['dead-only', 'shared'] });
    alive.send({ type: 'subscribe', topics: ['shared'] });
    await Promise.all([roundTrip(dead), roundTrip(alive)]);
    expect(await health(relay)).toMatchObject({ topics: 2 });

    await dead.closed;
    await until(() => relay.metrics.disconnects.get('heartbeat') === 1);
    expect(await health(relay)).toMatchObject({ topics: 1, connections: 1 });
    await sleep(300);
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
  });
});

describe('HTTP timeouts and header size', () => {
  it('destroys a socket that sends its headers too slowly', async () => {
    const relay = await relayWith({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    const socket = tcp(relay.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.resume();
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 50);
    await new Promise((resolve) => socket.on('close', resolve));
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await fetch(relay.url + '/healthz')).status).toBe(200);
  });

  it('answers oversized headers with 431', async () => {
    const relay = await relayWith({ limits: { maxHeaderBytes: 4096 } });
    const res = await fetch(relay.url + '/healthz', { headers: { 'X-Big': 'y'.repeat(8192) } });
    expect(res.status).toBe(431);
    expect((await fetch(relay.url + '/healthz')).status).toBe(200);
  });
});

describe('Origin allowlist', () => {
  it('admits only listed origins when one is set', async () => {
    const relay = await relayWith({ allowedOrigins: ['https://moot.example'] });
    await roundTrip(await client(relay, { origin: 'https://moot.example' }));
    await expect(connect(relay.wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
    await expect(connect(relay.wsUrl)).rejects.toThrow('HTTP 403');
  });

  it('admits any origin when none is set', async () => {
    const relay = await relayWith({});
    await roundTrip(await client(relay, { origin: 'https://anywhere.example' }));
  });
});
