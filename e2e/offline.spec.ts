/**
 * Offline-first and data ownership (issue 9), against the real relay process: the service
 * worker serves every Moot URL with no network, a new build is offered with a quiet prompt,
 * sync status tells the truth, storage stays bounded and survives a full disk, and a community
 * moves to a fresh profile through an export file, and two tabs of one profile share their
 * posts. THREATS.md lines 33, 34 and 36.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelayProcess } from './fixtures/relay';
import {
  communityIdOf,
  createCommunity,
  feed,
  joinCommunity,
  newPage,
  post,
} from './fixtures/moot';

const status = (page: Page) => page.getByRole('status', { name: 'Sync status' });
const unseen = (page: Page, text: string) =>
  feed(page).getByRole('article').filter({ hasText: text }).getByText('Not yet seen by any peer');
const storedSize = (page: Page) =>
  page.evaluate((id) => window.mootDebug.storedSize(id), communityIdOf(page));
const swReady = (page: Page) => page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

/** Room for the app shell the worker caches (~3 MiB) and a small community. */
const QUOTA = 20 * 1024 * 1024;

/** Runs in the page: writes junk to its own database until the quota refuses even 256 bytes. */
async function fillStorage(): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('filler');
    open.onupgradeneeded = () => open.result.createObjectStore('junk', { autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  let stored = 0;
  for (let size = 65536; size >= 256;) {
    const tx = db.transaction('junk', 'readwrite');
    // Random bytes, so nothing below compresses them.
    tx.objectStore('junk').add(crypto.getRandomValues(new Uint8Array(size)));
    const fits = await new Promise((resolve) => {
      tx.oncomplete = () => resolve(true);
      tx.onabort = () => resolve(false);
    });
    if (fits) stored += size;
    else size = Math.floor(size / 2);
  }
  db.close();
  return stored;
}

test.describe('with a relay', () => {
  test('with the relay down and the browser offline, the community URL and an invite link both open', async ({
    browser,
    relay,
  }) => {
    const alice = await newPage(browser);
    const bob = await newPage(browser);
    const link = await createCommunity(alice, relay.url, 'Night Train', 'Alice');
    await post(alice, 'Written before the tunnel.');
    await expect(feed(alice)).toContainText('Written before the tunnel.');
    // Bob has only ever seen the home page; the worker must still serve him the join page.
    await bob.goto(relay.url);
    await swReady(alice);
    await swReady(bob);

    await relay.stop();
    await alice.context().setOffline(true);
    await bob.context().setOffline(true);

    await alice.reload();
    // Playwright's offline emulation does not always reach navigator.onLine after a reload.
    await expect(status(alice)).toContainText(/Offline|No relay reachable/);
    await expect(feed(alice)).toContainText('Written before the tunnel.');

    await bob.goto(link);
    await expect(bob.getByRole('heading', { level: 1, name: 'Join a community' })).toBeVisible();
    await expect(bob.getByLabel('Your display name')).toBeVisible();
    await relay.restart();
  });

  test('status says up to date only when copies match; offline posts wait for a peer, then converge', async ({
    browser,
    relay,
  }) => {
    const alice = await newPage(browser);
    const bob = await newPage(browser);
    const link = await createCommunity(alice, relay.url, 'Ferry Crew', 'Alice');
    await joinCommunity(bob, link, 'Bob');
    await expect(status(alice)).toContainText('Up to date with 1 peer', { timeout: 30_000 });

    const details = alice.getByRole('button', { name: 'Details' });
    await details.focus();
    await alice.keyboard.press('Enter');
    await expect(details).toHaveAttribute('aria-expanded', 'true');
    const panel = alice.getByRole('region', { name: 'Sync details' });
    await expect(panel).toContainText(`${relay.url.replace('http', 'ws')}/signal — reached`);
    await expect(panel).toContainText('Up to date with 1 of 1 peer');

    // Bob's reload below must not outrun his own store: wait until Alice has admitted him (both
    // can be up to date with each other a moment before her admit is written) and what he
    // synced is on disk (a reload aborts IndexedDB writes still in flight; peers would resend
    // them, but not here).
    await expect(bob.getByText('2 members')).toBeVisible({ timeout: 30_000 });
    await expect(status(bob)).toContainText('Up to date with 1 peer', { timeout: 30_000 });
    await bob.evaluate((id) => window.mootDebug.flushStore(id), communityIdOf(bob));

    // Apart: no relay to meet through, and Bob's reload drops the direct link.
    await relay.stop();
    await bob.reload();
    await expect(status(alice)).toContainText('No peers online', { timeout: 30_000 });
    await post(alice, 'Alice, written apart.');
    await post(bob, 'Bob, written apart.');
    await expect(unseen(alice, 'Alice, written apart.')).toBeVisible();
    await expect(unseen(bob, 'Bob, written apart.')).toBeVisible();
    await expect(panel).toContainText('1 change not yet seen by any peer');

    await relay.restart();
    for (const page of [alice, bob]) {
      await expect(feed(page)).toContainText('Alice, written apart.', { timeout: 60_000 });
      await expect(feed(page)).toContainText('Bob, written apart.', { timeout: 60_000 });
      await expect(status(page)).toContainText('Up to date with 1 peer');
    }
    await expect(unseen(alice, 'Alice, written apart.')).toHaveCount(0);
    await expect(unseen(bob, 'Bob, written apart.')).toHaveCount(0);
    await expect(panel).toContainText('Every change you made has reached at least one peer.');
  });

  test('storage does not grow across 20 reloads with no new data', async ({ browser, relay }) => {
    const alice = await newPage(browser);
    await createCommunity(alice, relay.url, 'Quiet Library', 'Alice');
    await post(alice, 'Shh.');
    await expect(feed(alice)).toContainText('Shh.');
    await alice.reload();
    await expect(feed(alice)).toContainText('Shh.');
    const first = await storedSize(alice);
    for (let i = 0; i < 20; i++) {
      await alice.reload();
      await expect(feed(alice)).toContainText('Shh.');
    }
    expect(await storedSize(alice)).toEqual(first);
  });

  test('two tabs of one profile: a post in either shows in the other without a reload, and both survive a reload', async ({
    browser,
    relay,
  }) => {
    const tab1 = await newPage(browser);
    await createCommunity(tab1, relay.url, 'Two Tabs', 'Alice');
    await swReady(tab1);
    // No relay: the tabs cannot meet as peers, so only the tabs' own channel can carry posts.
    await relay.stop();
    const tab2 = await tab1.context().newPage();
    await tab2.goto(tab1.url());
    await expect(tab2.getByRole('heading', { level: 1, name: 'Two Tabs' })).toBeVisible();

    await post(tab1, 'Written in tab one.');
    await expect(feed(tab2)).toContainText('Written in tab one.');
    await post(tab2, 'Written in tab two.');
    await expect(feed(tab1)).toContainText('Written in tab two.');
    // A page of the origin posting garbage on the channel changes nothing.
    await tab2.evaluate((id) => {
      new BroadcastChannel(`moot-doc-${id}`).postMessage(new Uint8Array([1, 2, 3, 4]));
    }, communityIdOf(tab2));
    await post(tab1, 'Still fine.');
    await expect(feed(tab2)).toContainText('Still fine.');

    // Every post reached the shared store, whichever tab wrote it.
    for (const page of [tab1, tab2]) {
      await page.reload();
      await expect(feed(page).getByRole('article')).toHaveCount(3);
    }
    await expect(tab1.getByRole('alert')).toHaveCount(0);
    await relay.restart();
  });

  test('a full disk: a clear message, the post stays, nothing half-written, saved once there is room', async ({
    browser,
    relay,
  }) => {
    const alice = await newPage(browser);
    // A small quota through the DevTools protocol. Chromium's IndexedDB keeps the space it was
    // last granted and asks the quota manager again only when a write would not fit, so the
    // override must be in place before the origin's first write; later it may only be raised.
    const cdp = await alice.context().newCDPSession(alice);
    const origin = new URL(relay.url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA });
    await createCommunity(alice, relay.url, 'Tiny Disk', 'Alice');
    await post(alice, 'Saved while there was room.');
    await expect(feed(alice)).toContainText('Saved while there was room.');
    await expect.poll(async () => (await storedSize(alice)).rows).toBeGreaterThan(1);
    const before = await storedSize(alice);

    // Something else on the device takes the rest of the space: the disk is really full.
    expect(await alice.evaluate(fillStorage)).toBeGreaterThan(0);
    await post(alice, 'Written with a full disk.');
    const alert = alice.getByRole('alert').filter({ hasText: 'storage for Moot is full' });
    await expect(alert).toBeVisible();
    await expect(alert.getByRole('link', { name: 'Free space in Settings' })).toBeVisible();
    await expect(feed(alice)).toContainText('Written with a full disk.');
    expect(await storedSize(alice)).toEqual(before);
    await alert.getByRole('button', { name: 'Try saving again' }).click();
    await expect(alert.getByText(/Could not save on this device/)).toBeVisible();
    expect(await storedSize(alice)).toEqual(before);

    // Room again (as if the member freed space elsewhere).
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA * 4 });
    await alert.getByRole('button', { name: 'Try saving again' }).click();
    await expect(alert).toHaveCount(0);
    await alice.reload();
    await expect(feed(alice)).toContainText('Written with a full disk.');
    await expect(feed(alice)).toContainText('Saved while there was room.');
  });

  test('export in one profile, import in a fresh one: everything shows, a damaged file changes nothing', async ({
    browser,
    relay,
  }) => {
    const alice = await newPage(browser);
    await createCommunity(alice, relay.url, 'Seed Swap', 'Alice');
    await post(alice, 'Tomato seeds on the shelf.');
    await post(alice, 'Bring envelopes.');
    await expect(feed(alice).getByRole('article')).toHaveCount(2);

    await alice.getByRole('link', { name: 'Settings' }).click();
    await expect(alice.getByRole('heading', { name: 'Storage on this device' })).toBeVisible();
    const downloading = alice.waitForEvent('download');
    await alice.getByRole('button', { name: 'Export community' }).click();
    const file = await (await downloading).path();
    const dir = mkdtempSync(join(tmpdir(), 'moot-export-'));
    const damaged = join(dir, 'damaged.json');
    const text = readFileSync(file, 'utf8');
    const json = JSON.parse(text) as { events: { event: string }[] };
    json.events[0]!.event = json.events[0]!.event.slice(0, -4) + 'AAAA';
    writeFileSync(damaged, JSON.stringify(json));

    const fresh = await newPage(browser);
    await fresh.goto(relay.url);
    await fresh.getByLabel('Community export file').setInputFiles(damaged);
    await fresh.getByRole('button', { name: 'Import' }).click();
    await expect(fresh.getByRole('alert')).toContainText("This file can't be imported");
    await expect(fresh.getByRole('link', { name: 'Seed Swap' })).toHaveCount(0);

    await fresh.getByLabel('Community export file').setInputFiles(file);
    await fresh.getByRole('button', { name: 'Import' }).click();
    await expect(fresh.getByRole('heading', { level: 1, name: 'Seed Swap' })).toBeVisible();
    await expect(feed(fresh)).toContainText('Tomato seeds on the shelf.');
    await expect(feed(fresh)).toContainText('Bring envelopes.');

    // Offline, from this profile's own storage.
    await swReady(fresh);
    await relay.stop();
    await fresh.reload();
    await expect(feed(fresh).getByRole('article')).toHaveCount(2);
    await expect(feed(fresh)).toContainText('Tomato seeds on the shelf.');
    await relay.restart();
    rmSync(dir, { recursive: true, force: true });
  });
});

