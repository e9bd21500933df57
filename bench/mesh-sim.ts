/**
 * Mesh simulation: N peers in one Node process, each a real Y.Doc with the real sync engine
 * (src/mesh/sync.ts: decode budget, dedup, gossip forwarding) and the real topology rules
 * (src/mesh/topology.ts), over an in-memory relay and in-memory links with latency and loss.
 * Only WebRTC and the relay's sockets are replaced; discovery follows mesh.ts's rules (lower
 * PeerId dials, addressed announce asks a lower peer to dial).
 *
 * Measures, for updates written while peers churn: whether every live peer converges, the hops
 * each update took to reach each peer, how many copies of each update each peer received, and
 * how many links each peer holds.
 */
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { PeerId } from '../src/shared/ids';
import { ok } from '../src/shared/result';
import type { ForwardMode } from '../src/mesh/gossip';
import { createSyncEngine, RemoteOrigin, type SyncEngine } from '../src/mesh/sync';
import { createTopology, type Topology } from '../src/mesh/topology';
import { createVirtualClock } from './virtual-clock';

export interface SimOptions {
  peers: number;
  degree: number;
  forward: ForwardMode;
  /** Fraction of peers that leave while the updates spread, replaced by as many newcomers. */
  churn: number;
  updates: number;
  /** One-way latency range, ms. */
  latencyMs: [number, number];
  /** Fraction of relay messages (announces, offers) lost. */
  relayLoss: number;
  /** Give up waiting for convergence after this long. */
  timeoutMs: number;
  seed?: number;
}

export interface SimResult {
  peers: number;
  degree: number;
  forward: ForwardMode;
  churn: number;
  converged: boolean;
  /** Live peers that hold every update, of all live peers. */
  convergedPeers: number;
  livePeers: number;
  /** ms from the first update to the last live peer holding the last update. */
  convergenceMs: number;
  /**
   * Hops over open links from an update's author to each peer, shortest path, as the update was
   * written: the gossip rounds that update needs on that topology (its eccentricity at most).
   */
  maxHops: number;
  p99Hops: number;
  meanHops: number;
  /**
   * Hops the first copy of each update to arrive actually took. With latencies drawn per
   * message, the fastest path is often longer than the shortest (first-passage percolation).
   */
  maxFirstCopyHops: number;
  p99FirstCopyHops: number;
  meanFirstCopyHops: number;
  /** Peer-updates whose peer had no path from the author as it wrote (got it by a later link). */
  unreachableAtWrite: number;
  /** The bound, log_degree(N) + 3, as a real number (hops are whole). */
  hopTarget: number;
  /** Copies of an update a peer received, beyond the first, averaged; and the worst peer. */
  duplicatesPerUpdatePerPeer: number;
  maxDuplicatesPerUpdatePerPeer: number;
  linksPerPeer: number;
  maxLinksPerPeer: number;
  /**
   * The relay's deliveries: broadcast announces (sampled), addressed envelopes (to the
   * recipient's inbox topic), and what both would have cost fanned out to every subscriber.
   */
  relay: { announces: number; announceDeliveries: number; addressed: number; unsampled: number };
}

/**
 * One side of a link. An open link has one latency, drawn once (a data channel's path does not
 * change per message), and delivers in order (SCTP's reliable, ordered channel).
 */
interface Link {
  open: boolean;
  latencyMs: number;
  /** When the last message sent this way arrives: the next never overtakes it. */
  lastArrival: number;
}

interface SimPeer {
  id: PeerId;
  doc: Y.Doc;
  awareness: Awareness;
  engine: SyncEngine;
  alive: boolean;
  /** Open or pending links (pending ones count, so a peer does not over-dial). */
  links: Map<PeerId, Link>;
  /** Index in `alive` while alive. */
  slot: number;
  attempt: number;
  announceTimer?: number;
  updatesReceived: number;
  hops: Map<string, number>;
}

const CONNECT_TIMEOUT_MS = 2_000;
const FAST_ANNOUNCE_MS = 200;

