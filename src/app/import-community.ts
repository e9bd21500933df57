/**
 * Adds a community from an export file (export-file.ts). Everything is verified before anything
 * is written, and the events land in one IndexedDB transaction (or, when the community is open,
 * one Yjs transaction), so a refused or failed import changes nothing.
 */
import * as Y from 'yjs';
import type { CommunityId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { addDocUpdates } from '../store/doc-store';
import { getJoined, saveJoined } from '../store/registry-store';
import { describeError } from './errors';
import { decodeExport } from './export-file';
import type { Session } from './session';

export const IMPORT_ORIGIN = Symbol('import');

export async function importCommunity(
  file: Uint8Array,
  openSessions: ReadonlyMap<CommunityId, Promise<Session>>,
): Promise<Result<CommunityId>> {
  const decoded = await decodeExport(file);
  if (!decoded.ok) return decoded;
  const { community, updates, name, secret, relays, invite } = decoded.value;
  try {
    const open = await openSessions.get(community)?.catch(() => undefined);
    if (open) {
      // Validated above; the session's store and mesh take it from here like any update.
      const doc = open.cdoc.doc;
      Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u)), IMPORT_ORIGIN);
    } else {
      await addDocUpdates(community, updates);
    }
    if (!(await getJoined(community))) {
      await saveJoined({ id: community, name, secret, relays, joinedAt: Date.now(), invite });
    }
    return ok(community);
  } catch (e) {
    return err(describeError(e, 'import the community'));
  }
}
