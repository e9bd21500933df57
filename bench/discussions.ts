/**
 * Discussions at 10,000 posts, each figure against a baseline measured in the same run:
 *
 * 1. Cold open: from following the community's link (app already loaded, doc only in IndexedDB)
 *    to the first screen of threads rendered, against reading the same rows into a bare Y.Doc
 *    in the same page (src/app/bench-hooks.ts). Target: ratio ≤ 1.5 (issue 7, item 10). The
 *    first screen is the newest thread's card in the list, which both the stored first screen
 *    (shown while opening, docs/discussions.md) and the live feed show; an information row
 *    times the live state on screen (the feed's "10000 posts" count, which only the live feed
 *    shows), so the two are never mistaken for each other.
 * 2. Search in the page: typing a query to highlighted results on screen; target < 1 s.
 * 3. Search engine alone (node): a minisearch query over 10,000 posts, with a lower-cased linear
 *    scan of the same posts printed beside it. Report-only against the scan: the issue asks for
 *    search under 1 s at 10,000 posts, and that is the target. The two do different work — the
 *    index ranks matches, ANDs the words and matches word prefixes; the scan finds substrings and
 *    ranks nothing — and a query whose first word starts most posts ("post 9999") makes the index
 *    score every post, so it is not faster than a scan there and is not meant to be.
 * 4. The open's work in node, as CPU time (steadier than wall time on a loaded machine): a
 *    Y.Doc loaded from the update, its events read and the state reduced, against the load
 *    alone. Information, like the live-state row: what the live state costs over Yjs.
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import * as Y from 'yjs';
import { PostSearch } from '../src/community/discussions/search';
import { readStoredEvents, type SignedEvent } from '../src/community/event';
import { reduce } from '../src/community/reducer';
import { foundTestCommunity } from '../src/community/test-helpers';
import { EVENTS_MAP, type StoredEvent } from '../src/community/validate-update';
import type { Post } from '../src/community/state';
import type { EventId, MemberId } from '../src/shared/ids';
import { createCommunity } from '../e2e/fixtures/moot';
import { startRelayProcess } from '../e2e/fixtures/relay';
import { median } from './raw-channel';
import type { Benchmark, BenchResult } from './types';

const POSTS = 10_000;
// Five rounds: on a shared 2-core machine one round in three can be 2× off either way.
const ROUNDS = 5;

type BenchWindow = Window & {
  mootDebug: {
    seedPosts(id: string, count: number, textLength: number): Promise<void>;
    timeBareDocLoad(id: string): Promise<{ ms: number; events: number }>;
  };
};

export const discussionsBenchmark: Benchmark = {
  name: 'discussions 10k',
  async run() {
    const results: BenchResult[] = [];
    const relay = await startRelayProcess();
    const browser = await chromium.launch({
      executablePath:
        process.env.CHROMIUM_PATH ??
        (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await (await browser.newContext()).newPage();
      await createCommunity(page, relay.url, 'Bench Forum', 'Alice');
      const id = /#\/c\/([A-Za-z0-9_-]+)/.exec(page.url())![1]!;
      await page.evaluate(
        ([id, n]) => (window as unknown as BenchWindow).mootDebug.seedPosts(id, n, 280),
        [id, POSTS] as const,
      );
      await page.getByText(`${POSTS} threads · ${POSTS} posts`).waitFor({ timeout: 300_000 });
      // The open community stores its first screen once the page is idle after a change; the
      // one stored before the posts were seeded holds none of them.
      await waitForStoredFirstScreen(page, id, `Post ${POSTS - 1} `);

      const opens: number[] = [];
      const lives: number[] = [];
      const bare: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await goHome(page, relay.url);
        const { first, live } = await timeColdOpen(page, id);
        opens.push(first);
        lives.push(live);
        await goHome(page, relay.url);
        const load = await page.evaluate(
          (id) => (window as unknown as BenchWindow).mootDebug.timeBareDocLoad(id),
          id,
        );
        if (load.events < POSTS) throw new Error(`bare load saw ${load.events} events`);
        bare.push(load.ms);
      }
      const open = median(opens);
      const live = median(lives);
      const base = median(bare);
      console.log(
        `  cold open: ${fmt(opens)} ms (median ${open.toFixed(0)}); live state ${fmt(lives)} ms (median ${live.toFixed(0)}); bare doc load ${fmt(bare)} ms`,
      );
      results.push({
        name: `cold open, ${POSTS} posts → first threads on screen`,
        ours: open,
        baseline: base,
        unit: 'ms',
        ratio: open / base,
        target: 'ratio <= 1.5 (vs bare IndexedDB → Y.Doc)',
        pass: open / base <= 1.5,
      });
      results.push({
        name: `cold open, ${POSTS} posts → live state on screen (information)`,
        ours: live,
        baseline: base,
        unit: 'ms',
        ratio: live / base,
        target: 'information: the first screen above may be the stored one',
        pass: true,
      });

      await page.goto(`${relay.url}/#/c/${id}`);
      await page.getByText(`${POSTS} threads`).waitFor({ timeout: 120_000 });
      const first = await timeSearch(page, 'post 9999');
      const later = [await timeSearch(page, 'post 42'), await timeSearch(page, 'post 5000')];
      console.log(
        `  search in page: first ${first.toFixed(0)} ms (builds the index), then ${fmt(later)} ms`,
      );
      results.push({
        name: `search in page, ${POSTS} posts (first query builds index)`,
        ours: first,
        baseline: 1000,
        unit: 'ms',
        ratio: first / 1000,
        target: 'ours < 1000 ms',
        pass: first < 1000,
      });
      results.push({
        name: `search in page, ${POSTS} posts (index built)`,
        ours: median(later),
        baseline: 1000,
        unit: 'ms',
        ratio: median(later) / 1000,
        target: 'ours < 1000 ms',
        pass: median(later) < 1000,
      });
    } finally {
      await browser.close();
      await relay.stop();
    }
    results.push(searchEngine(), await openWork());
    return results;
  },
};

async function goHome(page: Page, base: string) {
  await page.goto(`${base}/#/`);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/**
 * Resolves, in the page, with the milliseconds from `start` until `ready` holds at an animation
 * frame. Passed as source text: tsx would wrap named inner functions in a helper the page lacks.
 */
