/**
 * One open community: its doc persisted in IndexedDB, its event log, and its mesh. This is
 * where the layers meet — the mesh hands every remote update to the community's validator
 * before the doc sees it.
 */
import type { CommunityDoc } from '../community/community-doc';
import type { Identity } from '../community/identity';
import { sharedValidatorPool } from '../community/validate-pool';
import { createMesh } from '../mesh/mesh';
import { PROTOCOL_VERSION } from '../mesh/admission';
import { DEFAULT_DEGREE } from '../mesh/topology';
import { admissionHooks } from './membership/admission-hooks';
import { evictOutsiders } from './membership/evict';
import { MembershipKeeper } from './membership/keeper';
import type { Mesh } from '../mesh/types';
import type { MemberId } from '../shared/ids';
import { err, ok } from '../shared/result';
import type { PersistedDoc, StoredRows } from '../store/doc-store';
import { saveJoined, type JoinedCommunity } from '../store/registry-store';
import type { SyncStatus } from '../ui/api';
import { createFileService, type FileService } from '../files/file-service';
import { OfflineCare } from './offline-care';
import { keepFirstScreen } from './first-screen';
import { openStoredDoc } from './open-doc';
import { meshPresence } from './presence/mesh-presence';
import type { Presence } from './presence/presence';
import { shareWithOtherTabs } from './tab-channel';

export interface SessionConfig {
  iceServers: RTCIceServer[];
  /** Links per peer (mesh-degree.ts); absent = DEFAULT_DEGREE. */
  meshDegree?: number;
}

