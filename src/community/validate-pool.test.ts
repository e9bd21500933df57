import * as encoding from 'lib0/encoding';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { prescanUpdate } from '../mesh/decode-budget';
import { createSyncEngine } from '../mesh/sync';
import type { CommunityId, PeerId } from '../shared/ids';
import { err, ok } from '../shared/result';
import { foundTestCommunity, makeMember, writeRawEvent, type TestMember } from './test-helpers';
import {
  createValidatorPool,
  TOO_SLOW,
  type ValidatorPool,
  type ValidatorPoolOptions,
  type ValidatorWorker,
} from './validate-pool';
import { validateUpdate } from './validate-update';
import type { ValidateRequest } from './validate-worker';

let community: CommunityId;
let author: TestMember;
/** The founded community: a few events, a small update. */
let small: Uint8Array;
let smallEvents: number;
/** 200 posts by one member: over the size at which an update is split. */
let large: Uint8Array;
let largeDoc: Y.Doc;

beforeAll(async () => {
  const t = await foundTestCommunity();
  community = t.founded.community;
  small = Y.encodeStateAsUpdate(t.doc);
  smallEvents = t.doc.getMap('events').size;
  author = await makeMember();
  largeDoc = new Y.Doc();
  for (let i = 0; i < 200; i++)
    await writeRawEvent(largeDoc, author, community, { body: { text: `post ${i} `.padEnd(400) } });
  large = Y.encodeStateAsUpdate(largeDoc);
  expect(large.length).toBeGreaterThan(64 * 1024);
});

const pools: ValidatorPool[] = [];
afterEach(() => pools.splice(0).forEach((p) => p.destroy()));
const pool = (options: ValidatorPoolOptions) => {
  const p = createValidatorPool(options);
  pools.push(p);
  return p;
};

/**
 * A Worker that runs the validator on this thread, asynchronously, as the real one would in
 * its own; `load: false` acts out a script that never loads, `die` one that dies mid-check.
 */
function fakeWorker(behaviour: { load?: boolean; die?: boolean } = {}) {
  const spawned: { parts: ValidateRequest['part'][]; terminated: boolean }[] = [];
  const spawn = (): ValidatorWorker => {
    const record = { parts: [] as ValidateRequest['part'][], terminated: false };
    spawned.push(record);
    const worker: ValidatorWorker = {
      onmessage: null,
      onerror: null,
      postMessage(request) {
        record.parts.push(request.part);
        if (behaviour.die) return void setTimeout(() => worker.onerror?.(new Event('error')));
        void validateUpdate(request.update, request.community, request.part).then((r) => {
          if (record.terminated) return;
          const result = r.ok ? ok(r.value.length) : r;
          worker.onmessage?.({ data: { job: request.job, result } } as MessageEvent);
        });
      },
      terminate: () => void (record.terminated = true),
    };
    setTimeout(() =>
      behaviour.load === false
        ? worker.onerror?.(new Event('error'))
        : worker.onmessage?.({ data: 'ready' } as MessageEvent),
    );
    return worker;
  };
  return { spawn, spawned };
}

