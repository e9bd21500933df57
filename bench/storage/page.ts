/**
 * Runs in the benchmark's browser page (bundled by ../storage-growth.ts): the same workload
 * through Moot's doc store and through plain y-indexeddb, in separate databases of one origin.
 * The workload is a community used over time: `posts` event-sized entries written one per
 * transaction (as a member posts), spread over `reloads` sessions, each ending in a reload.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { CommunityId } from '../../src/shared/ids';
import { persistDoc, storedDocSize } from '../../src/store/doc-store';

const toKey = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * An event-sized entry under an event-id-sized key (43 characters, like Moot's): ~400 bytes of
 * signed JSON and a 64-byte signature, incompressible, as Yjs stores them (it does not compress).
 */
function entry() {
  const event = crypto.getRandomValues(new Uint8Array(400));
  const sig = crypto.getRandomValues(new Uint8Array(64));
  return [toKey(crypto.getRandomValues(new Uint8Array(32))), { event, sig }] as const;
}

async function rowsOf(name: string): Promise<{ rows: number; bytes: number }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction('updates', 'readonly');
  const all = tx.objectStore('updates').getAll();
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
  // A large row is stored as a Blob (src/store/doc-store.ts).
  const rows = all.result as (Uint8Array | Blob)[];
  const size = (r: Uint8Array | Blob) => (r instanceof Blob ? r.size : r.byteLength);
  return { rows: rows.length, bytes: rows.reduce((sum, r) => sum + size(r), 0) };
}

/** `posts` split into `sessions` runs, as evenly as they go. */
function sessionsOf<T>(items: T[], sessions: number): T[][] {
  return Array.from({ length: sessions }, (_, s) =>
    items.slice(
      Math.floor((s * items.length) / sessions),
      Math.floor(((s + 1) * items.length) / sessions),
    ),
  );
}

async function run(posts: number, reloads: number) {
  const writes = sessionsOf(
    Array.from({ length: posts }, () => entry()),
    reloads,
  );
  const community = `bench-${Date.now()}` as CommunityId;

  // Ours: each session opens (a reload), writes its share one update at a time, and closes.
  const started = performance.now();
  // The worst moment is just before a reload, with the session's rows not yet compacted.
  let peak = 0;
  let doc = new Y.Doc();
  for (const session of writes) {
    doc = new Y.Doc();
    const store = await persistDoc(community, doc);
    for (const [key, value] of session) doc.getMap('events').set(key, value);
    await store.flush();
    peak = Math.max(peak, (await store.size()).bytes / Y.encodeStateAsUpdate(doc).byteLength);
    await store.destroy();
  }
  // The last reload, which only reads.
  doc = new Y.Doc();
  await (await persistDoc(community, doc)).destroy();
  const single = Y.encodeStateAsUpdate(doc).byteLength;
  const ours = await storedDocSize(community);
  const oursLoaded = doc.getMap('events').size;

  const oursMs = performance.now() - started;
  // Plain y-indexeddb, same sessions.
  const name = `baseline-${community}`;
  let bdoc = new Y.Doc();
  for (const session of writes) {
    bdoc = new Y.Doc();
    const persistence = new IndexeddbPersistence(name, bdoc);
    await persistence.whenSynced;
    for (const [key, value] of session) bdoc.getMap('events').set(key, value);
    // y-indexeddb writes without waiting and trims 1 s after its 500th row; let both land.
    await new Promise((r) => setTimeout(r, 1500));
    await persistence.destroy();
  }
  bdoc = new Y.Doc();
  const last = new IndexeddbPersistence(name, bdoc);
  await last.whenSynced;
  await new Promise((r) => setTimeout(r, 100));
  await last.destroy();
  const baseline = await rowsOf(name);
  return {
    ms: [oursMs, performance.now() - started - oursMs],
    single,
    ours,
    peak,
    baseline,
    oursLoaded,
    loaded: bdoc.getMap('events').size,
  };
}

Object.assign(globalThis, { storageBench: run });
