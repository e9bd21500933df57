/**
 * The block swarm: which blocks to ask whom for, and answering peers who ask us. It knows
 * nothing of WebRTC or IndexedDB — messages go out through `send` and blocks in and out through
 * `readBlock`/`storeBlock` — so it runs the same over the mesh and over an in-memory link in
 * the unit tests.
 *
 * Downloading: every peer says what it holds (HAVE bitfields, then HAVE_ONE per new block). We
 * keep a window of requests in flight per peer (pipelining; its size follows the measured queue,
 * request-window.ts, so blocks never pile up seconds deep in front of posts), pick the block
 * held by the fewest peers first (rarest first), and check each arriving block against the
 * manifest's SHA-256 before it is stored. Verified blocks are written in batches (one IndexedDB
 * transaction for all that arrived while the previous write ran), and requests are answered in
 * batches read in one transaction. A wrong block is discarded and fetched elsewhere; a peer that
 * sends MAX_STRIKES wrong blocks is dropped, and only that peer. A peer that leaves or stalls
 * gives its requests back to the pool, so another peer with the file continues the download.
 *
 * Serving (block-server.ts): a request for a block we hold is answered from the store, as fast
 * as the page's upload limit (upload-limit.ts) lets it.
 */
import { MAX_BLOCKS } from '../community/files/manifest';
import type { EventId, PeerId } from '../shared/ids';
import { Bitfield } from './bitfield';
import { createBlockServer } from './block-server';
import { blockBytes, countHolders, rarestBlock } from './rarest-first';
import { RequestWindow } from './request-window';
import { REQUEST_TIMEOUT_MS, type BlockWrite, type Swarm, type SwarmDeps } from './swarm-api';
import { SpeedMeter } from './speed-meter';
import type { FileEntry, PeerEntry } from './swarm-state';
import { decode, encode, type WireMessage } from './wire';

export type { BlockWrite, FileMode, Swarm, SwarmDeps, SwarmFile, SwarmProgress } from './swarm-api';

export const MAX_STRIKES = 3;
/** HAVEs for files whose manifest we have not seen yet, per peer. */
const MAX_UNKNOWN_FILES = 256;
/**
 * For this long after the community's doc changed (a post arrived or was written), at most one
 * block is asked of each peer at a time. A post shares the connection, and the threads of
 * both pages, with every block already requested: at the request window's ~250 ms of queue a
 * post took ~6× its idle time to show (bench/files.ts (c), 40 MiB runs, load 12). One block in
 * flight keeps the transfer going at roughly half speed while people talk; the first post
 * after a quiet spell still waits behind the full window, the ones after it do not.
 */
export const TALKING_MS = 5_000;

const key = (file: EventId, index: number): string => `${file} ${index}`;

