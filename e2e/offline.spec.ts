/**
 * Offline-first and data ownership (issue 9), against the real relay process: the service
 * worker serves every Moot URL with no network, a new build is offered with a quiet prompt,
 * sync status tells the truth, storage stays bounded and survives a full disk, and a community
 * moves to a fresh profile through an export file. THREATS.md lines 33–34.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, appendFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelayProcess, type RelayProcess } from './fixtures/relay';
import { createCommunity, feed, post } from './fixtures/moot';

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

const status = (page: Page) => page.getByRole('status', { name: 'Sync status' });
const swReady = (page: Page) => page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

test.describe('with a relay', () => {
  let relay: RelayProcess;
  test.beforeEach(async () => {
    relay = await startRelayProcess();
  });
  test.afterEach(async () => {
    await relay.stop();
  });

  test('with the relay down and the browser offline, the community URL and an invite link both open', async ({
    browser,
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
