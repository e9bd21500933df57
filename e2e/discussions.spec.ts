/**
 * Discussions end to end over a real relay and real WebRTC: threads, replies, reactions, edits,
 * deletes, unread markers, search, limits, and hostile Markdown (THREATS.md line 35).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import {
  communityIdOf,
  createCommunity,
  feed,
  gather,
  joinCommunity,
  newPage,
  post,
} from './fixtures/moot';

async function startThread(page: Page, title: string, text: string) {
  await page.getByLabel('Title', { exact: true }).fill(title);
  await post(page, text);
}

const threadCard = (page: Page, title: string) =>
  feed(page).getByRole('article').filter({ hasText: title });
const replies = (page: Page) => page.getByRole('list', { name: 'Replies' });
const reaction = (scope: Page | ReturnType<Page['locator']>, emoji: string) =>
  scope.getByRole('group', { name: 'Reactions' }).first().getByRole('button', { name: emoji });

test('a thread, replies, reactions, edits and a delete reach the other peer', async ({
  browser,
  relay,
}) => {
  const {
    pages: [alice, bob],
  } = await gather(browser, relay.url, 'Seed Library', ['Alice', 'Bob']);

  await startThread(alice, 'Seed swap', 'Who has **tomato** seeds?');
  // Bob has not opened it yet: unread, with the Markdown rendered.
  await expect(threadCard(bob, 'Seed swap').getByText('Unread')).toBeVisible();
  await expect(threadCard(bob, 'Seed swap').locator('strong')).toHaveText('tomato');
  await threadCard(bob, 'Seed swap').getByRole('link', { name: 'Seed swap' }).click();
  await expect(bob.getByRole('heading', { level: 2, name: 'Seed swap' })).toBeVisible();
  await bob.getByLabel('Write a reply').fill('I have Moneymaker.');
  await bob.getByRole('button', { name: 'Send reply' }).click();

  await expect(threadCard(alice, 'Seed swap').getByRole('link', { name: '1 reply' })).toBeVisible();
  await threadCard(alice, 'Seed swap').getByRole('link', { name: 'Seed swap' }).click();
  const bobsReply = replies(alice).getByRole('article').filter({ hasText: 'I have Moneymaker.' });
  await bobsReply.getByRole('button', { name: 'Reply' }).click();
  await alice.getByLabel('Write a reply').fill('Perfect, swap Saturday?');
  await alice.getByRole('button', { name: 'Send reply' }).click();
  const nested = replies(bob).getByRole('article').filter({ hasText: 'Perfect, swap Saturday?' });
  await expect(nested).toContainText('Reply to Bob');

  // Reactions: one per member per emoji, toggled, counted with who on both sides.
  const root = (page: Page) => page.locator('.root');
  await reaction(root(alice), '👍').click();
  await expect(reaction(root(bob), '👍')).toHaveText('👍 1');
  await expect(root(bob)).toContainText('👍 Alice');
  await reaction(root(bob), '👍').click();
  await expect(reaction(root(alice), '👍')).toHaveText('👍 2');
  await expect(root(alice)).toContainText('👍 Alice, Bob');
  await reaction(root(bob), '👍').click();
  await expect(reaction(root(alice), '👍')).toHaveText('👍 1');
  await expect(reaction(root(bob), '👍')).toHaveAttribute('aria-pressed', 'false');

  // Edit: "edited" with the earlier version viewable.
  await root(alice).getByRole('button', { name: 'Edit', exact: true }).click();
  await alice.getByLabel('Edit post').fill('Who has tomato or bean seeds?');
  await alice.getByRole('button', { name: 'Save edit' }).click();
  await expect(root(bob)).toContainText('Who has tomato or bean seeds?');
  await root(bob).getByText('edited').click();
  await expect(root(bob).getByRole('list', { name: 'Earlier versions' })).toContainText(
    'Who has **tomato** seeds?',
  );
  // Bob cannot edit or delete Alice's post.
  await expect(root(bob).getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);

  // Delete: gone for everyone, replies stay.
  await root(alice).getByRole('button', { name: 'Delete', exact: true }).click();
  await alice.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(root(bob)).toContainText('This post was deleted.');
  await expect(root(bob)).not.toContainText('bean seeds');
  await expect(replies(bob)).toContainText('I have Moneymaker.');

  // Bob read the thread; back on the list it is no longer unread.
  await bob.getByRole('link', { name: 'All threads' }).click();
  await expect(feed(bob).getByRole('article')).toHaveCount(1);
  await expect(feed(bob).getByText('Unread')).toHaveCount(0);
});

test('search finds titles and bodies with highlights; an over-long post cannot be sent', async ({
  browser,
  relay,
}) => {
  const alice = await newPage(browser);
  await createCommunity(alice, relay.url, 'Workshop', 'Alice');
  await startThread(alice, 'Lathe rota', 'Sign up for the lathe here.');
  await post(alice, 'The bandsaw blade is dull.');
  await expect(feed(alice).getByRole('article')).toHaveCount(2);

  await alice.getByLabel('Search posts').fill('bands');
  const results = alice.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results.locator('mark')).toHaveText('bandsaw');
  await alice.getByLabel('Search posts').fill('lathe');
  await expect(results.locator('mark').first()).toHaveText('Lathe');
  await results.getByRole('link').first().click();
  await expect(alice.getByRole('heading', { level: 2, name: 'Lathe rota' })).toBeVisible();
  await alice.getByRole('link', { name: 'All threads' }).click();

  await alice.getByLabel('Search posts').fill('');
  await alice.getByLabel('Write a post').fill('x'.repeat(10_001));
  await expect(alice.getByText('Too long to send: 10,001 of 10,000 characters')).toBeVisible();
  await expect(alice.getByRole('button', { name: 'Post', exact: true })).toBeDisabled();
});

test('hostile Markdown from a peer executes nothing', async ({ browser, relay }) => {
  const alice = await newPage(browser);
  const bob = await newPage(browser);
  const dialogs: string[] = [];
  for (const page of [alice, bob]) page.on('dialog', (d) => void dialogs.push(d.message()));
  const link = await createCommunity(alice, relay.url, 'Hostile', 'Mallory');
  await joinCommunity(bob, link, 'Bob');
  await expect(bob.getByRole('heading', { level: 1, name: 'Hostile' })).toBeVisible();

  const payloads = [
    '[click me](javascript:window.pwned=1;alert(1))',
    '<img src=x onerror="window.pwned=2;alert(2)">',
    '<svg onload="window.pwned=3;alert(3)"><circle r="5"/></svg>',
    '<script>window.pwned=4;alert(4)</script>',
    '<a href="javascript:window.pwned=5">five</a> <iframe src="javascript:window.pwned=6"></iframe>',
    '<div style="background:url(javascript:window.pwned=7)" onmouseover="window.pwned=8">hover</div>',
    '![pixel](https://tracker.example/p.png) [safe](https://example.org)',
  ];
  for (const text of payloads) await post(alice, text);
  // The list is virtualised: count what arrived from its summary, not from rendered items.
  await expect(
    bob.getByText(`${payloads.length} threads · ${payloads.length} posts`),
  ).toBeVisible();

  for (const page of [alice, bob]) {
    const list = feed(page);
    // The oldest posts are at the bottom: bring them into the rendered window.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await list.getByText('hover').hover();
    await list.getByText('click me').click();
    await list.getByText('five').click();
    expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    await expect(list.locator('script, svg, iframe, img, [onerror], [onload]')).toHaveCount(0);
    await expect(list.locator('a[href^="javascript"]')).toHaveCount(0);
    const safe = list.getByRole('link', { name: 'safe' });
    await expect(safe).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(safe).toHaveAttribute('target', '_blank');
    await expect(list).toContainText('[image: pixel]');
  }
  expect(dialogs).toEqual([]);
});

test('@mention: autocomplete by keyboard, highlighted, a badge for the mentioned until opened', async ({
  browser,
  relay,
}) => {
  const {
    pages: [alice, bob],
  } = await gather(browser, relay.url, 'Allotment', ['Alice', 'Bob']);
  await expect(alice.getByText('2 members')).toBeVisible();

  await alice.getByLabel('Title', { exact: true }).fill('Water rota');
  const box = alice.getByLabel('Write a post');
  await box.pressSequentially('Can you take Sunday, @b');
  const options = alice.getByRole('listbox', { name: 'Members to mention' });
  await expect(options.getByRole('option', { name: 'Bob', selected: true })).toBeVisible();
  await box.press('Enter');
  await expect(options).toBeHidden();
  await box.pressSequentially('?');
  await expect(box).toHaveValue('Can you take Sunday, @Bob ?');
  await alice.getByRole('button', { name: 'Post', exact: true }).click();

  const card = threadCard(bob, 'Water rota');
  await expect(card.locator('mark.mention')).toHaveText('@Bob');
  await expect(card.getByText('1 mention')).toBeVisible();
  // Alice wrote it: no badge for her.
  await expect(threadCard(alice, 'Water rota').getByText('1 mention')).toHaveCount(0);
  await card.getByRole('link', { name: 'Water rota' }).click();
  await expect(bob.getByRole('heading', { level: 2, name: 'Water rota' })).toBeVisible();
  await bob.getByRole('link', { name: 'All threads' }).click();
  await expect(threadCard(bob, 'Water rota')).toBeVisible();
  await expect(threadCard(bob, 'Water rota').getByText('1 mention')).toHaveCount(0);
});

test('a long thread list renders only what is on screen and still reaches its end', async ({
  page,
  relay,
}) => {
  await createCommunity(page, relay.url, 'Big', 'Alice');
  const id = communityIdOf(page);
  await page.evaluate((id) => window.mootDebug.seedPosts(id, 2000, 100), id);
  await expect(page.getByText('2000 threads')).toBeVisible();
  const items = feed(page).getByRole('listitem');
  await expect(items.first()).toHaveAttribute('aria-setsize', '2000');
  expect(await items.count()).toBeLessThan(60);
  // Tab walks on past the first screen: each next item is rendered before focus gets there.
  await feed(page).getByRole('link').first().focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
  const focusedAt = () =>
    page.evaluate(() =>
      Number(document.activeElement?.closest('[aria-posinset]')?.getAttribute('aria-posinset')),
    );
  expect(await focusedAt()).toBeGreaterThan(15);
  await page.keyboard.press('End');
  await expect(items.last()).toHaveAttribute('aria-posinset', '2000');
  await expect(items.last().getByRole('article')).toBeInViewport();
  expect(await items.count()).toBeLessThan(60);
});
