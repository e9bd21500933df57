/**
 * Propagation across ten browsers (issue 10, item 7): the median time from a person pressing
 * Post to the post showing in the last of the nine other pages, with every browser keeping 3
 * links (`moot.meshDegree`, so most posts travel two or three hops by gossip) against the full
 * mesh (degree 9: every page linked to every other), measured in the same run on the same
 * relay. Target: degree 3 ≤ 2 × the full mesh.
 *
 * Duplicates: each page counts the sync updates arriving on its data channels (a wrapper around
 * RTCDataChannel's message handler, reading the frame header of framing.ts; no app code
 * changed); copies beyond the first, per post per page, are reported for both meshes.
 */
import type { Browser, Page } from '@playwright/test';
import { startRelayProcess } from '../e2e/fixtures/relay';
import { createCommunity, joinCommunity } from '../e2e/fixtures/moot';
import { launchChromium, pressPost } from './browser';
import { median } from './raw-channel';
import type { Benchmark } from './types';

const PEOPLE = 10;
const POSTS = 12;
const DEGREE = 3;

declare global {
  interface Window {
    mootBenchUpdates: number;
  }
}

/**
 * Runs in every page before the app: counts whole sync updates received. A frame is
 * [channel u8][message id u32][fragment u32][count u32][payload]; channel 1 is sync, and the
 * first fragment's payload starts with the y-protocols message type (2 = update). A string, so
 * the bundler's helpers (tsx names inner functions) never reach the page.
 */
const COUNT_SYNC_UPDATES = `
  window.mootBenchUpdates = 0;
  const setter = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'onmessage').set;
  Object.defineProperty(RTCDataChannel.prototype, 'onmessage', {
    set(handler) {
      setter.call(this, (event) => {
        if (event.data instanceof ArrayBuffer && event.data.byteLength > 13) {
          const view = new DataView(event.data);
          if (view.getUint8(0) === 1 && view.getUint32(5) === 0 && view.getUint8(13) === 2)
            window.mootBenchUpdates++;
        }
        handler?.call(this, event);
      });
    },
  });
`;

/** Resolves in the page with Date.now() once the feed shows `text` (a string, as above). */
const seenAt = (text: string) => `
  new Promise((resolve) => {
    const text = ${JSON.stringify(text)};
    const shows = () => document.querySelector('[aria-label="Posts"]')?.textContent?.includes(text);
    if (shows()) return resolve(Date.now());
    const observer = new MutationObserver(() => {
      if (!shows()) return;
      observer.disconnect();
      resolve(Date.now());
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  })
`;

interface MeshRun {
  /** ms from Post to the last of the other pages showing it, per post. */
  toAll: number[];
  /** Sync updates received beyond the first, per post per page. */
  duplicates: number;
  maxLinks: number;
}

async function runMesh(browser: Browser, relayUrl: string, degree: number): Promise<MeshRun> {
  const pages: Page[] = [];
  try {
    for (let i = 0; i < PEOPLE; i++) {
      const context = await browser.newContext();
      await context.addInitScript({ content: COUNT_SYNC_UPDATES });
      await context.addInitScript(
        (d) => localStorage.setItem('moot.meshDegree', String(d)),
        degree,
      );
      pages.push(await context.newPage());
    }
    const name = `Bench degree ${degree}`;
    const link = await createCommunity(pages[0]!, `${relayUrl}/`, name, 'Person 0');
    for (let i = 1; i < PEOPLE; i++) {
      await joinCommunity(pages[i]!, link, `Person ${i}`);
      await pages[i]!.getByRole('heading', { level: 1, name }).waitFor({ timeout: 60_000 });
    }
    // Warm up (and let every link settle) with one post that must reach everyone.
    await timeToAll(pages, 0, 'warm-up post');

    const before = await Promise.all(pages.map((p) => p.evaluate(() => window.mootBenchUpdates)));
    const toAll: number[] = [];
    for (let i = 0; i < POSTS; i++)
      toAll.push(await timeToAll(pages, (i * 7 + 3) % PEOPLE, `degree ${degree} post ${i}`));
    const after = await Promise.all(pages.map((p) => p.evaluate(() => window.mootBenchUpdates)));
    // A page's own posts never arrive as updates: each page should receive the others' posts.
    const received = after.reduce((sum, n, i) => sum + n - before[i]!, 0);
    const firstCopies = POSTS * (PEOPLE - 1);
    const links = await Promise.all(pages.map(linkedPeers));
    return {
      toAll,
      duplicates: (received - firstCopies) / firstCopies,
      maxLinks: Math.max(...links),
    };
  } finally {
    for (const page of pages) await page.context().close();
  }
}

async function linkedPeers(page: Page): Promise<number> {
  const text = await page.getByRole('status', { name: 'Sync status' }).textContent();
  return Number(/(\d+) peers?\b/.exec(text ?? '')?.[1] ?? 0);
}

/** Posts from `pages[author]`; resolves with the ms until every other page shows the text. */
async function timeToAll(pages: Page[], author: number, text: string): Promise<number> {
  const seen = pages
    .filter((_, i) => i !== author)
    .map((page) => page.evaluate<number>(seenAt(text)));
  const pressed = await pressPost(pages[author]!, text);
  return Math.max(...(await Promise.all(seen))) - pressed;
}

export const meshPropagationBenchmark: Benchmark = {
  name: 'mesh propagation',
  async run() {
    const relay = await startRelayProcess();
    const browser = await launchChromium();
    try {
      const full = await runMesh(browser, relay.url, PEOPLE - 1);
      const partial = await runMesh(browser, relay.url, DEGREE);
      const ours = median(partial.toAll);
      const baseline = median(full.toAll);
      console.log(
        `  to all ${PEOPLE}: degree ${DEGREE} median ${ours} ms (${partial.toAll.join(', ')}), ` +
          `duplicates ${partial.duplicates.toFixed(2)}/post/page, max links ${partial.maxLinks}; ` +
          `full mesh median ${baseline} ms (${full.toAll.join(', ')}), ` +
          `duplicates ${full.duplicates.toFixed(2)}, max links ${full.maxLinks}`,
      );
      return [
        {
          name: `mesh propagation to all ${PEOPLE} (median): degree ${DEGREE} vs full mesh`,
          ours,
          baseline,
          unit: 'ms',
          ratio: ours / baseline,
          target: 'ratio <= 2',
          pass: ours <= 2 * baseline,
        },
        {
          name: `mesh duplicates per post per page: degree ${DEGREE} (max links ${partial.maxLinks}) vs full mesh (max links ${full.maxLinks})`,
          ours: partial.duplicates,
          baseline: full.duplicates,
          unit: 'copies',
          ratio: partial.duplicates / full.duplicates,
          target: `ours <= degree (${DEGREE})`,
          pass: partial.duplicates <= DEGREE,
        },
      ];
    } finally {
      await browser.close();
      await relay.stop();
    }
  },
};
