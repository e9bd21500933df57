/**
 * Governance end to end over a real relay and real WebRTC, one browser with three contexts
 * (issue 6): Alice founds, Bob joins and is made a moderator, Carol is a member. A rule change
 * needs both moderators' votes and shows as the rules on all three; a moderator hides a post
 * with a reason; a ban passes on both votes: Carol's posts disappear for the others, her
 * browser is told why and dropped, and after a reload it is refused and receives nothing new.
 * A member offline when the ban passed is told of it by the peer refusing them (as its word).
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
  syncStatus,
} from './fixtures/moot';

const section = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Community sections' }).getByRole('link', { name }).click();

async function propose(page: Page, kind: string, fill: () => Promise<unknown>, reason: string) {
  await section(page, 'Governance');
  await page.getByLabel('Kind of change').selectOption({ label: kind });
  await fill();
  await page.getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Propose' }).click();
}

const proposal = (page: Page, title: string) =>
  page.getByRole('list', { name: 'Proposals' }).getByRole('article', { name: title });

async function voteYes(page: Page, title: string) {
  await section(page, 'Governance');
  await proposal(page, title).getByRole('button', { name: 'Yes' }).click();
}

/** Whether the page's replicated doc holds `text` at all (the feed leaves banned posts out). */
const docHolds = (page: Page, text: string) =>
  page.evaluate(
    async ([id, text]) =>
      new TextDecoder().decode(await window.mootDebug.encodeState(id!)).includes(text!),
    [communityIdOf(page), text],
  );

const carolsPosts = (page: Page) => feed(page).getByRole('article').filter({ hasText: 'Carol' });

