/**
 * Opens a community's doc from IndexedDB in the order a member sees it (docs/governance.md,
 * "Cold open"). The events are read straight out of the stored rows (stored-updates.ts), so the
 * state can be derived and shown before any Y.Doc is built; `persisted.load()` builds the doc
 * from the same rows afterwards. Until it has, the community doc holds its writes and the mesh
 * waits (session.ts), so nothing is written or synced from a doc that is not loaded yet.
 *
 * Rows that are not in the plain shape stored-updates.ts reads, and a doc that already has
 * content (`existing`: a join that just wrote to it), are loaded into the doc at once instead.
 */
import * as Y from 'yjs';
import { CommunityDoc } from '../community/community-doc';
import type { Identity } from '../community/identity';
import { entriesInUpdates } from '../community/stored-updates';
import type { CommunityId } from '../shared/ids';
import {
  persistDoc,
  readDocRows,
  releaseDocRows,
  type PersistedDoc,
  type StoredRows,
} from '../store/doc-store';

export interface OpenedDoc {
  cdoc: CommunityDoc;
  persisted: PersistedDoc;
}

export async function openStoredDoc(
  community: CommunityId,
  identity: Identity,
  existing?: CommunityDoc,
  stored?: Promise<StoredRows | null>,
): Promise<OpenedDoc> {
  // The rows are read while the community doc derives its clientID.
  const reading = (stored ?? Promise.resolve(null)).then((r) => r ?? readDocRows(community));
  reading.catch(() => undefined); // awaited below; a failure before that must not go unhandled
  let cdoc: CommunityDoc;
  let rows: StoredRows;
  try {
    cdoc = existing ?? (await CommunityDoc.open(new Y.Doc(), community, identity));
    rows = await reading;
  } catch (e) {
    releaseDocRows(reading);
    throw e;
  }
  const entries = existing ? null : entriesInUpdates(rows.rows);
  const persisted = await persistDoc(community, cdoc.doc, Promise.resolve(rows), {
    loadLater: entries !== null,
  });
  if (entries) cdoc.takeStored(entries, persisted.loaded);
  return { cdoc, persisted };
}
