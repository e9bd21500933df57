/**
 * Runs in the benchmark's browser page (bundled by ../storage-growth.ts): the same workload —
 * posts written one per transaction, then reloads — through Moot's doc store and through plain
 * y-indexeddb, in separate databases of one origin.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { CommunityId } from '../../src/shared/ids';
import { persistDoc, storedDocSize } from '../../src/store/doc-store';

/** An event-sized entry: ~400 bytes of signed JSON and a 64-byte signature, incompressible. */
function entry(i: number) {
  const event = crypto.getRandomValues(new Uint8Array(400));
  const sig = crypto.getRandomValues(new Uint8Array(64));
  return [`event-${i}`, { event, sig }] as const;
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
  const rows = all.result as Uint8Array[];
  return { rows: rows.length, bytes: rows.reduce((sum, r) => sum + r.byteLength, 0) };
}

async function run(posts: number, reloads: number) {
  const writes = Array.from({ length: posts }, (_, i) => entry(i));
  const community = `bench-${Date.now()}` as CommunityId;

  // Ours: write, then reopen `reloads` times.
  let doc = new Y.Doc();
  let store = await persistDoc(community, doc);
  for (const [key, value] of writes) doc.getMap('events').set(key, value);
  await store.flush();
  await store.destroy();
  for (let i = 0; i < reloads; i++) {
    doc = new Y.Doc();
    store = await persistDoc(community, doc);
    await store.destroy();
  }
  const single = Y.encodeStateAsUpdate(doc).byteLength;
  const ours = await storedDocSize(community);

  // Plain y-indexeddb, same writes, same reloads.
  const name = `baseline-${community}`;
  let bdoc = new Y.Doc();
  let persistence = new IndexeddbPersistence(name, bdoc);
  await persistence.whenSynced;
  for (const [key, value] of writes) bdoc.getMap('events').set(key, value);
  // y-indexeddb writes each update without waiting; give its last writes and trims time to land.
  await new Promise((r) => setTimeout(r, 2500));
  await persistence.destroy();
  for (let i = 0; i < reloads; i++) {
    bdoc = new Y.Doc();
    persistence = new IndexeddbPersistence(name, bdoc);
    await persistence.whenSynced;
    await new Promise((r) => setTimeout(r, 100));
    await persistence.destroy();
  }
  const baseline = await rowsOf(name);
  return { single, ours, baseline, loaded: bdoc.getMap('events').size };
}

Object.assign(globalThis, { storageBench: run });
