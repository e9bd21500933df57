/**
 * The UI↔app contract for offline-first care of one community (docs/offline.md): which of our
 * own events no peer has yet, whether storage is keeping up, usage, export and leaving.
 * Reached as `CommunityHandle.offline`; see also AppApi.importCommunity.
 */
import type { EventId } from '../shared/ids';
import type { Result } from '../shared/result';

export interface StorageReport {
  /** navigator.storage.persisted(): true when the browser promised not to evict Moot's data. */
  persisted: boolean | null;
  /** navigator.storage.estimate() for the whole app, in bytes; null where unsupported. */
  usage: number | null;
  quota: number | null;
  /** This community's doc in IndexedDB. */
  community: { rows: number; bytes: number };
}

export interface OfflineHandle {
  /** True for our own events that no peer has been seen to hold yet. */
  unseen(event: EventId): boolean;
  /** How many of our own events no peer has been seen to hold yet. */
  unseenCount(): number;
  /** A plain-language problem with saving on this device (storage full), or null. */
  saveProblem(): string | null;
  /** Called when `unseen`, `unseenCount` or `saveProblem` may have changed. */
  subscribe(listener: () => void): () => void;
  /** Writes everything held in memory to storage again, e.g. after freeing space. */
  retrySave(): Promise<Result<void>>;
  storage(): Promise<StorageReport>;
  /**
   * The community as one file: every signed event, and what is needed to find its peers. With
   * a passphrase it also holds this profile's identity, sealed under it (docs/identity-backup.md).
   */
  exportFile(identityPassphrase?: string): Promise<Result<{ name: string; bytes: Uint8Array }>>;
  /** Leaves the community on this device: closes it and deletes its local data. */
  leave(): Promise<Result<void>>;
}