function timeInPage(page: Page, start: string, ready: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const started = performance.now();
    ${start};
    const tick = () => ((${ready}) ? resolve(performance.now() - started) : requestAnimationFrame(tick));
    tick();
  })`);
}

/**
 * Follows the community link from the home screen. `first`: the newest thread's card is on
 * screen (stored first screen or live feed); `live`: the live feed is, with its post count.
 */
function timeColdOpen(page: Page, id: string): Promise<{ first: number; live: number }> {
  return page.evaluate(`new Promise((resolve) => {
    const started = performance.now();
    location.hash = ${JSON.stringify(`#/c/${id}`)};
    let first = null;
    const tick = () => {
      const now = performance.now() - started;
      const cards = [...document.querySelectorAll('[aria-label="Posts"] article')];
      if (first === null && cards.some((a) => a.textContent.includes(${JSON.stringify(`Post ${POSTS - 1} `)})))
        first = now;
      if (first !== null && cards.length > 0 &&
          document.body.textContent.includes(${JSON.stringify(`${POSTS} posts`)}))
        resolve({ first, live: now });
      else requestAnimationFrame(tick);
    };
    tick();
  })`);
}

/**
 * Polls until the stored first screen begins with the newest post. Polled from here: a
 * waitForFunction counts the promise the probe returns as a truthy answer, at once.
 */
async function waitForStoredFirstScreen(page: Page, id: string, newest: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate(firstScreenStored, [id, newest] as const))) {
    if (Date.now() > deadline) throw new Error('the first screen was never stored');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Whether the community's stored first screen begins with `newest` (run in the page). */
function firstScreenStored([id, newest]: readonly [string, string]): Promise<boolean> {
  return new Promise((resolve) => {
    const open = indexedDB.open('moot-first-screen');
    // Never create the database here: idb-keyval would then find it without its store.
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('screens')) {
        db.close();
        return resolve(false);
      }
      const get = db.transaction('screens').objectStore('screens').get(id);
      get.onsuccess = () => {
        const first = (get.result as { threads?: { excerpt?: string }[] } | undefined)
          ?.threads?.[0];
        db.close();
        resolve(first?.excerpt?.startsWith(newest) === true);
      };
      get.onerror = () => {
        db.close();
        resolve(false);
      };
    };
  });
}

/**
 * Types a query without focusing the box (focus starts building the index early), so the first
 * query's figure includes building the index; resolves when highlighted results are on screen.
 */
function timeSearch(page: Page, query: string): Promise<number> {
  return timeInPage(
    page,
    `const input = document.querySelector('input[type="search"]');
    input.value = ${JSON.stringify(query)};
    input.dispatchEvent(new Event('input', { bubbles: true }))`,
    `[...document.querySelectorAll('[aria-label="Search results"] mark')].some(
      (m) => m.textContent.toLowerCase() === ${JSON.stringify(query.split(' ').pop()!.toLowerCase())})`,
  );
}

/** A minisearch query over 10,000 posts in node, the scan beside it for scale (see the top). */
function searchEngine(): BenchResult {
  const posts: Post[] = Array.from({ length: POSTS }, (_, i) => {
    const id = `p${i}` as EventId;
    return {
      id,
      author: 'm' as MemberId,
      text: `Post ${i} about ${WORDS[i % WORDS.length]} and ${WORDS[(i * 7) % WORDS.length]} `.padEnd(
        280,
        'x',
      ),
      at: i,
      title: i % 3 === 0 ? `Thread ${i} on ${WORDS[(i * 3) % WORDS.length]}` : null,
      parent: null,
      thread: id,
      history: [],
      editedAt: null,
      deleted: false,
      mentions: [],
      attachments: [],
    };
  });
  const built = performance.now();
  const index = new PostSearch();
  index.sync(posts);
  const buildMs = performance.now() - built;
  const queries = ['compost', 'tomato seeds', 'lathe', 'post 9999', 'saturday market'];
  const time = (fn: (q: string) => unknown) => {
    const samples: number[] = [];
    for (let r = 0; r < 20; r++) {
      const t0 = performance.now();
      for (const q of queries) fn(q);
      samples.push((performance.now() - t0) / queries.length);
    }
    return median(samples);
  };
  const ours = time((q) => index.search(q));
  const baseline = time((q) => {
    const terms = q.toLowerCase().split(/\s+/);
    return posts.filter((p) => {
      const hay = `${p.title ?? ''} ${p.text}`.toLowerCase();
      return terms.every((t) => hay.includes(t));
    });
  });
  console.log(
    `  search engine: index built in ${buildMs.toFixed(0)} ms; query ${ours.toFixed(2)} ms vs linear scan ${baseline.toFixed(2)} ms`,
  );
  return {
    name: `search query, ${POSTS} posts (minisearch; baseline: linear scan, for scale only)`,
    ours,
    baseline,
    unit: 'ms',
    ratio: ours / baseline,
    target: 'ours < 1000 ms (issue 7: search under 1 s)',
    pass: ours < 1000,
  };
}

/** CPU milliseconds of load → read events → reduce (as CommunityDoc does) vs load alone. */
async function openWork(): Promise<BenchResult> {
  const { doc, cdoc } = await foundTestCommunity('Ada');
  const bodies = Array.from({ length: POSTS }, (_, i) => ({ text: `Post ${i} `.padEnd(280, 'x') }));
  await cdoc.appendMany('post.create', bodies);
  const update = Y.encodeStateAsUpdate(doc);
  const load = () => {
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, update);
    return fresh.getMap<StoredEvent>(EVENTS_MAP);
  };
  const open = () => {
    const entries = [...load().entries()];
    const read = readStoredEvents(entries.map(([, stored]) => stored.event));
    const events = new Map<EventId, SignedEvent>();
    entries.forEach(([id, { event: bytes, sig }], i) =>
      events.set(id as EventId, { id: id as EventId, event: read[i]!, bytes, sig }),
    );
    reduce(events, Date.now());
  };
  const cpu = (fn: () => unknown) => {
    const start = process.cpuUsage();
    fn();
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1000;
  };
  const bare: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < 9; round++) {
    bare.push(cpu(load));
    ours.push(cpu(open));
  }
  const [o, b] = [median(ours), median(bare)];
  console.log(
    `  open work (node, CPU): ${o.toFixed(0)} ms vs Y.applyUpdate alone ${b.toFixed(0)} ms`,
  );
  return {
    name: `open work, ${POSTS} posts, CPU time in node (read events + reduce vs Yjs load)`,
    ours: o,
    baseline: b,
    unit: 'ms',
    ratio: o / b,
    // The work behind the live state (the row above times it in the page), steadier as CPU
    // time; the issue's target is the first screen's (row one).
    target: 'information: the live state, not the first screen',
    pass: true,
  };
}

const WORDS = ['compost', 'tomato', 'seeds', 'lathe', 'market', 'saturday', 'bees', 'rota'];

const fmt = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
