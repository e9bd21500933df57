/**
 * What the mesh promises the rest of Moot. The mesh is transport only: it finds peers through
 * signaling relays, connects them over WebRTC, and keeps one Y.Doc in sync with them. It knows
 * nothing of posts or votes; every remote update goes through `validateUpdate` first.
 */
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { PeerId } from '../shared/ids';
import type { Result } from '../shared/result';
import type { AdmissionHooks } from './admission';

export interface MeshOptions {
  /** WebSocket URLs of y-webrtc-compatible relays, e.g. ws://127.0.0.1:8787/signal. All are used. */
  relays: string[];
  /** The community secret from the invite link: derives the topic and the signaling key. */
  secret: Uint8Array;
  doc: Y.Doc;
  /** The mesh joins its relays once this resolves: when the doc holds what was stored. */
  ready?: Promise<void>;
  /**
   * Sees every remote update, with the peer that sent it, before it is applied. An error result
   * means the update is dropped unapplied and that peer is disconnected and not re-admitted
   * for the rest of the session.
   */
  validateUpdate: (update: Uint8Array, from: PeerId) => Promise<Result<void>>;
  /**
   * The admission handshake's app side (admission.ts): who we are, how we sign, whom we let in.
   * Without it every holder of the secret is admitted (tests of the transport alone).
   */
  admission?: AdmissionHooks;
  iceServers?: RTCIceServer[];
  /**
   * Target links per peer for a large community (topology.ts; 6 is a good value): a bounded
   * partial mesh with gossip. Absent: a full mesh, every peer linked to every other.
   */
  degree?: number;
  /**
   * How many members the community has as far as we know (the doc's member list). With a
   * degree, it lets a small community answer every announce at once, so up to degree + 1
   * members form a full mesh as fast as without a degree (topology.ts `answerFloor`).
   */
  communitySize?: () => number;
}

export interface RelayStatus {
  url: string;
  connected: boolean;
}

export interface PeerStatus {
  id: PeerId;
  /** True once the data channel is open. */
  connected: boolean;
  /** True once the first sync exchange with this peer completed in both directions. */
  synced: boolean;
  /** The member this peer proved to be at admission; absent before, or without admission hooks. */
  member?: string;
}

export interface MeshStatus {
  relays: RelayStatus[];
  peers: PeerStatus[];
}

export interface MeshEvents {
  /** Any change to relays or peers. */
  status: (status: MeshStatus) => void;
  /** A peer was dropped for sending something invalid. */
  'peer-rejected': (peer: PeerId, reason: string) => void;
  /** A peer turned us away at admission, with its (untrusted) reason and detail. */
  'admission-refused': (peer: PeerId, reason: string, detail?: string) => void;
  /**
   * A peer speaks another protocol version (admission.ts PROTOCOL_VERSION), by its own word in
   * its hello or its refusal: neither side can sync with the other until the older one updates.
   */
  'peer-version': (peer: PeerId, version: number) => void;
  /** A peer passed admission: from now on it may exchange file blocks (src/files). */
  'peer-admitted': (peer: PeerId) => void;
  /** An admitted peer's connection ended. */
  'peer-left': (peer: PeerId) => void;
  /** One whole message on the `blocks` channel from an admitted peer. Untrusted. */
  blocks: (peer: PeerId, payload: Uint8Array) => void;
  /** One message on the `presence` channel from an admitted peer (app/presence). Untrusted. */
  presence: (peer: PeerId, payload: Uint8Array) => void;
}

export interface Mesh {
  readonly peerId: PeerId;
  readonly awareness: Awareness;
  status(): MeshStatus;
  on<E extends keyof MeshEvents>(event: E, listener: MeshEvents[E]): () => void;
  destroy(): void;
  /**
   * Counts misbehaviour a layer above the mesh saw (e.g. a file block that fails its hash;
   * weight 10–30 for a doubtful thing, 100 for a certain violation). Penalties decay (half-life
   * 1 min); past 100 the peer is dropped and refused for 10 min, doubling at each repeat
   * (peer-score.ts).
   */
  penalize(peer: PeerId, reason: string, weight: number): void;
  /**
   * Sends one message on the `blocks` channel. Its frames go after every sync, awareness and
   * auth frame (send-queue.ts), so file traffic never holds up posts. False if the peer is not
   * admitted.
   */
  sendBlocks(peer: PeerId, payload: Uint8Array): boolean;
  /** Sends one signed presence record to an admitted peer (app/presence); false if not admitted. */
  sendPresence(peer: PeerId, payload: Uint8Array): boolean;
  /** Our bytes still waiting to go to this peer (block serving paces itself on this). */
  queuedBytes(peer: PeerId): number;
  /** Drops a peer that misbehaved above the mesh (e.g. bad file blocks) for the session. */
  refusePeer(peer: PeerId, reason: string): void;
  /**
   * Test hook, not for app code: sends `update` as a Yjs sync update to every connected peer
   * without applying it here, so an e2e test can play a malicious peer (e.g. one that sends a
   * delete) over a real connection. createMesh always provides it.
   */
  debugBroadcastRawUpdate?(update: Uint8Array): void;
}
