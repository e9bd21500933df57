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
  maxHops: number;
  p99Hops: number;
  meanHops: number;
  hopTarget: number;
  /** Copies of an update a peer received, beyond the first, averaged; and the worst peer. */
  duplicatesPerUpdatePerPeer: number;
  maxDuplicatesPerUpdatePerPeer: number;
  linksPerPeer: number;
  maxLinksPerPeer: number;
  relayMessages: number;
}

interface SimPeer {
  id: PeerId;
  doc: Y.Doc;
  awareness: Awareness;
  engine: SyncEngine;
  alive: boolean;
  /** Open or pending links (pending ones count, so a peer does not over-dial). */
  links: Map<PeerId, { open: boolean }>;
  /** Index in `alive` while alive. */
  slot: number;
  attempt: number;
  announceTimer?: ReturnType<typeof setTimeout>;
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
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let relayMessages = 0;
  let nextId = 0;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  // ---- relay: a broadcast reaches every live peer, an addressed one just one ----
  /**
   * Every live peer gets the announce, and each answers independently with the probability
   * topology.answerChance gives (answersAnnounce) unless the message was lost. Only the answerers matter, so they
   * are drawn directly — skipping ahead by geometric gaps over the live peers — instead of a
   * coin per recipient: the same distribution in O(answers), not O(N). Drawing a coin for
   * each of N recipients of each announce was most of the run time at 1,000 peers.
   */
  function broadcast(from: SimPeer, p: number): void {
    relayMessages += alive.length - 1;
    // Every peer knows the community's size here (the app: the members in its doc).
    const q = topology.answerChance(p, alive.length) * (1 - o.relayLoss);
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
      for (const to of chosen) if (to.alive && to !== from) onAnnounce(to, from.id, false);
    });
  }
  function unicast(from: SimPeer, to: PeerId, fn: (to: SimPeer) => void): void {
    relayMessages++;
    if (random() < o.relayLoss) return;
    later(latency(), () => {
      const peer = peers.get(to);
      if (peer?.alive && from.alive) fn(peer);
    });
  }

  // ---- discovery and links, by mesh.ts's rules with topology.ts's decisions ----
  function scheduleAnnounce(peer: SimPeer): void {
    clearTimeout(peer.announceTimer);
    if (!peer.alive || !topology.wantsLinks(peer.links.size)) {
      peer.attempt = 0;
      return;
    }
    const delay = Math.min(FAST_ANNOUNCE_MS * 2 ** peer.attempt, 5_000) * (0.75 + random() / 2);
    peer.announceTimer = setTimeout(() => {
      if (!peer.alive || !topology.wantsLinks(peer.links.size)) return;
      broadcast(peer, topology.announceProbability(peer.attempt));
      peer.attempt++;
      scheduleAnnounce(peer);
    }, delay);
  }

  /** `addressed`: asked by name; otherwise a broadcast this peer already chose to answer. */
  function onAnnounce(peer: SimPeer, from: PeerId, addressed: boolean): void {
    const existing = peer.links.get(from);
    if (existing !== undefined) {
      // Both asked at once: the lower one dials.
      if (addressed && !existing.open && peer.id < from) {
        peer.links.delete(from);
        link(peer, from);
      }
      return;
    }
    if (topology.acceptsLink(peer.links.size)) link(peer, from);
  }

  function link(peer: SimPeer, other: PeerId): void {
    if (peer.links.has(other) || other === peer.id) return;
    // Pending links count, invitations included, so a peer does not collect too many.
    peer.links.set(other, { open: false });
    later(CONNECT_TIMEOUT_MS, () => {
      if (peer.links.get(other)?.open === false) unlink(peer, other);
    });
    if (peer.id > other) {
      // The lower PeerId dials: ask it to (an addressed announce).
      unicast(peer, other, (to) => onAnnounce(to, peer.id, true));
      return;
    }
    // Offer and answer through the relay; either may be lost, then the attempt times out.
    unicast(peer, other, (answerer) => {
      // An offer we invited is taken even when full; any other needs room.
      const invited = answerer.links.get(peer.id);
      if (invited?.open === true) return;
      if (invited === undefined && !topology.acceptsLink(answerer.links.size)) return;
      answerer.links.set(peer.id, { open: false });
      unicast(answerer, peer.id, () => {
        if (!peer.links.has(other) || !answerer.links.has(peer.id)) return;
        peer.links.set(other, { open: true });
        answerer.links.set(peer.id, { open: true });
        peer.engine.addPeer(other);
        answerer.engine.addPeer(peer.id);
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
    later(latency(), () => {
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
    clearTimeout(peer.announceTimer);
    for (const other of [...peer.links.keys()]) {
      const o2 = peers.get(other);
      if (o2) unlink(o2, peer.id);
    }
    peer.links.clear();
    peer.engine.destroy();
    peer.awareness.destroy();
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
  const started = performance.now();
  const keys: string[] = [];
  const spread = 500;
  authors.forEach((author, i) =>
    later((spread * i) / Math.max(1, authors.length), () => {
      const key = `u${i}`;
      keys.push(key);
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
      convergenceMs = performance.now() - started;
      break;
    }
  }

  const survivors = live();
  const original = survivors.filter((p) => !leavers.includes(p) && Number(p.id.slice(1)) < o.peers);
  // Hops by gossip, over the peers there from start to end (a newcomer's copy comes by its
  // first sync, one step from whoever it met, however long the path before).
  const hops = original
    .flatMap((p) => keys.map((k) => p.hops.get(k) ?? NaN))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
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
    maxHops: hops[hops.length - 1]!,
    p99Hops: hops[Math.floor(hops.length * 0.99)]!,
    meanHops: hops.reduce((a, b) => a + b, 0) / hops.length,
    hopTarget: Math.ceil(Math.log(o.peers) / Math.log(o.degree)) + 3,
    duplicatesPerUpdatePerPeer: dups.reduce((a, b) => a + b, 0) / dups.length,
    maxDuplicatesPerUpdatePerPeer: Math.max(...dups),
    linksPerPeer: links.reduce((a, b) => a + b, 0) / links.length,
    maxLinksPerPeer: Math.max(...links),
    relayMessages,
  };

  for (const t of timers) clearTimeout(t);
  for (const p of peers.values()) {
    clearTimeout(p.announceTimer);
    if (p.alive) leave(p);
  }
  return result;
}
