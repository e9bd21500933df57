/**
 * The mesh: find the community's peers through every configured relay (discovery.ts), connect
 * to each over WebRTC, one connection per pair, admitted before it syncs (peer-links.ts), and
 * keep the doc and awareness in sync with them (sync.ts). This file wires those parts together
 * and keeps the promise of types.ts: status, events, blocks, penalties.
 */
import { Awareness } from 'y-protocols/awareness';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { PeerId } from '../shared/ids';
import { createDiscovery } from './discovery';
import {
  createPeerConnection,
  type PeerConnection,
  type PeerConnectionOptions,
} from './peer-connection';
import { createPeerLinks, type EmitMeshEvent } from './peer-links';
import { createPeerScores } from './peer-score';
import { createRelayPool, type RelayPool } from './relay-pool';
import {
  decryptEnvelope,
  deriveSignalKeys,
  encryptEnvelope,
  type SignalEnvelope,
  type SignalKeys,
} from './signal-crypto';
import type { SignalingClientOptions } from './signaling-client';
import { createSyncEngine } from './sync';
import { createTopology } from './topology';
import type { Mesh, MeshEvents, MeshOptions, MeshStatus } from './types';

/** Seams for tests: run the mesh without a browser (fake WebRTC, `ws`, fast timers). */
export interface MeshDeps {
  createPeerConnection?: (options: PeerConnectionOptions) => PeerConnection;
  signaling?: Partial<Omit<SignalingClientOptions, 'url' | 'onMessage' | 'onStatus'>>;
}

