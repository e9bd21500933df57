/**
 * Devices end to end (issue 5 item 6): real relay process, real WebRTC between browser
 * contexts, real IndexedDB. A member links a second browser with a one-time device link; that
 * browser, with its own key, posts, and another member sees the post under the member's name.
 * Once revoked, the device is refused at the admission handshake and told so in plain words.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { createCommunity, feed, joinCommunity, newPage, post } from './fixtures/moot';

const devices = (page: Page) => page.getByRole('list', { name: 'Your devices' });

test('a second device posts as its member; once revoked it is refused with a plain message', async ({
  browser,
  relay,
}) => {
  test.setTimeout(300_000);
  const ada = await newPage(browser);
  const invite = await createCommunity(ada, relay.url, 'Tool Library', 'Ada');

  await ada.getByRole('link', { name: 'People' }).click();
  await ada.getByLabel('Device name').fill('Phone');
  await ada.getByRole('button', { name: 'Create device link' }).click();
  await expect(ada.getByRole('img', { name: 'QR code of the device link "Phone"' })).toBeVisible();
  const deviceLink = await ada.getByRole('textbox', { name: 'Device link: Phone' }).inputValue();

  // Ada's phone: a browser context of its own, so a key of its own.
  const phone = await newPage(browser);
  await phone.goto(deviceLink);
  await expect(phone.getByRole('heading', { level: 1, name: 'Link this browser' })).toBeVisible();
  await phone.getByRole('button', { name: 'Link this browser' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Tool Library' })).toBeVisible({
    timeout: 60_000,
  });
  // Ada sees the phone among her devices, connected: it proved its own key at admission.
  await expect(devices(ada).getByRole('listitem', { name: 'Phone' })).toContainText('Online now', {
    timeout: 60_000,
  });
  await expect(ada.getByRole('status').filter({ hasText: '“Phone” is linked.' })).toBeVisible();
  await expect(ada.getByRole('textbox', { name: 'Device link: Phone' })).toHaveCount(0);
  await post(phone, 'Posted from my phone');

  const bob = await newPage(browser);
  await joinCommunity(bob, invite, 'Bob');
  await expect(bob.getByRole('heading', { level: 1, name: 'Tool Library' })).toBeVisible({
    timeout: 60_000,
  });
  const fromPhone = feed(bob).getByRole('listitem').filter({ hasText: 'Posted from my phone' });
  await expect(fromPhone).toContainText('Ada', { timeout: 60_000 });
  // The phone is Ada, not a third member.
  await expect(bob.getByText('2 members')).toBeVisible();
  await bob.getByRole('link', { name: 'People' }).click();
  await expect(bob.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(2);
  // Bob is connected to both of Ada's browsers: one person, online from two devices.
  await expect(bob.getByRole('listitem', { name: 'Ada' })).toContainText('Online now (2 devices)', {
    timeout: 60_000,
  });

  await ada.getByRole('button', { name: 'Revoke “Phone”' }).click();
  await expect(devices(ada).getByRole('listitem', { name: 'Phone' })).toContainText('Revoked');
  await expect(devices(ada).getByRole('listitem', { name: 'Phone' })).not.toContainText(
    'Online now',
  );

  // The phone opens the community again: every member it reaches refuses it, and it is told why.
  await phone.reload();
  const alert = phone
    .getByRole('alert')
    .filter({ hasText: 'This browser is not linked as your device.' });
  await expect(alert).toContainText('This browser was removed from the member’s devices.', {
    timeout: 60_000,
  });

  // Whatever the phone writes now reaches nobody, while Ada and Bob still sync with each other.
  await post(phone, 'Still here?');
  await ada.getByRole('link', { name: 'Feed' }).click();
  await bob.getByRole('link', { name: 'Feed' }).click();
  await post(bob, 'Bob checks in');
  await expect(feed(ada)).toContainText('Bob checks in', { timeout: 60_000 });
  await expect(feed(ada)).not.toContainText('Still here?');
  await expect(feed(bob)).not.toContainText('Still here?');
});
