import { afterEach, describe, expect, it } from 'vitest';
import { throttledLogger, type LogFields } from './log';
import { connect, roundTrip, startTestRelay, until, type TestRelay } from './test-helpers';

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('/metrics', () => {
  it('reports connections, topics, traffic and drops by reason in Prometheus text', async () => {
    relay = await startTestRelay();
    const [a, b] = await Promise.all([connect(relay.wsUrl), connect(relay.wsUrl)]);
    a.send({ type: 'subscribe', topics: ['t'] });
    b.send({ type: 'subscribe', topics: ['t'] });
    await Promise.all([roundTrip(a), roundTrip(b)]);
    a.send({ type: 'publish', topic: 't', data: 'hello' });
    await b.next((m) => m.type === 'publish');
    a.send('not json');
    await a.next((m) => m.type === 'error');

    const res = await fetch(relay.url + '/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(value('moot_relay_connections')).toBe(2);
    expect(value('moot_relay_topics')).toBe(1);
    expect(value('moot_relay_publishes_total')).toBe(1);
    // 2 subscribes + 2 pings + 1 publish + 1 garbage
    expect(value('moot_relay_messages_in_total')).toBe(6);
    // 2 pongs + 2 deliveries + 1 error
    expect(value('moot_relay_messages_out_total')).toBe(5);
    expect(value('moot_relay_bytes_out_total')).toBeGreaterThan(0);
    expect(text).toContain('moot_relay_frames_refused_total{reason="invalid_json"} 1');
    expect(text).toMatch(/^# TYPE moot_relay_disconnects_total counter$/m);

    a.ws.terminate();
    b.ws.terminate();
    await until(() => relay!.metrics.connections === 0);
    const after = await (await fetch(relay.url + '/metrics')).text();
    expect(after).toContain('moot_relay_disconnects_total{reason="client_closed"} 2');
  });
});

describe('logs and metrics carry no topics, payloads or SDP', () => {
  it('after normal traffic, bad frames and abusive clients', async () => {
    relay = await startTestRelay({ limits: { messageBurst: 5, messagesPerSecond: 1 } });
    const topic = 'secret-topic-Q7x';
    const sdp = 'v=0 o=- 4611731400430051336 2 IN IP4 127.0.0.1 secret-sdp-Z9';
    const a = await connect(relay.wsUrl);
    a.send({ type: 'subscribe', topics: [topic] });
    a.send({ type: 'publish', topic, data: { type: 'signal', signal: { type: 'offer', sdp } } });
    a.send(`{"type":"publish","topic":"${topic}","data":"${sdp}"`); // truncated JSON
    a.send({ type: 'publish', topic, data: 'x'.repeat(70_000) + sdp }); // over the cap → 1009
    await a.closed;
    const b = await connect(relay.wsUrl);
    for (let i = 0; i < 20; i++) b.send({ type: 'publish', topic, data: sdp }); // flood → 1008
    await b.closed;

    const everything =
      JSON.stringify(relay.logs) + (await (await fetch(relay.url + '/metrics')).text());
    expect(relay.logs.map((l) => l.event)).toEqual(
      expect.arrayContaining(['client_frame_too_big', 'client_rate_limited']),
    );
    for (const secret of [topic, 'secret-sdp-Z9', 'offer'])
      expect(everything).not.toContain(secret);
  });
});

describe('throttledLogger', () => {
  it('passes the first lines of an event each second and reports how many it dropped', () => {
    let now = 0;
    const lines: Array<[string, LogFields | undefined]> = [];
    const log = throttledLogger(
      (event, fields) => lines.push([event, fields]),
      3,
      () => now,
    );
    for (let i = 0; i < 10; i++) log('client_rate_limited', { address: '10.0.0.1' });
    log('other');
    expect(lines.filter(([event]) => event === 'client_rate_limited')).toHaveLength(3);
    expect(lines.some(([event]) => event === 'other')).toBe(true);
    now = 1000;
    log('client_rate_limited');
    expect(lines).toContainEqual(['log_suppressed', { of: 'client_rate_limited', count: 7 }]);
  });
});
