/**
 * The swarm's block store reads and writes (block-io.ts), off the page's thread. Through
 * IndexedDB a 256 KiB block cost the page's thread ~3.5 ms to read (sender) and ~5–8 ms to
 * write (receiver) on the loaded 2-core machine (CPU profiles: put, get, transaction and the
 * values' (de)serialisation), which posts and the UI waited behind; here it costs the page a
 * postMessage, and the bytes cross by transfer, not copy.
 */
import { readBlocks, storeVerifiedBlocks, type VerifiedWrite } from '../store/block-store';

export type BlockIoRequest =
  | { id: number; op: 'read'; hashes: string[] }
  | { id: number; op: 'store'; writes: VerifiedWrite[] };

export type BlockIoReply =
  | { id: number; ok: true; blocks?: (Uint8Array | null)[] }
  | { id: number; ok: false; message: string };

const reply = (message: BlockIoReply, transfer: Transferable[] = []) =>
  postMessage(message, { transfer });

onmessage = async (event: MessageEvent<BlockIoRequest>) => {
  const m = event.data;
  try {
    if (m.op === 'store') {
      await storeVerifiedBlocks(m.writes);
      return reply({ id: m.id, ok: true });
    }
    const blocks = await readBlocks(m.hashes);
    const buffers = new Set<ArrayBuffer>();
    for (const block of blocks) if (block) buffers.add(block.buffer as ArrayBuffer);
    reply({ id: m.id, ok: true, blocks }, [...buffers]);
  } catch (e) {
    reply({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
};
