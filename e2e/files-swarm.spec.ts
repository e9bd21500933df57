/**
 * Shared files with three browsers (issue 8, item 7): real relay, real WebRTC, real IndexedDB.
 * A shares a 40 MiB file (generated in the page); B fetches all of it and its saved bytes hash
 * as A's; C then fetches from A and B together, A leaves mid-transfer, and C completes from B
 * alone with the same bytes; a small image C shares reaches B unasked and shows inline.
 * (Reload-resume is in files.spec.ts.)
 */
import { expect, test } from './fixtures/test';
import { gather } from './fixtures/moot';
import {
  newPage,
  saveAndHash,
  section,
  shareGenerated,
  shareImage,
  storedBlocks,
} from './fixtures/files';

/** 40 MiB: 160 blocks of 256 KiB, over the 10 MB auto-fetch size, so each download is asked for. */
const SIZE = 40 * 1024 * 1024;
const BLOCKS = 160;

test('C downloads from A and B together and completes from B when A leaves; bytes match', async ({
  browser,
  relay,
}) => {
  test.setTimeout(360_000);
  const {
    pages: [alice, bob, carol],
  } = await gather(browser, relay.url, 'Tool Library', ['Alice', 'Bob', 'Carol'], {
    open: newPage,
  });

  await section(alice, 'Files');
  await expect(alice.getByRole('button', { name: 'Share files' })).toBeVisible();
  const digest = await shareGenerated(alice, 'tools.bin', SIZE);
  await expect(alice.getByRole('listitem', { name: 'tools.bin' })).toBeVisible({
    timeout: 60_000,
  });

  // B fetches the whole file from A.
  await section(bob, 'Files');
  const atBob = bob.getByRole('listitem', { name: 'tools.bin' });
  await expect(atBob).toContainText('1 online peer has it', { timeout: 30_000 });
  await atBob.getByRole('button', { name: 'Download' }).click();
  await expect(atBob.getByRole('button', { name: 'Save' })).toBeVisible({ timeout: 120_000 });
  expect(await saveAndHash(atBob)).toEqual({ name: 'tools.bin', digest });

  // C sees two holders and gets verified blocks from both.
  await section(carol, 'Files');
  const atCarol = carol.getByRole('listitem', { name: 'tools.bin' });
  await expect(atCarol).toContainText('2 online peers have it', { timeout: 30_000 });
  await atCarol.getByRole('button', { name: 'Download' }).click();
  await expect(atCarol).toContainText('received from 2 peers', { timeout: 60_000 });

  // A leaves mid-transfer; C carries on from B alone.
  const atLeave = await storedBlocks(carol);
  await alice.context().close();
  expect(atLeave).toBeLessThan(BLOCKS);
  await expect(atCarol).toContainText('1 online peer has it', { timeout: 30_000 });
  await expect(atCarol.getByRole('button', { name: 'Save' })).toBeVisible({ timeout: 120_000 });
  expect(await storedBlocks(carol)).toBe(BLOCKS);
  expect(await saveAndHash(atCarol)).toEqual({ name: 'tools.bin', digest });

  // A small image is fetched unasked (under the default 10 MB) and shows inline at B, drawn
  // from the verified bytes.
  await shareImage(carol, 'map.png');
  const image = bob
    .getByRole('listitem', { name: 'map.png' })
    .getByRole('img', { name: 'map.png' });
  await expect(image).toBeVisible({ timeout: 60_000 });
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
  expect(await image.getAttribute('src')).toMatch(/^blob:/);
});