test('a new build is offered with a quiet prompt, and Reload switches to it', async ({
  browser,
}) => {
  // Two copies of the build behind one symlink: restarting the relay on the other copy is a deploy.
  const dir = mkdtempSync(join(tmpdir(), 'moot-deploy-'));
  cpSync('dist', join(dir, 'v1'), { recursive: true });
  cpSync('dist', join(dir, 'v2'), { recursive: true });
  appendFileSync(join(dir, 'v2', 'sw.js'), '\n// next build\n');
  const current = join(dir, 'current');
  symlinkSync(join(dir, 'v1'), current);
  const relay = await startRelayProcess(['--static', current]);
  try {
    const page = await newPage(browser);
    await page.goto(relay.url);
    await swReady(page);
    // A returning visitor: the page is controlled by the worker it installed last time.
    await page.reload();
    await expect(page.getByRole('region', { name: 'App update' })).toHaveCount(0);

    await relay.stop();
    unlinkSync(current);
    symlinkSync(join(dir, 'v2'), current);
    await relay.restart();
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const prompt = page.getByRole('region', { name: 'App update' });
    await expect(prompt).toContainText('New version available');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await expect(prompt).toHaveCount(0);
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return registration?.waiting === null && registration.active !== null;
        }),
      )
      .toBe(true);
  } finally {
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
