/**
 * The partial mesh in real browsers (issue 10, item 6): ten people in one community, each
 * browser keeping 3 links (`moot.meshDegree`), real relay process, real WebRTC. Posts travel by
 * gossip across peers that are not linked directly; people leaving and the relay going away do
 * not stop them; after the relay is back a newcomer still gets in.
 *
 * Ten contexts share one browser to keep this light on a 2-core machine.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { createCommunity, feed, joinCommunity, post } from './fixtures/moot';

const DEGREE = 3;
/** topology.ts accepts degree + ⌈degree / 3⌉ links at most. */
const MAX_LINKS = 4;
const PEOPLE = 10;
/** Gossip over several hops, re-linking after departures, signaling backoff: generous. */
const SPREAD = { timeout: 60_000 };

async function personWithDegree(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript(
    (degree) => localStorage.setItem('moot.meshDegree', String(degree)),
    DEGREE,
  );
  return context.newPage();
}

const status = (page: Page) => page.getByRole('status', { name: 'Sync status' });

/** Peers this page is linked to, as its status line says ("3 peers", "No peers online"). */
async function linkedPeers(page: Page): Promise<number> {
  const text = (await status(page).textContent()) ?? '';
  return Number(/(\d+) peers?\b/.exec(text)?.[1] ?? 0);
}

async function expectEveryoneSees(pages: Page[], text: string): Promise<void> {
  for (const page of pages) await expect(feed(page)).toContainText(text, SPREAD);
}

test('ten people at degree 3: posts spread by gossip, survive people leaving and the relay going away', async ({
  browser,
  relay,
}) => {
  test.setTimeout(600_000);
  const started = Date.now();
  const lap = (what: string) =>
    console.log(`mesh-scale: ${what} at ${Math.round((Date.now() - started) / 1000)} s`);
  const people: Page[] = [];
  const founder = await personWithDegree(browser);
  const link = await createCommunity(founder, `${relay.url}/`, 'Hill Walkers', 'Person 0');
  people.push(founder);
  for (let i = 1; i < PEOPLE; i++) {
    const page = await personWithDegree(browser);
    await joinCommunity(page, link, `Person ${i}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Hill Walkers' })).toBeVisible(SPREAD);
    people.push(page);
    lap(`person ${i} in`);
  }

  // A post reaches all ten, though no one holds more than 4 links (a full mesh would be 9).
  await post(people[PEOPLE - 1]!, 'Saturday: the ridge path, 9 am.');
  await expectEveryoneSees(people, 'Saturday: the ridge path, 9 am.');
  const links = await Promise.all(people.map(linkedPeers));
  for (const count of links) expect(count).toBeLessThanOrEqual(MAX_LINKS);
  expect(Math.min(...links)).toBeGreaterThan(0);
  lap(`first post everywhere, links ${links.join(' ')}`);

  // Three leave (closing their pages): the seven left re-link and still converge.
  for (const page of people.splice(1, 3)) await page.context().close();
  await post(people[people.length - 1]!, 'Rain forecast: bring a jacket.');
  await expectEveryoneSees(people, 'Rain forecast: bring a jacket.');
  lap('post after three left everywhere');

  // The relay goes away: the links already open carry a new post.
  await relay.stop();
  for (const page of people) await expect(status(page)).toContainText(/No relay reachable/);
  await post(people[0]!, 'Meeting point moved to the car park.');
  await expectEveryoneSees(people, 'Meeting point moved to the car park.');
  lap('post without relay everywhere');

  // The relay comes back: a newcomer finds the community and everything said while it was down.
  await relay.restart();
  const newcomer = await personWithDegree(browser);
  await joinCommunity(newcomer, link, 'Newcomer');
  await expect(newcomer.getByRole('heading', { level: 1, name: 'Hill Walkers' })).toBeVisible(
    SPREAD,
  );
  await expect(feed(newcomer)).toContainText('Meeting point moved to the car park.', SPREAD);
  lap('newcomer in');
  await post(newcomer, 'Hello, first walk for me.');
  await expectEveryoneSees(people, 'Hello, first walk for me.');
  lap('done');
});
