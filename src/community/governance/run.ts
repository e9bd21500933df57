/**
 * What one reduction knows beyond the state: each event's place in the causal order, its
 * effective time, and the events a removal has struck out.
 *
 * Removal wins (DESIGN.md §3). When a ban or a demotion takes effect at decision event d, the
 * removed member's events that are concurrent with d — neither in d's causal past nor in its
 * causal future — are struck out (all of them for a ban; only moderator powers for a
 * demotion). Events in d's future need no striking: at their position the member is already
 * banned or demoted, and the ordinary permission checks refuse them. If a struck-out event had
 * already been applied, the reduction starts over with it excluded. Exclusions only grow, so
 * this ends after at most one restart per struck-out event, and since every step depends only
 * on the event set and its fixed order, every peer ends with the same state.
 */
import type { EventId, MemberId } from '../../shared/ids';
import type { AnyEvent, SignedEvent } from '../event';
import type { Ordering } from '../order';
import type { CommunityState } from '../state';

export class ReductionRun {
  readonly excluded = new Set<EventId>();
  restartNeeded = false;
  // By position in the order. Only `slots` is keyed by id, and it is the ordering's own map
  // (order.ts says how a slot leads to a position): a cold open builds a run over every event,
  // and the maps a removal needs (children, events by author) are built only when a removal
  // happens.
  private readonly slots: Map<EventId, number>;
  private readonly positions: number[];
  private readonly ordered: SignedEvent[];
  private readonly effective: number[];
  private readonly followed: boolean[];
  private readonly children = new Map<EventId, EventId[]>();
  private readonly byAuthor = new Map<MemberId, EventId[]>();
  private indexed = 0;
  /** Device keys linked so far in this pass, by member: a removal strikes their events too. */
  private readonly devices = new Map<MemberId, MemberId[]>();
  private current = -1;

  /** Takes over the ordering's arrays and map: the run appends to them (`append`). */
  constructor({ ordered, slots, positions, effective, followed }: Ordering) {
    this.ordered = ordered;
    this.slots = slots;
    this.positions = positions;
    this.effective = effective;
    this.followed = followed;
  }

  /** Events known to this run, in order. */
  get size(): number {
    return this.ordered.length;
  }

  /** Whether `id` has a place in the order. */
  has(id: EventId): boolean {
    return this.positionOf(id) >= 0;
  }

  /** Where `id` is in the order; -1 if it is not. */
  private positionOf(id: EventId): number {
    const slot = this.slots.get(id);
    return slot === undefined ? -1 : this.positions[slot]!;
  }

  /** Adds the next event in the order (its deps are already here): also the incremental step. */
  append(signed: SignedEvent): void {
    let at = signed.event.at;
    for (const dep of signed.event.deps) {
      const p = this.positionOf(dep);
      if (p < 0) continue;
      at = Math.max(at, this.effective[p]!);
      this.followed[p] = true;
    }
    this.slots.set(signed.id, this.positions.length);
    this.positions.push(this.ordered.length);
    this.ordered.push(signed);
    this.effective.push(at);
    this.followed.push(false);
  }

  /** The events of the order no other event of it names as a dep. */
  heads(): EventId[] {
    const heads: EventId[] = [];
    for (let p = 0; p < this.ordered.length; p++)
      if (!this.followed[p]) heads.push(this.ordered[p]!.id);
    return heads;
  }

  /** Called before each pass over the order. */
  begin(): void {
    this.restartNeeded = false;
    this.current = -1;
    this.devices.clear();
  }

  /** A device.add took effect: from here on `device`'s events are `member`'s (devices/). */
  addDevice(member: MemberId, device: MemberId): void {
    const list = this.devices.get(member);
    if (list) list.push(device);
    else this.devices.set(member, [device]);
  }

  /** Whether the event at this position is applied at all: not struck out, author not banned. */
  admits(state: CommunityState, position: number, id: EventId, event: AnyEvent): boolean {
    this.current = position;
    // Empty sets are the usual case, and asked once per event: skip the lookups.
    if (this.excluded.size > 0 && this.excluded.has(id)) return false;
    return state.bans.size === 0 || !state.bans.has(event.author);
  }

  /**
   * The latest `at` in an event's causal past, itself included. A vote whose author had
   * already seen an event dated after the deadline cannot claim to be on time by backdating.
   */
  effectiveAt(id: EventId): number {
    const p = this.positionOf(id);
    return p < 0 ? Infinity : this.effective[p]!;
  }

  /** Strikes out `member`'s events concurrent with `decision` that `struck` selects. */
  removeConcurrent(
    member: MemberId,
    decision: EventId,
    struck: (event: AnyEvent) => boolean,
  ): void {
    this.index();
    const related = this.closure(decision, (id) => this.eventAt(id)?.deps ?? []);
    for (const id of this.closure(decision, (id) => this.children.get(id) ?? [])) related.add(id);
    const keys = [member, ...(this.devices.get(member) ?? [])];
    for (const id of keys.flatMap((key) => this.byAuthor.get(key) ?? [])) {
      if (related.has(id) || this.excluded.has(id) || !struck(this.eventAt(id)!)) continue;
      this.excluded.add(id);
      const p = this.positionOf(id);
      if (p >= 0 && p < this.current) this.restartNeeded = true;
    }
  }

  private eventAt(id: EventId): AnyEvent | undefined {
    const p = this.positionOf(id);
    return p < 0 ? undefined : this.ordered[p]!.event;
  }

  /** Brings `children` and `byAuthor` up to the end of the order. */
  private index(): void {
    for (; this.indexed < this.ordered.length; this.indexed++) {
      const { id, event } = this.ordered[this.indexed]!;
      for (const dep of event.deps) {
        const list = this.children.get(dep);
        if (list) list.push(id);
        else this.children.set(dep, [id]);
      }
      const mine = this.byAuthor.get(event.author);
      if (mine) mine.push(id);
      else this.byAuthor.set(event.author, [id]);
    }
  }

  /** `start` and everything reachable from it through `next`. */
  private closure(start: EventId, next: (id: EventId) => readonly EventId[]): Set<EventId> {
    const seen = new Set<EventId>([start]);
    const stack = [start];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      for (const other of next(id)) {
        if (!seen.has(other)) {
          seen.add(other);
          stack.push(other);
        }
      }
    }
    return seen;
  }
}
