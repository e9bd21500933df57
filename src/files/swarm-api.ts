/** What the block swarm (swarm.ts) offers and what it needs from its host: the mesh or a test link. */
import type { EventId, PeerId } from '../shared/ids';
import type { Bitfield } from './bitfield';
import type { UploadLimit } from './upload-limit';

/**
 * A request unanswered this long goes back to the asker's pool (the peer may still send it
 * later); the serving side skips a block whose request waited longer than this before it went.
 */
export const REQUEST_TIMEOUT_MS = 20_000;

export interface SwarmFile {
  id: EventId;
  size: number;
  blockSize: number;
  /** base64url SHA-256 per block, from the signed manifest. */
  hashes: string[];
}

export type FileMode = 'idle' | 'downloading' | 'paused';

export interface SwarmDeps {
  send(peer: PeerId, message: Uint8Array): void;
  /** Drop a misbehaving peer (the mesh closes and refuses it). */
  dropPeer(peer: PeerId, reason: string): void;
  /** Stored blocks in one read, null for any that is gone. */
  readBlocks(hashes: string[]): Promise<(Uint8Array | null)[]>;
  /**
   * Persists verified blocks together with each file's bitfield including them, atomically.
   * Takes the blocks' bytes: the swarm does not read them again (they may be transferred).
   */
  storeBlocks(writes: BlockWrite[]): Promise<void>;
  /** base64url SHA-256. */
  hash(data: Uint8Array): Promise<string>;
  /** Bytes waiting in our send queue to this peer, if the transport can tell. */
  queuedBytes?(peer: PeerId): number;
  /** The upload limit blocks we serve wait for (shared by every swarm of the page). */
  uploadLimit?: UploadLimit;
  /** Something a progress display shows changed. */
  onChange?(file: EventId): void;
  now?(): number;
}

export interface BlockWrite {
  file: SwarmFile;
  blocks: { index: number; data: Uint8Array }[];
  have: Bitfield;
}

export interface SwarmProgress {
  mode: FileMode;
  have: number;
  total: number;
  /** Connected peers that hold at least one block of the file. */
  peers: number;
  /** Peers that sent us verified blocks of it since it was added (this session). */
  sources: number;
  /** Verified bytes per second over the last few seconds. */
  bytesPerSecond: number;
  complete: boolean;
}

export interface Swarm {
  addFile(file: SwarmFile, have: Bitfield, mode: FileMode): void;
  setMode(file: EventId, mode: FileMode): void;
  /** Replaces what we hold (e.g. after freeing space) and tells peers. */
  setHave(file: EventId, have: Bitfield): void;
  progress(file: EventId): SwarmProgress | null;
  addPeer(peer: PeerId): void;
  removePeer(peer: PeerId): void;
  /** Members are talking (an event arrived or was written): downloads make way (swarm.ts). */
  talking(): void;
  receive(peer: PeerId, bytes: Uint8Array): void;
  destroy(): void;
}
