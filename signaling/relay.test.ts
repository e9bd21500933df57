import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect as tcp } from 'node:net';
import {
  connect,
  roundTrip,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from './test-helpers';

let relay: TestRelay;
const open: TestClient[] = [];
async function client(): Promise<TestClient> {
  const c = await connect(relay.wsUrl);
  open.push(c);
  return c;
}

beforeEach(async () => {
  relay = await startTestRelay();
});
afterEach(async () => {
  for (const c of open.splice(0)) c.ws.terminate();
  await relay.close();
});

describe('y-webrtc signaling protocol', () => {
  it('answers ping with pong', async () => {
    const a = await client();
    a.send({ type: 'ping' });
    expect(await a.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
  });

  it('delivers a publish to every subscriber of the topic, sender included, and no one else', async () => {
    const [a, b, outsider] = await Promise.all([client(), client(), client()]);
    a.send({ type: 'subscribe', topics: ['room'] });
    b.send({ type: 'subscribe', topics: ['room'] });
    outsider.send({ type: 'subscribe', topics: ['elsewhere'] });
    await Promise.all([roundTrip(a), roundTrip(b), roundTrip(outsider)]);

    const data = { type: 'announce', from: 'peer-a', nested: [1, 'two', null] };
    a.send({ type: 'publish', topic: 'room', data });
    const expected = { type: 'publish', topic: 'room', data };
    expect(await a.next((m) => m.type === 'publish')).toEqual(expected);
    expect(await b.next((m) => m.type === 'publish')).toEqual(expected);
    await roundTrip(outsider);
    expect(outsider.received.filter((m) => (m as { type: string }).type === 'publish')).toEqual([]);
  });

  it('delivers a publish that asks for a sample to that many random subscribers, with its reach', async () => {
    const peers = await Promise.all(Array.from({ length: 8 }, () => client()));
    for (const c of peers) c.send({ type: 'subscribe', topics: ['big'] });
    await Promise.all(peers.map(roundTrip));
    const heard = new Map<TestClient, number>();
    for (let round = 0; round < 20; round++) {
      peers[0]!.send({ type: 'publish', topic: 'big', data: round, sample: 3 });
      await Promise.all(peers.map(roundTrip));
      const got = peers.filter((c) =>
        c.received.some((m) => (m as { data?: unknown }).data === round),
      );
      // Exactly three of the eight, each told it was one of 3/8.
      expect(got).toHaveLength(3);
      for (const c of got) {
        const m = c.received.find((m) => (m as { data?: unknown }).data === round);
        expect(m).toEqual({ type: 'publish', topic: 'big', data: round, reach: 3 / 8 });
        heard.set(c, (heard.get(c) ?? 0) + 1);
      }
    }
    // Random, not always the same three: over 20 rounds nearly every subscriber hears some.
    expect(heard.size).toBeGreaterThanOrEqual(6);
    // A sample at least the topic's size is an ordinary publish; a bad sample is refused.
    peers[0]!.send({ type: 'publish', topic: 'big', data: 'all', sample: 8 });
    for (const c of peers)
      expect(await c.next((m) => m.type === 'publish' && m.data === 'all')).toEqual({
        type: 'publish',
        topic: 'big',
        data: 'all',
      });
    peers[0]!.send({ type: 'publish', topic: 'big', data: 'bad', sample: 0.5 });
    expect(await peers[0]!.next((m) => m.type === 'error')).toEqual({
      type: 'error',
      reason: 'invalid_message',
    });
  });

  it('stops delivering after unsubscribe and frees the topic', async () => {
    const [a, b] = await Promise.all([client(), client()]);
    a.send({ type: 'subscribe', topics: ['t'] });
    b.send({ type: 'subscribe', topics: ['t'] });
    await Promise.all([roundTrip(a), roundTrip(b)]);
    b.send({ type: 'unsubscribe', topics: ['t'] });
    await roundTrip(b);
    a.send({ type: 'publish', topic: 't', data: 'x' });
    await a.next((m) => m.type === 'publish');
    await roundTrip(b);
    expect(b.received.some((m) => (m as { type: string }).type === 'publish')).toBe(false);

    a.send({ type: 'unsubscribe', topics: ['t'] });
    await roundTrip(a);
    expect(await health()).toMatchObject({ topics: 0, connections: 2 });
  });

  it('frees a closed client’s topics', async () => {
    const a = await client();
    a.send({ type: 'subscribe', topics: ['one', 'two'] });
    await roundTrip(a);
    expect(await health()).toMatchObject({ topics: 2 });
    a.ws.close();
    await a.closed;
    await expect.poll(health).toMatchObject({ topics: 0, connections: 0 });
  });

  it('refuses upgrades on paths other than /signal', async () => {
    await expect(connect(relay.wsUrl.replace('/signal', '/other'))).rejects.toThrow('404');
  });
});

describe('bad input is answered on that socket alone', () => {
  const cases: Array<[string, string, string | Buffer]> = [
    ['malformed JSON', 'invalid_json', '{"type":"publish",'],
    ['a JSON string', 'invalid_message', '"subscribe"'],
    ['null', 'invalid_message', 'null'],
    ['an array', 'invalid_message', '[{"type":"ping"}]'],
    ['a non-string type', 'invalid_message', '{"type":5}'],
    ['an unknown type', 'unknown_type', '{"type":"shout"}'],
    ['topics: 5', 'invalid_message', '{"type":"subscribe","topics":5}'],
    ['a topic that is a number', 'invalid_topic', '{"type":"subscribe","topics":["a",7]}'],
    ['an empty topic', 'invalid_topic', '{"type":"subscribe","topics":[""]}'],
    [
      'an overlong topic',
      'invalid_topic',
      JSON.stringify({ type: 'subscribe', topics: ['x'.repeat(257)] }),
    ],
    ['unsubscribe without topics', 'invalid_message', '{"type":"unsubscribe"}'],
    ['publish without topic', 'invalid_topic', '{"type":"publish","data":1}'],
    ['publish to an object topic', 'invalid_topic', '{"type":"publish","topic":{},"data":1}'],
    ['publish without data', 'invalid_message', '{"type":"publish","topic":"t"}'],
    [
      'deeply nested data',
      'too_deep',
      `{"type":"publish","topic":"t","data":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
    ],
    ['a binary frame', 'binary_frame', Buffer.from([0xde, 0xad, 0xbe, 0xef])],
  ];

  it.each(cases)('%s → error %s, socket open, others unaffected', async (_name, reason, frame) => {
    const [bad, good] = await Promise.all([client(), client()]);
    good.send({ type: 'subscribe', topics: ['t'] });
    await roundTrip(good);

    bad.ws.send(frame, { binary: Buffer.isBuffer(frame) });
    expect(await bad.next((m) => m.type === 'error')).toEqual({ type: 'error', reason });
    await roundTrip(bad);

    good.send({ type: 'publish', topic: 't', data: 'still here' });
    expect(await good.next((m) => m.type === 'publish')).toMatchObject({ data: 'still here' });
    expect(bad.received.filter((m) => (m as { topic?: string }).topic === 't')).toEqual([]);
  });

  it('tolerates deep nesting outside data and forwards nothing but the protocol fields', async () => {
    const a = await client();
    a.send(`{"type":"ping","junk":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    await a.next((m) => m.type === 'pong');
    a.send({ type: 'subscribe', topics: ['t'] });
    a.send({ type: 'publish', topic: 't', data: 1, extra: 'dropped' });
    expect(await a.next((m) => m.type === 'publish')).toEqual({
      type: 'publish',
      topic: 't',
      data: 1,
    });
  });

  it('closes a socket that sends a frame over the cap with 1009, and only that socket', async () => {
    const [big, bystander] = await Promise.all([client(), client()]);
    bystander.send({ type: 'subscribe', topics: ['t'] });
    await roundTrip(bystander);
    big.send({ type: 'publish', topic: 't', data: 'x'.repeat(64 * 1024) });
    expect((await big.closed).code).toBe(1009);
    bystander.send({ type: 'publish', topic: 't', data: 'ok' });
    expect(await bystander.next((m) => m.type === 'publish')).toMatchObject({ data: 'ok' });
    expect(relay.logs.some((l) => l.event === 'client_frame_too_big')).toBe(true);
    expect(relay.metrics.disconnects.get('frame_too_big')).toBe(1);
  });

  it('closes a socket with invalid UTF-8 in a text frame without disturbing the relay', async () => {
    const a = await client();
    a.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await a.closed).code).toBe(1007);
    const b = await client();
    await roundTrip(b);
  });

  it('survives a raw socket that sends garbage instead of a WebSocket handshake', async () => {
    const socket = tcp(relay.port, '127.0.0.1');
    socket.on('error', () => {});
    // Read (and discard) the answer, or the socket never sees the relay's FIN.
    socket.resume();
    socket.write(
      'GET /signal HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x00\xff',
    );
    await new Promise((resolve) => socket.on('close', resolve));
    await roundTrip(await client());
  });
});

describe('HTTP routes', () => {
  it('GET /healthz reports status and counts', async () => {
    const res = await fetch(relay.url + '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', connections: 0, topics: 0 });
  });

  it('GET /signal without an upgrade says so', async () => {
    expect((await fetch(relay.url + '/signal')).status).toBe(426);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await fetch(relay.url + '/healthz', { method: 'POST' })).status).toBe(405);
  });
});

async function health(): Promise<unknown> {
  return (await fetch(relay.url + '/healthz')).json();
}
