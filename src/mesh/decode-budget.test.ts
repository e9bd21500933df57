import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type { PeerId } from '../shared/ids';
import { ok } from '../shared/result';
import { alreadyHeld, prescanUpdate } from './decode-budget';
import { createSyncEngine } from './sync';

/** A V1 update of `n` structs of one client; `writeStruct` writes each after the header. */
function craft(n: number, writeStruct: (e: encoding.Encoder) => void, clock = 0): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // clients
  encoding.writeVarUint(e, n); // structs
  encoding.writeVarUint(e, 12345); // client
  encoding.writeVarUint(e, clock);
  for (let i = 0; i < n; i++) writeStruct(e);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

/** A subdoc item at root key "a": 7 bytes that make Yjs build a whole Y.Doc. */
const subdoc = (e: encoding.Encoder): void => {
  encoding.writeUint8(e, 9);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, 'a');
  encoding.writeVarString(e, '');
  encoding.writeUint8(e, 118);
  encoding.writeVarUint(e, 0);
};

describe('prescanUpdate', () => {
  it('accepts what Yjs itself encodes, with the right clock ranges', () => {
    const doc = new Y.Doc();
    doc.getMap('events').set('k', { event: new Uint8Array(10), sig: new Uint8Array(64) });
    doc.getText('t').insert(0, 'héllo 😀');
    doc.getArray('a').insert(0, [1, 'two', [3, { four: null }], new Uint8Array(2), true]);
    doc.getMap('m').set('sub', new Y.Map());
    doc.getArray('a').delete(1, 2);
    const update = Y.encodeStateAsUpdate(doc);
    const shape = prescanUpdate(update);
    expect(shape.ok).toBe(true);
    if (!shape.ok) return;
    expect(shape.value.deletes).toBe(1);
    const total = shape.value.ranges.reduce((n, r) => n + r.length, 0);
    expect(total).toBe(Y.getState(doc.store, doc.clientID));
  });

  it('rejects a tiny update of subdocs quickly, before Yjs builds them', () => {
    const bomb = craft(150_000, subdoc); // ~1 MB; Y.decodeUpdate takes ~15 s and 345 MB
    const started = performance.now();
    const verdict = prescanUpdate(bomb);
    expect(verdict).toEqual({ ok: false, error: 'update decodes to too many objects' });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('rejects millions of 2-byte structs', () => {
    const gc = (e: encoding.Encoder): void => {
      encoding.writeUint8(e, 0);
      encoding.writeVarUint(e, 1);
    };
    expect(prescanUpdate(craft(2_000_000, gc)).ok).toBe(false);
    expect(prescanUpdate(craft(1_000, gc)).ok).toBe(true);
  });

  it('rejects runs that claim billions of items, and garbage', () => {
    const hugeSkip = craft(1, (e) => {
      encoding.writeUint8(e, 10);
      encoding.writeVarUint(e, 2 ** 40);
    });
    expect(prescanUpdate(hugeSkip)).toEqual({ ok: false, error: 'update claims a huge run' });
    const hugeAny = craft(1, (e) => {
      encoding.writeUint8(e, 8);
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, 'a');
      encoding.writeVarUint(e, 2 ** 33);
    });
    expect(prescanUpdate(hugeAny).ok).toBe(false);
    expect(prescanUpdate(new Uint8Array([1, 200, 200, 200])).ok).toBe(false);
    expect(prescanUpdate(new Uint8Array()).ok).toBe(false);
    const deep = craft(1, (e) => {
      encoding.writeUint8(e, 8);
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, 'a');
      encoding.writeVarUint(e, 1);
      for (let i = 0; i < 10_000; i++) {
        encoding.writeUint8(e, 117);
        encoding.writeVarUint(e, 1);
      }
      encoding.writeUint8(e, 126);
    });
    expect(prescanUpdate(deep)).toEqual({ ok: false, error: 'update nests too deeply' });
  });

  it('tells an update we already hold from one with something new', () => {
    const a = new Y.Doc();
    a.getMap('events').set('x', 1);
    const first = Y.encodeStateAsUpdate(a);
    const b = new Y.Doc();
    Y.applyUpdate(b, first);
    const shape = prescanUpdate(first);
    if (!shape.ok) throw new Error(shape.error);
    expect(alreadyHeld(shape.value, (c) => Y.getState(b.store, c))).toBe(true);
    a.getMap('events').set('y', 2);
    const next = prescanUpdate(Y.encodeStateAsUpdate(a));
    if (!next.ok) throw new Error(next.error);
    expect(alreadyHeld(next.value, (c) => Y.getState(b.store, c))).toBe(false);
  });
});

describe('the sync engine with a decoder bomb', () => {
  it('drops the sender without calling the validator or Yjs', async () => {
    const doc = new Y.Doc();
    const rejected: string[] = [];
    let validated = 0;
    const engine = createSyncEngine({
      doc,
      awareness: new Awareness(doc),
      validateUpdate: async () => (validated++, ok(undefined)),
      send: () => {},
      onReject: (_peer, reason) => rejected.push(reason),
      onSynced: () => {},
    });
    const peer = 'p' as PeerId;
    engine.addPeer(peer);
    const e = encoding.createEncoder();
    syncProtocol.writeUpdate(e, craft(150_000, subdoc));
    const started = performance.now();
    engine.receive(peer, 'sync', encoding.toUint8Array(e));
    await expect.poll(() => rejected).toEqual(['update decodes to too many objects']);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(validated).toBe(0);
    expect(doc.share.size).toBe(0);
    engine.destroy();
  });
});
