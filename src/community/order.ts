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
 * The order, where each event landed in it, and what the reduction run (governance/run.ts)
 * needs to know of each ordered event's causal past. All of it falls out of one walk of the
 * graph, so a cold open looks each dep up by id once and builds no second map of ids.
 */
export interface Ordering {
  ordered: SignedEvent[];
  /**
   * An event's position in `ordered` is positions[slots.get(id)], -1 if it is not ordered (it
   * waits); an id not in `slots` was not considered (dated ahead, or unknown).
   */
  slots: Map<EventId, number>;
  positions: number[];
  /** By position: the latest `at` in the event's causal past, itself included. */
  effective: number[];
  /** By position: whether a later event of the order names the event as a dep. */
  followed: boolean[];
}

export function causalOrder(events: ReadonlyMap<EventId, SignedEvent>, now: number): SignedEvent[] {
  return causalOrdering(events, now).ordered;
}

export function causalOrdering(events: ReadonlyMap<EventId, SignedEvent>, now: number): Ordering {
  // Indices and typed arrays rather than maps keyed by id: a cold open orders every event, and
  // one map lookup per dep is all the id-keyed work left (docs/offline.md, cold open).
  const horizon = now + LIMITS.futureSkewMs;
  // Sized up front, and the edges in a typed array: on a cold open the young generation is
  // full of just-parsed events, and every collection this triggers copies them all.
  let n = 0;
  let depCount = 0;
  // Event i of `list` is in slot i. `latest[i]` starts as its `at`; the walk below raises it
  // to the latest `at` among its deps before it is ordered.
  const list = new Array<SignedEvent>(events.size);
  const ids = new Array<EventId>(events.size);
  const latest = new Float64Array(events.size);
  const slots = new Map<EventId, number>();
  for (const signed of events.values()) {
    const { at, deps } = signed.event;
    if (at > horizon) continue;
    slots.set(signed.id, n);
    latest[n] = at;
    list[n] = signed;
    ids[n++] = signed.id;
    depCount += deps.length;
  }
  list.length = ids.length = n;
  const waitingOn = new Int32Array(n);
  const childCount = new Int32Array(n + 1);
  // Edge e runs from parent edges[2e] to child edges[2e + 1].
  const edges = new Int32Array(2 * depCount);
  let edgeEnd = 0;
  for (let i = 0; i < n; i++) {
    const deps = list[i]!.event.deps;
    // A missing or held-back dep is never ordered, so it keeps this event waiting for good.
    waitingOn[i] = deps.length;
    for (let d = 0; d < deps.length; d++) {
      const parent = slots.get(deps[d]!);
      if (parent === undefined) continue;
      childCount[parent]!++;
      edges[edgeEnd++] = parent;
      edges[edgeEnd++] = i;
    }
  }
  // Children of event i are children[firstChild[i] .. firstChild[i + 1]).
  const firstChild = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) firstChild[i + 1] = firstChild[i]! + childCount[i]!;
  const children = new Int32Array(edgeEnd / 2);
  const filled = firstChild.slice(0, n);
  for (let e = 0; e < edgeEnd; e += 2) children[filled[edges[e]!]!++] = edges[e + 1]!;

  // The ready set holds indices, smallest id first: a pop needs no lookup by id. An event is
  // ordered only after all its deps, so its `latest` is final when it is popped.
  const ready = new MinHeap(ids);
  for (let i = 0; i < n; i++) if (waitingOn[i] === 0) ready.push(i);
  const ordered = new Array<SignedEvent>(n);
  const effective = new Array<number>(n);
  let count = 0;
  const positions = new Array<number>(n).fill(-1);
  for (let i = ready.pop(); i !== -1; i = ready.pop()) {
    positions[i] = count;
    effective[count] = latest[i]!;
    ordered[count++] = list[i]!;
    for (let c = firstChild[i]!; c < firstChild[i + 1]!; c++) {
      const child = children[c]!;
      latest[child] = Math.max(latest[child]!, latest[i]!);
      if (--waitingOn[child]! === 0) ready.push(child);
    }
  }
  ordered.length = effective.length = count;
  // A dep of an ordered event is ordered before it.
  const followed = new Array<boolean>(count).fill(false);
  for (let e = 0; e < edgeEnd; e += 2)
    if (positions[edges[e + 1]!]! >= 0) followed[positions[edges[e]!]!] = true;
  return { ordered, slots, positions, effective, followed };
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