/** Mulberry32: a seeded generator, so runs can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function simulate(o: SimOptions): Promise<SimResult> {
  const random = seeded(o.seed ?? 1);
  const topology: Topology = createTopology({ degree: o.degree, random });
  const peers = new Map<PeerId, SimPeer>();
  /** Live peers, in no order (swap-removed on leave): the relay's subscribers. */
  const alive: SimPeer[] = [];
  const latency = (): number => o.latencyMs[0] + random() * (o.latencyMs[1] - o.latencyMs[0]);
  // Simulated time (virtual-clock.ts): hops and convergence follow the modelled latencies,
  // not how busy the machine running the simulation is.
  const clock = createVirtualClock();
  const later = clock.later;
  const relay = { announces: 0, announceDeliveries: 0, addressed: 0, unsampled: 0 };
  let nextId = 0;

  // ---- relay: a broadcast reaches every live peer, an addressed one just one ----
  /**
   * The relay hands a broadcast announce to `announceSample` random subscribers (all of them in
   * a smaller community), each told the fraction `reach` that heard it; a peer that heard it
   * answers with topology.answersBroadcast's chance for its link count, scaled by 1 / reach —
   * overall min(reach, chance) — unless the message was lost. Only the answerers matter, so
   * they are drawn directly: candidates with the highest chance any peer has (a peer with
   * room), skipping ahead by geometric gaps over the live peers, then each kept with its own
   * chance over that one — the same distribution as a coin per recipient, in O(answers).
   */
  function broadcast(from: SimPeer, p: number): void {
    const others = alive.length - 1;
    const heard = Math.min(others, topology.announceSample);
    relay.announces++;
    relay.announceDeliveries += heard;
    relay.unsampled += others;
    const reach = others > 0 ? heard / others : 1;
    // Every peer knows the community's size here (the app: the members in its doc).
    const members = alive.length;
    const chance = (links: number) =>
      Math.min(reach, topology.broadcastAnswerChance(links, p, members)) * (1 - o.relayLoss);
    const q = chance(0);
    const chosen: SimPeer[] = [];
    if (q >= 1) chosen.push(...alive);
    else if (q > 0) {
      const logMiss = Math.log(1 - q);
      for (let i = Math.floor(Math.log(1 - random()) / logMiss); i < alive.length;) {
        chosen.push(alive[i]!);
        i += 1 + Math.floor(Math.log(1 - random()) / logMiss);
      }
    }
    later(latency(), () => {
      for (const to of chosen) {
        if (!to.alive || to === from || to.links.has(from.id)) continue;
        if (random() * q < chance(to.links.size)) link(to, from.id);
      }
    });
  }
  /**
   * An addressed envelope (an answer announce, an offer, an answer), published on the
   * recipient's inbox topic: one delivery (on the community topic it would reach everyone).
   */
  function unicast(from: SimPeer, to: PeerId, fn: (to: SimPeer) => void): void {
    relay.addressed++;
    relay.unsampled += alive.length - 1;
    if (random() < o.relayLoss) return;
    later(latency(), () => {
      const peer = peers.get(to);
      if (peer?.alive && from.alive) fn(peer);
    });
  }

  // ---- discovery and links, by mesh.ts's rules with topology.ts's decisions ----
  function scheduleAnnounce(peer: SimPeer): void {
    clock.cancel(peer.announceTimer);
    if (!peer.alive || !topology.wantsLinks(peer.links.size)) {
      peer.attempt = 0;
      return;
    }
    const delay = Math.min(FAST_ANNOUNCE_MS * 2 ** peer.attempt, 5_000) * (0.75 + random() / 2);
    peer.announceTimer = later(delay, () => {
      if (!peer.alive || !topology.wantsLinks(peer.links.size)) return;
      broadcast(peer, topology.announceProbability(peer.attempt));
      peer.attempt++;
      scheduleAnnounce(peer);
    });
  }

  /** An addressed announce: `from` asks us, the lower PeerId, to dial it. */
  function onAddressedAnnounce(peer: SimPeer, from: PeerId): void {
    const existing = peer.links.get(from);
    if (existing !== undefined) {
      // Both asked at once: the lower one dials.
      if (!existing.open && peer.id < from) {
        peer.links.delete(from);
        link(peer, from);
      }
      return;
    }
    if (topology.acceptsLink(peer.links.size)) link(peer, from);
  }

  /** discovery.ts `linkAdmitted`: over the maximum (a full peer answered), shed another link. */
  function shedIfOverLinked(peer: SimPeer, added: PeerId): void {
    if (!topology.overLinked(peer.links.size)) return;
    const others = [...peer.links.keys()].filter((id) => id !== added);
    for (const victim of topology.pick(others, peer.links.size - topology.maxDegree)) {
      unlink(peer, victim);
      const other = peers.get(victim);
      if (other) unlink(other, peer.id);
    }
  }

  function link(peer: SimPeer, other: PeerId): void {
    if (peer.links.has(other) || other === peer.id) return;
    // Pending links count, invitations included, so a peer does not collect too many.
    peer.links.set(other, { open: false, latencyMs: 0, lastArrival: 0 });
    later(CONNECT_TIMEOUT_MS, () => {
      if (peer.links.get(other)?.open === false) unlink(peer, other);
    });
    if (peer.id > other) {
      // The lower PeerId dials: ask it to (an addressed announce).
      unicast(peer, other, (to) => onAddressedAnnounce(to, peer.id));
      return;
    }
    // Offer and answer through the relay; either may be lost, then the attempt times out.
    unicast(peer, other, (answerer) => {
      // An offer we invited is taken even when full; any other needs room.
      const invited = answerer.links.get(peer.id);
      if (invited?.open === true) return;
      if (invited === undefined && !topology.acceptsLink(answerer.links.size)) return;
      answerer.links.set(peer.id, { open: false, latencyMs: 0, lastArrival: 0 });
      unicast(answerer, peer.id, () => {
        if (!peer.links.has(other) || !answerer.links.has(peer.id)) return;
        const latencyMs = latency();
        peer.links.set(other, { open: true, latencyMs, lastArrival: 0 });
        answerer.links.set(peer.id, { open: true, latencyMs, lastArrival: 0 });
        peer.engine.addPeer(other);
        answerer.engine.addPeer(peer.id);
        shedIfOverLinked(peer, other);
        shedIfOverLinked(answerer, peer.id);
      });
      later(CONNECT_TIMEOUT_MS, () => {
        if (answerer.links.get(peer.id)?.open === false) unlink(answerer, peer.id);
      });
    });
  }

  function unlink(peer: SimPeer, other: PeerId): void {
    if (!peer.links.delete(other)) return;
    peer.engine.removePeer(other);
    if (peer.alive) scheduleAnnounce(peer);
  }

  function send(from: SimPeer, to: PeerId, channel: 'sync' | 'awareness', payload: Uint8Array) {
    const link = from.links.get(to);
    if (link?.open !== true) return;
    const now = clock.now();
    // Up to 1 ms of jitter, never overtaking the message before.
    link.lastArrival = Math.max(link.lastArrival, now + link.latencyMs + random());
    const arrives = link.lastArrival;
    later(arrives - now, () => {
      const peer = peers.get(to);
      if (!from.alive || !peer?.alive || peer.links.get(from.id)?.open !== true) return;
      if (channel === 'sync' && payload[0] === 2) peer.updatesReceived++;
      peer.engine.receive(from.id, channel, payload);
    });
  }

  function join(): SimPeer {
    const id = `p${String(nextId++).padStart(6, '0')}` as PeerId;
    const doc = new Y.Doc({ gc: false });
    const awareness = new Awareness(doc);
    const peer: SimPeer = {
      id,
      doc,
      awareness,
      alive: true,
      links: new Map(),
      slot: alive.length,
      attempt: 0,
      updatesReceived: 0,
      hops: new Map(),
      engine: createSyncEngine({
        doc,
        awareness,
        validateUpdate: async () => ok(undefined),
        send: (to, channel, payload) => send(peer, to, channel, payload),
        onReject: (from, reason) => {
          throw new Error(`${id} rejected ${from}: ${reason}`);
        },
        onSynced: () => {},
        forward: o.forward,
        timers: { set: (fn, ms) => later(ms, fn), clear: (h) => clock.cancel(h as number) },
      }),
    };
    doc.getMap('events').observe((event) => {
      const origin = event.transaction.origin;
      for (const key of event.keysChanged) {
        if (peer.hops.has(key)) continue;
        const before =
          origin instanceof RemoteOrigin ? peers.get(origin.peer)?.hops.get(key) : undefined;
        peer.hops.set(key, origin instanceof RemoteOrigin ? (before ?? NaN) + 1 : 0);
      }
    });
    peers.set(id, peer);
    alive.push(peer);
    scheduleAnnounce(peer);
    return peer;
  }

  function leave(peer: SimPeer): void {
    peer.alive = false;
    const last = alive.pop()!;
    if (last !== peer) {
      alive[peer.slot] = last;
      last.slot = peer.slot;
    }
    clock.cancel(peer.announceTimer);
    for (const other of [...peer.links.keys()]) {
      const o2 = peers.get(other);
      if (o2) unlink(o2, peer.id);
    }
    peer.links.clear();
    peer.engine.destroy();
    peer.awareness.destroy();
  }

  /** Shortest-path hops over open links from `from` to every live peer it reaches. */
  function distancesFrom(from: SimPeer): Map<PeerId, number> {
    const dist = new Map<PeerId, number>([[from.id, 0]]);
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      const p = queue[i]!;
      for (const [other, l] of p.links) {
        if (!l.open || dist.has(other)) continue;
        dist.set(other, dist.get(p.id)! + 1);
        queue.push(peers.get(other)!);
      }
    }
    return dist;
  }

  const sleep = clock.advance;
  const live = () => [...alive];

  // Join in batches (as a community grows), then wait for links to settle. At most 2 % of
  // the final size joins per 100 ms: when thousands join within one announce round trip, they
  // can only link among themselves and the graph grows as a chain of batches (measured at
  // 5,000 peers in 20 batches of 250, 50 ms apart: 31 hops, 3 peers never reached).
  const batch = Math.max(10, Math.ceil(o.peers / 50));
  for (let i = 0; i < o.peers; i += batch) {
    for (let j = i; j < Math.min(o.peers, i + batch); j++) join();
    await sleep(100);
  }
  const want = Math.min(o.degree, o.peers - 1) - 1;
  const linked = (p: SimPeer) => [...p.links.values()].filter((l) => l.open).length >= want;
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (live().filter(linked).length >= 0.98 * o.peers) break;
    await sleep(100);
  }
  await sleep(1_000);
  for (const p of live()) p.updatesReceived = 0;

  // Write updates from random peers while `churn` of the others leave and as many join.
  const leavers = topology.pick(live(), Math.round(o.churn * o.peers));
  const authors = topology.pick(
    live().filter((p) => !leavers.includes(p)),
    o.updates,
  );
  const started = clock.now();
  const keys: string[] = [];
  const graphHops = new Map<string, Map<PeerId, number>>();
  const spread = 500;
  authors.forEach((author, i) =>
    later((spread * i) / Math.max(1, authors.length), () => {
      const key = `u${i}`;
      keys.push(key);
      graphHops.set(key, distancesFrom(author));
      author.doc.getMap('events').set(key, i);
    }),
  );
  leavers.forEach((peer, i) => later((spread * i) / leavers.length, () => leave(peer)));
  leavers.forEach((_, i) => later((spread * i) / leavers.length, () => join()));

  let convergenceMs = NaN;
  const holdsAll = (p: SimPeer): boolean => keys.every((k) => p.hops.has(k));
  for (let waited = 0; waited < o.timeoutMs; waited += 50) {
    await sleep(50);
    if (keys.length === o.updates && live().every(holdsAll)) {
      convergenceMs = clock.now() - started;
      break;
    }
  }

  const survivors = live();
  const original = survivors.filter((p) => !leavers.includes(p) && Number(p.id.slice(1)) < o.peers);
  // Hops by gossip, over the peers there from start to end (a newcomer's copy comes by its
  // first sync, one step from whoever it met, however long the path before).
  const sorted = (values: number[]) => values.filter(Number.isFinite).sort((a, b) => a - b);
  const firstCopy = sorted(original.flatMap((p) => keys.map((k) => p.hops.get(k) ?? NaN)));
  const shortest = sorted(
    original.flatMap((p) => keys.map((k) => graphHops.get(k)?.get(p.id) ?? NaN)),
  );
  const stats = (v: number[]) => ({
    max: v[v.length - 1]!,
    p99: v[Math.floor(v.length * 0.99)]!,
    mean: v.reduce((a, b) => a + b, 0) / v.length,
  });
  const hops = stats(shortest);
  const copyHops = stats(firstCopy);
  const dups = original.map((p) => Math.max(0, p.updatesReceived / o.updates - 1));
  const links = survivors.map((p) => [...p.links.values()].filter((l) => l.open).length);
  const result: SimResult = {
    peers: o.peers,
    degree: o.degree,
    forward: o.forward,
    churn: o.churn,
    converged: Number.isFinite(convergenceMs),
    convergedPeers: survivors.filter(holdsAll).length,
    livePeers: survivors.length,
    convergenceMs: Math.round(convergenceMs),
    maxHops: hops.max,
    p99Hops: hops.p99,
    meanHops: hops.mean,
    maxFirstCopyHops: copyHops.max,
    p99FirstCopyHops: copyHops.p99,
    meanFirstCopyHops: copyHops.mean,
    unreachableAtWrite: original.length * keys.length - shortest.length,
    hopTarget: Math.log(o.peers) / Math.log(o.degree) + 3,
    duplicatesPerUpdatePerPeer: dups.reduce((a, b) => a + b, 0) / dups.length,
    maxDuplicatesPerUpdatePerPeer: Math.max(...dups),
    linksPerPeer: links.reduce((a, b) => a + b, 0) / links.length,
    maxLinksPerPeer: Math.max(...links),
    relay,
  };

  clock.clear();
  for (const p of peers.values()) if (p.alive) leave(p);
  return result;
}
