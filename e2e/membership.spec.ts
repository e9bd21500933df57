/**
 * Invites end to end (issue 5; THREATS 23, 24, 26): real relay process, real WebRTC between
 * browser contexts. A valid link admits; a used-up, a revoked and an expired link are refused
 * at the admission handshake, and the joiner is told why and what to do. Refused joiners get
 * nothing of the community.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { createCommunity, feed, joinCommunity, newPage, post } from './fixtures/moot';

async function createInvite(page: Page, label: string, expiry: string, uses: string) {
  await page.getByLabel('Label').fill(label);
  await page.getByLabel('Expires after').selectOption(expiry);
  await page.getByLabel('Can be used').selectOption(uses);
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const field = page.getByRole('textbox', { name: `Invite link: ${label}`, exact: true });
  await expect(field).toBeVisible();
  await expect(
    page.getByRole('img', { name: `QR code of the invite link "${label}"` }),
  ).toBeVisible();
  return field.inputValue();
}

async function expectRefused(page: Page, because: string) {
  const alert = page.getByRole('alert').filter({ hasText: "You can't join with this link." });
  // A refusal needs a connection and a handshake: slow on a loaded machine, so wait generously.
  await expect(alert).toContainText(because, { timeout: 60_000 });
  await expect(alert).toContainText('Ask the person who invited you for a new link');
  // Nothing of the community reached them.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connecting to the community…');
}

test('a valid link admits; used-up, revoked and expired links are refused with their message', async ({
  browser,
  relay,
}) => {
  test.setTimeout(360_000);
  const ada = await newPage(browser);
  // Ada's clock runs normally until the test moves it past an invite's expiry.
  await ada.clock.install();
  await createCommunity(ada, relay.url, 'Tool Library', 'Ada');
  await ada.getByRole('link', { name: 'Invites' }).click();

  const single = await createInvite(ada, 'One guest', '1 day', '1 use');
  const bob = await newPage(browser);
  await joinCommunity(bob, single, 'Bob');
  await expect(bob.getByRole('heading', { level: 1, name: 'Tool Library' })).toBeVisible({
    timeout: 60_000,
  });
  await post(bob, 'Who has a ladder?');
  await expect(ada.getByText('2 members')).toBeVisible();
  await expect(
    ada.getByRole('listitem', { name: 'One guest' }).getByText('Used 1 of 1'),
  ).toBeVisible();

  const carol = await newPage(browser);
  await joinCommunity(carol, single, 'Carol');
  await expectRefused(carol, 'already been used as many times as it allows');

  const withdrawn = await createInvite(ada, 'Withdrawn', '7 days', '10 uses');
  await ada.getByRole('button', { name: 'Revoke “Withdrawn”' }).click();
  await expect(ada.getByRole('listitem', { name: 'Withdrawn' })).toContainText('Revoked');
  const dan = await newPage(browser);
  await joinCommunity(dan, withdrawn, 'Dan');
  await expectRefused(dan, 'This invite link was revoked by the community.');

  // Bob, admitted, still syncs: his post is with Ada.
  await ada.getByRole('link', { name: 'Feed' }).click();
  await expect(feed(ada)).toContainText('Who has a ladder?');
  await expect(ada.getByText('2 members')).toBeVisible();
  // Only Ada's clock moves past the expiry; Bob's, rightly, would still admit. He leaves first.
  await bob.context().close();

  await ada.getByRole('link', { name: 'Invites' }).click();
  const short = await createInvite(ada, 'Short', '1 hour', '10 uses');
  await ada.clock.fastForward('02:00:00');
  await expect(ada.getByRole('listitem', { name: 'Short' })).toContainText('Expired');
  const erin = await newPage(browser);
  await joinCommunity(erin, short, 'Erin');
  await expectRefused(erin, 'This invite link has expired.');

  await expect(ada.getByText('2 members')).toBeVisible();
});
