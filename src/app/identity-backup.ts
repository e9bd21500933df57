/**
 * Backing up and restoring this profile's identity (docs/identity-backup.md), alone or inside a
 * community export. The one rule beyond the crypto: a restore never strands the identity it
 * replaces. If that identity wrote anything in a community on this device (founded, joined,
 * posted), the restore is refused with the communities named, so no membership is lost silently.
 */
import type * as Y from 'yjs';
import { parseEvent } from '../community/event';
import type { Identity } from '../community/identity';
import {
  openIdentity,
  parseBackup,
  sealIdentity,
  type IdentityBackup,
} from '../community/identity-backup';
import { EVENTS_MAP, isStoredEvent } from '../community/validate-update';
import type { CommunityId, MemberId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { readStoredDoc } from '../store/doc-store';
import { loadOrCreateIdentity, replaceIdentity } from '../store/identity-store';
import { listJoined } from '../store/registry-store';
import { describeError } from './errors';
import type { Session } from './session';

type Sessions = Map<CommunityId, Promise<Session>>;

/** This profile's identity sealed under `passphrase`, as a file to download. */
export async function backupIdentityFile(
  passphrase: string,
): Promise<Result<{ name: string; bytes: Uint8Array }>> {
  try {
    const identity = await loadOrCreateIdentity();
    const sealed = await sealIdentity(identity, passphrase);
    if (!sealed.ok) return sealed;
    const tag = identity.memberId.slice(0, 8);
    const bytes = new TextEncoder().encode(JSON.stringify(sealed.value, null, 2));
    return ok({ name: `moot-identity-${tag}.json`, bytes });
  } catch (e) {
    return err(describeError(e, 'back up your identity'));
  }
}

export const sealCurrentIdentity = async (passphrase: string) =>
  sealIdentity(await loadOrCreateIdentity(), passphrase);

/** Restores an identity backup file; nothing changes on any refusal. */
export async function restoreIdentityFile(
  file: Uint8Array,
  passphrase: string,
  sessions: Sessions,
): Promise<Result<MemberId>> {
  const refuse = (why: string) =>
    err(`This identity can't be restored: ${why}. Nothing was changed.`);
  // A backup is well under 1 KiB; anything far larger is not one, and is not parsed.
  if (file.length > 64 * 1024) return refuse('the file is not a Moot identity backup');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file));
  } catch {
    return refuse('the file is not a Moot identity backup');
  }
  const backup = parseBackup(json);
  if (!backup.ok) return refuse(backup.error);
  const opened = await unsealBackup(backup.value, passphrase);
  if (!opened.ok) return refuse(opened.error);
  const adopted = await adoptIdentity(opened.value, sessions);
  return adopted.ok ? ok(opened.value.memberId) : refuse(adopted.error);
}

/** Decrypts a parsed backup; the error is a reason to put after "can't be …: ". */
export async function unsealBackup(
  backup: IdentityBackup,
  passphrase: string,
): Promise<Result<Identity>> {
  if (passphrase.length === 0) return err('enter the passphrase the backup was made with');
  try {
    return await openIdentity(backup, passphrase);
  } catch (e) {
    return err(describeError(e, 'open the backup'));
  }
}

/**
 * Makes `identity` this profile's identity, unless the current one has written in a community
 * here (it would be lost). Open sessions are closed so that they reopen as the new identity.
 */
export async function adoptIdentity(identity: Identity, sessions: Sessions): Promise<Result<void>> {
  try {
    const current = await loadOrCreateIdentity();
    if (current.memberId === identity.memberId) return ok(undefined);
    const active = await communitiesWritten(current.memberId, sessions);
    if (active.length > 0)
      return err(
        `this browser already has its own identity, which belongs to ${active.map((n) => `“${n}”`).join(', ')}. ` +
          'Restoring would cut it off from there. Use a fresh browser profile, or leave those communities first (Settings → Leave community)',
      );
    const open = [...sessions.values()];
    sessions.clear();
    await Promise.all(open.map((s) => s.then((session) => session.close()).catch(() => undefined)));
    await replaceIdentity(identity);
    return ok(undefined);
  } catch (e) {
    return err(describeError(e, 'restore the identity'));
  }
}

/** Names of the communities on this device where `member` wrote any event. */
async function communitiesWritten(member: MemberId, sessions: Sessions): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await listJoined()) {
    const session = await sessions.get(entry.id)?.catch(() => undefined);
    const authors = session
      ? [...session.cdoc.events.values()].map((e) => e.event.author)
      : authorsInStore(await readStoredDoc(entry.id));
    if (authors.includes(member)) names.push(entry.name || 'a community');
  }
  return names;
}

function authorsInStore(doc: Y.Doc): MemberId[] {
  const authors: MemberId[] = [];
  doc.getMap(EVENTS_MAP).forEach((value) => {
    if (!isStoredEvent(value)) return;
    const parsed = parseEvent(value.event);
    if (parsed.ok) authors.push(parsed.value.author);
  });
  doc.destroy();
  return authors;
}
