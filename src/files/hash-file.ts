/** Runs hash-worker.ts on one file: its blocks end up in the block store, its hashes here. */
import type { HashReply, HashRequest } from './hash-worker';

export function hashFile(
  file: File,
  blockSize: number,
  onProgress: (done: number, total: number) => void,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<HashReply>) => {
      const m = event.data;
      if (m.type === 'progress') return onProgress(m.done, m.total);
      worker.terminate();
      if (m.type === 'done') resolve(m.hashes);
      else reject(new Error(m.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'the hashing worker failed'));
    };
    worker.postMessage({ file, blockSize } satisfies HashRequest);
  });
}
