/**
 * The stored first screen (docs/discussions.md, "First screen"): opening a community shows the
 * threads of last time at once, plainly not live, then the live feed replaces them with what
 * arrived since. The stored screen is on the page for a moment only, so the page records it
 * as it appears (a MutationObserver installed before the app's script runs).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import {
  communityIdOf,
  createCommunity,
  feed,
  joinCommunity,
  newPage,
  post,
} from './fixtures/moot';

interface Sighting {
  status: string;
  titles: string[];
  inert: boolean;
  links: number;
  live: boolean;
}

declare global {
  interface Window {
    firstScreens: Sighting[];
  }
}

/** Runs in the page before its scripts: notes each thread list that appears, stored or live. */
function recordThreadLists() {
  window.firstScreens = [];
  const seen = new WeakSet<Element>();
  new MutationObserver(() => {
    for (const list of document.querySelectorAll('[aria-label="Posts"]')) {
      if (seen.has(list) || !list.querySelector('article')) continue;
      seen.add(list);
      const section = list.closest('section');
      window.firstScreens.push({
        status: document.querySelector('[aria-label="Sync status"]')?.textContent?.trim() ?? '',
        titles: [...list.querySelectorAll('article h3')].map((h) => h.textContent?.trim() ?? ''),
        inert: section?.inert === true,
        links: list.querySelectorAll('a, button').length,
        live: section?.getAttribute('aria-busy') !== 'true',
      });
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Titles in the community's stored first screen, read from IndexedDB without creating it. */
function storedTitles(page: Page, id: string): Promise<(string | null)[]> {
  return page.evaluate(
    (id) =>
      new Promise<(string | null)[]>((resolve) => {
        const open = indexedDB.open('moot-first-screen');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('screens')) {
            db.close();
            return resolve([]);
          }
          const get = db.transaction('screens').objectStore('screens').get(id);
          db.close(); // once the read is done
          get.onsuccess = () =>
            resolve(
              (
                (get.result as { threads?: { title: string | null }[] } | undefined)?.threads ?? []
              ).map((t) => t.title),
            );
          get.onerror = () => resolve([]);
        };
      }),
    id,
  );
}

async function startThread(page: Page, title: string, text: string) {
  await page.getByLabel('Title', { exact: true }).fill(title);
  await post(page, text);
}

const threadCard = (page: Page, title: string) =>
  feed(page).getByRole('article').filter({ hasText: title });

test('opening shows the threads of last time at once, then the live feed with what arrived since', async ({
  browser,
  relay,
}) => {
  const alice = await newPage(browser);
  const bob = await newPage(browser);
  const link = await createCommunity(alice, relay.url, 'Seed Library', 'Alice');
  const id = communityIdOf(alice);
  await joinCommunity(bob, link, 'Bob');
  await expect(bob.getByRole('heading', { level: 1, name: 'Seed Library' })).toBeVisible();
  // Enough posts that the live state takes a while to derive, so the stored screen shows first
  // whatever the machine's load (with a handful, the live page can win the race).
  await alice.evaluate((id) => window.mootDebug.seedPosts(id, 3000, 200), id);
  await expect(alice.getByText('3000 threads')).toBeVisible({ timeout: 60_000 });
  await startThread(alice, 'Seed swap', 'Who has tomato seeds?');
  await expect(threadCard(bob, 'Seed swap')).toBeVisible();

  // Alice's page stores its first screen once it is idle after the change.
  await expect
    .poll(async () => (await storedTitles(alice, id))[0], { timeout: 15_000 })
    .toBe('Seed swap');

  // Alice leaves the community (her session closes, so nothing more is stored); meanwhile Bob
  // starts a thread, which Alice's stored first screen cannot hold.
  await alice.goto(`${relay.url}/#/`);
  await expect(alice.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await startThread(bob, 'Bean harvest', 'Runner beans are in.');
  await expect(threadCard(bob, 'Bean harvest')).toBeVisible();

  // A full load of the community's link, as after a reload (not a hash change in the page).
  await alice.addInitScript(recordThreadLists);
  await alice.goto('about:blank');
  await alice.goto(`${relay.url}/#/c/${id}`);
  // Live: Bob's new thread arrives from him, above the one stored.
  await expect(threadCard(alice, 'Bean harvest')).toBeVisible();
  const sightings = await alice.evaluate(() => window.firstScreens);
  // First the stored screen: last time's threads, said to be opening, nothing to click.
  expect(sightings[0]).toEqual({
    status: 'Opening… showing what was here last time',
    titles: ['Seed swap'],
    inert: true,
    links: 0,
    live: false,
  });
  // Then the live feed, and the stored screen never again.
  expect(sightings.slice(1).every((s) => s.live)).toBe(true);
  expect(sightings.length).toBeGreaterThan(1);
  await expect(alice.getByText('Opening… showing what was here last time')).toHaveCount(0);

  // The live feed takes actions: Alice replies to the stored thread and Bob sees it.
  await threadCard(alice, 'Seed swap').getByRole('link', { name: 'Seed swap' }).click();
  await alice.getByLabel('Write a reply').fill('I have some.');
  await alice.getByRole('button', { name: 'Send reply' }).click();
  await expect(threadCard(bob, 'Seed swap').getByRole('link', { name: '1 reply' })).toBeVisible();

  // Once live, the stored screen follows the live state (the thread just answered on top,
  // Bob's new one in it); leaving the community deletes it.
  await expect
    .poll(async () => (await storedTitles(alice, id)).slice(0, 2), { timeout: 15_000 })
    .toEqual(['Seed swap', 'Bean harvest']);
  await alice.goto(`${relay.url}/#/c/${id}/settings`);
  await alice.getByRole('button', { name: 'Leave community…' }).click();
  await alice.getByRole('button', { name: 'Delete from this device' }).click();
  await expect.poll(() => storedTitles(alice, id)).toEqual([]);
});
