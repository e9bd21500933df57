import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRedisServer, startTestRedis, type TestRedis } from './redis-server';
import { connect, roundTrip, sleep, startTestRelay, until, type TestRelay } from './test-helpers';

// CI installs redis-server (.ci/run); without it there is nothing to scale out through.
describe.skipIf(!haveRedisServer)('scale-out through Redis', () => {
  let redis: TestRedis;
  let one: TestRelay;
  let two: TestRelay;
  let probe: Redis;

  beforeAll(async () => {
    redis = await startTestRedis();
    [one, two] = await Promise.all([
      startTestRelay({ redisUrl: redis.url }),
      startTestRelay({ redisUrl: redis.url }),
    ]);
    probe = new Redis(redis.url);
  });
  afterAll(async () => {
    probe?.disconnect();
    await Promise.all([one?.close(), two?.close()]);
    await redis?.stop();
  });

  it('delivers a publish on one relay to subscribers on another, exactly once each', async () => {
    const [a, b] = await Promise.all([connect(one.wsUrl), connect(two.wsUrl)]);
    a.send({ type: 'subscribe', topics: ['shared'] });
    b.send({ type: 'subscribe', topics: ['shared'] });
    await Promise.all([roundTrip(a), roundTrip(b)]);
    await waitForChannelSubscribers('moot:signal:shared', 2);

    a.send({ type: 'publish', topic: 'shared', data: { from: 'a' } });
    b.send({ type: 'publish', topic: 'shared', data: { from: 'b' } });
    for (const client of [a, b]) {
      const got = [
        await client.next((m) => m.type === 'publish'),
        await client.next((m) => m.type === 'publish'),
      ];
      expect(got).toEqual(
        expect.arrayContaining([
          { type: 'publish', topic: 'shared', data: { from: 'a' } },
          { type: 'publish', topic: 'shared', data: { from: 'b' } },
        ]),
      );
    }
    await sleep(100);
    await Promise.all([roundTrip(a), roundTrip(b)]);
    for (const client of [a, b]) {
      expect(
        client.received.filter((m) => (m as { type: string }).type === 'publish'),
      ).toHaveLength(2);
    }
    a.ws.terminate();
    b.ws.terminate();
  });

  it('holds a Redis channel only while a local client holds the topic', async () => {
    const a = await connect(one.wsUrl);
    a.send({ type: 'subscribe', topics: ['brief'] });
    await roundTrip(a);
    await waitForChannelSubscribers('moot:signal:brief', 1);
    a.send({ type: 'unsubscribe', topics: ['brief'] });
    await roundTrip(a);
    await waitForChannelSubscribers('moot:signal:brief', 0);
    a.ws.terminate();
  });

  it('keeps serving local subscribers while Redis is down', async () => {
    const spare = await startTestRedis();
    const relay = await startTestRelay({ redisUrl: spare.url });
    const [a, b] = await Promise.all([connect(relay.wsUrl), connect(relay.wsUrl)]);
    a.send({ type: 'subscribe', topics: ['local'] });
    b.send({ type: 'subscribe', topics: ['local'] });
    await Promise.all([roundTrip(a), roundTrip(b)]);
    await spare.stop();
    await until(() => relay.metrics.redisErrors > 0);

    a.send({ type: 'publish', topic: 'local', data: 'still here' });
    expect(await b.next((m) => m.type === 'publish')).toMatchObject({ data: 'still here' });
    a.ws.terminate();
    b.ws.terminate();
    await relay.close();
  });

  it('subscribes again to exactly the topics it holds when Redis comes back', async () => {
    const spare = await startTestRedis();
    const port = Number(new URL(spare.url).port);
    const [r1, r2] = await Promise.all([
      startTestRelay({ redisUrl: spare.url }),
      startTestRelay({ redisUrl: spare.url }),
    ]);
    const [a, b] = await Promise.all([connect(r1.wsUrl), connect(r2.wsUrl)]);
    a.send({ type: 'subscribe', topics: ['kept', 'dropped'] });
    b.send({ type: 'subscribe', topics: ['kept'] });
    await Promise.all([roundTrip(a), roundTrip(b)]);

    await spare.stop();
    await until(() => r1.metrics.redisErrors > 0 && r2.metrics.redisErrors > 0);
    a.send({ type: 'unsubscribe', topics: ['dropped'] }); // while Redis is away
    await roundTrip(a);
    const again = await startTestRedis(port);
    const watcher = new Redis(again.url);
    try {
      // Both connections (publisher, subscriber) of both relays are back.
      const ready = (r: TestRelay) => r.logs.filter((l) => l.event === 'redis_ready').length;
      await until(() => ready(r1) >= 4 && ready(r2) >= 4, 10_000);
      const numsub = async (channel: string) =>
        Number(((await watcher.pubsub('NUMSUB', channel)) as [string, number])[1]);
      const deadline = Date.now() + 10_000;
      while ((await numsub('moot:signal:kept')) < 2 && Date.now() < deadline) await sleep(50);
      expect(await numsub('moot:signal:kept')).toBe(2);
      expect(await numsub('moot:signal:dropped')).toBe(0);

      b.send({ type: 'publish', topic: 'kept', data: 'after the outage' });
      expect(await a.next((m) => m.type === 'publish')).toMatchObject({ data: 'after the outage' });
    } finally {
      watcher.disconnect();
      a.ws.terminate();
      b.ws.terminate();
      await Promise.all([r1.close(), r2.close()]);
      await again.stop();
    }
  }, 30_000);

  it('refuses to start when Redis cannot be reached', async () => {
    await expect(startTestRelay({ redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(
      'cannot reach Redis',
    );
  });

  async function waitForChannelSubscribers(channel: string, count: number): Promise<void> {
    const deadline = Date.now() + 3_000;
    for (;;) {
      const [, n] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(n) === count) return;
      if (Date.now() > deadline) throw new Error(`${channel} has ${n} subscribers, not ${count}`);
      await sleep(20);
    }
  }
});
