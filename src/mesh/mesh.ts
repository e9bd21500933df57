/**
 * The mesh: find the community's peers through every configured relay, connect to each over
 * WebRTC (one connection per pair), and keep the doc and awareness in sync with them.
 *
 * Discovery. Each mesh instance has a random PeerId and announces it, encrypted, on the
 * community's topic. Of two peers, the one with the lower PeerId always makes the offer, so
 * two peers hearing each other at once never both dial (no glare). A higher peer that hears a
 * newcomer answers with an announce addressed to it, so the newcomer knows whom to dial.
 * Announces repeat every ~30 s (liveness for `known`), faster with backoff while some known
 * peer is not connected, and at once on every relay (re)connect.
 *
 * Admission. `admit` is where the handshake of DESIGN.md §4 will run (on the reserved `auth`
 * channel) before a peer gets sync, awareness or blocks. Today it admits every peer that holds
 * the community secret, which is what reaching us through the encrypted signaling proves.
 */
import { Awareness } from 'y-protocols/awareness';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { PeerId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import {
  createPeerConnection,
  type PeerConnection,
  type PeerConnectionOptions,
} from './peer-connection';
import { createRelayPool, type RelayPool } from './relay-pool';
import {
  decryptEnvelope,
  deriveSignalKeys,
  encryptEnvelope,
  type SignalEnvelope,
  type SignalKeys,
} from './signal-crypto';
import type { SignalingClientOptions } from './signaling-client';
import { createPeerScores } from './peer-score';
import { createSyncEngine } from './sync';
import { answerProbability, createTopology } from './topology';
import type { Mesh, MeshEvents, MeshOptions, MeshStatus } from './types';
import { ADMISSION_TIMED_OUT, createHandshake, type Handshake } from './admission';

/** A connection that has not opened by then is abandoned (lost signals, failed ICE). */
const CONNECT_TIMEOUT_MS = 20_000;
const SLOW_ANNOUNCE_MS = 30_000;
const FAST_ANNOUNCE_MIN_MS = 1_000;
/** A peer not heard from for this long is no longer expected to be reachable. */
const KNOWN_PEER_TTL_MS = 75_000;
/** At most one addressed announce per peer per this interval. */
const ANNOUNCE_REPLY_INTERVAL_MS = 2_000;
/**
 * simple-peer emits 'data' before its own 'connect' (which waits on getStats), so the first
 * messages of a peer that opened first arrive before we admitted it: hold them, bounded.
 */
const MAX_EARLY_MESSAGES = 1_000;
const MAX_EARLY_BYTES = 80 * 1024 * 1024;
/** Relay messages waiting to be decrypted. */
const MAX_INBOUND_PENDING = 500;

interface Connection {
  /** Names this attempt in signals; chosen by the dialer, adopted by the answerer. */
  id: string;
  peer: PeerConnection;
  initiator: boolean;
  open: boolean;
  admitted: boolean;
  /** The admission handshake, when the app supplied hooks; the member it proved. */
  handshake?: Handshake;
  member?: string;
  /** Sync and awareness that arrived before we admitted the peer (its side may admit first). */
  early: { channel: 'sync' | 'awareness'; payload: Uint8Array }[];
  earlyBytes: number;
  timeout: ReturnType<typeof setTimeout>;
}

/** Seams for tests: run the mesh without a browser (fake WebRTC, `ws`, fast timers). */
export interface MeshDeps {
  createPeerConnection?: (options: PeerConnectionOptions) => PeerConnection;
  signaling?: Partial<Omit<SignalingClientOptions, 'url' | 'onMessage' | 'onStatus'>>;
}

const jitter = (ms: number): number => ms * (0.75 + Math.random() * 0.5);

export function createMesh(options: MeshOptions, deps: MeshDeps = {}): Mesh {
  const { doc } = options;
  const connectPeer = deps.createPeerConnection ?? createPeerConnection;
  const peerId = toBase64url(randomBytes(16)) as PeerId;
  const awareness = new Awareness(doc);
  const listeners: { [E in keyof MeshEvents]: Set<MeshEvents[E]> } = {
    status: new Set(),
    'peer-rejected': new Set(),
    'admission-refused': new Set(),
    'peer-admitted': new Set(),
    'peer-left': new Set(),
    blocks: new Set(),
  };
  const connections = new Map<PeerId, Connection>();
  /** Peers heard on the topic recently → when. */
  const known = new Map<PeerId, number>();
  /** Penalties, message rate limits and time-limited refusals (peer-score.ts). */
  const scores = createPeerScores();
  const lastReply = new Map<PeerId, number>();
  let keys: SignalKeys | null = null;
  let pool: RelayPool | null = null;
  let destroyed = false;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  let fastAnnounceMs = FAST_ANNOUNCE_MIN_MS;
  let lastStatus = '';
  let inbound: Promise<void> = Promise.resolve();
  let inboundPending = 0;

  // Partial mesh (topology.ts) only when asked for: small rooms stay a full mesh.
  const topology = options.degree === undefined ? null : createTopology({ degree: options.degree });
  /** Announces sent since we last had our degree: each asks more peers to answer. */
  let announceAttempt = 0;
  const sync = createSyncEngine({
    forward: topology === null ? 'none' : 'gossip',
    doc,
    awareness,
    validateUpdate: options.validateUpdate,
    send: (peer, channel, payload) => connections.get(peer)?.peer.send(channel, payload),
    onReject: (peer, reason) => refuse(peer, reason),
    onSynced: () => emitStatus(),
  });

  function emit<E extends keyof MeshEvents>(event: E, ...args: Parameters<MeshEvents[E]>): void {
    for (const listener of listeners[event]) {
      try {
        (listener as (...a: Parameters<MeshEvents[E]>) => void)(...args);
      } catch (e) {
        console.error(`mesh: ${event} listener failed`, e);
      }
    }
  }

  function status(): MeshStatus {
    return {
      relays: pool?.status() ?? options.relays.map((url) => ({ url, connected: false })),
      peers: [...connections].map(([id, c]) => ({
        id,
        connected: c.open,
        synced: c.admitted && sync.isSynced(id),
        ...(c.member === undefined ? {} : { member: c.member }),
      })),
    };
  }

  function emitStatus(): void {
    if (destroyed) return;
    const next = status();
    const text = JSON.stringify(next);
    if (text === lastStatus) return;
    lastStatus = text;
    emit('status', next);
  }

  async function publish(envelope: SignalEnvelope, relayUrl?: string): Promise<void> {
    if (keys === null || pool === null || destroyed) return;
    const data = await encryptEnvelope(keys.key, envelope);
    if (destroyed) return;
    if (relayUrl === undefined) pool.publish(data);
    else pool.publishTo(relayUrl, data);
  }

  // ---- discovery -------------------------------------------------------------------------

  function wantsPeers(): boolean {
    const now = Date.now();
    for (const [peer, heard] of known) {
      if (now - heard > KNOWN_PEER_TTL_MS || scores.isRefused(peer)) known.delete(peer);
    }
    for (const [peer, at] of lastReply)
      if (now - at > ANNOUNCE_REPLY_INTERVAL_MS) lastReply.delete(peer);
    if (topology !== null) return topology.wantsLinks(connections.size);
    return [...known.keys()].some((peer) => !connections.get(peer)?.open);
  }

  function scheduleAnnounce(delayMs?: number): void {
    if (destroyed) return;
    clearTimeout(announceTimer);
    let delay = delayMs;
    if (delay === undefined) {
      if (wantsPeers()) {
        delay = fastAnnounceMs;
        fastAnnounceMs = Math.min(fastAnnounceMs * 2, SLOW_ANNOUNCE_MS);
      } else {
        fastAnnounceMs = FAST_ANNOUNCE_MIN_MS;
        delay = SLOW_ANNOUNCE_MS;
      }
    }
    announceTimer = setTimeout(() => {
      if (topology === null) void publish({ type: 'announce', from: peerId });
      else if (!topology.wantsLinks(connections.size)) announceAttempt = 0;
      else {
        // Under degree only: a full peer stays silent (no announcing storm).
        const p = topology.announceProbability(announceAttempt++);
        void publish({ type: 'announce', from: peerId, p });
      }
      scheduleAnnounce();
    }, jitter(delay));
  }

  function handleRelayData(data: unknown): void {
    // One at a time, in arrival order: an answer's ICE candidates must not overtake it.
    // A relay flooding us gets its excess dropped rather than queued without bound.
    if (inboundPending >= MAX_INBOUND_PENDING) return;
    inboundPending++;
    inbound = inbound.then(async () => {
      inboundPending--;
      if (keys === null || destroyed) return;
      const envelope = await decryptEnvelope(keys.key, data);
      if (envelope !== null && !destroyed) handleEnvelope(envelope);
    });
  }

  function handleEnvelope(envelope: SignalEnvelope): void {
    const from = envelope.from;
    if (from === peerId || scores.isRefused(from)) return;
    if (envelope.to !== undefined && envelope.to !== peerId) return;
    known.set(from, Date.now());
    const existing = connections.get(from);

    if (envelope.type === 'announce') {
      if (existing !== undefined) return;
      if (topology !== null) {
        const links = connections.size;
        const asked = envelope.to === peerId;
        if (
          asked
            ? !topology.acceptsLink(links)
            : !topology.answersAnnounce(links, answerProbability(envelope.p))
        )
          return;
      }
      if (peerId < from) {
        connect(from, true);
        return;
      }
      // The newcomer dials us; it may not know we exist yet.
      const now = Date.now();
      if (now - (lastReply.get(from) ?? 0) < ANNOUNCE_REPLY_INTERVAL_MS) return;
      lastReply.set(from, now);
      void publish({ type: 'announce', from: peerId, to: from });
      return;
    }

    const isOffer = (envelope.signal as { type?: unknown }).type === 'offer';
    if (peerId < from) {
      // We dial this peer. A signal from it without our connection means it wants one; a
      // signal for an older attempt of ours is stale.
      if (existing === undefined) connect(from, true);
      else if (!isOffer && envelope.conn === existing.id) existing.peer.signal(envelope.signal);
      return;
    }
    if (isOffer) {
      if (existing?.id === envelope.conn) return; // The same offer through another relay.
      if (existing === undefined && topology?.acceptsLink(connections.size) === false) return;
      // A fresh offer replaces whatever we had: the dialer lost that connection and starts over.
      if (existing !== undefined) drop(from, existing);
      connect(from, false, envelope.conn).peer.signal(envelope.signal);
      return;
    }
    if (existing?.id === envelope.conn) existing.peer.signal(envelope.signal);
  }

  // ---- connections -----------------------------------------------------------------------

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
      peer: connectPeer({
        initiator,
        iceServers: options.iceServers,
        onSignal: (signal) =>
          void publish({ type: 'signal', from: peerId, to: peer, conn: id, signal }),
        onOpen: () => {
          connection.open = true;
          clearTimeout(connection.timeout);
          emitStatus();
          void admit(peer, connection);
        },
        onMessage: (channel, payload) => {
          if (connections.get(peer) !== connection) return;
          if (!scores.allowMessage(peer)) return refuse(peer, 'too many messages');
          if (channel === 'auth') return connection.handshake?.receive(payload);
          if (channel === 'blocks') {
            // Before admission a peer gets nothing; the files swarm re-asks (HELLO) after it.
            if (connection.admitted) emit('blocks', peer, payload);
            return;
          }
          if (connection.admitted) return sync.receive(peer, channel, payload);
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
          // The peer may still be there (e.g. a network blip): look for it again soon.
          fastAnnounceMs = FAST_ANNOUNCE_MIN_MS;
          scheduleAnnounce(FAST_ANNOUNCE_MIN_MS);
        },
      }),
    };
    if (options.admission) {
      connection.handshake = createHandshake({
        peer,
        initiator,
        hooks: options.admission,
        send: (payload) => void connection.peer.send('auth', payload),
      });
    }
    connections.set(peer, connection);
    emitStatus();
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
    const { reason, byPeer } = outcome.error;
    if (byPeer) emit('admission-refused', peer, reason);
    // Refused by us: out for the session. Refused by them, or slow: close, and try again later.
    if (byPeer || reason === ADMISSION_TIMED_OUT) drop(peer, connection);
    return err(`admission: ${reason}`);
  }

  /** The seam for admission (DESIGN.md §4): the handshake will run here, before any sync. */
  async function admit(peer: PeerId, connection: Connection): Promise<void> {
    const verdict = await admissionCheck(peer);
    if (destroyed || connections.get(peer) !== connection) return;
    if (!verdict.ok) return refuse(peer, verdict.error);
    connection.admitted = true;
    sync.addPeer(peer);
    for (const { channel, payload } of connection.early.splice(0))
      sync.receive(peer, channel, payload);
    connection.earlyBytes = 0;
    emitStatus();
    emit('peer-admitted', peer);
  }

  function drop(peer: PeerId, connection: Connection): void {
    if (connections.get(peer) === connection) connections.delete(peer);
    clearTimeout(connection.timeout);
    sync.removePeer(peer);
    scores.forget(peer);
    connection.peer.destroy();
    emitStatus();
    if (connection.admitted) emit('peer-left', peer);
  }

  function refuse(peer: PeerId, reason: string): void {
    if (scores.isRefused(peer)) return;
    scores.refuse(peer);
    known.delete(peer);
    const connection = connections.get(peer);
    if (connection !== undefined) drop(peer, connection);
    else sync.removePeer(peer);
    emit('peer-rejected', peer, reason);
  }

  // ---- page lifecycle --------------------------------------------------------------------

  // Closing our connections as the page goes lets peers see us leave at once, instead of after
  // ICE gives up (~15–30 s). A page restored from the back-forward cache looks for peers again.
  function onPageHide(): void {
    for (const [peer, connection] of [...connections]) drop(peer, connection);
  }
  function onPageShow(event: PageTransitionEvent): void {
    if (event.persisted) scheduleAnnounce(0);
  }
  const page = typeof window === 'undefined' ? null : window;
  page?.addEventListener('pagehide', onPageHide);
  page?.addEventListener('pageshow', onPageShow);

  // ---- start -----------------------------------------------------------------------------

  void deriveSignalKeys(options.secret).then((derived) => {
    if (destroyed) return;
    keys = derived;
    pool = createRelayPool({
      relays: options.relays,
      topic: derived.topic,
      onMessage: handleRelayData,
      client: deps.signaling,
      onStatus: (url, connected) => {
        if (connected && topology === null) void publish({ type: 'announce', from: peerId }, url);
        // Partial mesh: a relay coming back makes only peers under their degree speak up.
        else if (connected && topology?.wantsLinks(connections.size)) {
          const p = topology.announceProbability(announceAttempt++);
          void publish({ type: 'announce', from: peerId, p }, url);
        }
        emitStatus();
      },
    });
    scheduleAnnounce();
    emitStatus();
  });

  return {
    peerId,
    awareness,
    status,
    on(event, listener) {
      listeners[event].add(listener);
      return () => {
        listeners[event].delete(listener);
      };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      page?.removeEventListener('pagehide', onPageHide);
      page?.removeEventListener('pageshow', onPageShow);
      clearTimeout(announceTimer);
      for (const [peer, connection] of [...connections]) drop(peer, connection);
      sync.destroy();
      pool?.destroy();
      awareness.destroy();
      listeners.status.clear();
      listeners['peer-rejected'].clear();
      listeners['admission-refused'].clear();
      listeners['peer-admitted'].clear();
      listeners['peer-left'].clear();
      listeners.blocks.clear();
    },
    debugBroadcastRawUpdate: (update) => sync.broadcastRawUpdate(update),
    penalize(peer, reason, weight) {
      if (scores.penalize(peer, weight)) refuse(peer, reason);
    },
    sendBlocks(peer, payload) {
      const connection = connections.get(peer);
      return connection?.admitted === true && connection.peer.send('blocks', payload);
    },
    queuedBytes: (peer) => connections.get(peer)?.peer.queuedBytes() ?? 0,
    refusePeer: (peer, reason) => refuse(peer, reason),
  };
}
