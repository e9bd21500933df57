/**
 * Governance end to end over a real relay and real WebRTC (issue 6): a rule change passes on the
 * founder's vote and reaches the member; a moderator hides a post with a reason; a ban passes
 * and the banned member's posts disappear for the founder.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { startRelayProcess, type RelayProcess } from './fixtures/relay';
import { createCommunity, feed, joinCommunity, post } from './fixtures/moot';

let relay: RelayProcess;
test.beforeEach(async () => {
  relay = await startRelayProcess();
});
test.afterEach(async () => {
  await relay.stop();
});

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

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

test('rules change by vote, a moderator hides a post, a ban hides the member', async ({
  browser,
}) => {
  const alice = await newPage(browser);
  const bob = await newPage(browser);
  const link = await createCommunity(alice, relay.url, 'Tool Library', 'Alice');
  await joinCommunity(bob, link, 'Bob');
  await expect(bob.getByRole('heading', { level: 1, name: 'Tool Library' })).toBeVisible();
  await post(bob, 'Cheap watches, message me');
  await expect(feed(alice)).toContainText('Cheap watches, message me');

  // The moderators (just Alice) are the electorate: her yes passes the rule change.
  await propose(
    alice,
    'Change the rules',
    () => alice.getByLabel('Proposed rules').fill('Be kind.\nNo selling.'),
    'Stop the adverts',
  );
  const change = proposal(alice, 'Change the rules');
  await expect(change.getByRole('list', { name: 'Changes to the rules' })).toContainText(
    'No selling.',
  );
  await expect(change.getByRole('meter', { name: 'Yes' })).toHaveAttribute('aria-valuenow', '0');
  await change.getByRole('button', { name: 'Yes' }).click();
  await expect(change).toContainText('Passed');
  await expect(change.getByRole('meter', { name: 'Yes' })).toHaveAttribute('aria-valuenow', '1');
  for (const page of [alice, bob]) {
    if (page === bob) await section(bob, 'Governance');
    await expect(page.getByRole('region', { name: 'Rules' })).toContainText('No selling.');
    await expect(page.getByRole('list', { name: 'Moderation log' })).toContainText(
      'Passed: Change the rules',
    );
  }

  // A moderator hides Bob's post with a reason; Bob sees why, and may expand it.
  await section(alice, 'Feed');
  await section(bob, 'Feed');
  const advert = (page: Page) => feed(page).getByRole('article').filter({ hasText: 'Bob' });
  await advert(alice).getByRole('button', { name: 'Hide' }).click();
  await alice.getByLabel('Reason for hiding').fill('Selling is against the rules');
  await alice.getByRole('button', { name: 'Hide post' }).click();
  await expect(advert(alice)).toContainText('Hidden by a moderator');
  await expect(advert(bob)).toContainText('Hidden by a moderator: Selling is against the rules');
  await expect(advert(bob)).not.toContainText('Cheap watches');
  await advert(bob).getByRole('button', { name: 'Show the post' }).click();
  await expect(advert(bob)).toContainText('Cheap watches');

  // A ban passes on Alice's vote: Bob's posts disappear from her feed.
  await propose(
    alice,
    'Ban a member',
    () => alice.getByLabel('Member').selectOption({ label: 'Bob' }),
    'Keeps selling',
  );
  const ban = proposal(alice, 'Ban Bob');
  await ban.getByRole('button', { name: 'Yes' }).click();
  await expect(ban).toContainText('Passed');
  await expect(alice.getByRole('list', { name: 'Banned members' })).toContainText(
    'Bob — Keeps selling',
  );
  await section(alice, 'Feed');
  await expect(feed(alice).getByRole('article')).toHaveCount(0);
});
