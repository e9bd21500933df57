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
  // By position in the order. Only `position` is keyed by id: a cold open builds a run over
  // every event, and the maps a removal needs (children, events by author) are built only
  // when a removal happens.
  private readonly position = new Map<EventId, number>();
  private readonly ordered: SignedEvent[] = [];
  private readonly effective: number[] = [];
  private readonly followed: boolean[] = [];
  private readonly children = new Map<EventId, EventId[]>();
  private readonly byAuthor = new Map<MemberId, EventId[]>();
  private indexed = 0;
  /** Device keys linked so far in this pass, by member: a removal strikes their events too. */
  private readonly devices = new Map<MemberId, MemberId[]>();
  private current = -1;

  constructor({ ordered, parentStart, parents }: Ordering) {
    // Each dep's position is known from the ordering: no lookup by id.
    ordered.forEach((signed, k) =>
      this.place(signed, parents.subarray(parentStart[k], parentStart[k + 1])),
    );
  }

  /** Events known to this run, in order. */
  get size(): number {
    return this.ordered.length;
  }

  /** Whether `id` has a place in the order. */
  has(id: EventId): boolean {
    return this.position.has(id);
  }

  /** Adds the next event in the order (its deps are already here): also the incremental step. */
  append(signed: SignedEvent): void {
    const deps: number[] = [];
    for (const dep of signed.event.deps) {
      const p = this.position.get(dep);
      if (p !== undefined) deps.push(p);
    }
    this.place(signed, deps);
  }

  /** Puts `signed` last, after its deps at `deps` (positions), whose effective times are known. */
  private place(signed: SignedEvent, deps: ArrayLike<number>): void {
    let at = signed.event.at;
    for (let d = 0; d < deps.length; d++) {
      const p = deps[d]!;
      at = Math.max(at, this.effective[p]!);
      this.followed[p] = true;
    }
    this.position.set(signed.id, this.ordered.length);
    this.ordered.push(signed);
    this.effective.push(at);
    this.followed.push(false);
  }

  /** The events of the order no other event of it names as a dep. */
  heads(): EventId[] {
    return this.ordered.filter((_, p) => !this.followed[p]).map(({ id }) => id);
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
    return !this.excluded.has(id) && !state.bans.has(event.author);
  }

  /**
   * The latest `at` in an event's causal past, itself included. A vote whose author had
   * already seen an event dated after the deadline cannot claim to be on time by backdating.
   */
  effectiveAt(id: EventId): number {
    const p = this.position.get(id);
    return p === undefined ? Infinity : this.effective[p]!;
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
      if ((this.position.get(id) ?? Infinity) < this.current) this.restartNeeded = true;
    }
  }

  private eventAt(id: EventId): AnyEvent | undefined {
    const p = this.position.get(id);
    return p === undefined ? undefined : this.ordered[p]!.event;
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
