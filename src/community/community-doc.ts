/**
 * One community's replicated log: reads verified events out of the Y.Doc's `events` map,
 * derives the state with the reducer, and appends this session's own signed events at the
 * position its clientID binds (DESIGN.md §3). Remote updates reach the doc only through the
 * mesh after validate-update.ts accepted them; what is in the map is trusted here.
 */
import * as Y from 'yjs';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { CommunityId, EventId } from '../shared/ids';
import type { Bodies, EventKind } from './bodies';
import { deriveClientId, SESSION_BYTES } from './client-id';
import { readStoredEvents, signEvent, type AnyEvent, type SignedEvent } from './event';
import type { Identity } from './identity';
import { LIMITS } from './limits';
import { heads } from './order';
import { derive, type Derivation } from './reducer';
import { extend } from './reduce-step';
import type { CommunityState } from './state';
import type { StoredEntries } from './stored-updates';
import { EVENTS_MAP, type StoredEvent } from './validate-update';

export class CommunityDoc {
  readonly events = new Map<EventId, SignedEvent>();
  private readonly map: Y.Map<StoredEvent>;
  private readonly listeners = new Set<() => void>();
  private derived: Derivation | null = null;
  /** Events ingested since `derived`, in arrival order: applied one by one when they can be. */
  private added: SignedEvent[] = [];
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private appending: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly doc: Y.Doc,
    readonly community: CommunityId,
    private readonly identity: Identity,
    private readonly session: Uint8Array,
  ) {
    this.map = doc.getMap(EVENTS_MAP);
    this.ingest(this.map.keys());
    this.map.observe((change) => {
      // The stored rows' load finds events taken from them already (takeStored): no change.
      if (this.ingest(change.keysChanged) > 0) this.changed();
    });
  }

  /** A fresh session nonce per open, so two tabs of one profile never share a Yjs clientID. */
  static async open(doc: Y.Doc, community: CommunityId, identity: Identity): Promise<CommunityDoc> {
    const session = randomBytes(SESSION_BYTES);
    doc.clientID = await deriveClientId(identity.publicKey, session);
    return new CommunityDoc(doc, community, identity, session);
  }

  get me() {
    return this.identity.memberId;
  }

  /**
   * Takes the events read straight out of the stored rows (stored-updates.ts) before the doc
   * has loaded them, so the state can be derived first (app/open-doc.ts). Writes wait for
   * `writable`: a new event's position and deps need the doc as it is stored.
   */
  takeStored({ ids, values }: StoredEntries, writable: Promise<void>): void {
    const known: EventId[] = [];
    const stored: StoredEvent[] = [];
    values.forEach((value, i) => {
      if (value) {
        known.push(ids[i]!);
        stored.push(value);
      }
    });
    this.take(known, stored);
    this.appending = writable;
  }

  /**
   * The derived state. A new event that follows everything already applied (the usual case:
   * one member writing at a time) is applied as one step (reduce-step.ts); anything else —
   * a fork, a gap, an event held back — derives the state from all events again.
   */
  state(): CommunityState {
    if (this.derived && this.added.length === 0) return this.derived.state;
    const now = Date.now();
    let derived = this.derived;
    for (const event of this.added) {
      derived = derived && extend(derived, event, now);
      if (!derived) break;
    }
    this.added = [];
    if (!derived) {
      derived = derive(this.events, now);
      this.wakeForHeldBackEvents(now, derived);
    }
    this.derived = derived;
    return derived.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Signs and stores one event. Appends are serialised: each names the clock it will occupy,
   * so two in flight at once would both claim the same position.
   */
  append<K extends EventKind>(
    kind: K,
    body: Bodies[K],
    extraDeps: EventId[] = [],
  ): Promise<SignedEvent> {
    const next = this.appending.then(() => this.write(kind, [body], extraDeps));
    this.appending = next.catch(() => undefined);
    return next.then((signed) => signed[0]!);
  }

  destroy(): void {
    clearTimeout(this.wakeTimer);
    this.listeners.clear();
  }

  /**
   * Signs many events of one kind, each depending on the one before, and stores them in one
   * transaction: one update, one persistence write and one re-derivation instead of thousands.
   */
  appendMany<K extends EventKind>(kind: K, bodies: Bodies[K][]): Promise<SignedEvent[]> {
    const next = this.appending.then(() => this.write(kind, bodies, []));
    this.appending = next.catch(() => undefined);
    return next;
  }

  private async write<K extends EventKind>(kind: K, bodies: Bodies[K][], extraDeps: EventId[]) {
    const start = Y.getState(this.doc.store, this.doc.clientID);
    const signed: SignedEvent[] = [];
    let deps = [...new Set([...extraDeps, ...this.currentHeads()])].slice(0, LIMITS.deps);
    for (const [i, body] of bodies.entries()) {
      // In a batch each event follows the one before, which is not in `events` yet.
      const at = this.dateAfter(deps, signed[i - 1]?.event.at);
      const event = {
        v: 1,
        kind,
        community: this.community,
        author: this.identity.memberId,
        session: toBase64url(this.session),
        at,
        deps,
        y: [this.doc.clientID, start + i],
        body,
      } as AnyEvent;
      const one = await signEvent(this.identity, event);
      signed.push(one);
      deps = [one.id];
    }
    this.doc.transact(() => {
      for (const one of signed) this.map.set(one.id, { event: one.bytes, sig: one.sig });
    });
    if (Y.getState(this.doc.store, this.doc.clientID) !== start + signed.length) {
      throw new Error('events were not stored at the positions they name');
    }
    return signed;
  }

  /**
   * A new event is dated at least 1 ms after every event it follows, so a post written after
   * another (same millisecond, or a peer's clock a little ahead) never sorts before it. Never
   * past half the allowed skew: a far-ahead dep must not drag our events towards the horizon.
   */
  private dateAfter(deps: readonly EventId[], latest = 0): number {
    const now = Date.now();
    for (const dep of deps) latest = Math.max(latest, this.events.get(dep)?.event.at ?? 0);
    return Math.max(now, Math.min(latest + 1, now + LIMITS.futureSkewMs / 2));
  }

  /**
   * What a new event of ours names as deps (order.ts `heads`). While every event is in the
   * order, those are the derivation's heads, known without sorting all events again.
   */
  private currentHeads(): EventId[] {
    this.state();
    if (this.derived?.waiting === 0) return [...this.derived.heads].sort();
    return heads(this.events, Date.now(), this.identity.memberId);
  }

  /**
   * Reads new entries in one batch: opening a community brings thousands at once. Every entry
   * passed isStoredEvent before it entered the doc (validate-update.ts); here a cheap shape check
   * only keeps a damaged row from throwing (isStoredEvent's key listing cost more than the Yjs
   * lookup itself, per entry, on a cold open).
   */
  private ingest(keys: Iterable<string>): number {
    const ids: EventId[] = [];
    const stored: StoredEvent[] = [];
    for (const key of keys) {
      if (this.events.has(key as EventId)) continue;
      const value = this.map.get(key) as Partial<StoredEvent> | null | undefined;
      if (value?.event instanceof Uint8Array && value.sig instanceof Uint8Array) {
        ids.push(key as EventId);
        stored.push(value as StoredEvent);
      }
    }
    return this.take(ids, stored);
  }

  /** Adds new events; returns how many. */
  private take(ids: readonly EventId[], stored: readonly StoredEvent[]): number {
    // Verified before it entered the doc (readStoredEvents says why that is enough).
    const events = readStoredEvents(stored.map((value) => value.event));
    let taken = 0;
    for (let i = 0; i < ids.length; i++) {
      const event = events[i];
      // Known already, or twice in one batch (stored rows may overlap).
      if (!event || this.events.has(ids[i]!)) continue;
      const signed = { id: ids[i]!, event, bytes: stored[i]!.event, sig: stored[i]!.sig };
      this.events.set(signed.id, signed);
      this.added.push(signed);
      taken++;
    }
    return taken;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Events dated ahead of our clock are held back; re-derive when the earliest comes due. */
  private wakeForHeldBackEvents(now: number, derived: Derivation): void {
    clearTimeout(this.wakeTimer);
    if (derived.waiting === 0) return;
    let earliest = Infinity;
    for (const { event } of this.events.values()) {
      if (event.at > now + LIMITS.futureSkewMs) earliest = Math.min(earliest, event.at);
    }
    if (earliest === Infinity) return;
    const delay = Math.min(earliest - LIMITS.futureSkewMs - now + 1, 2 ** 31 - 1);
    this.wakeTimer = setTimeout(() => {
      this.derived = null;
      this.changed();
    }, delay);
  }
}