export function createSwarm(deps: SwarmDeps): Swarm {
  const now = deps.now ?? Date.now;
  const files = new Map<EventId, FileEntry>();
  const peers = new Map<PeerId, PeerEntry>();
  /** Verified blocks waiting for the next batched write, and whether one is running. */
  let toStore: { entry: FileEntry; index: number; data: Uint8Array }[] = [];
  let writing = false;
  let destroyed = false;
  let talkingUntil = 0;
  let talkingTimer: ReturnType<typeof setTimeout> | undefined;
  const timer = setInterval(expireRequests, 1_000);

  const send = (peer: PeerId, message: WireMessage) => {
    if (!destroyed && peers.has(peer)) deps.send(peer, encode(message));
  };
  const changed = (file: EventId) => deps.onChange?.(file);

  function sendHaves(peer: PeerId): void {
    for (const entry of files.values())
      if (entry.have.count() > 0)
        send(peer, { type: 'have', file: entry.file.id, bits: entry.have });
  }

  function release(peer: PeerId, entry: PeerEntry, file: EventId, index: number): void {
    if (!entry.inflight.delete(key(file, index))) return;
    const f = files.get(file);
    entry.inflightBytes -= f ? blockBytes(f.file, index) : 0;
    if (f?.pending.get(index)?.peer === peer) f.pending.delete(index);
  }

  function drop(peer: PeerId, reason: string): void {
    removePeer(peer);
    deps.dropPeer(peer, reason);
  }

  function strike(peer: PeerId, entry: PeerEntry, reason: string): void {
    if (peers.get(peer) !== entry) return; // already dropped; its blocks were still in checking
    entry.strikes++;
    if (entry.strikes >= MAX_STRIKES) drop(peer, `${reason} (${entry.strikes} times)`);
  }

  // ---- downloading -----------------------------------------------------------------------

  function schedule(): void {
    if (destroyed) return;
    for (const entry of files.values()) {
      if (entry.mode !== 'downloading' || entry.have.complete()) continue;
      const { file } = entry;
      const holders = [...peers].filter(([, p]) => p.have.has(file.id));
      // Most calls (every block, every have-one) find every window full: skip counting rarity
      // over all blocks then, which was ~1 ms a call at 160 blocks (CPU profile).
      if (!holders.some(([, p]) => hasRoom(p, file.blockSize))) continue;
      const rarity = countHolders(
        file.hashes.length,
        holders.map(([, p]) => p.have.get(file.id)!),
      );
      const wanted = (i: number) => !entry.have.has(i) && !entry.pending.has(i);
      // One request per peer per round, so the rarest blocks spread over the peers.
      for (let progress = true; progress;) {
        progress = false;
        for (const [peer, p] of holders) {
          if (!hasRoom(p, file.blockSize)) continue;
          const index = rarestBlock(p.have.get(file.id)!, rarity, wanted);
          if (index === -1) continue;
          entry.pending.set(index, { peer, at: now() });
          p.inflight.set(key(file.id, index), now());
          p.inflightBytes += blockBytes(file, index);
          send(peer, { type: 'request', file: file.id, index });
          progress = true;
        }
      }
    }
  }

  function hasRoom(p: PeerEntry, blockSize: number): boolean {
    if (now() < talkingUntil) return p.inflightBytes === 0;
    return p.window.allows(p.inflightBytes, blockSize);
  }

  function onBlock(peer: PeerId, p: PeerEntry, file: EventId, index: number, data: Uint8Array) {
    // Only blocks we asked this peer for; a late answer to an expired request is ignored.
    const askedAt = p.inflight.get(key(file, index));
    if (askedAt === undefined) return;
    const entry = files.get(file);
    if (entry) p.window.onBlock(data.length, now() - askedAt, entry.file.blockSize);
    release(peer, p, file, index);
    if (!entry || entry.have.has(index)) return schedule();
    entry.pending.set(index, { peer: null, at: now() });
    void verifyAndStore(peer, p, entry, index, data);
    schedule();
  }

  async function verifyAndStore(
    peer: PeerId,
    p: PeerEntry,
    entry: FileEntry,
    index: number,
    data: Uint8Array,
  ): Promise<void> {
    const { file } = entry;
    const good =
      data.length === blockBytes(file, index) && (await deps.hash(data)) === file.hashes[index];
    if (destroyed) return;
    if (!good) {
      entry.pending.delete(index);
      p.have.get(file.id)?.set(index, false); // never ask it for this block again
      strike(peer, p, 'sent blocks that do not match their hash');
      return schedule();
    }
    entry.sources.add(peer);
    toStore.push({ entry, index, data });
    void flushStores();
  }

  /** Writes every verified block waiting, in one transaction, then marks and announces them. */
  async function flushStores(): Promise<void> {
    if (writing || toStore.length === 0 || destroyed) return;
    writing = true;
    const batch = toStore.filter(({ entry }) => files.get(entry.file.id) === entry);
    toStore = [];
    const writes = new Map<FileEntry, BlockWrite>();
    for (const { entry, index, data } of batch) {
      let write = writes.get(entry);
      if (!write) {
        write = {
          file: entry.file,
          blocks: [],
          have: new Bitfield(entry.have.size, entry.have.bytes),
        };
        writes.set(entry, write);
      }
      write.blocks.push({ index, data });
      write.have.set(index);
    }
    let stored = true;
    try {
      if (writes.size > 0) await deps.storeBlocks([...writes.values()]);
    } catch (e) {
      console.error('files: could not store blocks', e);
      stored = false;
    }
    writing = false;
    if (destroyed) return;
    for (const { entry, index } of batch) {
      if (files.get(entry.file.id) !== entry) continue;
      entry.pending.delete(index);
      if (!stored) continue;
      entry.have.set(index);
      entry.speed.record(blockBytes(entry.file, index));
      // Not to peers holding the whole file: they never ask us for it. A data channel send
      // costs the page ~0.65 ms (CPU profile), and these were half of a downloader's sends.
      for (const [other, o] of peers)
        if (!o.have.get(entry.file.id)?.complete())
          send(other, { type: 'have-one', file: entry.file.id, index });
    }
    for (const entry of writes.keys()) changed(entry.file.id);
    schedule();
    void flushStores();
  }

  function expireRequests(): void {
    const cutoff = now() - REQUEST_TIMEOUT_MS;
    let any = false;
    for (const entry of files.values()) {
      for (const [index, r] of entry.pending) {
        if (r.peer === null || r.at > cutoff) continue;
        const p = peers.get(r.peer);
        p?.window.onTimeout(entry.file.blockSize);
        if (p) release(r.peer, p, entry.file.id, index);
        else entry.pending.delete(index);
        any = true;
      }
    }
    if (any) schedule();
  }

  // ---- serving ---------------------------------------------------------------------------

  const serve = createBlockServer({
    readBlocks: deps.readBlocks,
    queuedBytes: deps.queuedBytes,
    held: (file, index) => {
      const entry = files.get(file);
      const hash = entry?.have.has(index) ? entry.file.hashes[index] : undefined;
      return hash === undefined ? null : { hash, bytes: blockBytes(entry!.file, index) };
    },
    lost: (file, index) => files.get(file)?.have.set(index, false),
    connected: (peer) => peers.has(peer),
    send,
    drop,
    stopped: () => destroyed,
    uploadLimit: deps.uploadLimit,
    now,
  });

  // ---- peers -----------------------------------------------------------------------------

  function receive(peer: PeerId, bytes: Uint8Array): void {
    const p = peers.get(peer);
    if (!p || destroyed) return;
    const decoded = decode(bytes, MAX_BLOCKS);
    if (!decoded.ok) return drop(peer, decoded.error);
    const m = decoded.value;
    if (m.type === 'hello') return sendHaves(peer);
    const entry = files.get(m.file);
    switch (m.type) {
      case 'have':
        if (!entry) {
          if (p.unknown.size < MAX_UNKNOWN_FILES || p.unknown.has(m.file))
            p.unknown.set(m.file, m.bits);
          return;
        }
        if (m.bits.size !== entry.file.hashes.length)
          return drop(peer, 'bitfield of the wrong size');
        // It held the whole file, so it heard none of our have-ones: tell it what we hold.
        if (p.have.get(m.file)?.complete() && !m.bits.complete() && entry.have.count() > 0)
          send(peer, { type: 'have', file: m.file, bits: entry.have });
        p.have.set(m.file, m.bits);
        changed(m.file);
        return schedule();
      case 'have-one': {
        const bits = p.have.get(m.file) ?? (entry ? new Bitfield(entry.file.hashes.length) : null);
        if (!bits || !entry || m.index >= bits.size) return;
        const fresh = !p.have.has(m.file);
        bits.set(m.index);
        p.have.set(m.file, bits);
        if (fresh) changed(m.file);
        return schedule();
      }
      case 'request':
        return serve(peer, m.file, m.index);
      case 'block':
        return onBlock(peer, p, m.file, m.index, m.data);
      case 'dont-have':
        p.have.get(m.file)?.set(m.index, false);
        release(peer, p, m.file, m.index);
        return schedule();
    }
  }

  function removePeer(peer: PeerId): void {
    const p = peers.get(peer);
    if (!p) return;
    for (const k of [...p.inflight.keys()]) {
      const [file, index] = k.split(' ') as [EventId, string];
      release(peer, p, file, Number(index));
    }
    peers.delete(peer);
    for (const id of p.have.keys()) changed(id);
    schedule();
  }

  return {
    addFile(file, have, mode) {
      if (files.has(file.id)) return;
      files.set(file.id, {
        file,
        have,
        mode,
        pending: new Map(),
        speed: new SpeedMeter(now),
        sources: new Set(),
      });
      for (const p of peers.values()) {
        const bits = p.unknown.get(file.id);
        p.unknown.delete(file.id);
        if (bits?.size === file.hashes.length) p.have.set(file.id, bits);
      }
      for (const peer of peers.keys())
        if (have.count() > 0) send(peer, { type: 'have', file: file.id, bits: have });
      schedule();
    },
    setMode(id, mode) {
      const entry = files.get(id);
      if (!entry || entry.mode === mode) return;
      entry.mode = mode;
      changed(id);
      schedule();
    },
    setHave(id, have) {
      const entry = files.get(id);
      if (!entry) return;
      entry.have = have;
      entry.pending.clear();
      for (const [peer, p] of peers) {
        for (const k of [...p.inflight.keys()])
          if (k.startsWith(`${id} `)) release(peer, p, id, Number(k.split(' ')[1]));
        send(peer, { type: 'have', file: id, bits: have });
      }
      changed(id);
      schedule();
    },
    progress(id) {
      const entry = files.get(id);
      if (!entry) return null;
      const have = entry.have.count();
      return {
        mode: entry.mode,
        have,
        total: entry.have.size,
        peers: [...peers.values()].filter((p) => (p.have.get(id)?.count() ?? 0) > 0).length,
        sources: entry.sources.size,
        bytesPerSecond: entry.speed.bytesPerSecond(),
        complete: have === entry.have.size,
      };
    },
    addPeer(peer) {
      if (peers.has(peer) || destroyed) return;
      peers.set(peer, {
        have: new Map(),
        unknown: new Map(),
        inflight: new Map(),
        inflightBytes: 0,
        window: new RequestWindow(),
        strikes: 0,
      });
      send(peer, { type: 'hello' });
      sendHaves(peer);
    },
    removePeer,
    talking() {
      talkingUntil = now() + TALKING_MS;
      clearTimeout(talkingTimer);
      talkingTimer = setTimeout(schedule, TALKING_MS);
    },
    receive,
    destroy() {
      destroyed = true;
      clearInterval(timer);
      clearTimeout(talkingTimer);
      files.clear();
      peers.clear();
    },
  };
}