test('two moderators change the rules and ban a member, who is told why and shut out', async ({
  browser,
  relay,
}) => {
  test.setTimeout(300_000);
  const {
    pages: [alice, bob, carol],
  } = await gather(browser, relay.url, 'Tool Library', ['Alice', 'Bob', 'Carol'], {
    timeout: 60_000,
  });
  await post(carol, 'Cheap watches, message me');
  for (const page of [alice, bob]) await expect(feed(page)).toContainText('Cheap watches');

  // Alice alone is the electorate: her yes makes Bob a moderator.
  await propose(
    alice,
    'Make a member a moderator',
    () => alice.getByLabel('Member').selectOption({ label: 'Bob' }),
    'Shares the work',
  );
  await voteYes(alice, 'Make Bob a moderator');
  await expect(proposal(alice, 'Make Bob a moderator')).toContainText('Passed');
  await section(bob, 'Governance');
  await expect(bob.getByRole('list', { name: 'Moderators' })).toContainText('Bob');

  // Now two moderators vote: one yes is not enough, the second passes it.
  await propose(
    alice,
    'Change the rules',
    () => alice.getByLabel('Proposed rules').fill('Be kind.\n\n**No selling.**'),
    'Stop the adverts',
  );
  const rules = proposal(alice, 'Change the rules');
  await expect(rules.getByRole('list', { name: 'Changes to the rules' })).toContainText(
    'No selling.',
  );
  await voteYes(alice, 'Change the rules');
  await expect(rules.getByRole('meter', { name: 'Yes' })).toHaveAttribute('aria-valuenow', '1');
  await expect(rules).toContainText('Open');
  // Bob is told in the section nav that a proposal waits for him; voting clears it.
  const badge = bob
    .getByRole('navigation', { name: 'Community sections' })
    .getByRole('link', { name: 'Governance (1 proposal awaits your vote)' });
  await expect(badge).toBeVisible();
  await voteYes(bob, 'Change the rules');
  await expect(rules).toContainText('Passed');
  await expect(badge).toHaveCount(0);
  await section(carol, 'Governance');
  for (const page of [alice, bob, carol]) {
    // Markdown, rendered: the bold is bold, not asterisks.
    await expect(page.getByRole('region', { name: 'Rules' }).locator('strong')).toHaveText(
      'No selling.',
    );
    await expect(page.getByRole('list', { name: 'Moderation log' })).toContainText(
      'Passed: Change the rules',
    );
  }

  // A moderator hides Carol's post with a reason; Carol sees why, and may expand it.
  for (const page of [alice, carol]) await section(page, 'Feed');
  await carolsPosts(alice).getByRole('button', { name: 'Hide' }).click();
  await alice.getByLabel('Reason for hiding').fill('Selling is against the rules');
  await alice.getByRole('button', { name: 'Hide post' }).click();
  await expect(carolsPosts(carol)).toContainText(
    'Hidden by a moderator: Selling is against the rules',
  );
  await expect(carolsPosts(carol)).not.toContainText('Cheap watches');
  await carolsPosts(carol).getByRole('button', { name: 'Show the post' }).click();
  await expect(carolsPosts(carol)).toContainText('Cheap watches');

  // The ban needs both moderators. Once it passes, Carol's posts are gone for both of them.
  await propose(
    alice,
    'Ban a member',
    () => alice.getByLabel('Member').selectOption({ label: 'Carol' }),
    'Keeps selling',
  );
  await voteYes(alice, 'Ban Carol');
  await voteYes(bob, 'Ban Carol');
  await expect(proposal(bob, 'Ban Carol')).toContainText('Passed');
  for (const page of [alice, bob]) {
    await expect(page.getByRole('list', { name: 'Banned members' })).toContainText(
      'Carol — Keeps selling',
    );
    await section(page, 'Feed');
    await expect(carolsPosts(page)).toHaveCount(0);
  }

  // The log entry of the ban has its own link: opened elsewhere, it is scrolled to and marked.
  await section(alice, 'Governance');
  const entryLink = alice
    .getByRole('list', { name: 'Moderation log' })
    .getByRole('listitem')
    .filter({ hasText: 'Passed: Ban Carol' })
    .getByRole('link');
  const href = await entryLink.getAttribute('href');
  expect(href).toMatch(/^#\/c\/[^/]+\/governance\/log\/[A-Za-z0-9_-]{43}$/);
  await bob.goto(`${relay.url}/${href}`);
  const entry = bob.locator('[aria-current="true"]');
  await expect(entry).toContainText('Passed: Ban Carol');
  await expect(entry).toBeInViewport();
  for (const page of [alice, bob]) await section(page, 'Feed');

  // Carol's browser got the decision before being dropped: it says why, and has no peers.
  const banned = carol.getByRole('alert').filter({ hasText: 'You were banned' });
  await expect(banned).toContainText('You were banned from this community: Keeps selling');
  await expect(syncStatus(carol)).toContainText('No peers online');
  await expect(syncStatus(alice)).toContainText('1 peer');

  // A reload is a new connection: the admission handshake refuses it.
  await carol.reload();
  await expect(banned).toContainText('Keeps selling');
  await expect(syncStatus(carol)).toContainText('Relay connected');
  await post(carol, 'Still selling watches');
  // Bob and Alice still sync with each other (and the check below can see a post arrive).
  await post(bob, 'Workshop on Saturday');
  await expect(feed(alice)).toContainText('Workshop on Saturday');
  expect(await docHolds(alice, 'Workshop on Saturday')).toBe(true);
  // Time for Carol's browser to find the others and be refused (announce, connect, handshake).
  await carol.waitForTimeout(8_000);
  await expect(syncStatus(carol)).toContainText('No peers online');
  expect(await docHolds(carol, 'Workshop on Saturday')).toBe(false);
  for (const page of [alice, bob]) expect(await docHolds(page, 'Still selling')).toBe(false);
});

test('a member offline when banned is told by the peer that refuses them, as its word', async ({
  browser,
  relay,
}) => {
  test.setTimeout(180_000);
  const alice = await newPage(browser);
  const carolContext = await browser.newContext();
  const carol = await carolContext.newPage();
  const link = await createCommunity(alice, relay.url, 'Tool Library', 'Alice');
  await joinCommunity(carol, link, 'Carol');
  await expect(carol.getByRole('heading', { level: 1, name: 'Tool Library' })).toBeVisible({
    timeout: 60_000,
  });
  await post(carol, 'Cheap watches, message me');
  await expect(feed(alice)).toContainText('Cheap watches');
  const carolsUrl = carol.url();
  // Carol closes her tab; her browser keeps the community (IndexedDB) but misses the ban.
  await carol.close();
  await expect(syncStatus(alice)).toContainText('No peers online');

  // Alice alone is the electorate: her yes bans Carol.
  await propose(
    alice,
    'Ban a member',
    () => alice.getByLabel('Member').selectOption({ label: 'Carol' }),
    'Keeps selling',
  );
  await voteYes(alice, 'Ban Carol');
  await expect(proposal(alice, 'Ban Carol')).toContainText('Passed');
  await section(alice, 'Feed');
  await post(alice, 'Workshop on Saturday');

  // Carol comes back: Alice refuses her at the handshake and says why — nothing else.
  const again = await carolContext.newPage();
  await again.goto(carolsUrl);
  await expect(again.getByRole('alert').filter({ hasText: 'banned' })).toContainText(
    'A member’s browser says you were banned: Keeps selling',
    { timeout: 60_000 },
  );
  await expect(syncStatus(again)).toContainText('No peers online');
  expect(await docHolds(again, 'Workshop on Saturday')).toBe(false);
  expect(await docHolds(again, 'Keeps selling')).toBe(false);
});
