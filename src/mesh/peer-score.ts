/**
 * Per-peer scoring: how the mesh decides that a peer misbehaves enough to be dropped, and for
 * how long it is then refused.
 *
 * - Penalties (bad file blocks, anything a layer above reports through `mesh.penalize`) add up
 *   and decay with a half-life, so an honest peer's rare glitch is forgotten while a steady
 *   stream of bad input crosses the threshold. Hard violations (an invalid update, a framing
 *   violation) are the threshold at once.
 * - Floods: every incoming message takes a token from a per-peer bucket; an empty bucket drops
 *   the peer. The rate is far above what people produce (gossip forwards each update once per
 *   link), so only a flooding peer empties it.
 * - Refusal is time-based: a PeerId is refused for `refuseMs`, doubled at each new refusal of
 *   the same peer (capped), not forever — a PeerId is a tab, and a tab may recover.
 */
import type { PeerId } from '../shared/ids';

export interface PeerScoreOptions {
  /** Score at which a peer is dropped and refused. */
  threshold: number;
  /** Penalties halve after this long. */
  halfLifeMs: number;
  /** First refusal; later ones double, up to `maxRefuseMs`. */
  refuseMs: number;
  maxRefuseMs: number;
  /** Sustained messages per second from one peer, and the burst above it. */
  messagesPerSecond: number;
  burst: number;
  now: () => number;
}

export const DEFAULT_PEER_SCORE: PeerScoreOptions = {
  threshold: 100,
  halfLifeMs: 60_000,
  refuseMs: 10 * 60_000,
  maxRefuseMs: 6 * 60 * 60_000,
  messagesPerSecond: 500,
  burst: 5_000,
  now: () => Date.now(),
};

export interface PeerScores {
  /** Adds a penalty; true when the peer is now over the threshold (the caller drops it). */
  penalize(peer: PeerId, weight: number): boolean;
  /** Takes one message token; false when the peer is flooding. */
  allowMessage(peer: PeerId): boolean;
  /** Refuses the peer for a while. */
  refuse(peer: PeerId): void;
  isRefused(peer: PeerId): boolean;
  /** The peer left: its score and bucket go, a refusal (and its strike count) stays. */
  forget(peer: PeerId): void;
  /** Current (decayed) penalty score, for tests and diagnostics. */
  score(peer: PeerId): number;
}

interface Entry {
  score: number;
  scoredAt: number;
  tokens: number;
  filledAt: number;
}

/** Refusals kept at most: a stream of fresh PeerIds must not grow memory without bound. */
const MAX_REFUSALS = 10_000;

export function createPeerScores(overrides: Partial<PeerScoreOptions> = {}): PeerScores {
  const o = { ...DEFAULT_PEER_SCORE, ...overrides };
  const entries = new Map<PeerId, Entry>();
  const refusals = new Map<PeerId, { until: number; strikes: number }>();

  function entry(peer: PeerId): Entry {
    let e = entries.get(peer);
    if (e === undefined) {
      const now = o.now();
      e = { score: 0, scoredAt: now, tokens: o.burst, filledAt: now };
      entries.set(peer, e);
    }
    return e;
  }

  function decayed(e: Entry, now: number): number {
    return e.score * Math.pow(0.5, (now - e.scoredAt) / o.halfLifeMs);
  }

  return {
    penalize(peer, weight) {
      const e = entry(peer);
      const now = o.now();
      e.score = decayed(e, now) + Math.max(0, weight);
      e.scoredAt = now;
      return e.score >= o.threshold;
    },

    allowMessage(peer) {
      const e = entry(peer);
      const now = o.now();
      e.tokens = Math.min(o.burst, e.tokens + ((now - e.filledAt) / 1000) * o.messagesPerSecond);
      e.filledAt = now;
      if (e.tokens < 1) return false;
      e.tokens--;
      return true;
    },

    refuse(peer) {
      const strikes = (refusals.get(peer)?.strikes ?? 0) + 1;
      const ms = Math.min(o.maxRefuseMs, o.refuseMs * 2 ** (strikes - 1));
      refusals.delete(peer);
      refusals.set(peer, { until: o.now() + ms, strikes });
      entries.delete(peer);
      // Oldest first: Map keeps insertion order.
      if (refusals.size > MAX_REFUSALS) refusals.delete(refusals.keys().next().value!);
    },

    isRefused(peer) {
      const refusal = refusals.get(peer);
      return refusal !== undefined && o.now() < refusal.until;
    },

    forget(peer) {
      entries.delete(peer);
    },

    score(peer) {
      const e = entries.get(peer);
      return e === undefined ? 0 : decayed(e, o.now());
    },
  };
}
