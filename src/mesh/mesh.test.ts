/**
 * The mesh end to end in Node: real signaling through test relays (encrypted envelopes,
 * discovery, dedupe across relays) with WebRTC replaced by an in-memory link that still goes
 * through framing. Real WebRTC is exercised by the app's e2e tests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { meshPresence } from '../app/presence/mesh-presence';
import { foundTestCommunity, joinTestCommunity } from '../community/test-helpers';
import { utf8 } from '../shared/bytes';
import type { PeerId } from '../shared/ids';
import { err, ok } from '../shared/result';
import { createReassembler, fragmentMessage } from './framing';
import { createMesh } from './mesh';
import type { PeerConnection, PeerConnectionOptions } from './peer-connection';
import type { WebSocketConstructor } from './signaling-client';
import { deriveTopic } from './signal-crypto';
import { startTestRelay, type TestRelay } from './test-relay';
import type { Mesh } from './types';

class FakeLink implements PeerConnection {
  static registry = new Map<string, FakeLink>();
  static created = 0;
  readonly id = Math.random().toString(36).slice(2);
  other: FakeLink | null = null;
  opened = false;
  closed = false;
  private messageId = 0;
  private reassembler = createReassembler();

  constructor(readonly options: PeerConnectionOptions) {
    FakeLink.created++;
    FakeLink.registry.set(this.id, this);
    if (options.initiator) {
      setTimeout(() => {
        options.onSignal({ type: 'offer', sdp: this.id });
        options.onSignal({ type: 'candidate', candidate: { candidate: 'fake' } });
      });
    }
  }

  signal(data: unknown): void {
    const signal = data as { type?: string; sdp?: string };
    if (this.closed) return;
    if (signal.type === 'offer' && !this.options.initiator) {
      const dialer = FakeLink.registry.get(signal.sdp ?? '');
      if (dialer === undefined || dialer.closed) return;
      this.other = dialer;
      dialer.other = this;
      this.options.onSignal({ type: 'answer', sdp: this.id });
    } else if (signal.type === 'answer' && this.options.initiator && this.other !== null) {
      this.open();
      // The answering side opens a moment later, so our first messages reach it early.
      setTimeout(() => this.other?.open(), 5);
    }
  }

  private open(): void {
    if (this.opened || this.closed) return;
    this.opened = true;
    this.options.onOpen();
  }

  send(channel: Parameters<PeerConnection['send']>[0], payload: Uint8Array): boolean {
    if (!this.opened || this.closed) return false;
    const frames = fragmentMessage(channel, this.messageId++, payload);
    if (!frames.ok) return false;
    for (const frame of frames.value) setTimeout(() => this.other?.deliver(frame));
    return true;
  }

  deliver(frame: Uint8Array): void {
    if (this.closed) return;
    const result = this.reassembler.push(frame);
    if (!result.ok) return this.close(result.error, true);
    if (result.value) this.options.onMessage(result.value.channel, result.value.payload);
  }

  close(reason: string, misbehaved: boolean): void {
    if (this.closed) return;
    this.closed = true;
    FakeLink.registry.delete(this.id);
    this.options.onClose(reason, misbehaved);
    const other = this.other;
    setTimeout(() => other?.close('closed', false));
  }

  isOpen = () => this.opened && !this.closed;
  queuedBytes = () => 0;
  destroy = () => this.close('destroyed', false);
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function relays(n: number): Promise<TestRelay[]> {
  const list = await Promise.all(Array.from({ length: n }, () => startTestRelay()));
  for (const r of list) cleanup.push(() => r.close());
  return list;
}

interface Node {
  mesh: Mesh;
  doc: Y.Doc;
  rejected: [PeerId, string][];
  /** Bytes of remote updates this node's validator has seen. */
  validated: { bytes: number };
}