export function createMesh(options: MeshOptions, deps: MeshDeps = {}): Mesh {
  const { doc } = options;
  const peerId = toBase64url(randomBytes(16)) as PeerId;
  const awareness = new Awareness(doc);
  const listeners: { [E in keyof MeshEvents]: Set<MeshEvents[E]> } = {
    status: new Set(),
    'peer-rejected': new Set(),
    'admission-refused': new Set(),
    'peer-version': new Set(),
    'peer-admitted': new Set(),
    'peer-left': new Set(),
    blocks: new Set(),
    presence: new Set(),
  };
  /** Penalties, message rate limits and time-limited refusals (peer-score.ts). */
  const scores = createPeerScores();
  let keys: SignalKeys | null = null;
  let pool: RelayPool | null = null;
  let destroyed = false;
  let lastStatus = '';
  const isDestroyed = () => destroyed;

  const emit: EmitMeshEvent = (event, ...args) => {
    for (const listener of listeners[event]) {
      try {
        (listener as (...a: typeof args) => void)(...args);
      } catch (e) {
        console.error(`mesh: ${event} listener failed`, e);
      }
    }
  };

  function status(): MeshStatus {
    return {
      relays: pool?.status() ?? options.relays.map((url) => ({ url, connected: false })),
      peers: [...links.connections].map(([id, c]) => ({
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

  /**
   * Peers that said they listen on their inbox (`inbox` in their envelopes), most recent last.
   * What we address to them goes there, to them alone; to anyone else (an older version) it
   * goes on the community topic, which every peer hears.
   */
  const inboxPeers = new Set<PeerId>();
  const MAX_INBOX_PEERS = 10_000;
  function heardEnvelope(envelope: SignalEnvelope | null): SignalEnvelope | null {
    if (envelope?.inbox !== true) return envelope;
    inboxPeers.delete(envelope.from);
    inboxPeers.add(envelope.from);
    if (inboxPeers.size > MAX_INBOX_PEERS)
      inboxPeers.delete(inboxPeers.values().next().value as PeerId);
    return envelope;
  }

  const inboxTopics = new Map<PeerId, string>();
  async function inboxOf(peer: PeerId | undefined): Promise<string | undefined> {
    if (keys === null || peer === undefined || !inboxPeers.has(peer)) return undefined;
    let topic = inboxTopics.get(peer);
    if (topic === undefined) {
      topic = await keys.inbox(peer);
      inboxTopics.set(peer, topic);
      if (inboxTopics.size > MAX_INBOX_PEERS)
        inboxTopics.delete(inboxTopics.keys().next().value as PeerId);
    }
    return topic;
  }

  // In order per recipient: an offer's ICE candidates must not overtake it on the relay (the
  // inbox lookup adds an await). Only per recipient: one queue for everything made every link
  // wait behind every other link's signaling (a 7-peer degree-2 mesh took up to 40 s to form).
  const outbound = new Map<PeerId | undefined, Promise<void>>();
  function publish(envelope: SignalEnvelope, relayUrl?: string): Promise<void> {
    const to = envelope.to;
    const sent = (outbound.get(to) ?? Promise.resolve()).then(() => publishNow(envelope, relayUrl));
    const tail = sent.catch(() => undefined);
    outbound.set(to, tail);
    void tail.then(() => {
      if (outbound.get(to) === tail) outbound.delete(to);
    });
    return sent;
  }

  async function publishNow(envelope: SignalEnvelope, relayUrl?: string): Promise<void> {
    if (keys === null || pool === null || destroyed) return;
    const data = await encryptEnvelope(keys.key, { ...envelope, inbox: true });
    const inbox = await inboxOf(envelope.to);
    if (destroyed || pool === null) return;
    // A partial mesh's broadcast announce needs only a few answers (topology.ts): the relay
    // may hand it to a random sample of the topic instead of to everyone.
    const sample =
      topology !== null && envelope.type === 'announce' && envelope.to === undefined
        ? topology.announceSample
        : undefined;
    if (relayUrl === undefined) pool.publish(data, sample, inbox);
    else pool.publishTo(relayUrl, data, sample);
  }

  // Partial mesh (topology.ts) only when asked for: small rooms stay a full mesh.
  const topology = options.degree === undefined ? null : createTopology({ degree: options.degree });
  const links = createPeerLinks({
    peerId,
    options,
    connectPeer: deps.createPeerConnection ?? createPeerConnection,
    scores,
    sync: () => sync,
    publish,
    emit,
    emitStatus,
    isDestroyed,
    onLinkLost: () => discovery.lookAgainSoon(),
    onRefused: (peer) => discovery.forget(peer),
    onAdmitted: (peer) => discovery.linkAdmitted(peer),
  });
  const discovery = createDiscovery({
    peerId,
    topology,
    scores,
    communitySize: options.communitySize,
    links: () => links,
    publish,
    decrypt: async (data) =>
      keys === null ? null : heardEnvelope(await decryptEnvelope(keys.key, data)),
    isDestroyed,
  });
  const sync = createSyncEngine({
    forward: topology === null ? 'none' : 'gossip',
    doc,
    awareness,
    ready: options.ready,
    validateUpdate: options.validateUpdate,
    send: (peer, channel, payload) => links.connections.get(peer)?.peer.send(channel, payload),
    onReject: (peer, reason) => links.refuse(peer, reason),
    onSynced: () => emitStatus(),
  });

  function sendAdmitted(peer: PeerId, channel: 'blocks' | 'presence', payload: Uint8Array) {
    const connection = links.connections.get(peer);
    return connection?.admitted === true && connection.peer.send(channel, payload);
  }

  // ---- page lifecycle --------------------------------------------------------------------

  // Closing our connections as the page goes lets peers see us leave at once, instead of after
  // ICE gives up (~15–30 s). A page restored from the back-forward cache looks for peers again.
  function dropAll(): void {
    for (const [peer, connection] of [...links.connections]) links.drop(peer, connection);
  }
  function onPageShow(event: PageTransitionEvent): void {
    if (event.persisted) discovery.scheduleAnnounce(0);
  }
  const page = typeof window === 'undefined' ? null : window;
  page?.addEventListener('pagehide', dropAll);
  page?.addEventListener('pageshow', onPageShow);

  // ---- start -----------------------------------------------------------------------------

  void Promise.all([deriveSignalKeys(options.secret), options.ready]).then(async ([derived]) => {
    const inbox = await derived.inbox(peerId);
    if (destroyed) return;
    keys = derived;
    pool = createRelayPool({
      relays: options.relays,
      topic: derived.topic,
      inbox,
      onMessage: discovery.handleRelayData,
      client: deps.signaling,
      onStatus: (url, connected) => {
        if (connected) discovery.relayConnected(url);
        emitStatus();
      },
    });
    discovery.scheduleAnnounce();
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
      page?.removeEventListener('pagehide', dropAll);
      page?.removeEventListener('pageshow', onPageShow);
      discovery.stop();
      dropAll();
      sync.destroy();
      pool?.destroy();
      awareness.destroy();
      for (const set of Object.values(listeners)) set.clear();
    },
    debugBroadcastRawUpdate: (update) => sync.broadcastRawUpdate(update),
    penalize(peer, reason, weight) {
      if (scores.penalize(peer, weight)) links.refuse(peer, reason);
    },
    sendBlocks: (peer, payload) => sendAdmitted(peer, 'blocks', payload),
    sendPresence: (peer, payload) => sendAdmitted(peer, 'presence', payload),
    queuedBytes: (peer) => links.connections.get(peer)?.peer.queuedBytes() ?? 0,
    refusePeer: (peer, reason) => links.refuse(peer, reason),
  };
}
