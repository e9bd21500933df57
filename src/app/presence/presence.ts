/**
 * Presence beyond our direct links (docs/membership.md, "Presence"). Every heartbeat this
 * browser signs a presence record (community/presence.ts) and sends it to its neighbours; each
 * neighbour verifies it and sends it on to its own neighbours but the sender, once: a record is
 * new only if it is newer than the last one accepted for its key, so every peer forwards each
 * record at most once per link — O(degree) per record per peer, like gossip.ts for updates.
 *
 * Checks, cheapest first: shape, newer than what we hold (replays and duplicates stop here),
 * the per-key rate limit, community, expiry, skew, the signer's standing, and only then the
 * signature. Malformed or forged records are the sender's fault (an honest neighbour verifies
 * before forwarding) and cost it peer score; the rest are dropped silently.
 */
import type { CommunityState } from '../../community/state';
import type { Identity } from '../../community/identity';
import {
  parsePresence,
  presenceStanding,
  signPresence,
  verifyPresence,
  type PresenceRecord,
} from '../../community/presence';
import type { CommunityId, MemberId, PeerId } from '../../shared/ids';

/** How often we say we are here; a record lasts PRESENCE_TTL_MS (three heartbeats). */
export const HEARTBEAT_MS = 20_000;
/** Fewest ms between two records accepted for one key (an honest key sends one per heartbeat). */
const MIN_GAP_MS = 5_000;
/** Penalty for a malformed or forged record (peer-score.ts: 100 drops the peer). */
const GARBAGE_WEIGHT = 25;

/** What presence needs of the mesh (createMesh provides it; tests wire services together). */
export interface PresenceTransport {
  /** Admitted peers now. */
  neighbours(): PeerId[];
  send(peer: PeerId, payload: Uint8Array): void;
  penalize(peer: PeerId, reason: string, weight: number): void;
}

export interface PresenceOptions {
  community: CommunityId;
  identity: Identity;
  state: () => CommunityState;
  transport: PresenceTransport;
  /** Someone came online, went offline or was seen again. */
  onChange?: () => void;
  now?: () => number;
}

interface Held {
  record: PresenceRecord;
  bytes: Uint8Array;
  /** Our clock when we accepted it (the rate limit runs on our clock, not the signer's). */
  receivedAt: number;
}

export interface Presence {
  /** One message from a neighbour on the presence channel. */
  receive(peer: PeerId, payload: Uint8Array): Promise<void>;
  /** A neighbour was admitted: it gets every record we hold that is still live. */
  peerAdmitted(peer: PeerId): void;
  /** Signs and sends our record now (the timer calls this every HEARTBEAT_MS). */
  heartbeat(): Promise<void>;
  /** Keys (members' own and devices') with a live, valid record; ours left out. */
  onlineKeys(): MemberId[];
  /** The latest `at` of a valid record, by member, live or not: "last seen". */
  lastSeen(): Map<MemberId, number>;
  destroy(): void;
}

export function createPresence(o: PresenceOptions): Presence {
  const now = o.now ?? (() => Date.now());
  const held = new Map<MemberId, Held>();
  /** Records being verified, by `key:at`: the same record from two neighbours is checked once. */
  const verifying = new Set<string>();
  let online = '';
  let destroyed = false;

  function sendTo(peers: PeerId[], bytes: Uint8Array): void {
    for (const peer of peers) {
      try {
        o.transport.send(peer, bytes);
      } catch {
        // The link reports its own failure; one peer must not stop the others.
      }
    }
  }

  function live(): [MemberId, Held][] {
    const state = o.state();
    const t = now();
    return [...held].filter(
      ([key, h]) =>
        key !== o.identity.memberId && presenceStanding(h.record, o.community, state, t).ok,
    );
  }

  /** Tells the page only when the set of online keys changed (records expire silently). */
  function noticeChange(): void {
    const next = live()
      .map(([key]) => key)
      .sort()
      .join(',');
    if (next === online) return;
    online = next;
    o.onChange?.();
  }

  async function receive(peer: PeerId, payload: Uint8Array): Promise<void> {
    const record = parsePresence(payload);
    if (record === null) return o.transport.penalize(peer, 'malformed presence', GARBAGE_WEIGHT);
    const id = `${record.key}:${record.at}`;
    const last = held.get(record.key);
    if ((last && record.at <= last.record.at) || verifying.has(id)) return;
    if (last && now() - last.receivedAt < MIN_GAP_MS) return;
    if (!presenceStanding(record, o.community, o.state(), now()).ok) return;
    verifying.add(id);
    const genuine = await verifyPresence(record);
    verifying.delete(id);
    if (destroyed) return;
    if (!genuine) return o.transport.penalize(peer, 'forged presence', GARBAGE_WEIGHT);
    // A newer record may have been accepted while this one was verified.
    if ((held.get(record.key)?.record.at ?? -Infinity) >= record.at) return;
    held.set(record.key, { record, bytes: payload, receivedAt: now() });
    sendTo(
      o.transport.neighbours().filter((p) => p !== peer),
      payload,
    );
    noticeChange();
  }

  async function heartbeat(): Promise<void> {
    const at = now();
    const bytes = await signPresence(o.identity, o.community, at);
    if (destroyed) return;
    const record = parsePresence(bytes)!;
    // Held like anyone's, so our own record coming back through the mesh is a duplicate.
    held.set(o.identity.memberId, { record, bytes, receivedAt: at });
    sendTo(o.transport.neighbours(), bytes);
    noticeChange();
  }

  const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);

  return {
    receive,
    heartbeat,
    peerAdmitted(peer) {
      const t = now();
      for (const h of held.values()) if (h.record.expiresAt > t) sendTo([peer], h.bytes);
    },
    onlineKeys: () => live().map(([key]) => key),
    lastSeen() {
      const state = o.state();
      const seen = new Map<MemberId, number>();
      for (const [key, h] of held) {
        if (key === o.identity.memberId || state.devices.get(key)?.revoked) continue;
        const member = state.devices.get(key)?.member ?? key;
        seen.set(member, Math.max(seen.get(member) ?? 0, h.record.at));
      }
      return seen;
    },
    destroy() {
      destroyed = true;
      clearInterval(timer);
    },
  };
}
