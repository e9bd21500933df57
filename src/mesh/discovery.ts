/**
 * Discovery: finding the community's peers on the relays' topic and deciding whom to dial.
 *
 * Each mesh instance has a random PeerId and announces it, encrypted, on the community's topic.
 * Of two peers, the one with the lower PeerId always makes the offer, so two peers hearing each
 * other at once never both dial (no glare). A higher peer that hears a newcomer answers with an
 * announce addressed to it, so the newcomer knows whom to dial.
 *
 * Full mesh: announces repeat every ~30 s (liveness for `known`), faster with backoff while
 * some known peer is not connected, and at once on every relay (re)connect. Partial mesh
 * (topology.ts): only a peer under its degree announces, asking peers with room to answer with
 * a probability that doubles per announce — no announcing storm once connected.
 */
import type { PeerId } from '../shared/ids';
import type { PeerLinks } from './peer-links';
import type { PeerScores } from './peer-score';
import type { SignalEnvelope } from './signal-crypto';
import { answerProbability, type Topology } from './topology';

const SLOW_ANNOUNCE_MS = 30_000;
const FAST_ANNOUNCE_MIN_MS = 1_000;
/** A peer not heard from for this long is no longer expected to be reachable. */
const KNOWN_PEER_TTL_MS = 75_000;
/** At most one addressed announce per peer per this interval. */
const ANNOUNCE_REPLY_INTERVAL_MS = 2_000;
/** An offer we asked for is taken even when full, this long after asking. */
const INVITE_TTL_MS = 20_000;
/** Relay messages waiting to be decrypted. */
const MAX_INBOUND_PENDING = 500;

const jitter = (ms: number): number => ms * (0.75 + Math.random() * 0.5);

export interface DiscoveryOptions {
  peerId: PeerId;
  /** Null: the full mesh. */
  topology: Topology | null;
  scores: PeerScores;
  links: () => PeerLinks;
  /** Members of the community as far as we know (MeshOptions.communitySize). */
  communitySize?: () => number;
  /** `relayUrl` sends to that relay only. */
  publish: (envelope: SignalEnvelope, relayUrl?: string) => Promise<void>;
  /** Null when the data is not ours (wrong key, not an envelope). */
  decrypt: (data: unknown) => Promise<SignalEnvelope | null>;
  isDestroyed: () => boolean;
}

export interface Discovery {
  /** Announces after `delayMs`, or when our state calls for it (fast while wanting peers). */
  scheduleAnnounce(delayMs?: number): void;
  /** A connection was lost: the peer may still be there, look for it again soon. */
  lookAgainSoon(): void;
  /** A relay (re)connected: tell it we are here, if we want peers. */
  relayConnected(relayUrl: string): void;
  /** A link was admitted: shed random other ones if that put us over the maximum. */
  linkAdmitted(peer: PeerId): void;
  /**
   * Anything that came in on the topic, untrusted. `reach`: the fraction of the topic the relay
   * sent it to (a sampled announce), 1 for all.
   */
  handleRelayData(data: unknown, reach?: number): void;
  forget(peer: PeerId): void;
  stop(): void;
}

