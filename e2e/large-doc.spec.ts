/**
 * A multi-megabyte community doc reaches a newcomer: Chromium's data channel carries at most
 * 256 KiB per message, so this proves the mesh's framing. Issue 3, item 10c. Then it opens
 * from the newcomer's disk, where a row this large is stored as a Blob (store/doc-store.ts).
 */
import { expect, test } from './fixtures/test';
import {
  communityIdOf,
  createCommunity,
  feed,
  joinCommunity,
  newPage,
  post,
} from './fixtures/moot';

// Trace snapshots serialise the whole DOM at every step: with 3,000 posts that is most of the run.
test.use({ trace: 'off' });

test('a community doc over 3 MiB reaches a newcomer intact', async ({ browser, relay }) => {
  test.setTimeout(180_000);
  const alice = await newPage(browser);
  const link = await createCommunity(alice, relay.url, 'Big Archive', 'Alice');
  const id = communityIdOf(alice);
  await alice.evaluate((id) => window.mootDebug.seedPosts(id, 3000, 1024), id);
  // The thread list renders a page at a time (discussions): its count line covers every post.
  await expect(alice.getByText('3000 threads · 3000 posts')).toBeVisible({ timeout: 60_000 });
  const aliceBytes = await alice.evaluate(
    async (id) => (await window.mootDebug.encodeState(id)).length,
    id,
  );
  expect(aliceBytes).toBeGreaterThan(3 * 1024 * 1024);

  const bob = await newPage(browser);
  await joinCommunity(bob, link, 'Bob');
  await expect(bob.getByText('3000 threads · 3000 posts')).toBeVisible({ timeout: 90_000 });
  await expect(feed(bob)).toContainText('Post 2999 ');
  // The oldest post is there too, reachable by search.
  await bob.getByLabel('Search posts').fill('post 0');
  await expect(bob.getByRole('list', { name: 'Search results' })).toContainText('Post 0 x');
  // Bob holds every byte Alice does, plus his own join and profile.
  const bobBytes = await bob.evaluate(
    async (id) => (await window.mootDebug.encodeState(id)).length,
    id,
  );
  expect(bobBytes).toBeGreaterThan(aliceBytes);

  // With nobody else online, Bob's reload shows it all from his own disk (the state derived
  // from the stored rows before the doc loads them), and a post he writes at once is kept.
  await bob.evaluate((id) => window.mootDebug.flushStore(id), id);
  await alice.close();
  await bob.reload();
  await expect(bob.getByText('3000 threads · 3000 posts')).toBeVisible({ timeout: 30_000 });
  await post(bob, 'Written straight after a reload.');
  await expect(bob.getByText('3001 threads · 3001 posts')).toBeVisible();
  await bob.evaluate((id) => window.mootDebug.flushStore(id), id);
  await bob.reload();
  await expect(feed(bob)).toContainText('Written straight after a reload.');
  await expect(bob.getByText('3001 threads · 3001 posts')).toBeVisible({ timeout: 30_000 });
});
