/**
 * Files in posts and storage choices (issue 8, items 1, 5 and 6): real relay, real WebRTC, real
 * IndexedDB. A attaches a small image and a small file to a post (a third, dropped on the
 * composer, is taken back and never shared); B, who fetches nothing unasked, sees the post and
 * downloads both from it: the image shows inline and the file's saved bytes hash as A's. B keeps
 * the image available, lowers its budget for other members' files to 0, and the file is cleaned
 * up while the image stays — and the community still lists the file.
 * The clean-up order is unit-tested in src/files/storage-policy.test.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { feed, gather } from './fixtures/moot';
import { newPage, saveAndHash, section, storedBlocks } from './fixtures/files';
import { expect, test } from './fixtures/test';

test('a post carries an image and a file; B downloads both from it, pins one, and the other is cleaned up', async ({
  browser,
  relay,
}) => {
  test.setTimeout(180_000);
  const {
    pages: [alice, bob],
  } = await gather(browser, relay.url, 'Allotment', ['Alice', 'Bob'], { open: newPage });

  // B fetches nothing unasked, so the post's Download buttons are what fetch the files.
  await section(bob, 'Settings');
  await bob.getByLabel('Download files automatically up to (MB)').fill('0');
  await bob.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(bob.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await section(bob, 'Feed');

  // A small PNG drawn in A's page, and 300 KB of random bytes (two blocks).
  const png = Buffer.from(
    await alice.evaluate(async () => {
      const canvas = new OffscreenCanvas(64, 48);
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#2a7';
      g.fillRect(0, 0, 64, 48);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      return [...new Uint8Array(await blob.arrayBuffer())];
    }),
  );
  const notes = randomBytes(300_000);
  const digest = createHash('sha256').update(notes).digest('hex');

  await alice.getByLabel('Write a post').fill('Plot plan and the seed list');
  await alice.getByLabel('Attach files').setInputFiles([
    { name: 'plot.png', mimeType: 'image/png', buffer: png },
    { name: 'seeds.bin', mimeType: 'application/octet-stream', buffer: notes },
  ]);
  // Each is hashed before the post can go; then it can be taken back.
  const pending = alice.getByRole('list', { name: 'Files to attach' });
  await expect(pending.getByRole('button', { name: 'Remove plot.png' })).toBeVisible();
  await expect(pending.getByRole('button', { name: 'Remove seeds.bin' })).toBeVisible();
  // A third file dropped on the composer, then taken back: it is never shared.
  await alice.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['not this one'], 'draft.txt', { type: 'text/plain' }));
    const form = document.querySelector('textarea')!.closest('form')!;
    form.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
  });
  await pending.getByRole('button', { name: 'Remove draft.txt' }).click();
  await expect(pending.getByRole('listitem', { name: 'draft.txt' })).toBeHidden();
  await alice.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(pending).toBeHidden();
  await expect(feed(alice).getByRole('listitem', { name: 'seeds.bin' })).toBeVisible();

  // B sees the post with both files, who shared them and how many online peers have them.
  const posts = feed(bob);
  await expect(posts).toContainText('Plot plan and the seed list', { timeout: 30_000 });
  const image = posts.getByRole('listitem', { name: 'plot.png' });
  const file = posts.getByRole('listitem', { name: 'seeds.bin' });
  await expect(file).toContainText('shared by Alice');
  await expect(file).toContainText('application/octet-stream');
  await expect(file).toContainText('1 online peer has it', { timeout: 30_000 });
  await expect(image).toContainText('1 online peer has it');
  await expect(posts.getByRole('listitem', { name: 'draft.txt' })).toHaveCount(0);

  // Downloaded from the post: the image shows inline, the file's bytes are A's.
  await image.getByRole('button', { name: 'Download' }).click();
  await expect(image.getByRole('img', { name: 'plot.png' })).toBeVisible({ timeout: 30_000 });
  await file.getByRole('button', { name: 'Download' }).click();
  await expect(file.getByRole('button', { name: 'Save' })).toBeVisible({ timeout: 30_000 });
  expect(await saveAndHash(file)).toEqual({ name: 'seeds.bin', digest });
  expect(await storedBlocks(bob)).toBe(3);

  // Keep the image; lower the budget for other members' files to nothing.
  const keep = image.getByRole('button', { name: 'Keep available' });
  await expect(keep).toHaveAttribute('aria-pressed', 'false');
  await keep.click();
  await expect(keep).toHaveAttribute('aria-pressed', 'true');
  await section(bob, 'Settings');
  await bob.getByLabel("Keep other members' files up to (MB)").fill('0');
  await bob.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(bob.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(bob.getByLabel('Files stored in this community')).toContainText(
    "other members' 0 B of 0 B",
  );

  // The file is gone from this device, the image stays; the community still lists both.
  await section(bob, 'Files');
  const list = bob.getByRole('list', { name: 'Shared files' });
  const listedFile = list.getByRole('listitem', { name: 'seeds.bin' });
  const listedImage = list.getByRole('listitem', { name: 'plot.png' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(listedFile.getByRole('button', { name: 'Download' })).toBeVisible();
  await expect(listedFile).not.toContainText('Stored here');
  await expect(listedImage.getByRole('button', { name: 'Save' })).toBeVisible();
  await expect(listedImage).toContainText('kept available');
  expect(await storedBlocks(bob)).toBe(1);

  // Room again, and small files fetched unasked again: after a reload the pin holds, and the
  // freed file is not fetched back (freeing it was a choice, not a missing download).
  await section(bob, 'Settings');
  await bob.getByLabel('Download files automatically up to (MB)').fill('10');
  await bob.getByLabel("Keep other members' files up to (MB)").fill('1000');
  await bob.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(bob.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await section(bob, 'Files');
  await bob.reload();
  await expect(listedImage.getByRole('img', { name: 'plot.png' })).toBeVisible({ timeout: 30_000 });
  await expect(listedImage.getByRole('button', { name: 'Keep available' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(listedFile).toContainText('1 online peer has it', { timeout: 30_000 });
  // A has it and is connected: give a fetch that should not happen time to show.
  await bob.waitForTimeout(3_000);
  await expect(listedFile.getByRole('button', { name: 'Download' })).toBeVisible();
  expect(await storedBlocks(bob)).toBe(1);
});
