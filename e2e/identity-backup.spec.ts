/**
 * Identity backup (issue 5 item 6, issue 9 item 5), against the real relay process and real
 * WebRTC: a community exported with the identity and imported in a fresh profile with the
 * passphrase gives a member who syncs live both ways; a wrong passphrase changes nothing; a
 * profile whose own identity belongs to a community refuses a restore that would strand it.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommunity, feed, joinCommunity, newPage, post } from './fixtures/moot';

const PASSPHRASE = 'blue kettle on the hill';

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'moot-identity-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Saved outside the context, whose downloads go when it closes. */
async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const downloading = page.waitForEvent('download');
  await click();
  const file = await downloading;
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

async function importFile(page: Page, file: string, passphrase: string) {
  await page.getByLabel('Community export file').setInputFiles(file);
  await page.getByLabel('Identity passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Import' }).click();
}

test('export with the identity, import in a fresh profile: the same member, syncing live with a peer', async ({
  browser,
  relay,
}) => {
  test.setTimeout(300_000);
  const alice = await newPage(browser);
  const bob = await newPage(browser);
  const link = await createCommunity(alice, relay.url, 'Orchard', 'Alice');
  await post(alice, 'Pruning on Saturday.');
  await joinCommunity(bob, link, 'Bob');
  await expect(feed(bob)).toContainText('Pruning on Saturday.', { timeout: 60_000 });

  await alice.getByRole('link', { name: 'Settings' }).click();
  const exportForm = alice.getByRole('form', { name: 'Export community' });
  await exportForm.getByLabel('Include my identity, encrypted with a passphrase').check();
  await exportForm.getByLabel('Export passphrase', { exact: true }).fill('too short');
  await exportForm.getByLabel('Repeat the export passphrase').fill('too short');
  await exportForm.getByRole('button', { name: 'Export community' }).click();
  await expect(exportForm.getByRole('alert')).toContainText('at least 10 characters');
  await exportForm.getByLabel('Export passphrase', { exact: true }).fill(PASSPHRASE);
  await exportForm.getByLabel('Repeat the export passphrase').fill(PASSPHRASE);
  const file = await download(alice, () =>
    exportForm.getByRole('button', { name: 'Export community' }).click(),
  );
  // Alice's old browser goes away; her new one is a fresh profile.
  await alice.context().close();

  const fresh = await newPage(browser);
  await fresh.goto(relay.url);
  await importFile(fresh, file, 'blue kettle on the hil');
  await expect(fresh.getByRole('alert')).toContainText('the passphrase is wrong');
  await expect(fresh.getByRole('alert')).toContainText('Nothing was changed');
  await expect(fresh.getByRole('link', { name: 'Orchard' })).toHaveCount(0);

  await importFile(fresh, file, PASSPHRASE);
  await expect(fresh.getByRole('heading', { level: 1, name: 'Orchard' })).toBeVisible();
  await expect(feed(fresh)).toContainText('Pruning on Saturday.');

  // Live, both ways: Bob's peers admit the restored member.
  await post(bob, 'Bob: I will bring the ladder.');
  await expect(feed(fresh)).toContainText('Bob: I will bring the ladder.', { timeout: 60_000 });
  await post(fresh, 'Alice, from her new laptop.');
  const arrived = feed(bob).getByRole('article').filter({ hasText: 'Alice, from her new laptop.' });
  await expect(arrived).toBeVisible({ timeout: 60_000 });
  // Written as Alice: her name, not a stranger's.
  await expect(arrived).toContainText('Alice');

  // A plain identity backup from the new device, restored into Bob's profile: refused, because
  // Bob's own identity belongs to Orchard and would be cut off.
  await fresh.getByRole('link', { name: 'Settings' }).click();
  const backupForm = fresh.getByRole('form', { name: 'Back up my identity' });
  await backupForm.getByLabel('Backup passphrase', { exact: true }).fill(PASSPHRASE);
  await backupForm.getByLabel('Repeat the backup passphrase').fill(PASSPHRASE);
  const backup = await download(fresh, () =>
    backupForm.getByRole('button', { name: 'Back up my identity' }).click(),
  );
  await bob.goto(relay.url);
  const restoreForm = bob.getByRole('form', { name: 'Restore identity' });
  await restoreForm.getByLabel('Identity backup file').setInputFiles(backup);
  await restoreForm.getByLabel('Passphrase of the backup').fill(PASSPHRASE);
  await restoreForm.getByRole('button', { name: 'Restore identity' }).click();
  await expect(restoreForm.getByRole('alert')).toContainText('belongs to “Orchard”');
  await bob.getByRole('link', { name: 'Orchard' }).click();
  await post(bob, 'Still Bob.');
  await fresh.getByRole('link', { name: 'Feed' }).click();
  await expect(feed(fresh).getByRole('article').filter({ hasText: 'Still Bob.' })).toContainText(
    'Bob',
    { timeout: 60_000 },
  );

  // In a fresh profile the same backup restores (after a wrong passphrase changed nothing).
  const third = await newPage(browser);
  await third.goto(relay.url);
  const thirdRestore = third.getByRole('form', { name: 'Restore identity' });
  await thirdRestore.getByLabel('Identity backup file').setInputFiles(backup);
  await thirdRestore.getByLabel('Passphrase of the backup').fill('not the passphrase');
  await thirdRestore.getByRole('button', { name: 'Restore identity' }).click();
  await expect(thirdRestore.getByRole('alert')).toContainText('the passphrase is wrong');
  await thirdRestore.getByLabel('Passphrase of the backup').fill(PASSPHRASE);
  await thirdRestore.getByRole('button', { name: 'Restore identity' }).click();
  await expect(thirdRestore.getByRole('status')).toContainText('Identity restored');
});
