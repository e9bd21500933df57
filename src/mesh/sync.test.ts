import { afterEach, describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { PeerId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { createReassembler, fragmentMessage, MAX_FRAME_BYTES } from './framing';
import { createSyncEngine, type SyncEngine } from './sync';

interface Side {
  id: PeerId;
  doc: Y.Doc;
  awareness: Awareness;
  engine: SyncEngine;
  rejected: [PeerId, string][];
  synced: PeerId[];
  seenByValidator: Uint8Array[];
  /** Messages this side sent: [channel, first byte]. */
  sent: [string, number][];
}

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

/**
 * Two sync engines joined by an in-memory link that fragments every message into frames and
 * reassembles them on the other side, asynchronously, as a data channel would.
 */
function pair(validate?: (update: Uint8Array, from: PeerId) => Promise<Result<void>>) {
  const sides = new Map<PeerId, Side>();
  let messageId = 0;
  let maxFrame = 0;
  const reassemblers = new Map<PeerId, ReturnType<typeof createReassembler>>();
  const links = new Set<string>();

  function make(id: PeerId): Side {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    reassemblers.set(id, createReassembler());
    const side: Side = {
      id,
      doc,
      awareness,
      rejected: [],
      synced: [],
      seenByValidator: [],
      sent: [],
      engine: createSyncEngine({
        doc,
        awareness,
        validateUpdate: async (update, from) => {
          side.seenByValidator.push(update);
          return validate ? validate(update, from) : ok(undefined);
        },
        send: (to, channel, payload) => {
          side.sent.push([channel, payload[0]!]);
          const frames = fragmentMessage(channel, messageId++, payload);
          if (!frames.ok) throw new Error(frames.error);
          for (const frame of frames.value) {
            maxFrame = Math.max(maxFrame, frame.length);
            setTimeout(() => {
              if (!links.has(`${id}>${to}`)) return;
              const result = reassemblers.get(to)!.push(frame);
              if (!result.ok) throw new Error(result.error);
              if (
                result.value &&
                (result.value.channel === 'sync' || result.value.channel === 'awareness')
              ) {
                sides.get(to)!.engine.receive(id, result.value.channel, result.value.payload);
              }
            });
          }
        },
        onReject: (peer, reason) => {
          side.rejected.push([peer, reason]);
          disconnect();
        },
        onSynced: (peer) => side.synced.push(peer),
      }),
    };
    sides.set(id, side);
    cleanup.push(() => {
      side.engine.destroy();
      awareness.destroy();
    });
    return side;
  }

  const a = make('A' as PeerId);
  const b = make('B' as PeerId);

  function connect() {
    links.add('A>B').add('B>A');
    a.engine.addPeer(b.id);
    b.engine.addPeer(a.id);
  }
  function disconnect() {
    links.clear();
    a.engine.removePeer(b.id);
    b.engine.removePeer(a.id);
  }
  return { a, b, connect, disconnect, maxFrame: () => maxFrame };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const posts = (doc: Y.Doc) => doc.getMap<string>('events');
const snapshot = (doc: Y.Doc) => posts(doc).toJSON();

describe('sync engine', () => {
  it('converges two docs and marks both sides synced after the exchange', async () => {
    const { a, b, connect } = pair();
    posts(a.doc).set('a1', 'from a');
    posts(b.doc).set('b1', 'from b');
    connect();
    await until(() => a.engine.isSynced(b.id) && b.engine.isSynced(a.id));
    expect(snapshot(a.doc)).toEqual({ a1: 'from a', b1: 'from b' });
    expect(snapshot(b.doc)).toEqual(snapshot(a.doc));
    expect(a.synced).toEqual([b.id]);
    expect(b.synced).toEqual([a.id]);
  });

  it('sends later local updates, through the validator, and never echoes them back', async () => {
    const { a, b, connect } = pair();
    connect();
    await until(() => a.engine.isSynced(b.id) && b.engine.isSynced(a.id));
    const sentByB = b.sent.length;
    posts(a.doc).set('later', 'live');
    await until(() => posts(b.doc).get('later') === 'live');
    expect(b.seenByValidator.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    // B applied A's update with a remote origin and sent nothing on the sync channel for it.
    expect(b.sent.slice(sentByB).filter(([channel]) => channel === 'sync')).toEqual([]);
  });

  it('does not apply a rejected update and reports the peer', async () => {
    const { a, b, connect } = pair(async (update) => {
      const decoded = Y.decodeUpdate(update);
      return decoded.ds.clients.size > 0 ? err('deletes are not allowed') : ok(undefined);
    });
    connect();
    posts(a.doc).set('post', 'keep me');
    await until(() => posts(b.doc).get('post') === 'keep me');

    // A rogue copy of A's doc deletes the post and sends that as a raw update.
    const rogue = new Y.Doc();
    Y.applyUpdate(rogue, Y.encodeStateAsUpdate(a.doc));
    const before = Y.encodeStateVector(rogue);
    posts(rogue).delete('post');
    a.engine.broadcastRawUpdate(Y.encodeStateAsUpdate(rogue, before));

    await until(() => b.rejected.length > 0);
    expect(b.rejected).toEqual([[a.id, 'deletes are not allowed']]);
    expect(posts(b.doc).get('post')).toBe('keep me');
    expect(posts(a.doc).get('post')).toBe('keep me');
    expect(b.engine.isSynced(a.id)).toBe(false);
  });

  it('validates every update of a peer in order, one at a time', async () => {
    let running = 0;
    let overlapped = false;
    const { a, b, connect } = pair(async () => {
      running++;
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      running--;
      return ok(undefined);
    });
    connect();
    await until(() => b.engine.isSynced(a.id));
    for (let i = 0; i < 20; i++) posts(a.doc).set(`k${i}`, `v${i}`);
    await until(() => posts(b.doc).size === 20);
    expect(overlapped).toBe(false);
    expect(snapshot(b.doc)).toEqual(snapshot(a.doc));
  });

  it('drops a peer whose validator throws, without applying', async () => {
    const { a, b, connect } = pair(async () => {
      throw new Error('boom');
    });
    posts(a.doc).set('x', 'y');
    connect();
    await until(() => b.rejected.length > 0);
    expect(b.rejected[0]![1]).toContain('boom');
    expect(posts(b.doc).size).toBe(0);
  });

  it('rejects malformed sync and awareness messages', async () => {
    for (const [channel, payload] of [
      ['sync', new Uint8Array([0xff])],
      ['sync', new Uint8Array([9, 0])],
      ['sync', new Uint8Array([2, 5, 1, 2])],
      ['awareness', new Uint8Array([1, 2, 3])],
      ['awareness', new Uint8Array(100_000)],
    ] as const) {
      const { a, b, connect } = pair();
      connect();
      b.engine.receive(a.id, channel, payload);
      await until(() => b.rejected.length > 0);
    }
  });

  it('syncs a 3 MiB doc to a newcomer through ≤ 64 KiB frames', async () => {
    const { a, b, connect, maxFrame } = pair();
    const filler = 'x'.repeat(1024);
    a.doc.transact(() => {
      for (let i = 0; i < 3000; i++) posts(a.doc).set(`post-${i}`, `${i}:${filler}`);
    });
    expect(Y.encodeStateAsUpdate(a.doc).length).toBeGreaterThan(3 * 1024 * 1024);
    connect();
    await until(() => b.engine.isSynced(a.id) && a.engine.isSynced(b.id), 20_000);
    expect(posts(b.doc).size).toBe(3000);
    expect(posts(b.doc).get('post-2999')).toBe(`2999:${filler}`);
    expect(maxFrame()).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('shares awareness and forgets a peer’s states when it leaves', async () => {
    const { a, b, connect, disconnect } = pair();
    a.awareness.setLocalState({ name: 'Alice' });
    connect();
    await until(() => b.awareness.getStates().get(a.doc.clientID)?.name === 'Alice');
    b.awareness.setLocalStateField('name', 'Bob');
    await until(() => a.awareness.getStates().get(b.doc.clientID)?.name === 'Bob');
    disconnect();
    expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false);
    expect(a.awareness.getStates().has(b.doc.clientID)).toBe(false);
  });
});

describe('step1 gate', () => {
  it('asks the next peer at once when the peer it was fetching from leaves', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const step1To: PeerId[] = [];
    const engine = createSyncEngine({
      doc,
      awareness,
      validateUpdate: async () => ok(undefined),
      send: (to, channel, payload) => {
        if (channel === 'sync' && payload[0] === 0) step1To.push(to);
      },
      onReject: () => {},
      onSynced: () => {},
    });
    cleanup.push(() => {
      engine.destroy();
      awareness.destroy();
    });
    const a = 'a' as PeerId;
    const b = 'b' as PeerId;
    engine.addPeer(a);
    engine.addPeer(b);
    // One fetch at a time: b waits for a's answer.
    expect(step1To).toEqual([a]);
    // a leaves before answering (churn): a newcomer must not sit 10 s without its doc.
    engine.removePeer(a);
    expect(step1To).toEqual([a, b]);
  });
});
