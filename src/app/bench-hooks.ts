/**
 * The baseline for the discussions benchmark (bench/discussions.ts), run in the page beside the
 * app: what loading a community doc costs with nothing of Moot on top. It reads the stored rows
 * in one IndexedDB transaction and applies them to a fresh Y.Doc, as y-indexeddb's load does
 * (without the write y-indexeddb makes on every open).
 */
import * as Y from 'yjs';
import { readDocRows } from '../store/doc-store';
import type { CommunityId } from '../shared/ids';

/** Milliseconds from opening the database to a Y.Doc holding every stored event. */
export async function timeBareDocLoad(id: CommunityId): Promise<{ ms: number; events: number }> {
  const started = performance.now();
  // The rows as the store reads them (a large row is a Blob, read as bytes).
  const { db, rows } = await readDocRows(id);
  db.close();
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row);
  });
  const events = doc.getMap('events').size;
  const ms = performance.now() - started;
  doc.destroy();
  return { ms, events };
}