function node(
  urls: string[],
  secret = 'community secret',
  degree?: number,
  members?: () => number,
): Node {
  const doc = new Y.Doc();
  const rejected: [PeerId, string][] = [];
  const validated = { bytes: 0 };
  const mesh = createMesh(
    {
      relays: urls,
      secret: utf8(secret),
      doc,
      ...(degree === undefined ? {} : { degree }),
      ...(members === undefined ? {} : { communitySize: members }),
      validateUpdate: async (update) => {
        validated.bytes += update.length;
        return Y.decodeUpdate(update).ds.clients.size > 0
          ? err('deletes are not allowed')
          : ok(undefined);
      },
    },
    {
      createPeerConnection: (options) => new FakeLink(options),
      signaling: {
        WebSocket: WebSocket as unknown as WebSocketConstructor,
        minBackoffMs: 20,
        maxBackoffMs: 200,
      },
    },
  );
  mesh.on('peer-rejected', (peer, reason) => rejected.push([peer, reason]));
  cleanup.push(() => mesh.destroy());
  return { mesh, doc, rejected, validated };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const syncedWith = (n: Node, count: number) => () => {
  const peers = n.mesh.status().peers;
  return peers.length === count && peers.every((p) => p.connected && p.synced);
};
const events = (doc: Y.Doc) => doc.getMap<string>('events');

describe('mesh', () => {
  it('finds a peer through two relays, connects once, syncs, and says so in its status', async () => {
    const [r1, r2] = await relays(2);
    const urls = [r1!.url, r2!.url];
    const created = FakeLink.created;
    const a = node(urls);
    events(a.doc).set('a', 'from a');
    const b = node(urls);
    const statuses: unknown[] = [];
    b.mesh.on('status', (s) => statuses.push(s));
    await until(() => syncedWith(a, 1)() && syncedWith(b, 1)());
    expect(events(b.doc).get('a')).toBe('from a');
    expect(FakeLink.created - created).toBe(2); // one dialer, one answerer: one connection
    expect(b.mesh.status().relays).toEqual(urls.map((url) => ({ url, connected: true })));
    expect(a.mesh.status().peers[0]!.id).toBe(b.mesh.peerId);
    expect(statuses.length).toBeGreaterThan(0);
    events(b.doc).set('b', 'live');
    await until(() => events(a.doc).get('b') === 'live');
  });

  it('joins three peers into a full mesh', async () => {
    const [r] = await relays(1);
    const nodes = [node([r!.url]), node([r!.url]), node([r!.url])];
    await until(() => nodes.every((n) => syncedWith(n, 2)()));
    events(nodes[2]!.doc).set('x', 'y');
    await until(() => nodes.every((n) => events(n.doc).get('x') === 'y'));
  });

  it('sends what is addressed to one peer to its inbox topic alone, not to every peer', async () => {
    const [r] = await relays(1);
    const nodes = [node([r!.url]), node([r!.url]), node([r!.url])];
    await until(() => nodes.every((n) => syncedWith(n, 2)()));
    const community = await deriveTopic(utf8('community secret'));
    const addressed = r!.published.filter((p) => p.topic !== community);
    // Three links: each needs at least an offer, an answer and a candidate, one peer each.
    expect(addressed.length).toBeGreaterThanOrEqual(9);
    expect(addressed.every((p) => p.receivers === 1)).toBe(true);
    // Each node listens on the community topic and on its own inbox.
    expect(r!.subscribers(community)).toBe(3);
    expect(new Set(addressed.map((p) => p.topic)).size).toBe(3);
  });

  it('with a degree, keeps links bounded and gossips updates and signed presence to every peer', async () => {
    const [r] = await relays(1);
    // Seven members of one community, each signing its presence over its own mesh node.
    const community = await foundTestCommunity('Ada');
    const identities = [community.founder];
    for (const name of ['Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus'])
      identities.push((await joinTestCommunity(community, name)).identity);
    const nodes = Array.from({ length: 7 }, () => node([r!.url], 'community secret', 2));
    const presences = nodes.map((n, i) =>
      meshPresence(community.cdoc, identities[i]!, n.mesh, () => undefined),
    );
    cleanup.push(() => presences.forEach((p) => p.destroy()));
    const linked = (n: Node) => n.mesh.status().peers.filter((p) => p.synced).length >= 2;
    await until(() => nodes.every(linked), 40_000);
    // degree 2 accepts at most 3 links: not the 6 of a full mesh.
    for (const n of nodes) expect(n.mesh.status().peers.length).toBeLessThanOrEqual(3);
    events(nodes[0]!.doc).set('far', 'reached');
    await until(() => nodes.every((n) => events(n.doc).get('far') === 'reached'));
    // So at least three of the six others are beyond each peer's links, and still online to it.
    await until(() => presences.every((p) => p.onlineKeys().length === 6), 10_000);
  }, 60_000);

  it('with a degree, links a community of up to degree + 1 members into a full mesh at once', async () => {
    const [r] = await relays(1);
    // Without the small-community floor each announce asks 1/16, 1/8, … of the peers to answer
    // (1 s, 2 s, 4 s apart): a full mesh of 5 would take well over the 5 s allowed here.
    const nodes = Array.from({ length: 5 }, () => node([r!.url], 'community secret', 6, () => 5));
    await until(() => nodes.every((n) => syncedWith(n, 4)()));
    events(nodes[4]!.doc).set('x', 'y');
    await until(() => nodes.every((n) => events(n.doc).get('x') === 'y'));
  });

  it('with a degree, lets a newcomer in when every peer is full, by replacing a link', async () => {
    const [r] = await relays(1);
    let members = 4;
    // Degree 3 allows 4 links: five peers answering everyone form a complete graph, all full.
    const nodes = Array.from({ length: 5 }, () => node([r!.url], 'secret', 3, () => members));
    await until(() => nodes.every((n) => syncedWith(n, 4)()), 10_000);
    members = 6;
    const newcomer = node([r!.url], 'secret', 3, () => members);
    await until(() => newcomer.mesh.status().peers.some((p) => p.synced), 30_000);
    await until(() => nodes.every((n) => n.mesh.status().peers.length <= 4));
    events(newcomer.doc).set('hello', 'from the newcomer');
    await until(() => nodes.every((n) => events(n.doc).get('hello') === 'from the newcomer'));
  }, 60_000);

  it('does not connect peers of different communities', async () => {
    const [r] = await relays(1);
    const a = node([r!.url], 'one');
    const b = node([r!.url], 'two');
    await until(() => a.mesh.status().relays[0]!.connected && b.mesh.status().relays[0]!.connected);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.mesh.status().peers).toEqual([]);
  });

  it('drops a peer that sends an update the validator rejects, and never takes it back', async () => {
    const [r] = await relays(1);
    const a = node([r!.url]);
    const b = node([r!.url]);
    events(a.doc).set('post', 'keep me');
    await until(() => syncedWith(b, 1)() && events(b.doc).get('post') === 'keep me');

    const rogue = new Y.Doc();
    Y.applyUpdate(rogue, Y.encodeStateAsUpdate(a.doc));
    const before = Y.encodeStateVector(rogue);
    events(rogue).delete('post');
    a.mesh.debugBroadcastRawUpdate!(Y.encodeStateAsUpdate(rogue, before));

    await until(() => b.rejected.length === 1);
    expect(b.rejected[0]).toEqual([a.mesh.peerId, 'deletes are not allowed']);
    expect(events(b.doc).get('post')).toBe('keep me');
    await until(() => a.mesh.status().peers.length === 0);
    // A keeps announcing; B must not let it back in.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(b.mesh.status().peers).toEqual([]);
    expect(a.mesh.status().peers.filter((p) => p.connected)).toEqual([]);
  });

  it('reconnects peers after one side drops the connection', async () => {
    const [r] = await relays(1);
    const a = node([r!.url]);
    const b = node([r!.url]);
    await until(() => syncedWith(a, 1)() && syncedWith(b, 1)());
    for (const link of FakeLink.registry.values()) link.destroy();
    await until(() => a.mesh.status().peers.length === 0 || !syncedWith(a, 1)());
    await until(() => syncedWith(a, 1)() && syncedWith(b, 1)(), 8000);
  });

  it('lets peers see a destroyed mesh leave, and frees its relay connections', async () => {
    const [r] = await relays(1);
    const a = node([r!.url]);
    const b = node([r!.url]);
    await until(() => syncedWith(b, 1)());
    a.mesh.destroy();
    await until(() => b.mesh.status().peers.length === 0);
    await until(() => r!.sockets().length === 1);
  });

  it('refuses a peer whose frames break the framing rules', async () => {
    const [r] = await relays(1);
    const a = node([r!.url]);
    const b = node([r!.url]);
    await until(() => syncedWith(a, 1)() && syncedWith(b, 1)());
    const bSide = [...FakeLink.registry.values()].find(
      (l) => l.options.initiator === a.mesh.peerId > b.mesh.peerId,
    );
    bSide!.deliver(new Uint8Array([9, 9, 9]));
    await until(() => b.rejected.length === 1);
    expect(b.rejected[0]![0]).toBe(a.mesh.peerId);
    expect(b.rejected[0]![1]).toMatch(/frame/);
    await until(() => b.mesh.status().peers.length === 0);
  });

  it('drops a flooding peer, and one whose penalties pass the threshold', async () => {
    const [r] = await relays(1);
    const a = node([r!.url]);
    const b = node([r!.url]);
    const c = node([r!.url]);
    await until(() => [a, b, c].every((n) => syncedWith(n, 2)()));
    // 6,000 messages at once: past the 5,000 burst of b's and c's buckets for a.
    for (let i = 0; i < 6_000; i++) a.mesh.debugBroadcastRawUpdate!(new Uint8Array([0, 0]));
    await until(() => b.rejected.length === 1 && c.rejected.length === 1);
    expect(b.rejected[0]).toEqual([a.mesh.peerId, 'too many messages']);
    // Penalties add up: 60 is not enough, 120 is.
    b.mesh.penalize(c.mesh.peerId, 'bad block', 60);
    expect(b.rejected.length).toBe(1);
    b.mesh.penalize(c.mesh.peerId, 'bad block', 60);
    expect(b.rejected[1]).toEqual([c.mesh.peerId, 'bad block']);
    await until(() => b.mesh.status().peers.length === 0);
  });

  it('keeps peer links through a relay restart, and a newcomer finds everyone after it', async () => {
    const first = await startTestRelay();
    const a = node([first.url]);
    const b = node([first.url]);
    await until(() => syncedWith(a, 1)() && syncedWith(b, 1)());
    await first.close();
    await until(() => !a.mesh.status().relays[0]!.connected);
    expect(syncedWith(a, 1)()).toBe(true);
    events(a.doc).set('during', 'outage');
    await until(() => events(b.doc).get('during') === 'outage');
    const second = await startTestRelay(first.port);
    cleanup.push(() => second.close());
    await until(() => a.mesh.status().relays[0]!.connected && b.mesh.status().relays[0]!.connected);
    const c = node([second.url]);
    await until(() => [a, b, c].every((n) => syncedWith(n, 2)()), 8000);
    expect(events(c.doc).get('during')).toBe('outage');
  });

  it('fetches the doc from one peer at a time, so a newcomer validates it about once', async () => {
    const [r] = await relays(1);
    const a = node([r!.url]);
    const b = node([r!.url]);
    a.doc.transact(() => {
      for (let i = 0; i < 300; i++) events(a.doc).set(`p${i}`, 'x'.repeat(1000));
    });
    await until(() => syncedWith(a, 1)() && syncedWith(b, 1)() && events(b.doc).size === 300);
    const docBytes = Y.encodeStateAsUpdate(a.doc).length;
    const c = node([r!.url]);
    await until(() => syncedWith(c, 2)(), 8000);
    expect(events(c.doc).size).toBe(300);
    expect(c.validated.bytes).toBeGreaterThanOrEqual(docBytes * 0.9);
    expect(c.validated.bytes).toBeLessThan(docBytes * 1.5);
  });
});
