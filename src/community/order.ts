/**
 * The order every peer applies events in: topological over `deps`, ties broken by the smaller
 * id. An event waits while any dep is missing or while it is dated more than the allowed skew
 * in the future; everything after it waits with it. Same events in → same order out, on every
 * peer, whatever order they arrived in.
 */
import type { EventId, MemberId } from '../shared/ids';
import { MinHeap } from '../shared/min-heap';
import type { SignedEvent } from './event';
import { LIMITS } from './limits';

export function causalOrder(events: ReadonlyMap<EventId, SignedEvent>, now: number): SignedEvent[] {
  const waitingOn = new Map<EventId, number>();
  const children = new Map<EventId, EventId[]>();
  const ready = new MinHeap();
  const horizon = now + LIMITS.futureSkewMs;

  for (const [id, { event }] of events) {
    if (event.at > horizon) continue;
    let missing = 0;
    for (const dep of event.deps) {
      missing++;
      const list = children.get(dep);
      if (list) list.push(id);
      else children.set(dep, [id]);
    }
    waitingOn.set(id, missing);
    if (missing === 0) ready.push(id);
  }

  const ordered: SignedEvent[] = [];
  for (let id = ready.pop() as EventId | undefined; id; id = ready.pop() as EventId | undefined) {
    ordered.push(events.get(id)!);
    for (const child of children.get(id) ?? []) {
      const left = waitingOn.get(child);
      if (left === undefined) continue; // a held-back future event
      waitingOn.set(child, left - 1);
      if (left === 1) ready.push(child);
    }
  }
  return ordered;
}

/**
 * What a new event by `author` should point at: the events no other usable event names as a
 * dep. Usable are the events applied at `now`, plus the author's own (a joiner's join waits on
 * an invite it has not synced yet). Naming a held-back or dangling event of someone else would
 * hold the new event back with it: one member could freeze everyone's later events.
 */
export function heads(
  events: ReadonlyMap<EventId, SignedEvent>,
  now: number,
  author?: MemberId,
): EventId[] {
  const usable = new Set(causalOrder(events, now).map(({ id }) => id));
  for (const [id, { event }] of events) if (event.author === author) usable.add(id);
  const referenced = new Set<EventId>();
  for (const id of usable) for (const dep of events.get(id)!.event.deps) referenced.add(dep);
  return [...usable].filter((id) => !referenced.has(id)).sort();
}
