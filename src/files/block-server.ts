/**
 * The serving half of the swarm (swarm.ts): requests for blocks we hold are queued and answered
 * in batches read from the store in one transaction each, each block sent once the upload limit
 * (upload-limit.ts) lets it go. An honest peer never has more than its window outstanding, so
 * one whose requests and answers waiting here and in our send queue pass MAX_SERVE_QUEUED bytes
 * is asking for more than any honest peer would and is dropped.
 */
import type { EventId, PeerId } from '../shared/ids';
import { REQUEST_TIMEOUT_MS } from './swarm-api';
import type { UploadLimit } from './upload-limit';
import type { WireMessage } from './wire';

export const MAX_SERVE_QUEUED = 48 * 1024 * 1024;
/** Requests answered per store read. */
const READ_BATCH = 8;

export interface BlockServerDeps {
  /** Stored blocks in one read, null for any that is gone. */
  readBlocks(hashes: string[]): Promise<(Uint8Array | null)[]>;
  /** Bytes waiting in our send queue to this peer, if the transport can tell. */
  queuedBytes?(peer: PeerId): number;
  /** The block's hash and length if we hold it, else null. */
  held(file: EventId, index: number): { hash: string; bytes: number } | null;
  /** The store lost a block we offered: stop offering it. */
  lost(file: EventId, index: number): void;
  connected(peer: PeerId): boolean;
  send(peer: PeerId, message: WireMessage): void;
  drop(peer: PeerId, reason: string): void;
  stopped(): boolean;
  /** Blocks wait for it before they go; none means no limit. */
  uploadLimit?: UploadLimit;
  now(): number;
}

interface Request {
  peer: PeerId;
  file: EventId;
  index: number;
  hash: string;
  bytes: number;
  at: number;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createBlockServer(
  deps: BlockServerDeps,
): (peer: PeerId, file: EventId, index: number) => void {
  const queued: Request[] = [];
  /** Bytes of the requests each peer has waiting here (read or not). */
  const waiting = new Map<PeerId, number>();
  let reading = false;

  const settle = ({ peer, bytes }: Request) => {
    const left = (waiting.get(peer) ?? 0) - bytes;
    if (left > 0) waiting.set(peer, left);
    else waiting.delete(peer);
  };

  async function send(request: Request, block: Uint8Array): Promise<void> {
    const { peer, file, index } = request;
    // Behind a low limit a request can wait past the asker's timeout; the asker has then asked
    // someone else and would ignore the block, so it is not worth our upload.
    if (deps.now() - request.at > REQUEST_TIMEOUT_MS) return;
    await deps.uploadLimit?.take(block.length);
    if (deps.stopped() || !deps.connected(peer)) return;
    deps.send(peer, { type: 'block', file, index, data: block });
  }

  async function readQueued(): Promise<void> {
    if (reading) return;
    reading = true;
    while (queued.length > 0 && !deps.stopped()) {
      const batch = queued.splice(0, READ_BATCH);
      let data: (Uint8Array | null)[];
      try {
        data = await deps.readBlocks(batch.map(({ hash }) => hash));
      } catch (e) {
        console.error('files: could not read blocks', e);
        data = batch.map(() => null);
      }
      for (const [i, request] of batch.entries()) {
        const block = data[i];
        const { peer, file, index } = request;
        if (block) {
          // One block per task: framing and sending one costs the page a few ms, and a post
          // (or a click) waiting for the thread should wait behind one block, not a batch.
          if (i > 0) await nextTask();
          if (!deps.stopped() && deps.connected(peer)) await send(request, block);
        } else {
          deps.lost(file, index);
          deps.send(peer, { type: 'dont-have', file, index });
        }
        settle(request);
      }
    }
    reading = false;
  }

  return (peer, file, index) => {
    const held = deps.held(file, index);
    if (held === null) return deps.send(peer, { type: 'dont-have', file, index });
    const total = (waiting.get(peer) ?? 0) + held.bytes;
    if (total + (deps.queuedBytes?.(peer) ?? 0) > MAX_SERVE_QUEUED)
      return deps.drop(peer, 'asked for far more blocks than its window');
    waiting.set(peer, total);
    queued.push({ peer, file, index, ...held, at: deps.now() });
    void readQueued();
  };
}
