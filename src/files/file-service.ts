/**
 * Shared files for one open community: the signed manifests from the doc, the blocks in the
 * block store, and the swarm over the mesh's `blocks` channel. This is what FilesHandle (the
 * UI's view of files) runs on.
 *
 * Small files (up to a size set in Settings, DEFAULT_AUTO_FETCH_BYTES until then) are fetched
 * as soon as their manifest arrives; larger ones when the person asks. What we are fetching is remembered with the blocks, so a reload picks
 * the download up where it stopped.
 */
import type { CommunityDoc } from '../community/community-doc';
import { chooseBlockSize, MAX_FILE_BYTES, type SharedFile } from '../community/files/manifest';
import type { Mesh } from '../mesh/types';
import { toBase64url } from '../shared/base64url';
import { sha256 } from '../shared/bytes';
import type { EventId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import * as blockStore from '../store/block-store';
import { Bitfield } from './bitfield';
import { createBlockIo } from './block-io';
import type { FileEntryView, FilesHandle, LocalState, Preparing } from './files-api';
import { hashFile } from './hash-file';
import { createSwarm, type FileMode } from './swarm';

/** Files up to this size are fetched without asking (DESIGN §7), until Settings say otherwise. */
export const DEFAULT_AUTO_FETCH_BYTES = 10 * 1000 * 1000;
/** The largest a file can be (manifest.ts): a setting above it would mean "everything". */
const MAX_AUTO_FETCH_BYTES = MAX_FILE_BYTES;
/** While something downloads, refresh the speed shown this often. */
const TICK_MS = 1_000;

const hashOf = async (data: Uint8Array) => toBase64url(await sha256(data));
const listKey = (hashes: string[], size: number) => `${size}:${hashes.join(',')}`;

export interface FileService extends FilesHandle {
  destroy(): void;
}

export function createFileService(cdoc: CommunityDoc, mesh: Mesh): FileService {
  const listeners = new Set<() => void>();
  const known = new Map<EventId, SharedFile>();
  /** Files we just hashed and are announcing: we hold every block already. */
  const ours = new Set<string>();
  const preparing: Preparing[] = [];
  let destroyed = false;
  let notifyQueued = false;

  function notify(): void {
    if (notifyQueued || destroyed) return;
    notifyQueued = true;
    queueMicrotask(() => {
      notifyQueued = false;
      listeners.forEach((l) => l());
    });
  }

  const blockIo = createBlockIo();
  const swarm = createSwarm({
    send: (peer, message) => void mesh.sendBlocks(peer, message),
    dropPeer: (peer, reason) => {
      console.warn(`Dropped peer ${peer}: ${reason}.`);
      mesh.refusePeer(peer, reason);
    },
    readBlocks: blockIo.readBlocks,
    storeBlocks: (writes) =>
      blockIo.storeVerifiedBlocks(
        writes.map(({ file, blocks, have }) => ({
          file: file.id,
          blocks: blocks.map(({ index, data }) => ({ hash: file.hashes[index]!, data })),
          record: { have: have.bytes, mode: swarm.progress(file.id)?.mode ?? 'downloading' },
        })),
      ),
    hash: hashOf,
    queuedBytes: (peer) => mesh.queuedBytes(peer),
    onChange: notify,
  });

  const offs = [
    mesh.on('peer-admitted', (peer) => swarm.addPeer(peer)),
    mesh.on('peer-left', (peer) => swarm.removePeer(peer)),
    mesh.on('blocks', (peer, payload) => swarm.receive(peer, payload)),
    cdoc.subscribe(() => {
      swarm.talking();
      void adoptManifests();
    }),
  ];
  for (const peer of mesh.status().peers) if (peer.connected) swarm.addPeer(peer.id);
  const tick = setInterval(() => {
    if ([...known.keys()].some((id) => swarm.progress(id)?.mode === 'downloading')) notify();
  }, TICK_MS);
  void adoptManifests();

  async function adoptManifests(): Promise<void> {
    for (const file of cdoc.state().files.values()) {
      if (known.has(file.id)) continue;
      known.set(file.id, file);
      const count = file.hashes.length;
      let have = new Bitfield(count);
      let mode: FileMode = 'idle';
      if (ours.delete(listKey(file.hashes, file.size))) {
        have = new Bitfield(count).setAll();
        mode = 'idle';
        await blockStore.saveRecord(file.id, { have: have.bytes, mode });
      } else {
        const record = await blockStore.loadRecord(file.id);
        if (record) {
          have = new Bitfield(count, record.have);
          mode = record.mode;
        } else if (file.size <= (await autoFetchBytes())) {
          mode = 'downloading';
        }
      }
      if (destroyed) return;
      swarm.addFile(file, have, have.complete() ? 'idle' : mode);
      notify();
    }
  }

  async function setMode(id: EventId, mode: FileMode): Promise<void> {
    const progress = swarm.progress(id);
    const file = known.get(id);
    if (!progress || !file || progress.complete) return;
    swarm.setMode(id, mode);
    const record = await blockStore.loadRecord(id);
    const have = record?.have ?? new Bitfield(file.hashes.length).bytes;
    await blockStore.saveRecord(id, { have, mode });
  }

  async function autoFetchBytes(): Promise<number> {
    try {
      return (await blockStore.loadAutoFetchBytes()) ?? DEFAULT_AUTO_FETCH_BYTES;
    } catch {
      return DEFAULT_AUTO_FETCH_BYTES;
    }
  }

  function view(file: SharedFile): FileEntryView {
    const p = swarm.progress(file.id);
    const have = p?.have ?? 0;
    const state: LocalState = p?.complete
      ? 'complete'
      : p?.mode === 'downloading'
        ? 'downloading'
        : p?.mode === 'paused'
          ? 'paused'
          : 'not-downloaded';
    return {
      manifest: file,
      state,
      haveBlocks: have,
      totalBlocks: file.hashes.length,
      storedBytes: Math.min(file.size, have * file.blockSize),
      peers: p?.peers ?? 0,
      sources: p?.sources ?? 0,
      bytesPerSecond: state === 'downloading' ? (p?.bytesPerSecond ?? 0) : 0,
    };
  }

  async function shareOne(file: File): Promise<Result<void>> {
    const blockSize = chooseBlockSize(file.size);
    if (blockSize === null) return err(`${file.name} is too large to share.`);
    const entry: Preparing = { name: file.name, done: 0, total: Math.ceil(file.size / blockSize) };
    preparing.push(entry);
    notify();
    try {
      const hashes = await hashFile(file, blockSize, (done) => {
        entry.done = done;
        notify();
      });
      ours.add(listKey(hashes, file.size));
      await cdoc.append('file.share', {
        name: file.name.slice(0, 255) || 'file',
        size: file.size,
        type: file.type.slice(0, 127),
        blockSize,
        hashes,
      });
      return ok(undefined);
    } catch (e) {
      return err(`Could not share ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      preparing.splice(preparing.indexOf(entry), 1);
      notify();
    }
  }

  return {
    list: () => [...known.values()].sort((a, b) => b.at - a.at).map(view),
    preparing: () => preparing.map((p) => ({ ...p })),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    share: async (files) => {
      const results: Result<void>[] = [];
      for (const file of files) results.push(await shareOne(file));
      return results;
    },
    download: (id) => void setMode(id, 'downloading'),
    pause: (id) => void setMode(id, 'paused'),
    async remove(id) {
      const file = known.get(id);
      if (!file) return;
      swarm.setMode(id, 'idle');
      swarm.setHave(id, new Bitfield(file.hashes.length));
      await blockStore.removeFile(id, file.hashes);
      notify();
    },
    autoFetchBytes,
    async setAutoFetchBytes(bytes) {
      if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_AUTO_FETCH_BYTES)
        return err('Choose a whole number of megabytes between 0 and 8,000.');
      try {
        await blockStore.saveAutoFetchBytes(bytes);
        return ok(undefined);
      } catch {
        return err('The setting could not be saved. Try again.');
      }
    },
    async open(id) {
      const file = known.get(id);
      if (!file) return err('This file is not known here.');
      const parts: Uint8Array<ArrayBuffer>[] = [];
      for (const [i, hash] of file.hashes.entries()) {
        const data = await blockStore.readBlock(hash);
        if (data === null || (await hashOf(data)) !== hash)
          return err(`Block ${i + 1} of ${file.name} is missing or damaged; download it again.`);
        parts.push(data as Uint8Array<ArrayBuffer>);
      }
      return ok(new Blob(parts, { type: file.type }));
    },
    destroy() {
      destroyed = true;
      clearInterval(tick);
      offs.forEach((off) => off());
      swarm.destroy();
      blockIo.destroy();
      listeners.clear();
    },
  };
}