describe('the validator pool', () => {
  it('checks a large update in slices that together give what the whole check gives', async () => {
    const { spawn, spawned } = fakeWorker();
    expect(await pool({ size: 2, slices: 2, spawn }).validate(large, community)).toEqual(ok(200));
    expect(spawned.flatMap((w) => w.parts)).toEqual([
      { index: 0, of: 2 },
      { index: 1, of: 2 },
    ]);
    // A small update is not split.
    const before = spawned.flatMap((w) => w.parts).length;
    expect(await pool({ size: 2, slices: 2, spawn }).validate(small, community)).toEqual(
      ok(smallEvents),
    );
    expect(spawned.flatMap((w) => w.parts).slice(before)).toEqual([{ index: 0, of: 1 }]);
  });

  it('refuses a large update whose last event is forged, whichever slice holds it', async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, large);
    await writeRawEvent(
      doc,
      author,
      community,
      { body: { text: 'forged' } },
      {
        tamper: (bytes) => Uint8Array.from(bytes, (b, i) => (i === bytes.length - 3 ? b ^ 1 : b)),
      },
    );
    const forged = Y.encodeStateAsUpdate(doc);
    const whole = await validateUpdate(forged, community);
    expect(whole.ok).toBe(false);
    const { spawn } = fakeWorker();
    expect(await pool({ size: 2, slices: 2, spawn }).validate(forged, community)).toEqual(whole);
  });

  it('started warm, checks with the Workers it started instead of starting more', async () => {
    const { spawn, spawned } = fakeWorker();
    const p = pool({ size: 2, slices: 2, spawn });
    p.warm();
    expect(spawned.length).toBe(2);
    expect(await p.validate(large, community)).toEqual(ok(200));
    expect(spawned.length).toBe(2);
    expect(spawned.map((w) => w.parts.length)).toEqual([1, 1]);
  });

  it('checks on this thread when the Worker script does not load', async () => {
    const { spawn, spawned } = fakeWorker({ load: false });
    const p = pool({ size: 2, spawn });
    expect(await p.validate(small, community)).toEqual(ok(smallEvents));
    expect(await p.validate(large, community)).toEqual(ok(200));
    expect(spawned.length).toBe(1);
  });

  it('refuses an update its Worker died on, and checks the next with a new Worker', async () => {
    const dying = fakeWorker({ die: true });
    const healthy = fakeWorker();
    let spawns = 0;
    const p = pool({ size: 1, spawn: () => (spawns++ === 0 ? dying.spawn() : healthy.spawn()) });
    expect(await p.validate(small, community)).toEqual(err('update could not be checked'));
    expect(await p.validate(small, community)).toEqual(ok(smallEvents));
    expect(dying.spawned[0]!.terminated).toBe(true);
  });
});

/** validate-worker.ts in a Node worker thread, through tsx, behind the Worker interface. */
function nodeWorker(): ValidatorWorker {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs'));
  const shim = new URL('./validate-worker.node-shim.ts', import.meta.url);
  const thread = new NodeWorker(
    `import(${JSON.stringify(tsx.href)}).then((t) => (t.register(), import(${JSON.stringify(shim.href)})))`,
    { eval: true },
  );
  const worker: ValidatorWorker = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => thread.postMessage(message),
    terminate: () => void thread.terminate(),
  };
  thread.on('message', (data: unknown) => worker.onmessage?.({ data } as MessageEvent));
  thread.on('error', () => worker.onerror?.(new Event('error')));
  return worker;
}

/** 1.4 M garbage-collected structs (2.8 MB): within the pre-scan's budget, ~3 s for Yjs. */
function slowToDecode(): Uint8Array {
  const e = encoding.createEncoder();
  const n = 1_400_000;
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, n);
  encoding.writeVarUint(e, 4242);
  encoding.writeVarUint(e, 0);
  for (let i = 0; i < n; i++) {
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 1);
  }
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

describe('a peer sending an update that is slow to decode', () => {
  it('is dropped when its Worker overruns, without holding this thread, while another peer syncs', async () => {
    const bomb = slowToDecode();
    expect(prescanUpdate(bomb).ok).toBe(true);
    // Large updates get 300 ms here; the small honest one the default budget (worker start-up).
    const validator = pool({
      size: 2,
      spawn: nodeWorker,
      budgetMs: (bytes) => (bytes > 1_000_000 ? 300 : 60_000),
    });
    const doc = new Y.Doc();
    const rejected: [PeerId, string][] = [];
    const engine = createSyncEngine({
      doc,
      awareness: new Awareness(doc),
      validateUpdate: async (update) => {
        const result = await validator.validate(update, community);
        return result.ok ? ok(undefined) : result;
      },
      send: () => {},
      onReject: (peer, reason) => rejected.push([peer, reason]),
      onSynced: () => {},
    });
    const [mallory, honest] = ['mallory' as PeerId, 'honest' as PeerId];
    engine.addPeer(mallory);
    engine.addPeer(honest);
    const message = (update: Uint8Array) => {
      const e = encoding.createEncoder();
      syncProtocol.writeUpdate(e, update);
      return encoding.toUint8Array(e);
    };

    // This thread's timers keep firing: the longest gap between ticks is what a user would feel.
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    try {
      engine.receive(mallory, 'sync', message(bomb));
      engine.receive(honest, 'sync', message(small));
      await expect.poll(() => rejected, { timeout: 60_000 }).toEqual([[mallory, TOO_SLOW]]);
      await expect.poll(() => doc.getMap('events').size, { timeout: 60_000 }).toBe(smallEvents);
    } finally {
      clearInterval(ticker);
      engine.destroy();
    }
    // Yjs alone takes seconds on this update; the page's thread never stalled for that long.
    expect(longestGap).toBeLessThan(1_000);
  }, 120_000);
});
