import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { entriesInUpdates } from './stored-updates';
import { EVENTS_MAP } from './validate-update';

/** What a CommunityDoc would read from the doc's map after loading `rows`: key → value. */
function entriesOfDoc(rows: Uint8Array[]) {
  const doc = new Y.Doc();
  rows.forEach((row) => Y.applyUpdate(doc, row));
  const entries = new Map<string, unknown>();
  doc.getMap(EVENTS_MAP).forEach((value, key) => entries.set(key, value));
  return entries;
}

function entriesRead(rows: Uint8Array[]) {
  const read = entriesInUpdates(rows);
  if (!read) return null;
  return new Map(read.ids.map((id, i) => [id as string, read.values[i]]));
}

const storedEvent = (n: number) => ({
  event: new TextEncoder().encode(`{"n":${n}}`),
  sig: new Uint8Array(64).fill(n % 256),
});

/** A doc written by several clients; returns every update it emitted, in order. */
function writeDoc(writes: { client: number; key: string; shaped: boolean }[]) {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const map = doc.getMap(EVENTS_MAP);
  writes.forEach(({ client, key, shaped }, n) => {
    doc.clientID = client;
    if (!map.has(key)) map.set(key, shaped ? storedEvent(n) : `not an event ${n}`);
  });
  return { doc, updates };
}

const writesArb = fc.array(
  fc.record({
    client: fc.integer({ min: 1, max: 4 }),
    key: fc.oneof(fc.base64String({ minLength: 4, maxLength: 44 }), fc.string({ minLength: 1 })),
    shaped: fc.boolean(),
  }),
  { minLength: 1, maxLength: 40 },
);

describe('entriesInUpdates', () => {
  it('finds exactly the entries the doc map holds, however the rows are split and ordered', () => {
    fc.assert(
      fc.property(writesArb, fc.integer({ min: 0, max: 2 }), fc.nat(), (writes, split, seed) => {
        const { doc, updates } = writeDoc(writes);
        const rows =
          split === 0
            ? [Y.encodeStateAsUpdate(doc)]
            : split === 1
              ? updates
              : [Y.encodeStateAsUpdate(doc), ...updates.slice(seed % updates.length)];
        // Stored rows are read back in key order, but another tab's may come in any order.
        const shuffled = [...rows].sort(
          (a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7),
        );
        const read = entriesRead(shuffled);
        expect(read).not.toBeNull();
        const expected = entriesOfDoc(shuffled);
        expect([...read!.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [key, value] of expected)
          expect(read!.get(key)).toEqual(typeof value === 'string' ? null : value);
      }),
      { numRuns: 300 },
    );
  });

  it('gives up (null) when a row is missing from the middle: the doc would hold that client back', () => {
    const { updates } = writeDoc(['a', 'b', 'c'].map((key) => ({ client: 7, key, shaped: true })));
    expect(entriesRead([updates[0]!, updates[2]!])).toBeNull();
    expect(entriesRead([updates[0]!, updates[1]!])?.size).toBe(2);
  });

  it('gives up on an overwritten or deleted entry, a nested type and content it does not read', () => {
    const shapes: ((doc: Y.Doc) => void)[] = [
      (doc) => doc.getMap(EVENTS_MAP).set('k', storedEvent(2)),
      (doc) => doc.getMap(EVENTS_MAP).delete('k'),
      (doc) => doc.getMap(EVENTS_MAP).set('nested', new Y.Map()),
      (doc) => doc.getText('notes').insert(0, 'hello'),
    ];
    for (const change of shapes) {
      const doc = new Y.Doc();
      doc.getMap(EVENTS_MAP).set('k', storedEvent(1));
      change(doc);
      expect(entriesRead([Y.encodeStateAsUpdate(doc)])).toBeNull();
    }
  });

  it('reads entries beside plain values of other root types', () => {
    const doc = new Y.Doc();
    doc.getMap('other').set('x', { deep: [1, 'two', null, true, 2.5, new Uint8Array([3])] });
    doc.getArray('list').push([1, -2, 'three']);
    doc.getMap(EVENTS_MAP).set('ünïcode key', storedEvent(1));
    doc.getMap(EVENTS_MAP).set('plain', storedEvent(2));
    const read = entriesRead([Y.encodeStateAsUpdate(doc)]);
    expect(read?.get('ünïcode key')).toEqual(storedEvent(1));
    expect(read?.get('plain')).toEqual(storedEvent(2));
    expect(read?.size).toBe(2);
  });

  it('gives up on a damaged row instead of throwing', () => {
    const doc = new Y.Doc();
    doc.getMap(EVENTS_MAP).set('k', storedEvent(1));
    const row = Y.encodeStateAsUpdate(doc);
    for (let cut = 1; cut < row.length; cut++)
      expect(entriesRead([row.subarray(0, cut)])).toBeNull();
    expect(entriesRead([new Uint8Array([0xff, 0xff, 0xff])])).toBeNull();
  });
});
