/**
 * The serving half of the swarm (swarm.ts): requests for blocks we hold are queued and answered
 * in batches read from the store in one transaction each. An honest peer never has more than
 * its window outstanding, so one whose answers pile up past MAX_SERVE_QUEUED bytes in our send
 * queue is asking for more than any honest peer would and is dropped.
 */
import type { EventId, PeerId } from '../shared/ids';
import type { WireMessage } from './wire';

export const MAX_SERVE_QUEUED = 48 * 1024 * 1024;
/** Requests answered per store read. */
const READ_BATCH = 8;

export interface BlockServerDeps {
  /** Stored blocks in one read, null for any that is gone. */
  readBlocks(hashes: string[]): Promise<(Uint8Array | null)[]>;
  /** Bytes waiting in our send queue to this peer, if the transport can tell. */
  queuedBytes?(peer: PeerId): number;
  /** The block's hash if we hold it, else null. */
  held(file: EventId, index: number): string | null;
  /** The store lost a block we offered: stop offering it. */
  lost(file: EventId, index: number): void;
  connected(peer: PeerId): boolean;
  send(peer: PeerId, message: WireMessage): void;
  drop(peer: PeerId, reason: string): void;
  stopped(): boolean;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createBlockServer(
  deps: BlockServerDeps,
): (peer: PeerId, file: EventId, index: number) => void {
  const queued: { peer: PeerId; file: EventId; index: number; hash: string }[] = [];
  let reading = false;

  async function readQueued(): Promise<void> {
    if (reading) return;
    reading = true;
    while (queued.length > 0 && !deps.stopped()) {
      const batch = queued.splice(0, READ_BATCH).filter(({ peer }) => {
        if ((deps.queuedBytes?.(peer) ?? 0) <= MAX_SERVE_QUEUED) return deps.connected(peer);
        deps.drop(peer, 'asked for far more blocks than its window');
        return false;
      });
      let data: (Uint8Array | null)[];
      try {
        data = await deps.readBlocks(batch.map(({ hash }) => hash));
      } catch (e) {
        console.error('files: could not read blocks', e);
        data = batch.map(() => null);
      }
      for (const [i, { peer, file, index }] of batch.entries()) {
        const block = data[i];
        if (block) {
          // One block per task: framing and sending one costs the page a few ms, and a post
          // (or a click) waiting for the thread should wait behind one block, not a batch.
          if (i > 0) await nextTask();
          if (deps.stopped() || !deps.connected(peer)) continue;
          deps.send(peer, { type: 'block', file, index, data: block });
          continue;
        }
        deps.lost(file, index);
        deps.send(peer, { type: 'dont-have', file, index });
      }
    }
    reading = false;
  }

  return (peer, file, index) => {
    const hash = deps.held(file, index);
    if (hash === null) return deps.send(peer, { type: 'dont-have', file, index });
    queued.push({ peer, file, index, hash });
    void readQueued();
  };
}
