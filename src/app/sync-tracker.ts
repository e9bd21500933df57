/**
 * Honest sync status for one open community. Each peer publishes a digest of its state vector
 * in awareness (sync-digest.ts); comparing digests tells "up to date" (equal state vectors) from
 * merely connected, measures an initial catch-up, and tells which of our own events some peer
 * holds. Awareness is used because it already reaches every connected peer, and a peer leaving
 * takes its state with it; the mesh needs no change.
 */
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CommunityId } from '../shared/ids';
import { LOADED_FROM_STORE } from '../store/doc-store';
import { loadSeen, saveSeen } from '../store/seen-store';
import { comparePeers, digestOf, parseDigest, RECENT_CLIENTS, type PeerSync } from './sync-digest';

/** The awareness field holding a SyncDigest. */
export const DIGEST_FIELD = 'mootSync';
const PUBLISH_DELAY_MS = 150;
const SAVE_SEEN_DELAY_MS = 1000;

export class SyncTracker {
  private recent: number[] = [];
  private catchUpStart: number | null = null;
  private publishTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];

  /** Highest clock any peer was seen to hold, per clientID of ours. */
  private readonly seen = new Map<number, number>();

  constructor(
    private readonly community: CommunityId,
    private readonly doc: Y.Doc,
    private readonly awareness: Awareness,
    /** Whether a clientID is one of this member's writing sessions. */
    private readonly isMine: (client: number) => boolean,
  ) {
    const onTransaction = (tr: Y.Transaction) => {
      // The stored rows loading (open-doc.ts) change what we hold, not what changed lately.
      if (tr.origin === LOADED_FROM_STORE) return this.schedulePublish();
      let changed = false;
      for (const [client, clock] of tr.afterState) {
        if (tr.beforeState.get(client) === clock) continue;
        changed = true;
        this.recent = [client, ...this.recent.filter((c) => c !== client)].slice(0, RECENT_CLIENTS);
      }
      if (changed) this.schedulePublish();
    };
    doc.on('afterTransaction', onTransaction);
    const onChange = () => this.peersChanged();
    awareness.on('change', onChange);
    this.cleanups.push(
      () => doc.off('afterTransaction', onTransaction),
      () => awareness.off('change', onChange),
    );
    this.publish();
    // What peers had seen before this reload; merged in, since peers may already report more.
    void loadSeen(community)
      .then((stored) => {
        for (const [client, clock] of stored)
          if (clock > (this.seen.get(client) ?? 0)) this.seen.set(client, clock);
        this.listeners.forEach((l) => l());
      })
      .catch(() => undefined);
  }

  /** Called when the peers' digests change what `compare` or `seenBy` would say. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  compare(): PeerSync {
    const ours = digestOf(Y.decodeStateVector(Y.encodeStateVector(this.doc)), this.recent);
    const result = comparePeers(ours, this.peerDigests(), this.catchUpStart);
    this.catchUpStart = result.start;
    return { upToDate: result.upToDate, progress: result.progress };
  }

  /** True once some peer has held the event stored at `[client, clock]`. */
  seenByAPeer(client: number, clock: number): boolean {
    return (this.seen.get(client) ?? 0) > clock;
  }

  destroy(): void {
    clearTimeout(this.publishTimer);
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      void saveSeen(this.community, this.seen).catch(() => undefined);
    }
    this.cleanups.forEach((c) => c());
    this.listeners.clear();
  }

  private peerDigests() {
    const digests = [];
    for (const [client, state] of this.awareness.getStates()) {
      if (client === this.awareness.clientID) continue;
      const digest = parseDigest((state as Record<string, unknown>)[DIGEST_FIELD]);
      if (digest) digests.push(digest);
    }
    return digests;
  }

  private schedulePublish(): void {
    if (this.publishTimer !== undefined) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.publish();
    }, PUBLISH_DELAY_MS);
    // Our own change may end (or start) a match with peers.
    this.listeners.forEach((l) => l());
  }

  private publish(): void {
    const digest = digestOf(Y.decodeStateVector(Y.encodeStateVector(this.doc)), this.recent);
    this.awareness.setLocalStateField(DIGEST_FIELD, digest);
  }

  private peersChanged(): void {
    let grew = false;
    for (const digest of this.peerDigests()) {
      for (const [client, clock] of digest.r) {
        if (clock > (this.seen.get(client) ?? 0) && this.isMine(client)) {
          this.seen.set(client, clock);
          grew = true;
        }
      }
    }
    if (grew) this.scheduleSaveSeen();
    this.listeners.forEach((l) => l());
  }

  private scheduleSaveSeen(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void saveSeen(this.community, this.seen).catch(() => undefined);
    }, SAVE_SEEN_DELAY_MS);
  }
}
