/**
 * Peer lifecycle: one WebRTC connection per peer, from the first signal to admission, and on
 * to its end. A connection opens, runs the admission handshake (DESIGN.md §4, admission.ts) on
 * the reserved `auth` channel, and only then gives the peer sync, awareness and blocks.
 * Messages that arrive before (simple-peer emits data before its own `connect`, and the peer
 * may admit us first) are held, bounded, and replayed after admission. A peer that misbehaves
 * is dropped and refused for a while (peer-score.ts).
 */
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { PeerId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import {
  ADMISSION_TIMED_OUT,
  createHandshake,
  VERSION_MISMATCH,
  type Handshake,
} from './admission';
import type { PeerConnection, PeerConnectionOptions } from './peer-connection';
import type { PeerScores } from './peer-score';
import type { SignalEnvelope } from './signal-crypto';
import type { SyncEngine } from './sync';
import type { MeshEvents, MeshOptions } from './types';

/** A connection that has not opened by then is abandoned (lost signals, failed ICE). */
const CONNECT_TIMEOUT_MS = 20_000;
/**
 * simple-peer emits 'data' before its own 'connect' (which waits on getStats), so the first
 * messages of a peer that opened first arrive before we admitted it: hold them, bounded.
 */
const MAX_EARLY_MESSAGES = 1_000;
const MAX_EARLY_BYTES = 80 * 1024 * 1024;

export interface Connection {
  /** Names this attempt in signals; chosen by the dialer, adopted by the answerer. */
  id: string;
  peer: PeerConnection;
  initiator: boolean;
  open: boolean;
  admitted: boolean;
  /** The admission handshake, when the app supplied hooks; the member it proved. */
  handshake?: Handshake;
  member?: string;
  /**
   * Sync, awareness and presence that arrived before we admitted the peer (its side may admit
   * first, and sends its presence records at once).
   */
  early: { channel: EarlyChannel; payload: Uint8Array }[];
  earlyBytes: number;
  timeout: ReturnType<typeof setTimeout>;
}

type EarlyChannel = 'sync' | 'awareness' | 'presence';

export type EmitMeshEvent = <E extends keyof MeshEvents>(
  event: E,
  ...args: Parameters<MeshEvents[E]>
) => void;

export interface PeerLinksOptions {
  peerId: PeerId;
  options: Pick<MeshOptions, 'iceServers' | 'admission'>;
  connectPeer: (options: PeerConnectionOptions) => PeerConnection;
  scores: PeerScores;
  /** Late-bound: the sync engine needs the links to send, the links need it to deliver. */
  sync: () => SyncEngine;
  publish: (envelope: SignalEnvelope) => Promise<void>;
  emit: EmitMeshEvent;
  emitStatus: () => void;
  isDestroyed: () => boolean;
  /** A connection closed on its own: the peer may still be there, look for it again soon. */
  onLinkLost: () => void;
  /** A peer passed admission and syncs from now on. */
  onAdmitted: (peer: PeerId) => void;
  /** A peer was refused: forget that we heard it. */
  onRefused: (peer: PeerId) => void;
}

export interface PeerLinks {
  readonly connections: Map<PeerId, Connection>;
  /** Starts a connection attempt (`id` is the dialer's when we answer an offer). */
  connect(peer: PeerId, initiator: boolean, id?: string): Connection;
  drop(peer: PeerId, connection: Connection): void;
  /** Drops the peer and refuses it for a while (peer-score.ts); emits `peer-rejected`. */
  refuse(peer: PeerId, reason: string): void;
}

export function createPeerLinks(o: PeerLinksOptions): PeerLinks {
  const connections = new Map<PeerId, Connection>();
  const { scores } = o;

  function connect(peer: PeerId, initiator: boolean, id = toBase64url(randomBytes(9))): Connection {
    const connection: Connection = {
      id,
      initiator,
      open: false,
      admitted: false,
      early: [],
      earlyBytes: 0,
      timeout: setTimeout(() => {
        if (!connection.open) connection.peer.destroy();
      }, CONNECT_TIMEOUT_MS),
      peer: o.connectPeer({
        initiator,
        iceServers: o.options.iceServers,
        onSignal: (signal) =>
          void o.publish({ type: 'signal', from: o.peerId, to: peer, conn: id, signal }),
        onOpen: () => {
          connection.open = true;
          clearTimeout(connection.timeout);
          o.emitStatus();
          void admit(peer, connection);
        },
        onMessage: (channel, payload) => {
          if (connections.get(peer) !== connection) return;
          if (!scores.allowMessage(peer)) return refuse(peer, 'too many messages');
          if (channel === 'auth') return connection.handshake?.receive(payload);
          if (channel === 'blocks') {
            // Before admission a peer gets nothing; the files swarm re-asks (HELLO) after it.
            if (connection.admitted) o.emit('blocks', peer, payload);
            return;
          }
          if (connection.admitted) return receiveAdmitted(peer, channel, payload);
          connection.early.push({ channel, payload });
          connection.earlyBytes += payload.length;
          if (
            connection.early.length > MAX_EARLY_MESSAGES ||
            connection.earlyBytes > MAX_EARLY_BYTES
          ) {
            refuse(peer, 'too much sent before admission');
          }
        },
        onClose: (reason, misbehaved) => {
          if (connections.get(peer) !== connection) return;
          drop(peer, connection);
          if (misbehaved) refuse(peer, reason);
          o.onLinkLost();
        },
      }),
    };
    if (o.options.admission) {
      connection.handshake = createHandshake({
        peer,
        initiator,
        hooks: o.options.admission,
        send: (payload) => void connection.peer.send('auth', payload),
      });
    }
    connections.set(peer, connection);
    o.emitStatus();
    return connection;
  }

  /** The handshake (admission.ts) when the app supplied hooks; otherwise every secret holder. */
  async function admissionCheck(peer: PeerId): Promise<Result<void>> {
    const connection = connections.get(peer);
    const handshake = connection?.handshake;
    if (!connection || !handshake) return ok(undefined);
    handshake.start();
    const outcome = await handshake.outcome;
    if (outcome.ok) {
      connection.member = outcome.value;
      return ok(undefined);
    }
    const { reason, byPeer, detail } = outcome.error;
    const version = Number(detail);
    if (reason === VERSION_MISMATCH && Number.isSafeInteger(version) && version > 0)
      o.emit('peer-version', peer, version);
    else if (byPeer) o.emit('admission-refused', peer, reason, detail);
    // Refused by us: out for the session. Refused by them, or slow: close, and try again later.
    if (byPeer || reason === ADMISSION_TIMED_OUT) drop(peer, connection);
    return err(`admission: ${reason}`);
  }

  function receiveAdmitted(peer: PeerId, channel: EarlyChannel, payload: Uint8Array): void {
    if (channel === 'presence') o.emit('presence', peer, payload);
    else o.sync().receive(peer, channel, payload);
  }

  /** Admission (DESIGN.md §4): the handshake runs here, before any sync. */
  async function admit(peer: PeerId, connection: Connection): Promise<void> {
    const verdict = await admissionCheck(peer);
    if (o.isDestroyed() || connections.get(peer) !== connection) return;
    if (!verdict.ok) return refuse(peer, verdict.error);
    connection.admitted = true;
    const sync = o.sync();
    sync.addPeer(peer);
    for (const { channel, payload } of connection.early.splice(0))
      receiveAdmitted(peer, channel, payload);
    connection.earlyBytes = 0;
    o.onAdmitted(peer);
    o.emitStatus();
    o.emit('peer-admitted', peer);
  }

  function drop(peer: PeerId, connection: Connection): void {
    if (connections.get(peer) === connection) connections.delete(peer);
    clearTimeout(connection.timeout);
    o.sync().removePeer(peer);
    scores.forget(peer);
    connection.peer.destroy();
    o.emitStatus();
    if (connection.admitted) o.emit('peer-left', peer);
  }

  function refuse(peer: PeerId, reason: string): void {
    if (scores.isRefused(peer)) return;
    scores.refuse(peer);
    o.onRefused(peer);
    const connection = connections.get(peer);
    if (connection !== undefined) drop(peer, connection);
    else o.sync().removePeer(peer);
    o.emit('peer-rejected', peer, reason);
  }

  return { connections, connect, drop, refuse };
}