export class Session {
  private readonly statusListeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];
  /** Shared files: manifests, blocks and the swarm (docs/files.md). */
  readonly files: FileService;
  /** Sync figures, our events no peer has yet, saving, export (docs/offline.md). */
  readonly offline: OfflineCare;
  /** Signed, expiring presence of members beyond our direct links (docs/membership.md). */
  readonly presence: Presence;

  /** Whether a peer on another protocol version was met (SyncStatus.otherVersion). */
  private otherVersion: 'newer' | 'older' | undefined;

  private constructor(
    readonly entry: JoinedCommunity,
    readonly cdoc: CommunityDoc,
    private readonly persisted: PersistedDoc,
    private readonly mesh: Mesh,
    readonly membership: MembershipKeeper,
    identity: Identity,
  ) {
    this.cleanups.push(() => membership.close());
    this.cleanups.push(evictOutsiders(cdoc, mesh));
    this.files = createFileService(cdoc, mesh);
    this.cleanups.push(() => this.files.destroy());
    const notify = () => this.statusListeners.forEach((l) => l());
    this.cleanups.push(mesh.on('status', notify));
    this.presence = meshPresence(cdoc, identity, mesh, notify);
    this.cleanups.push(() => this.presence.destroy());
    this.cleanups.push(
      mesh.on('admission-refused', (_peer, reason, detail) => {
        membership.noteRefusal(reason, detail);
        notify();
      }),
    );
    this.cleanups.push(
      mesh.on('peer-version', (_peer, version) => {
        if (version > PROTOCOL_VERSION) this.otherVersion = 'newer';
        else this.otherVersion ??= 'older';
        notify();
      }),
    );
    this.cleanups.push(mesh.on('peer-admitted', () => membership.noteAdmitted()));
    this.cleanups.push(cdoc.subscribe(() => this.rememberName()));
    window.addEventListener('online', notify);
    window.addEventListener('offline', notify);
    this.cleanups.push(() => {
      window.removeEventListener('online', notify);
      window.removeEventListener('offline', notify);
    });
    this.cleanups.push(
      mesh.on('peer-rejected', (peer, reason) =>
        console.warn(`Dropped peer ${peer}: it sent an update that breaks the rules (${reason}).`),
      ),
    );
    this.cleanups.push(shareWithOtherTabs(entry.id, cdoc.doc, persisted.loaded));
    this.offline = new OfflineCare(entry, cdoc, persisted, mesh.awareness);
    this.cleanups.push(() => this.offline.destroy());
    this.cleanups.push(keepFirstScreen(cdoc, entry.id));
  }

  /**
   * Opens (or, given `cdoc`, adopts) the community's doc, loads it from IndexedDB and joins the
   * mesh. `stored` is the doc's rows if the caller began reading them (app.ts). Nothing here
   * waits on storage it could read alongside the doc: the first screen waits for all of it.
   */
  static async open(
    entry: JoinedCommunity,
    identity: Identity,
    config: SessionConfig,
    existing?: CommunityDoc,
    stored?: Promise<StoredRows | null>,
  ): Promise<Session> {
    const seeds = MembershipKeeper.loadSeeds(entry);
    seeds.catch(() => undefined); // awaited below; an open that fails first must not leave it unhandled
    // The state first, the Y.Doc after the first paint (open-doc.ts).
    const { cdoc, persisted } = await openStoredDoc(entry.id, identity, existing, stored);
    const mesh = createMesh({
      relays: entry.relays,
      secret: entry.secret,
      doc: cdoc.doc,
      // Syncing a doc that is not loaded yet would ask peers for all of it.
      ready: persisted.loaded,
      iceServers: config.iceServers,
      // A bounded partial mesh with gossip; up to degree + 1 members it is a full mesh.
      degree: config.meshDegree ?? DEFAULT_DEGREE,
      communitySize: () => cdoc.state().members.size,
      admission: admissionHooks(cdoc, identity),
      // In Workers with a time budget: a peer's update never holds the page (validate-pool.ts).
      validateUpdate: async (update) => {
        const result = await sharedValidatorPool().validate(update, entry.id);
        return result.ok ? ok(undefined) : err(result.error);
      },
    });
    // Members proven at the handshake: presence, and the newcomers whose joins we admit.
    const membership = MembershipKeeper.start(cdoc, entry, await seeds, () =>
      mesh.status().peers.flatMap((p) => (p.member ? [p.member as MemberId] : [])),
    );
    // The validator's Workers compile while the first screen renders, not before it: on two
    // cores they competed with it, and no peer's update can arrive before a connection opens.
    afterFirstPaint(() => {
      persisted.load().catch((e: unknown) => {
        // Peers bring what did not load; the store keeps its rows for the next open.
        console.error('The stored copy of this community did not load.', e);
      });
      sharedValidatorPool().warm();
    });
    return new Session(entry, cdoc, persisted, mesh, membership, identity);
  }

  status(): SyncStatus {
    const { relays, peers } = this.mesh.status();
    const connected = peers.filter((p) => p.connected);
    return {
      online: navigator.onLine,
      relays,
      peers: connected.length,
      syncedPeers: connected.filter((p) => p.synced).length,
      waitingForCommunity: this.cdoc.state().meta === null,
      ...this.offline.figures(),
      ...(this.otherVersion && { otherVersion: this.otherVersion }),
    };
  }

  subscribeStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    // The genesis arriving changes waitingForCommunity, which is status too.
    const unsubscribe = this.cdoc.subscribe(listener);
    const unsubscribeFigures = this.offline.subscribeFigures(listener);
    return () => {
      this.statusListeners.delete(listener);
      unsubscribe();
      unsubscribeFigures();
    };
  }

  /** Resolves when every update the doc has taken so far is in IndexedDB (e2e: before a reload). */
  flushStore(): Promise<void> {
    return this.persisted.flush();
  }

  /** Resolves once the doc holds what was stored (open-doc.ts); the state may come first. */
  get loaded(): Promise<void> {
    return this.persisted.loaded;
  }

  /** Exposed for e2e tests that play a malicious peer over a real connection. */
  get debugMesh(): Mesh {
    return this.mesh;
  }

  async close(): Promise<void> {
    this.cleanups.forEach((c) => c());
    this.statusListeners.clear();
    this.mesh.destroy();
    this.cdoc.destroy();
    await this.persisted.destroy();
  }

  /** Keep the home screen's name current without opening every doc. */
  private rememberName(): void {
    const name = this.cdoc.state().meta?.name;
    if (name && name !== this.entry.name) {
      this.entry.name = name;
      saveJoined(this.entry).catch(() => undefined);
    }
  }
}

/**
 * Runs `work` once the page has painted what is being rendered now. A hidden tab runs no
 * animation frames, and must still load and sync: there a short timer runs it instead.
 */
function afterFirstPaint(work: () => void): void {
  if (typeof requestAnimationFrame !== 'function') return work();
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, HIDDEN_TAB_WAIT_MS);
}

const HIDDEN_TAB_WAIT_MS = 250;
