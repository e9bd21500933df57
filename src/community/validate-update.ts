/**
 * The update validator: the one place the security invariant of DESIGN.md §3 is enforced.
 * A remote Yjs update is decoded and checked before it touches the doc. It may only add
 * entries to the root map `events`, each a signed event stored at the very position its
 * author's session may write and that the event itself names. Anything else — deletions,
 * overwrites, other types, forged or misplaced events — rejects the whole update, because
 * rejecting part of one client's clock range would block that client forever anyway.
 */
import * as Y from 'yjs';
import type { CommunityId, EventId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { verifyEvent, type SignedEvent } from './event';
import { LIMITS } from './limits';

export const EVENTS_MAP = 'events';

/** What is stored under each key of the events map. */
export interface StoredEvent {
  event: Uint8Array;
  sig: Uint8Array;
}

export function isStoredEvent(value: unknown): value is StoredEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  return (
    keys.length === 2 &&
    v.event instanceof Uint8Array &&
    v.sig instanceof Uint8Array &&
    v.sig.length === 64
  );
}

/**
 * One of `of` equal slices of an update's entries (validate-pool.ts runs the slices in parallel
 * Workers). Every slice checks the whole update's shape; only the per-entry checks are split,
 * so the slices together check exactly what the whole does.
 */
export interface UpdatePart {
  index: number;
  of: number;
}

export async function validateUpdate(
  update: Uint8Array,
  community: CommunityId,
  part: UpdatePart = { index: 0, of: 1 },
): Promise<Result<SignedEvent[]>> {
  if (update.length === 0) return err('empty update');
  if (update.length > LIMITS.updateBytes) return err('update too large');
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return err('update cannot be decoded');
  }
  if (decoded.ds.clients.size > 0) return err('update deletes content');

  const items: Y.Item[] = [];
  for (const struct of decoded.structs) {
    // Skips are gaps in a merged update; they carry no content.
    if (struct instanceof Y.Skip) continue;
    if (!(struct instanceof Y.Item)) return err('update holds garbage-collected structs');
    items.push(struct);
  }
  const size = Math.ceil(items.length / part.of);
  const mine = items.slice(part.index * size, (part.index + 1) * size);
  // Every signature check starts at once. The first failure in item order wins.
  const checked = await Promise.all(mine.map((item) => checkItem(item, community)));
  const events: SignedEvent[] = [];
  for (const result of checked) {
    if (!result.ok) return result;
    events.push(result.value);
  }
  return ok(events);
}

async function checkItem(item: Y.Item, community: CommunityId): Promise<Result<SignedEvent>> {
  // A new map key has no neighbours; origins would mean writing beside or over another entry.
  if (item.origin !== null || item.rightOrigin !== null) return err('update overwrites an entry');
  // Decoded root-level items name their parent type by its root key.
  if ((item.parent as unknown) !== EVENTS_MAP || typeof item.parentSub !== 'string')
    return err('update writes outside the events map');
  if (!(item.content instanceof Y.ContentAny) || item.content.arr.length !== 1)
    return err('entry is not one stored event');
  const stored = item.content.arr[0];
  if (!isStoredEvent(stored)) return err('entry is not one stored event');

  const verified = await verifyEvent(stored.event, stored.sig);
  if (!verified.ok) return err(verified.error);
  const { id, event } = verified.value;
  if (item.parentSub !== (id as EventId)) return err('entry key is not the event id');
  if (event.community !== community) return err('event belongs to another community');
  if (event.y[0] !== item.id.client || event.y[1] !== item.id.clock)
    return err('event is not stored at the position it names');
  return verified;
}
