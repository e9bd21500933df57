/**
 * Where an update goes once it is in our doc. In a full mesh every peer hears each author
 * directly, so a remote update goes nowhere. In a partial mesh (topology.ts) it goes on to
 * every neighbour but the one it came from.
 *
 * Deduplication needs no message ids: Yjs fires the doc's update event only for what a
 * transaction actually added, so an update we already had is never forwarded a second time,
 * and sync.ts skips validating an update whose clock ranges we already hold (decode-budget.ts).
 * Each peer therefore sends each update at most once per link, and receives it at most once per
 * neighbour: duplicates per update per peer ≤ degree − 1.
 */
import type { PeerId } from '../shared/ids';

export type ForwardMode = 'none' | 'gossip' | 'flood';

/**
 * The peers an update goes to. `from` is the peer it came from, or null for our own update.
 * `flood` is y-webrtc's behaviour (to everyone, echo included), only for the baseline.
 */
export function forwardTargets(
  mode: ForwardMode,
  from: PeerId | null,
  peers: Iterable<PeerId>,
): PeerId[] {
  const all = [...peers];
  if (from === null || mode === 'flood') return all;
  if (mode === 'none') return [];
  return all.filter((peer) => peer !== from);
}
