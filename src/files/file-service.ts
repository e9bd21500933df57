/**
 * Shared files for one open community: the signed manifests from the doc, the blocks in the
 * block store, and the swarm over the mesh's `blocks` channel. This is what FilesHandle (the
 * UI's view of files) runs on.
 *
 * Small files (up to a size set in Settings, file-settings.ts) are fetched
 * as soon as their manifest arrives; larger ones when the person asks. What we are fetching is
 * remembered with the blocks, so a reload picks the download up where it stopped.
 *
 * Other members' files are kept up to a budget set in Settings; past it, the least recently used
 * unpinned ones are freed (storage-policy.ts). When each file was last used and whether it is
 * pinned is this browser's own bookkeeping (store/file-use-store.ts).
 */
import type { CommunityDoc } from '../community/community-doc';
import { chooseBlockSize, type SharedFile } from '../community/files/manifest';
import type { Mesh } from '../mesh/types';
import { toBase64url } from '../shared/base64url';
import { sha256 } from '../shared/bytes';
import type { EventId } from '../shared/ids';
import * as useStore from '../store/file-use-store';
import type { FileUse } from '../store/file-use-store';
import { err, ok, type Result } from '../shared/result';
import * as blockStore from '../store/block-store';
import { Bitfield } from './bitfield';
import { createBlockIo } from './block-io';
import * as settings from './file-settings';
import type { FileEntryView, FilesHandle, LocalState, PreparedFile, Preparing } from './files-api';
import { hashFile } from './hash-file';
import { filesToFree } from './storage-policy';
import { createSwarm, type FileMode } from './swarm';

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
  const uses = new Map<EventId, FileUse>();
  /** Files complete here, to notice the moment one completes (it is used, and may tip the budget). */
  const completed = new Set<EventId>();
  let cleanups: Promise<void> = Promise.resolve();
  let cleanupQueued = false;
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
    uploadLimit: settings.uploadLimit,
    queuedBytes: (peer) => mesh.queuedBytes(peer),
    onChange: (id) => {
      notify();
      if (!completed.has(id) && swarm.progress(id)?.complete) {
        completed.add(id);
        void touch(id);
        scheduleCleanup();
      }
    },
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
  void settings.uploadBytesPerSecond().then((bytes) => settings.uploadLimit.set(bytes));

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
        } else if (file.size <= (await settings.autoFetchBytes())) {
          mode = 'downloading';
        }
      }
      const [use] = await useStore.loadUses([file.id]).catch(() => [null]);
      // A file from before this bookkeeping counts as used when it was shared.
      uses.set(file.id, use ?? { lastUsed: file.at, pinned: false });
      if (destroyed) return;
      if (have.complete()) completed.add(file.id);
      swarm.addFile(file, have, have.complete() ? 'idle' : mode);
      notify();
    }
    scheduleCleanup();
  }

  async function touch(id: EventId): Promise<void> {
    const use = { pinned: uses.get(id)?.pinned ?? false, lastUsed: Date.now() };
    uses.set(id, use);
    await useStore.saveUse(id, use).catch(() => undefined);
  }

  /** Runs the clean-up once after whatever asked for it, never two at once. */
  function scheduleCleanup(): void {
    if (cleanupQueued || destroyed) return;
    cleanupQueued = true;
    cleanups = cleanups
      .then(async () => {
        cleanupQueued = false;
        if (destroyed) return;
        const budget = await settings.keepOthersBytes();
        const held = [...known.values()].map((file) => {
          const p = swarm.progress(file.id);
          return {
            id: file.id,
            storedBytes: view(file).storedBytes,
            lastUsed: uses.get(file.id)?.lastUsed ?? file.at,
            pinned: uses.get(file.id)?.pinned ?? false,
            mine: file.author === cdoc.me,
            downloading: p?.mode === 'downloading' && !p.complete,
          };
        });
        for (const id of filesToFree(held, budget)) {
          // Each free waits on IndexedDB: the person may have pinned or resumed one meanwhile.
          const p = swarm.progress(id);
          if (destroyed || uses.get(id)?.pinned || (p?.mode === 'downloading' && !p.complete))
            continue;
          await freeCopy(id);
        }
      })
      .catch((e: unknown) => console.warn('Automatic clean-up of files failed:', e));
  }

  /** Frees this browser's copy; blocks another held file also lists stay. */
  async function freeCopy(id: EventId): Promise<void> {
    const file = known.get(id);
    if (!file) return;
    swarm.setMode(id, 'idle');
    swarm.setHave(id, new Bitfield(file.hashes.length));
    completed.delete(id);
    const needed = new Set<string>();
    for (const other of known.values())
      if (other.id !== id && (swarm.progress(other.id)?.have ?? 0) > 0)
        other.hashes.forEach((h) => needed.add(h));
    const hashes = file.hashes.filter((h) => !needed.has(h));
    await blockStore.removeFile(id, hashes, file.hashes.length);
    notify();
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

  async function setPinned(id: EventId, pinned: boolean): Promise<void> {
    const file = known.get(id);
    if (!file) return;
    const use = { lastUsed: uses.get(id)?.lastUsed ?? Date.now(), pinned };
    uses.set(id, use);
    notify();
    await useStore.saveUse(id, use).catch(() => undefined);
    // Keeping a file available means holding it: fetch what is missing.
    const p = swarm.progress(id);
    if (pinned && p && !p.complete && p.mode !== 'downloading') await setMode(id, 'downloading');
    if (!pinned) scheduleCleanup();
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
      mine: file.author === cdoc.me,
      pinned: uses.get(file.id)?.pinned ?? false,
      haveBlocks: have,
      totalBlocks: file.hashes.length,
      storedBytes: Math.min(file.size, have * file.blockSize),
      peers: p?.peers ?? 0,
      sources: p?.sources ?? 0,
      bytesPerSecond: state === 'downloading' ? (p?.bytesPerSecond ?? 0) : 0,
    };
  }

  const problem = (name: string, e: unknown) =>
    err(`Could not share ${name}: ${e instanceof Error ? e.message : String(e)}`);

  async function prepare(
    file: File,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Result<PreparedFile>> {
    const blockSize = chooseBlockSize(file.size);
    if (blockSize === null) return err(`${file.name} is too large to share.`);
    const entry: Preparing = { name: file.name, done: 0, total: Math.ceil(file.size / blockSize) };
    preparing.push(entry);
    notify();
    try {
      const hashes = await hashFile(file, blockSize, (done) => {
        entry.done = done;
        onProgress?.(done, entry.total);
        notify();
      });
      return ok({
        name: file.name.slice(0, 255) || 'file',
        size: file.size,
        type: file.type.slice(0, 127),
        blockSize,
        hashes,
      });
    } catch (e) {
      return problem(file.name, e);
    } finally {
      preparing.splice(preparing.indexOf(entry), 1);
      notify();
    }
  }

  async function publish(prepared: PreparedFile): Promise<Result<EventId>> {
    ours.add(listKey(prepared.hashes, prepared.size));
    try {
      return ok((await cdoc.append('file.share', prepared)).id);
    } catch (e) {
      ours.delete(listKey(prepared.hashes, prepared.size));
      return problem(prepared.name, e);
    }
  }

  return {
    list: () => [...known.values()].sort((a, b) => b.at - a.at).map(view),
    preparing: () => preparing.map((p) => ({ ...p })),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    entry: (id) => {
      const file = known.get(id);
      return file ? view(file) : null;
    },
    share: async (files) => {
      const results: Result<void>[] = [];
      for (const file of files) {
        const prepared = await prepare(file);
        const shared = prepared.ok ? await publish(prepared.value) : prepared;
        results.push(shared.ok ? ok(undefined) : shared);
      }
      return results;
    },
    prepare,
    publish,
    async discard(prepared) {
      // Blocks a known file also lists stay (the same bytes may be shared already).
      const listed = new Set([...known.values()].flatMap((f) => f.hashes));
      await blockStore.removeBlocks(prepared.hashes.filter((h) => !listed.has(h)));
    },
    download: (id) => void setMode(id, 'downloading'),
    pause: (id) => void setMode(id, 'paused'),
    async remove(id) {
      await setPinned(id, false);
      await freeCopy(id);
    },
    setPinned,
    autoFetchBytes: settings.autoFetchBytes,
    keepOthersBytes: settings.keepOthersBytes,
    async setKeepOthersBytes(bytes) {
      const saved = await settings.setKeepOthersBytes(bytes);
      if (saved.ok) scheduleCleanup();
      return saved;
    },
    setAutoFetchBytes: settings.setAutoFetchBytes,
    uploadBytesPerSecond: settings.uploadBytesPerSecond,
    setUploadBytesPerSecond: settings.setUploadBytesPerSecond,
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
      void touch(id);
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
