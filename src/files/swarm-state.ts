/** What the swarm (swarm.ts) keeps per file it knows and per peer it talks to. */
import type { EventId, PeerId } from '../shared/ids';
import type { Bitfield } from './bitfield';
import type { RequestWindow } from './request-window';
import type { SpeedMeter } from './speed-meter';
import type { FileMode, SwarmFile } from './swarm-api';

export interface FileEntry {
  file: SwarmFile;
  have: Bitfield;
  mode: FileMode;
  /** index → who was asked (null while the block is being verified and stored), and when. */
  pending: Map<number, { peer: PeerId | null; at: number }>;
  speed: SpeedMeter;
  sources: Set<PeerId>;
}

export interface PeerEntry {
  have: Map<EventId, Bitfield>;
  unknown: Map<EventId, Bitfield>;
  /** Requests in flight to this peer: `${file} ${index}` → when asked. */
  inflight: Map<string, number>;
  inflightBytes: number;
  window: RequestWindow;
  strikes: number;
}
