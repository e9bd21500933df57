/**
 * The upload limit (Settings → Shared files): real relay, real WebRTC, real IndexedDB. A sets
 * it to 0.5 MB/s and reloads (the field keeps it, and it applies again on opening); B fetches
 * A's 4 MiB file unasked no faster than the limit, and a post from A reaches B's feed while
 * the blocks are still coming: only file blocks wait for the limit. The bucket itself and a
 * download from two limited seeders are unit-tested (src/files/upload-limit.test.ts,
 * swarm.test.ts).
 */
import { feed, gather, post } from './fixtures/moot';
import { newPage, section, shareGenerated, storedBlocks } from './fixtures/files';
import { expect, test } from './fixtures/test';

/** 16 blocks of 256 KiB: ~8.4 s at 0.5 MB/s, well under a second unlimited on loopback. */
const BLOCKS = 16;
const SIZE = BLOCKS * 256 * 1024;

test('A’s upload limit holds B’s download to it, survives a reload, and never holds back a post', async ({
  browser,
  relay,
}) => {
  test.setTimeout(180_000);
  const {
    pages: [alice, bob],
  } = await gather(browser, relay.url, 'Slow Uplink', ['Alice', 'Bob'], { open: newPage });

  await section(alice, 'Settings');
  const limit = alice.getByLabel('Upload limit (MB/s)');
  await expect(limit).toHaveValue('');
  await limit.fill('0.5');
  await alice.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(alice.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await alice.reload();
  await section(alice, 'Settings');
  await expect(limit).toHaveValue('0.5');

  // 4 MiB is under B's default auto-download size: B fetches it unasked.
  await section(alice, 'Files');
  await expect(alice.getByRole('button', { name: 'Share files' })).toBeVisible();
  await shareGenerated(alice, 'slow.bin', SIZE);
  await expect
    .poll(() => storedBlocks(bob), { timeout: 60_000, intervals: [50] })
    .toBeGreaterThan(0);
  const firstBlock = Date.now();

  await section(alice, 'Feed');
  await section(bob, 'Feed');
  await post(alice, 'Uploading slowly');
  await expect(feed(bob)).toContainText('Uploading slowly', { timeout: 30_000 });
  expect(await storedBlocks(bob)).toBeLessThan(BLOCKS);

  await expect.poll(() => storedBlocks(bob), { timeout: 90_000, intervals: [100] }).toBe(BLOCKS);
  // The 15 blocks after the first are 7.9 s of the limit (less its 0.1 s burst).
  expect(Date.now() - firstBlock).toBeGreaterThan(6_000);
});
