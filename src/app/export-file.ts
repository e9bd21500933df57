/**
 * A community in one file (docs/offline.md): every signed event as its canonical bytes and
 * signature, plus what a browser needs to find the community's peers again. No Yjs inside — the
 * events are the data, readable without Moot. Importing rebuilds each event at the Yjs position
 * its own `y` names and sends the result through validate-update.ts, the same gate a peer's
 * update passes, so every signature and position is checked and nothing forged gets in. The
 * whole file is checked before anything is applied.
 */
import * as Y from 'yjs';
import { computeEventId, parseEvent, type SignedEvent } from '../community/event';
import { parseBackup, type IdentityBackup } from '../community/identity-backup';
import { LIMITS } from '../community/limits';
import { EVENTS_MAP, validateUpdate } from '../community/validate-update';
import { fromBase64url, isBase64urlOfLength, toBase64url } from '../shared/base64url';
import type { CommunityId, EventId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';

export const EXPORT_FORMAT = 'moot-community-export';
export const EXPORT_VERSION = 1;
/** Larger files are refused before parsing (a 10,000-post community is about 10 MiB). */
export const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

/** Where to find the community again. Holding these is like holding its invite link. */
export interface ExportedAccess {
  community: CommunityId;
  name: string;
  secret: Uint8Array;
  relays: string[];
  invite: { seed: Uint8Array; event: EventId } | null;
}

export interface ImportedCommunity extends ExportedAccess {
  /** The exporter's identity, sealed under a passphrase, when they chose to include it. */
  identity: IdentityBackup | null;
  /** Validated Yjs updates holding every event, each within LIMITS.updateBytes. */
  updates: Uint8Array[];
  events: number;
}

export function encodeExport(
  access: ExportedAccess,
  events: Iterable<SignedEvent>,
  identity: IdentityBackup | null = null,
  now = Date.now(),
): Uint8Array {
  const file = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    community: access.community,
    name: access.name,
    secret: toBase64url(access.secret),
    relays: access.relays,
    invite: access.invite && {
      seed: toBase64url(access.invite.seed),
      event: access.invite.event,
    },
    // Optional, so files without it (and readers that ignore it) stay version 1.
    ...(identity && { identity }),
    events: [...events].map((e) => ({ event: toBase64url(e.bytes), sig: toBase64url(e.sig) })),
  };
  return new TextEncoder().encode(JSON.stringify(file));
}

const refuse = (why: string): Result<never> =>
  err(`This file can't be imported: ${why}. Nothing was changed.`);

/** Parses and fully verifies an export file; applies nothing. */
export async function decodeExport(bytes: Uint8Array): Promise<Result<ImportedCommunity>> {
  if (bytes.length > MAX_EXPORT_BYTES) return refuse('it is larger than Moot accepts');
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Record<
      string,
      unknown
    >;
  } catch {
    return refuse('it is not a Moot export file');
  }
  if (typeof file !== 'object' || file === null || file.format !== EXPORT_FORMAT)
    return refuse('it is not a Moot export file');
  if (file.version !== EXPORT_VERSION)
    return refuse('it was written by a newer version of Moot; update Moot and try again');
  const access = parseAccess(file);
  if (!access.ok) return refuse(access.error);
  if (!Array.isArray(file.events) || file.events.length === 0) return refuse('it holds no events');
  let identity: IdentityBackup | null = null;
  if (file.identity !== undefined) {
    const parsed = parseBackup(file.identity);
    if (!parsed.ok) return refuse(parsed.error);
    identity = parsed.value;
  }

  // Group the events by the Yjs client their position names, in clock order.
  const byClient = new Map<
    number,
    { clock: number; id: EventId; event: Uint8Array; sig: Uint8Array }[]
  >();
  for (const [i, entry] of (file.events as unknown[]).entries()) {
    const { event, sig } = (entry ?? {}) as Record<string, unknown>;
    const eventBytes = typeof event === 'string' ? fromBase64url(event) : null;
    if (!eventBytes || !isBase64urlOfLength(sig, 64)) return refuse(`event ${i + 1} is damaged`);
    const parsed = parseEvent(eventBytes);
    if (!parsed.ok) return refuse(`event ${i + 1} is damaged (${parsed.error})`);
    if (parsed.value.community !== access.value.community)
      return refuse(`event ${i + 1} belongs to another community`);
    const [client, clock] = parsed.value.y;
    const list = byClient.get(client) ?? [];
    list.push({
      clock,
      id: await computeEventId(eventBytes),
      event: eventBytes,
      sig: fromBase64url(sig)!,
    });
    byClient.set(client, list);
  }

  // Rebuild each client's run of events at the positions they name, then check them all.
  const perClient: Uint8Array[] = [];
  for (const [client, list] of byClient) {
    list.sort((a, b) => a.clock - b.clock);
    // Yjs only ever holds a client's events from clock 0 without gaps; anything else is damage.
    if (list.some((e, i) => e.clock !== i)) return refuse('some events are missing or repeated');
    const doc = new Y.Doc();
    doc.clientID = client;
    const map = doc.getMap(EVENTS_MAP);
    doc.transact(() => list.forEach((e) => map.set(e.id, { event: e.event, sig: e.sig })));
    perClient.push(Y.encodeStateAsUpdate(doc));
  }
  const updates = batch(perClient, LIMITS.updateBytes);
  if (!updates.ok) return refuse(updates.error);
  for (const update of updates.value) {
    const checked = await validateUpdate(update, access.value.community);
    if (!checked.ok) return refuse(`an event failed its check (${checked.error})`);
  }
  return ok({ ...access.value, identity, updates: updates.value, events: file.events.length });
}

function parseAccess(file: Record<string, unknown>): Result<ExportedAccess> {
  const { community, name, secret, relays, invite } = file;
  if (!isBase64urlOfLength(community, 32)) return err('its community id is damaged');
  if (typeof name !== 'string' || name.length > LIMITS.communityName * 4)
    return err('its community name is damaged');
  if (typeof secret !== 'string' || !fromBase64url(secret)?.length)
    return err('its community secret is damaged');
  if (
    !Array.isArray(relays) ||
    relays.length > 16 ||
    !relays.every((r) => typeof r === 'string' && /^wss?:\/\//.test(r))
  )
    return err('its relay list is damaged');
  let parsedInvite: ExportedAccess['invite'] = null;
  if (invite !== null && invite !== undefined) {
    const { seed, event } = invite as Record<string, unknown>;
    if (!isBase64urlOfLength(seed, 32) || !isBase64urlOfLength(event, 32))
      return err('its invite is damaged');
    parsedInvite = { seed: fromBase64url(seed)!, event: event as EventId };
  }
  return ok({
    community: community as CommunityId,
    name,
    secret: fromBase64url(secret)!,
    relays: relays as string[],
    invite: parsedInvite,
  });
}

/**
 * Joins per-client updates into as few as fit under the size cap. Through a scratch doc, not
 * Y.mergeUpdates, which is superlinear over many small updates (DESIGN.md §10).
 */
function batch(updates: Uint8Array[], cap: number): Result<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let current = new Y.Doc();
  let size = 0;
  for (const update of updates) {
    if (update.length > cap) return err('one member wrote more than Moot accepts in one piece');
    if (size > 0 && size + update.length > cap) {
      out.push(Y.encodeStateAsUpdate(current));
      current = new Y.Doc();
      size = 0;
    }
    Y.applyUpdate(current, update);
    size += update.length;
  }
  if (size > 0) out.push(Y.encodeStateAsUpdate(current));
  return ok(out);
}
