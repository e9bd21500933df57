/**
 * What a peer tells others about its copy of the doc, small enough for awareness whatever the
 * community's size (docs/offline.md): a hash and the clock sum of its whole state vector, and
 * the exact clocks of the clients that changed most recently. Equal hashes mean equal state
 * vectors, which is what "up to date" promises; the recent clocks tell an author which of its
 * own new events a peer holds ("not yet seen by any peer").
 */

/** Clients listed exactly in a digest: enough for everything written in one sitting. */
export const RECENT_CLIENTS = 256;

export interface SyncDigest {
  /** Hash of the sorted state vector. */
  h: string;
  /** Sum of all clocks: how many events this copy holds (one clock per event). */
  n: number;
  /** [client, clock] of the most recently changed clients. */
  r: [number, number][];
}

export type StateVector = Map<number, number>;

export function digestOf(sv: StateVector, recent: readonly number[]): SyncDigest {
  return {
    h: hashStateVector(sv),
    n: clockSum(sv),
    r: recent.filter((c) => sv.has(c)).map((c) => [c, sv.get(c)!]),
  };
}

export function clockSum(sv: StateVector): number {
  let sum = 0;
  for (const clock of sv.values()) sum += clock;
  return sum;
}

/**
 * 64-bit FNV-1a over the sorted (client, clock) pairs, as two 32-bit halves. Not a security
 * hash: a peer that lies about its digest only misleads our status line, never our data.
 */
export function hashStateVector(sv: StateVector): string {
  const entries = [...sv].filter(([, clock]) => clock > 0).sort((a, b) => a[0] - b[0]);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const [client, clock] of entries) {
    for (const n of [client, clock]) {
      // Both halves of a 53-bit integer.
      for (const part of [n % 2 ** 32, Math.floor(n / 2 ** 32)]) {
        a = Math.imul(a ^ part, 0x01000193) >>> 0;
        b = Math.imul(b ^ part, 0x5bd1e995) >>> 0;
        b = (b ^ (b >>> 15)) >>> 0;
      }
    }
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** A peer's digest from its awareness state, or null when it is missing or malformed. */
export function parseDigest(value: unknown): SyncDigest | null {
  if (typeof value !== 'object' || value === null) return null;
  const { h, n, r } = value as Record<string, unknown>;
  if (typeof h !== 'string' || h.length > 32 || !isCount(n) || !Array.isArray(r)) return null;
  if (r.length > RECENT_CLIENTS) return null;
  const recent: [number, number][] = [];
  for (const entry of r) {
    if (!Array.isArray(entry) || entry.length !== 2 || !isCount(entry[0]) || !isCount(entry[1]))
      return null;
    recent.push([entry[0], entry[1]]);
  }
  return { h, n, r: recent };
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

export interface PeerSync {
  upToDate: number;
  /** Set while some peer holds more than we do: events received since it started, of how many. */
  progress: { done: number; total: number } | null;
}

/**
 * Compares our state with the peers' digests. `start` is our clock sum when the current catch-up
 * began (null when none is running); the caller keeps it between calls.
 */
export function comparePeers(
  ours: SyncDigest,
  peers: readonly SyncDigest[],
  start: number | null,
): PeerSync & { start: number | null } {
  const upToDate = peers.filter((p) => p.h === ours.h).length;
  const ahead = peers.filter((p) => p.h !== ours.h && p.n > ours.n);
  if (ahead.length === 0) return { upToDate, progress: null, start: null };
  const from = start ?? ours.n;
  const target = Math.max(...ahead.map((p) => p.n));
  const total = Math.max(1, target - from);
  return {
    upToDate,
    progress: { done: Math.min(total, Math.max(0, ours.n - from)), total },
    start: from,
  };
}
