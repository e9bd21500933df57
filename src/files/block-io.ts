/**
 * The swarm's reads and writes of the block store, run in block-io-worker.ts so IndexedDB's
 * per-block cost stays off the page's thread (that file says how much). Blocks handed to
 * `storeVerifiedBlocks` are transferred to the worker: their bytes are gone from the page
 * afterwards (the swarm hands over blocks it holds no longer).
 */
import type { VerifiedWrite } from '../store/block-store';
import type { BlockIoReply, BlockIoRequest } from './block-io-worker';

export interface BlockIo {
  readBlocks(hashes: string[]): Promise<(Uint8Array | null)[]>;
  storeVerifiedBlocks(writes: VerifiedWrite[]): Promise<void>;
  destroy(): void;
}

type Waiting = {
  resolve: (reply: BlockIoReply & { ok: true }) => void;
  reject: (e: Error) => void;
};

export function createBlockIo(): BlockIo {
  const waiting = new Map<number, Waiting>();
  let worker: Worker | null = null;
  let nextId = 0;

  function failAll(error: Error): void {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  }

  function start(): Worker {
    if (worker) return worker;
    worker = new Worker(new URL('./block-io-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<BlockIoReply>) => {
      const m = event.data;
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (!w) return;
      if (m.ok) w.resolve(m);
      else w.reject(new Error(m.message));
    };
    // A worker that failed to load or crashed answers nothing more: start a new one next time.
    worker.onerror = (e) => {
      worker?.terminate();
      worker = null;
      failAll(new Error(e.message || 'the block store worker failed'));
    };
    return worker;
  }

  function ask(request: BlockIoRequest, transfer: Transferable[] = []) {
    return new Promise<BlockIoReply & { ok: true }>((resolve, reject) => {
      waiting.set(request.id, { resolve, reject });
      start().postMessage(request, { transfer });
    });
  }

  return {
    async readBlocks(hashes) {
      const reply = await ask({ id: nextId++, op: 'read', hashes });
      return reply.blocks ?? hashes.map(() => null);
    },
    async storeVerifiedBlocks(writes) {
      const buffers = new Set<ArrayBuffer>();
      for (const { blocks } of writes)
        for (const { data } of blocks) buffers.add(data.buffer as ArrayBuffer);
      await ask({ id: nextId++, op: 'store', writes }, [...buffers]);
    },
    destroy() {
      worker?.terminate();
      worker = null;
      failAll(new Error('closed'));
    },
  };
}
