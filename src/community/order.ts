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

/**
 * The order, and for each ordered event the order positions of its deps: the reduction run
 * (governance/run.ts) takes both, so no dep is looked up by id twice on a cold open.
 */
export interface Ordering {
  ordered: SignedEvent[];
  /** The deps of ordered[k] are at positions parents[parentStart[k] .. parentStart[k + 1]). */
  parentStart: Int32Array;
  parents: Int32Array;
}

export function causalOrder(events: ReadonlyMap<EventId, SignedEvent>, now: number): SignedEvent[] {
  return causalOrdering(events, now).ordered;
}

export function causalOrdering(events: ReadonlyMap<EventId, SignedEvent>, now: number): Ordering {
  // Indices and typed arrays rather than maps keyed by id: a cold open orders every event, and
  // one map lookup per dep is all the id-keyed work left (docs/offline.md, cold open).
  const horizon = now + LIMITS.futureSkewMs;
  const list: SignedEvent[] = [];
  const index = new Map<EventId, number>();
  for (const signed of events.values()) {
    if (signed.event.at > horizon) continue;
    index.set(signed.id, list.length);
    list.push(signed);
  }
  const n = list.length;
  const waitingOn = new Int32Array(n);
  const childCount = new Int32Array(n + 1);
  const edges: number[] = [];
  for (let i = 0; i < n; i++) {
    const deps = list[i]!.event.deps;
    // A missing or held-back dep is never ordered, so it keeps this event waiting for good.
    waitingOn[i] = deps.length;
    for (const dep of deps) {
      const parent = index.get(dep);
      if (parent === undefined) continue;
      childCount[parent]!++;
      edges.push(parent, i);
    }
  }
  // Children of event i are children[firstChild[i] .. firstChild[i + 1]).
  const firstChild = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) firstChild[i + 1] = firstChild[i]! + childCount[i]!;
  const children = new Int32Array(edges.length / 2);
  const filled = firstChild.slice(0, n);
  for (let e = 0; e < edges.length; e += 2) children[filled[edges[e]!]!++] = edges[e + 1]!;

  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (waitingOn[i] === 0) ready.push(list[i]!.id);
  const ordered: SignedEvent[] = [];
  const position = new Int32Array(n).fill(-1);
  for (let id = ready.pop() as EventId | undefined; id; id = ready.pop() as EventId | undefined) {
    const i = index.get(id)!;
    position[i] = ordered.length;
    ordered.push(list[i]!);
    for (let c = firstChild[i]!; c < firstChild[i + 1]!; c++) {
      const child = children[c]!;
      if (--waitingOn[child]! === 0) ready.push(list[child]!.id);
    }
  }

  // Each ordered event's deps by position (a dep of an ordered event is ordered before it).
  const parentStart = new Int32Array(ordered.length + 1);
  for (let e = 1; e < edges.length; e += 2) {
    const k = position[edges[e]!]!;
    if (k >= 0) parentStart[k + 1]!++;
  }
  for (let k = 0; k < ordered.length; k++) parentStart[k + 1]! += parentStart[k]!;
  const parents = new Int32Array(parentStart[ordered.length]!);
  const next = parentStart.slice(0, ordered.length);
  for (let e = 0; e < edges.length; e += 2) {
    const k = position[edges[e + 1]!]!;
    if (k >= 0) parents[next[k]!++] = position[edges[e]!]!;
  }
  return { ordered, parentStart, parents };
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
