/**
 * Community docs persist through y-indexeddb, one database per community. Every update the doc
 * accepts (our own, or a peer's after validation) is written; opening replays them.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';
import type { CommunityId } from '../shared/ids';

export interface PersistedDoc {
  destroy(): Promise<void>;
}

export async function persistDoc(community: CommunityId, doc: Y.Doc): Promise<PersistedDoc> {
  const persistence = new IndexeddbPersistence(`moot-doc-${community}`, doc);
  await persistence.whenSynced;
  return { destroy: () => persistence.destroy() };
}
