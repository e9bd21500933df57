import { describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { randomBytes, sha256 } from '../shared/bytes';
import type { EventId, PeerId } from '../shared/ids';
import { Bitfield } from './bitfield';
import { createSwarm, type Swarm, type SwarmFile } from './swarm';
import { UploadLimit } from './upload-limit';
import { decode, encode } from './wire';

const BLOCK = 1024;
const hash = async (data: Uint8Array) => toBase64url(await sha256(data));

interface Node {
  id: PeerId;
  swarm: Swarm;
  store: Map<string, Uint8Array>;
  dropped: string[];
  /** Requests this node received, as `index`. */
  served: number[];
  /** Blocks delivered to this node. */
  blocksIn: number;
  done: Promise<void>;
}

async function makeFile(blocks: number): Promise<{ file: SwarmFile; data: Uint8Array[] }> {
  const data = Array.from({ length: blocks }, () => randomBytes(BLOCK));
  const hashes = await Promise.all(data.map(hash));
  const id = toBase64url(randomBytes(32)) as EventId;
  return { file: { id, size: blocks * BLOCK, blockSize: BLOCK, hashes }, data };
}

/** An in-memory link: messages arrive asynchronously, in order, between live nodes. */
function network() {
  const nodes = new Map<PeerId, Node>();
  /** Tamper hook: rewrite what a node sends. */
  const tamper = new Map<PeerId, (bytes: Uint8Array) => Uint8Array>();
  function node(
    name: string,
    file: SwarmFile,
    have: Bitfield,
    mode: 'idle' | 'downloading',
    uploadLimit?: UploadLimit,
  ) {
    const id = name as PeerId;
    let finish!: () => void;
    const n: Node = {
      id,
      store: new Map(),
      dropped: [],
      served: [],
      blocksIn: 0,
      done: new Promise((r) => (finish = r)),
      swarm: createSwarm({
        send: (to, bytes) => {
          const out = tamper.get(id)?.(bytes) ?? bytes;
          setTimeout(() => {
            const target = nodes.get(to);
            if (!target) return;
            const m = decode(out, 1000);
            if (m.ok && m.value.type === 'request') target.served.push(m.value.index);
            if (m.ok && m.value.type === 'block') target.blocksIn++;
            target.swarm.receive(id, out);
          }, 0);
        },
        dropPeer: (peer, reason) => {
          n.dropped.push(`${peer}: ${reason}`);
          nodes.get(peer)?.swarm.removePeer(id);
        },
        readBlocks: async (hs) => hs.map((h) => n.store.get(h) ?? null),
        storeBlocks: async (writes) => {
          for (const { file: f, blocks, have } of writes) {
            for (const { index, data } of blocks) n.store.set(f.hashes[index]!, data);
            if (have.complete()) finish();
          }
        },
        hash,
        uploadLimit,
        onChange: () => undefined,
      }),
    };
    n.swarm.addFile(file, have, mode);
    if (have.complete()) finish();
    nodes.set(id, n);
    return n;
  }
  function connect(a: Node, b: Node) {
    a.swarm.addPeer(b.id);
    b.swarm.addPeer(a.id);
  }
  function leave(a: Node) {
    nodes.delete(a.id);
    for (const other of nodes.values()) other.swarm.removePeer(a.id);
    a.swarm.destroy();
  }
  return { node, connect, leave, tamper, nodes };
}

function seed(node: Node, file: SwarmFile, data: Uint8Array[], only?: number[]) {
  data.forEach((d, i) => {
    if (!only || only.includes(i)) node.store.set(file.hashes[i]!, d);
  });
}

const full = (n: number) => new Bitfield(n).setAll();
const some = (n: number, indexes: number[]) => {
  const b = new Bitfield(n);
  indexes.forEach((i) => b.set(i));
  return b;
};

describe('swarm', () => {
  it('downloads every block from a seeder and the bytes match', async () => {
    const { file, data } = await makeFile(20);
    const net = network();
    const a = net.node('a', file, full(20), 'idle');
    seed(a, file, data);
    const b = net.node('b', file, new Bitfield(20), 'downloading');
    net.connect(a, b);
    await b.done;
    await new Promise((r) => setTimeout(r, 0)); // the swarm marks the block once stored
    data.forEach((d, i) => expect(b.store.get(file.hashes[i]!)).toEqual(d));
    expect(b.swarm.progress(file.id)).toMatchObject({ have: 20, total: 20, complete: true });
    a.swarm.destroy();
    b.swarm.destroy();
  });

  it('asks for the rarest blocks first', async () => {
    const { file, data } = await makeFile(4);
    const net = network();
    const x = net.node('x', file, full(4), 'idle');
    seed(x, file, data);
    const y = net.node('y', file, some(4, [0, 1]), 'idle');
    seed(y, file, data, [0, 1]);
    const d = net.node('d', file, new Bitfield(4), 'idle');
    net.connect(x, d);
    net.connect(y, d);
    await new Promise((r) => setTimeout(r, 20)); // HAVEs exchanged
    d.swarm.setMode(file.id, 'downloading');
    await d.done;
    // Blocks 2 and 3 exist only on x: x is asked for them before anything else.
    expect(x.served.slice(0, 2)).toEqual([2, 3]);
    expect(y.served.sort()).toEqual([0, 1]);
    for (const n of [x, y, d]) n.swarm.destroy();
  });

  it('discards bad blocks, fetches them elsewhere and drops only the peer that sent them', async () => {
    const { file, data } = await makeFile(30);
    const net = network();
    const honest = net.node('honest', file, full(30), 'idle');
    seed(honest, file, data);
    const evil = net.node('evil', file, full(30), 'idle');
    seed(evil, file, data);
    net.tamper.set(evil.id, (bytes) => {
      const m = decode(bytes, 1000);
      if (!m.ok || m.value.type !== 'block') return bytes;
      return encode({ ...m.value, data: randomBytes(m.value.data.length) });
    });
    const d = net.node('d', file, new Bitfield(30), 'downloading');
    // The evil peer is heard first, so it is asked for blocks before the honest one arrives.
    net.connect(evil, d);
    await new Promise((r) => setTimeout(r, 5));
    net.connect(honest, d);
    await d.done;
    data.forEach((block, i) => expect(d.store.get(file.hashes[i]!)).toEqual(block));
    expect(d.dropped).toHaveLength(1);
    expect(d.dropped[0]).toMatch(/^evil: sent blocks that do not match/);
    for (const n of [honest, evil, d]) n.swarm.destroy();
  });

  it('continues from another peer when the seeder leaves mid-download', async () => {
    const { file, data } = await makeFile(40);
    const net = network();
    const a = net.node('a', file, full(40), 'idle');
    seed(a, file, data);
    // a answers slowly enough that it leaves with part of the file sent.
    const d = net.node('d', file, new Bitfield(40), 'downloading');
    let sent = 0;
    net.tamper.set(a.id, (bytes) => {
      const m = decode(bytes, 1000);
      if (m.ok && m.value.type === 'block' && ++sent === 10) setTimeout(() => net.leave(a), 0);
      return bytes;
    });
    net.connect(a, d);
    await new Promise((r) => setTimeout(r, 50));
    const got = d.swarm.progress(file.id)!.have;
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(40);
    const b = net.node('b', file, full(40), 'idle');
    seed(b, file, data);
    net.connect(b, d);
    await d.done;
    data.forEach((block, i) => expect(d.store.get(file.hashes[i]!)).toEqual(block));
    for (const n of [b, d]) n.swarm.destroy();
  });

  it('downloads from two seeders at once, counting both as sources', async () => {
    const { file, data } = await makeFile(40);
    const net = network();
    const a = net.node('a', file, full(40), 'idle');
    const b = net.node('b', file, full(40), 'idle');
    seed(a, file, data);
    seed(b, file, data);
    const d = net.node('d', file, new Bitfield(40), 'downloading');
    net.connect(a, d);
    net.connect(b, d);
    await d.done;
    await new Promise((r) => setTimeout(r, 0));
    expect(a.served.length).toBeGreaterThan(5);
    expect(b.served.length).toBeGreaterThan(5);
    expect(a.served.length + b.served.length).toBe(40);
    expect(d.swarm.progress(file.id)).toMatchObject({ complete: true, sources: 2, peers: 2 });
    for (const n of [a, b, d]) n.swarm.destroy();
  });

  it('downloads from two seeders with upload limits, taking more from the faster one', async () => {
    const { file, data } = await makeFile(60);
    const net = network();
    const limit = (bytesPerSecond: number) => {
      const l = new UploadLimit(() => performance.now());
      l.set(bytesPerSecond);
      return l;
    };
    const fast = net.node('fast', file, full(60), 'idle', limit(40_000));
    const slow = net.node('slow', file, full(60), 'idle', limit(20_000));
    seed(fast, file, data);
    seed(slow, file, data);
    const d = net.node('d', file, new Bitfield(60), 'downloading');
    const started = performance.now();
    net.connect(fast, d);
    net.connect(slow, d);
    await d.done;
    // 60 KiB at 60 KB/s together: ~1 s (less the limits' bursts), where unlimited takes ms.
    expect(performance.now() - started).toBeGreaterThan(700);
    expect(fast.served.length + slow.served.length).toBe(60);
    // Each limited seeder is kept busy: the one twice as fast sends about two thirds.
    expect(slow.served.length).toBeGreaterThanOrEqual(10);
    expect(fast.served.length).toBeGreaterThan(1.3 * slow.served.length);
    for (const n of [fast, slow, d]) n.swarm.destroy();
  });

  it('asks each peer for one block at a time while members talk, and pipelines otherwise', async () => {
    /** Most requests the downloader had unanswered at once, over a whole download. */
    async function mostInFlight(talk: boolean): Promise<number> {
      const { file, data } = await makeFile(30);
      const net = network();
      const a = net.node('a', file, full(30), 'idle');
      seed(a, file, data);
      const b = net.node('b', file, new Bitfield(30), 'downloading');
      let asked = 0;
      let most = 0;
      net.tamper.set(b.id, (bytes) => {
        const m = decode(bytes, 1000);
        if (m.ok && m.value.type === 'request') most = Math.max(most, ++asked - b.blocksIn);
        return bytes;
      });
      if (talk) b.swarm.talking();
      net.connect(a, b);
      await b.done;
      b.swarm.destroy();
      return most;
    }
    expect(await mostInFlight(true)).toBe(1);
    expect(await mostInFlight(false)).toBeGreaterThan(1);
  });

  it('sends no have-one to a peer holding the whole file, and all it holds once that peer frees it', async () => {
    const { file, data } = await makeFile(10);
    const net = network();
    const a = net.node('a', file, full(10), 'idle');
    seed(a, file, data);
    const b = net.node('b', file, new Bitfield(10), 'downloading');
    const sent: string[] = [];
    net.tamper.set(b.id, (bytes) => {
      const m = decode(bytes, 1000);
      if (m.ok) sent.push(m.value.type);
      return bytes;
    });
    net.connect(a, b);
    await b.done;
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).not.toContain('have-one');
    expect(a.swarm.progress(file.id)!.peers).toBe(0); // b's blocks are unknown to a
    a.swarm.setHave(file.id, new Bitfield(10)); // a frees its copy
    await new Promise((r) => setTimeout(r, 10));
    expect(a.swarm.progress(file.id)!.peers).toBe(1); // b told it what it holds
    a.swarm.setMode(file.id, 'downloading');
    await new Promise((r) => setTimeout(r, 100));
    expect(a.swarm.progress(file.id)!.complete).toBe(true); // fetched back from b
  });

  it('writes blocks that arrive while a write runs together, in one transaction', async () => {
    const { file, data } = await makeFile(30);
    const stored = new Map<string, Uint8Array>();
    const writes: number[] = [];
    let done!: () => void;
    const complete = new Promise<void>((r) => (done = r));
    const d = createSwarm({
      send: (_to, bytes) => {
        const m = decode(bytes, 1000);
        if (!m.ok || m.value.type !== 'request') return;
        const { index } = m.value;
        setTimeout(
          () =>
            d.receive(
              'a' as PeerId,
              encode({ type: 'block', file: file.id, index, data: data[index]! }),
            ),
          0,
        );
      },
      dropPeer: () => undefined,
      readBlocks: async (hs) => hs.map(() => null),
      // A slow disk: each write takes 20 ms, so blocks pile up behind it.
      storeBlocks: async (batch) => {
        await new Promise((r) => setTimeout(r, 20));
        for (const { file: f, blocks, have } of batch) {
          writes.push(blocks.length);
          for (const { index, data: bytes } of blocks) stored.set(f.hashes[index]!, bytes);
          if (have.complete()) done();
        }
      },
      hash,
    });
    d.addFile(file, new Bitfield(30), 'downloading');
    d.addPeer('a' as PeerId);
    d.receive('a' as PeerId, encode({ type: 'have', file: file.id, bits: full(30) }));
    await complete;
    expect(writes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(writes.length).toBeLessThan(30);
    expect(Math.max(...writes)).toBeGreaterThan(1);
    data.forEach((block, i) => expect(stored.get(file.hashes[i]!)).toEqual(block));
    d.destroy();
  });

  it('resumes from stored blocks: only the missing ones are requested', async () => {
    const { file, data } = await makeFile(10);
    const net = network();
    const a = net.node('a', file, full(10), 'idle');
    seed(a, file, data);
    const d = net.node('d', file, some(10, [0, 1, 2, 3, 4, 5]), 'downloading');
    seed(d, file, data, [0, 1, 2, 3, 4, 5]);
    net.connect(a, d);
    await d.done;
    expect(a.served.sort()).toEqual([6, 7, 8, 9]);
    for (const n of [a, d]) n.swarm.destroy();
  });

  it('drops a peer whose bitfield does not fit the manifest, and one sending garbage', async () => {
    const { file } = await makeFile(10);
    const drops: string[] = [];
    const swarm = createSwarm({
      send: () => undefined,
      dropPeer: (peer, reason) => drops.push(`${peer}: ${reason}`),
      readBlocks: async (hs) => hs.map(() => null),
      storeBlocks: async () => undefined,
      hash,
    });
    swarm.addFile(file, new Bitfield(10), 'downloading');
    swarm.addPeer('p' as PeerId);
    swarm.addPeer('q' as PeerId);
    swarm.receive('p' as PeerId, encode({ type: 'have', file: file.id, bits: full(11) }));
    const absurd = encode({ type: 'have', file: file.id, bits: full(8) });
    new DataView(absurd.buffer).setUint32(33, 0xffffffff);
    swarm.receive('q' as PeerId, absurd);
    expect(drops).toEqual(['p: bitfield of the wrong size', 'q: bitfield of an impossible size']);
    swarm.destroy();
  });
});
