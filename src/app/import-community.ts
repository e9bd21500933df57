/**
 * Adds a community from an export file (export-file.ts). Everything is verified before anything
 * is written — every event, and the identity backup with its passphrase when the file holds
 * one — and the events land in one IndexedDB transaction (or, when the community is open, one
 * Yjs transaction), so a refused import changes nothing.
 *
 * With an identity in the file, the importing profile becomes that member (identity-backup.ts
 * refuses if its own identity would be stranded) before the community opens, so peers admit it
 * and it syncs live. Without one, the profile holds a readable copy but is no member.
 */
import * as Y from 'yjs';
import type { CommunityId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { addDocUpdates } from '../store/doc-store';
import { getJoined, saveJoined } from '../store/registry-store';
import { describeError } from './errors';
import { decodeExport } from './export-file';
import { adoptIdentity, unsealBackup } from './identity-backup';
import type { Session } from './session';

export const IMPORT_ORIGIN = Symbol('import');

const refuse = (why: string) => err(`This file can't be imported: ${why}. Nothing was changed.`);

export async function importCommunity(
  file: Uint8Array,
  passphrase: string,
  sessions: Map<CommunityId, Promise<Session>>,
): Promise<Result<CommunityId>> {
  const decoded = await decodeExport(file);
  if (!decoded.ok) return decoded;
  const { community, updates, name, secret, relays, invite, identity } = decoded.value;
  if (identity) {
    if (passphrase.length === 0)
      return refuse('it includes an identity backup; enter the passphrase it was exported with');
    const opened = await unsealBackup(identity, passphrase);
    if (!opened.ok) return refuse(opened.error);
    const adopted = await adoptIdentity(opened.value, sessions);
    if (!adopted.ok) return refuse(adopted.error);
  }
  try {
    const open = await sessions.get(community)?.catch(() => undefined);
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
