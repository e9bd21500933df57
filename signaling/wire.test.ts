import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTextFrame } from './wire';
import { connect, roundTrip, startTestRelay, type TestRelay } from './test-helpers';

describe('encodeTextFrame', () => {
  it.each([
    [0, [0x81, 0]],
    [125, [0x81, 125]],
    [126, [0x81, 126, 0, 126]],
    [65_535, [0x81, 126, 0xff, 0xff]],
    [65_536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
  ])('frames a %i-byte payload with the RFC 6455 length form', (length, header) => {
    const payload = Buffer.alloc(length, 0x61);
    const frame = encodeTextFrame(payload);
    expect([...frame.subarray(0, header.length)]).toEqual(header);
    expect(frame.subarray(header.length).equals(payload)).toBe(true);
  });
});

describe('fan-out through encoded frames', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({
      limits: { maxFrameBytes: 256 * 1024, messagesPerSecond: 10_000, messageBurst: 10_000 },
    });
  });
  afterAll(() => relay.close());

  it('delivers small, medium and >64 KiB publishes intact to every subscriber', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => connect(relay.wsUrl)));
    for (const c of clients) c.send({ type: 'subscribe', topics: ['sizes'] });
    await Promise.all(clients.map(roundTrip));
    const sizes = [1, 1000, 70_000, 200_000];
    for (const size of sizes) {
      clients[0]!.send({ type: 'publish', topic: 'sizes', data: 'é'.repeat(size / 2) });
    }
    for (const c of clients) {
      for (const size of sizes) {
        const message = (await c.next((m) => m.type === 'publish')) as { data: string };
        expect(message.data).toBe('é'.repeat(size / 2));
      }
      c.ws.terminate();
    }
  });

  it('keeps order and completeness for a burst coalesced into one write per receiver', async () => {
    const [a, b] = await Promise.all([connect(relay.wsUrl), connect(relay.wsUrl)]);
    for (const c of [a, b]) c.send({ type: 'subscribe', topics: ['burst'] });
    await Promise.all([roundTrip(a), roundTrip(b)]);
    for (let i = 0; i < 500; i++) a.send({ type: 'publish', topic: 'burst', data: i });
    a.send({ type: 'ping' });
    await a.next((m) => m.type === 'pong');
    await roundTrip(b);
    for (const c of [a, b]) {
      const seen = c.received.flatMap((m) => {
        const message = m as { type: string; data?: number };
        return message.type === 'publish' ? [message.data] : [];
      });
      expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i));
      c.ws.terminate();
    }
  });
});
