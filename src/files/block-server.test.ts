import { describe, expect, it } from 'vitest';
import type { EventId, PeerId } from '../shared/ids';
import { createBlockServer, MAX_SERVE_QUEUED } from './block-server';
import { REQUEST_TIMEOUT_MS } from './swarm-api';
import { UploadLimit } from './upload-limit';
import type { WireMessage } from './wire';

const FILE = 'f' as EventId;
const PEER = 'p' as PeerId;
const BLOCK = 1000;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

function server(clock: { t: number }, limit?: UploadLimit) {
  const sent: WireMessage[] = [];
  const dropped: string[] = [];
  const serve = createBlockServer({
    readBlocks: async (hashes) => hashes.map(() => new Uint8Array(BLOCK)),
    held: (_file, index) => ({ hash: `h${index}`, bytes: BLOCK }),
    lost: () => undefined,
    connected: () => dropped.length === 0,
    send: (_peer, message) => sent.push(message),
    drop: (peer, reason) => dropped.push(`${peer}: ${reason}`),
    stopped: () => false,
    uploadLimit: limit,
    now: () => clock.t,
  });
  const blocks = () => sent.flatMap((m) => (m.type === 'block' ? [m.index] : []));
  return { serve, blocks, dropped };
}

describe('block server', () => {
  it('sends no block whose request waited behind the upload limit past the asker’s timeout', async () => {
    const clock = { t: 0 };
    const limit = new UploadLimit(() => clock.t);
    limit.set(BLOCK); // a block a second on the test's clock, which only moves when told
    const { serve, blocks } = server(clock, limit);
    for (let i = 0; i < 4; i++) serve(PEER, FILE, i);
    await settle(50);
    expect(blocks()).toEqual([0]); // the second is waiting for the limit
    clock.t += REQUEST_TIMEOUT_MS + 1;
    await settle(600);
    // The asker has given up on 2 and 3 (and asked someone else): they are not uploaded.
    expect(blocks()).toEqual([0, 1]);
  });

  it('drops a peer whose requests waiting behind the limit pass what any window allows', async () => {
    const clock = { t: 0 };
    const limit = new UploadLimit(() => clock.t);
    limit.set(BLOCK);
    const { serve, dropped } = server(clock, limit);
    for (let i = 0; i <= MAX_SERVE_QUEUED / BLOCK; i++) serve(PEER, FILE, i);
    expect(dropped).toEqual(['p: asked for far more blocks than its window']);
  });
});
