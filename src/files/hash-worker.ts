/**
 * Splits a picked file into blocks, hashes each with SHA-256 and stores it, off the page's
 * thread: a 200 MB file is read, hashed and written here while the page stays responsive.
 * Messages in: { file: File, blockSize }. Out: progress per block, then the hash list.
 */
import { toBase64url } from '../shared/base64url';
import { putBlock } from '../store/block-store';

export interface HashRequest {
  file: File;
  blockSize: number;
}
export type HashReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; hashes: string[] }
  | { type: 'error'; message: string };

const reply = (message: HashReply) => postMessage(message);

onmessage = async (event: MessageEvent<HashRequest>) => {
  const { file, blockSize } = event.data;
  const total = Math.ceil(file.size / blockSize);
  const hashes: string[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const data = new Uint8Array(
        await file.slice(i * blockSize, (i + 1) * blockSize).arrayBuffer(),
      );
      const hash = toBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
      await putBlock(hash, data);
      hashes.push(hash);
      reply({ type: 'progress', done: i + 1, total });
    }
    reply({ type: 'done', hashes });
  } catch (e) {
    reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
