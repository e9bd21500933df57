/**
 * Offline-first care of one open community (docs/offline.md): honest sync figures for the
 * status line, which of our own events no peer holds yet, saving that survives a full disk,
 * usage, export and leaving. A Session owns one; the UI reaches it as CommunityHandle.offline.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { CommunityDoc } from '../community/community-doc';
import type { EventId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import type { PersistedDoc } from '../store/doc-store';
import { deleteDocDatabase } from '../store/doc-store';
import { forgetJoined, type JoinedCommunity } from '../store/registry-store';
import { forgetSeen } from '../store/seen-store';
import { forgetFirstScreen } from '../store/first-screen-store';
import type { OfflineHandle, StorageReport } from '../ui/offline-api';
import { describeError } from './errors';
import { encodeExport } from './export-file';
import { sealCurrentIdentity } from './identity-backup';
import type { IdentityBackup } from '../community/identity-backup';
import { SyncTracker } from './sync-tracker';

export interface SyncFigures {
  upToDatePeers: number;
  progress: { done: number; total: number } | null;
}

export class OfflineCare {
  private mine = new Set<number>();
  private minedUpTo = 0;
  private readonly tracker: SyncTracker;

  constructor(
    private readonly entry: JoinedCommunity,
    private readonly cdoc: CommunityDoc,
    private readonly persisted: PersistedDoc,
    awareness: Awareness,
  ) {
    this.tracker = new SyncTracker(entry.id, cdoc.doc, awareness, (c) => this.isMine(c));
    void requestPersistenceOnce();
  }

  /** The UI's view of this; `close` ends the session before `leave` deletes its data. */
  handle(close: () => Promise<void>): OfflineHandle {
    return {
      unseen: (id) => this.unseen(id),
      unseenCount: () => this.unseenCount(),
      saveProblem: () => this.saveProblem(),
      subscribe: (listener) => this.subscribe(listener),
      retrySave: () => this.retrySave(),
      storage: () => this.storage(),
      exportFile: (identityPassphrase) => this.exportFile(identityPassphrase),
      leave: () => this.leave(close),
    };
  }

  figures(): SyncFigures {
    const { upToDate, progress } = this.tracker.compare();
    return { upToDatePeers: upToDate, progress };
  }

  /** Called when the figures may have changed (a peer's digest, or our own doc). */
  subscribeFigures(listener: () => void): () => void {
    return this.tracker.subscribe(listener);
  }

  unseen(id: EventId): boolean {
    const stored = this.cdoc.events.get(id);
    if (!stored || stored.event.author !== this.cdoc.me) return false;
    const [client, clock] = stored.event.y;
    return !this.tracker.seenByAPeer(client, clock);
  }

  unseenCount(): number {
    let count = 0;
    for (const id of this.cdoc.events.keys()) if (this.unseen(id)) count++;
    return count;
  }

  saveProblem(): string | null {
    const failure = this.persisted.failure;
    return failure && describeError(failure, 'save your latest changes on this device');
  }

  subscribe(listener: () => void): () => void {
    const offs = [
      this.tracker.subscribe(listener),
      this.persisted.onChange(listener),
      this.cdoc.subscribe(listener),
    ];
    return () => offs.forEach((off) => off());
  }

  async retrySave(): Promise<Result<void>> {
    try {
      await this.persisted.saveAll();
      return ok(undefined);
    } catch (e) {
      return err(describeError(e, 'save on this device'));
    }
  }

  async storage(): Promise<StorageReport> {
    const estimate = await navigator.storage?.estimate?.().catch(() => null);
    const persisted = await navigator.storage?.persisted?.().catch(() => null);
    return {
      persisted: persisted ?? null,
      usage: estimate?.usage ?? null,
      quota: estimate?.quota ?? null,
      community: await this.persisted.size(),
    };
  }

  /** With a passphrase, the file also carries this profile's identity, sealed under it. */
  async exportFile(
    identityPassphrase?: string,
  ): Promise<Result<{ name: string; bytes: Uint8Array }>> {
    let identity: IdentityBackup | null = null;
    if (identityPassphrase !== undefined) {
      const sealed = await sealCurrentIdentity(identityPassphrase).catch((e: unknown) =>
        err(describeError(e, 'seal your identity')),
      );
      if (!sealed.ok) return sealed;
      identity = sealed.value;
    }
    const name = this.cdoc.state().meta?.name ?? this.entry.name;
    const bytes = encodeExport(
      {
        community: this.entry.id,
        name,
        secret: this.entry.secret,
        relays: this.entry.relays,
        invite: this.entry.invite,
      },
      this.cdoc.events.values(),
      identity,
    );
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'community';
    return ok({ name: `moot-${slug}-${new Date().toISOString().slice(0, 10)}.json`, bytes });
  }

  async leave(close: () => Promise<void>): Promise<Result<void>> {
    try {
      await close();
      await forgetJoined(this.entry.id);
      await forgetSeen(this.entry.id);
      await forgetFirstScreen(this.entry.id);
      await deleteDocDatabase(this.entry.id);
      return ok(undefined);
    } catch (e) {
      return err(describeError(e, 'remove the community from this device'));
    }
  }

  destroy(): void {
    this.tracker.destroy();
  }

  /** Whether a Yjs clientID is one of this member's writing sessions (any tab, any day). */
  private isMine(client: number): boolean {
    if (this.minedUpTo !== this.cdoc.events.size) {
      this.mine = new Set();
      for (const { event } of this.cdoc.events.values())
        if (event.author === this.cdoc.me) this.mine.add(event.y[0]);
      this.minedUpTo = this.cdoc.events.size;
    }
    return this.mine.has(client) || client === this.cdoc.doc.clientID;
  }
}

const ASKED_KEY = 'moot.persist-asked';

/**
 * Asks once per profile (on the first community created or joined) for storage the browser
 * will not evict under pressure. Chromium decides silently; Firefox asks the person, so once.
 */
async function requestPersistenceOnce(): Promise<void> {
  try {
    if (!navigator.storage?.persist || localStorage.getItem(ASKED_KEY)) return;
    localStorage.setItem(ASKED_KEY, '1');
    if (!(await navigator.storage.persisted())) await navigator.storage.persist();
  } catch {
    // Private modes may refuse storage APIs; Settings then says persistence is unknown.
  }
}
