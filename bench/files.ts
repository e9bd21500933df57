/**
 * Shared files: one file from Alice to Bob through Moot (request, send, verify, store in
 * IndexedDB) against a raw data channel between the same two browser contexts in the same run,
 * paced the same way (64 KiB messages, ≤ 4 MiB buffered). Also the post propagation time while
 * the file flows, against idle. Size: FILES_BENCH_MB (default 100).
 * Targets (issue 8): throughput ratio ≥ 0.8; post latency during a transfer ≤ 2× idle.
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createCommunity, feed, joinCommunity, post } from '../e2e/fixtures/moot';
import { startRelayProcess } from '../e2e/fixtures/relay';
import { closeRawChannel, median, openRawChannel } from './raw-channel';
import type { Benchmark } from './types';

declare global {
  interface Window {
    rawDone: Promise<number>;
  }
}

const MB = 1024 * 1024;
const SIZE = Number(process.env.FILES_BENCH_MB ?? 100) * MB;

export const filesBenchmark: Benchmark = {
  name: 'files',
  async run() {
    const relay = await startRelayProcess();
    const browser = await chromium.launch({
      executablePath:
        process.env.CHROMIUM_PATH ??
        (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const alice = await (await browser.newContext()).newPage();
      const bob = await (await browser.newContext()).newPage();
      const link = await createCommunity(alice, relay.url, 'Bench files', 'Alice');
      await joinCommunity(bob, link, 'Bob');
      await bob.getByRole('heading', { level: 1, name: 'Bench files' }).waitFor();
      await alice.getByRole('status', { name: 'Sync status' }).getByText('Up to date').waitFor();

      const idle: number[] = [];
      for (let i = 0; i < 5; i++) idle.push(await timePost(alice, bob, `idle post ${i}`));

      const raw = await rawThroughput(alice, bob, SIZE);

      await section(alice, 'Files');
      await shareGenerated(alice, 'bench.bin', SIZE);
      await alice.getByRole('listitem', { name: 'bench.bin' }).waitFor({ timeout: 600_000 });
      await section(bob, 'Files');
      const item = bob.getByRole('listitem', { name: 'bench.bin' });
      await item.getByText('1 online peer has it').waitFor({ timeout: 60_000 });
      const started = Date.now();
      await item.getByRole('button', { name: 'Download' }).click();
      // Bob reads the feed while the file arrives; Alice posts now and then.
      await section(bob, 'Feed');
      await section(alice, 'Feed');
      const busy: number[] = [];
      let finished = 0;
      while (finished === 0) {
        if ((await storedBlocks(bob)) >= Math.ceil(SIZE / MB)) finished = Date.now();
        else if (busy.length < 10)
          busy.push(await timePost(alice, bob, `busy post ${busy.length}`));
        else await bob.waitForTimeout(100);
      }
      const ours = SIZE / MB / ((finished - started) / 1000);
      const idleMs = median(idle);
      const busyMs = median(busy);
      console.log(
        `  ${SIZE / MB} MiB: Moot ${ours.toFixed(1)} MiB/s, raw channel ${raw.toFixed(1)} MiB/s; ` +
          `post median idle ${idleMs.toFixed(0)} ms, during transfer ${busyMs.toFixed(0)} ms (${busy.length} posts)`,
      );
      return [
        {
          name: `file transfer ${SIZE / MB} MiB (A → B, verified and stored)`,
          ours,
          baseline: raw,
          unit: 'MiB/s',
          ratio: ours / raw,
          target: 'ratio >= 0.8',
          pass: ours / raw >= 0.8,
        },
        {
          name: 'post propagation during a file transfer vs idle (median)',
          ours: busyMs,
          baseline: idleMs,
          unit: 'ms',
          ratio: busyMs / idleMs,
          target: 'ratio <= 2',
          pass: busyMs / idleMs <= 2,
        },
      ];
    } finally {
      await browser.close();
      await relay.stop();
    }
  },
};

const section = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Community sections' }).getByRole('link', { name }).click();

async function timePost(alice: Page, bob: Page, text: string): Promise<number> {
  const sent = Date.now();
  await post(alice, text);
  await feed(bob).getByText(text).waitFor({ timeout: 60_000 });
  return Date.now() - sent;
}

function shareGenerated(page: Page, name: string, size: number): Promise<void> {
  return page.evaluate(
    ({ name, size }) => {
      const bytes = new Uint8Array(size);
      let x = 0x9e3779b9;
      for (let i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { name, size },
  );
}

const storedBlocks = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('moot-blocks');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result
            .transaction('blocks')
            .objectStore('blocks')
            // Only the per-file records (`f:…`), not the megabytes of blocks (`b:…`).
            .getAll(IDBKeyRange.bound('f:', 'f;'));
          all.onsuccess = () => {
            let n = 0;
            for (const r of all.result as { have?: Uint8Array }[])
              for (const byte of r.have ?? []) for (let b = byte; b; b >>= 1) n += b & 1;
            open.result.close();
            resolve(n);
          };
        };
      }),
  );

/** A raw data channel between the same two pages; MiB/s from first send to last byte. */
async function rawThroughput(alice: Page, bob: Page, size: number): Promise<number> {
  await openRawChannel(
    alice,
    bob,
    (size: number) => {
      window.rawDone = new Promise<number>((resolve) => {
        window.rawPc.ondatachannel = (e: RTCDataChannelEvent) => {
          let got = 0;
          e.channel.binaryType = 'arraybuffer';
          e.channel.onmessage = (m) => {
            got += (m.data as ArrayBuffer).byteLength;
            if (got >= size) resolve(Date.now());
          };
        };
      });
    },
    size,
  );
  const started = await alice.evaluate(async (size) => {
    const channel = window.rawChannel;
    channel.bufferedAmountLowThreshold = 1024 * 1024;
    const chunk = new Uint8Array(64 * 1024);
    const t0 = Date.now();
    for (let sent = 0; sent < size; sent += chunk.length) {
      if (channel.bufferedAmount > 4 * 1024 * 1024)
        await new Promise((r) => channel.addEventListener('bufferedamountlow', r, { once: true }));
      channel.send(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    }
    return t0;
  }, size);
  const ended = await bob.evaluate(() => window.rawDone);
  await closeRawChannel(alice, bob);
  return size / (1024 * 1024) / ((ended - started) / 1000);
}