export function createDiscovery(o: DiscoveryOptions): Discovery {
  const { peerId, topology, scores } = o;
  /** Peers heard on the topic recently → when. */
  const known = new Map<PeerId, number>();
  const lastReply = new Map<PeerId, number>();
  /** Peers we asked to dial us (addressed announce) → when. */
  const invited = new Map<PeerId, number>();
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  let fastAnnounceMs = FAST_ANNOUNCE_MIN_MS;
  /** Announces sent since we last had our degree: each asks more peers to answer. */
  let announceAttempt = 0;
  let inbound: Promise<void> = Promise.resolve();
  let inboundPending = 0;
  const linkCount = () => o.links().connections.size;

  function wantsPeers(): boolean {
    const now = Date.now();
    for (const [peer, heard] of known) {
      if (now - heard > KNOWN_PEER_TTL_MS || scores.isRefused(peer)) known.delete(peer);
    }
    for (const [peer, at] of lastReply)
      if (now - at > ANNOUNCE_REPLY_INTERVAL_MS) lastReply.delete(peer);
    for (const [peer, at] of invited) if (now - at > INVITE_TTL_MS) invited.delete(peer);
    if (topology !== null) return topology.wantsLinks(linkCount());
    const { connections } = o.links();
    return [...known.keys()].some((peer) => !connections.get(peer)?.open);
  }

  function scheduleAnnounce(delayMs?: number): void {
    if (o.isDestroyed()) return;
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
      if (topology === null) void o.publish({ type: 'announce', from: peerId });
      else if (!topology.wantsLinks(linkCount())) announceAttempt = 0;
      else {
        // Under degree only: a full peer stays silent (no announcing storm).
        const p = topology.announceProbability(announceAttempt++);
        void o.publish({ type: 'announce', from: peerId, p });
      }
      scheduleAnnounce();
    }, jitter(delay));
  }

  function relayConnected(relayUrl: string): void {
    if (topology === null) void o.publish({ type: 'announce', from: peerId }, relayUrl);
    // Partial mesh: a relay coming back makes only peers under their degree speak up.
    else if (topology.wantsLinks(linkCount())) {
      const p = topology.announceProbability(announceAttempt++);
      void o.publish({ type: 'announce', from: peerId, p }, relayUrl);
    }
  }

  function handleRelayData(data: unknown, reach = 1): void {
    // One at a time, in arrival order: an answer's ICE candidates must not overtake it.
    // A relay flooding us gets its excess dropped rather than queued without bound.
    if (inboundPending >= MAX_INBOUND_PENDING) return;
    inboundPending++;
    inbound = inbound.then(async () => {
      inboundPending--;
      if (o.isDestroyed()) return;
      const envelope = await o.decrypt(data);
      if (envelope !== null && !o.isDestroyed()) handleEnvelope(envelope, reach);
    });
  }

  function handleEnvelope(envelope: SignalEnvelope, reach: number): void {
    const from = envelope.from;
    if (from === peerId || scores.isRefused(from)) return;
    if (envelope.to !== undefined && envelope.to !== peerId) return;
    known.set(from, Date.now());
    const links = o.links();
    const existing = links.connections.get(from);

    if (envelope.type === 'announce') {
      if (existing !== undefined) return;
      if (topology !== null) {
        const count = links.connections.size;
        const answers =
          envelope.to === peerId
            ? topology.acceptsLink(count)
            : // A full peer answering sheds another link once this one is admitted.
              topology.answersBroadcast(
                count,
                answerProbability(envelope.p),
                o.communitySize?.() ?? 0,
                reach,
              );
        if (!answers) return;
      }
      if (peerId < from) {
        links.connect(from, true);
        return;
      }
      // The newcomer dials us; it may not know we exist yet.
      const now = Date.now();
      if (now - (lastReply.get(from) ?? 0) < ANNOUNCE_REPLY_INTERVAL_MS) return;
      lastReply.set(from, now);
      invited.set(from, now);
      void o.publish({ type: 'announce', from: peerId, to: from });
      return;
    }

    const isOffer = (envelope.signal as { type?: unknown }).type === 'offer';
    if (peerId < from) {
      // We dial this peer. A signal from it without our connection means it wants one; a
      // signal for an older attempt of ours is stale.
      if (existing === undefined) links.connect(from, true);
      else if (!isOffer && envelope.conn === existing.id) existing.peer.signal(envelope.signal);
      return;
    }
    if (isOffer) {
      if (existing?.id === envelope.conn) return; // The same offer through another relay.
      // We asked for this offer (possibly replacing a link), so take it even when full.
      const ours = Date.now() - (invited.get(from) ?? -Infinity) < INVITE_TTL_MS;
      if (
        !ours &&
        existing === undefined &&
        topology?.acceptsLink(links.connections.size) === false
      )
        return;
      // A fresh offer replaces whatever we had: the dialer lost that connection and starts over.
      if (existing !== undefined) links.drop(from, existing);
      links.connect(from, false, envelope.conn).peer.signal(envelope.signal);
      return;
    }
    if (existing?.id === envelope.conn) existing.peer.signal(envelope.signal);
  }

  return {
    scheduleAnnounce,
    lookAgainSoon() {
      fastAnnounceMs = FAST_ANNOUNCE_MIN_MS;
      scheduleAnnounce(FAST_ANNOUNCE_MIN_MS);
    },
    relayConnected,
    linkAdmitted(peer) {
      const links = o.links();
      if (topology === null || !topology.overLinked(links.connections.size)) return;
      // Pending links count: several full-peer answers at once may have to shed several.
      const others = [...links.connections.keys()].filter((p) => p !== peer);
      for (const victim of topology.pick(others, links.connections.size - topology.maxDegree))
        links.drop(victim, links.connections.get(victim)!);
    },
    handleRelayData,
    forget: (peer) => known.delete(peer),
    stop: () => clearTimeout(announceTimer),
  };
}
