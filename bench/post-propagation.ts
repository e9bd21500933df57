/**
 * Post propagation: the median time from Alice pressing Post to the post appearing in Bob's
 * DOM, against the median raw data-channel round trip between the same two browser contexts,
 * measured in the same run. Target: ours ≤ raw RTT + 50 ms at the median.
 */
import type { Page } from '@playwright/test';
import { startRelayProcess } from '../e2e/fixtures/relay';
import { createCommunity, joinCommunity } from '../e2e/fixtures/moot';
import { launchChromium, pressPost } from './browser';
import { closeRawChannel, median, openRawChannel } from './raw-channel';
import type { Benchmark } from './types';

const POSTS = 30;
const PINGS = 30;

export const postPropagationBenchmark: Benchmark = {
  name: 'post propagation',
  async run() {
    const relay = await startRelayProcess();
    const browser = await launchChromium();
    try {
      const alice = await (await browser.newContext()).newPage();
      const bob = await (await browser.newContext()).newPage();
      const link = await createCommunity(alice, relay.url, 'Bench', 'Alice');
      await joinCommunity(bob, link, 'Bob');
      await bob.getByRole('heading', { level: 1, name: 'Bench' }).waitFor();
      await alice.getByRole('status', { name: 'Sync status' }).getByText('Up to date').waitFor();

      const delays: number[] = [];
      for (let i = 0; i < POSTS; i++) delays.push(await timeOnePost(alice, bob, `bench post ${i}`));
      const rtts = await rawRoundTrips(alice, bob);

      const ours = median(delays);
      const baseline = median(rtts);
      console.log(
        `  post: median ${ours.toFixed(1)} ms over ${POSTS}; raw RTT median ${baseline.toFixed(2)} ms over ${PINGS}`,
      );
      return [
        {
          name: 'post propagation (median, A Post → B DOM)',
          ours,
          baseline,
          unit: 'ms',
          ratio: ours / baseline,
          target: 'ours <= raw RTT + 50 ms',
          pass: ours <= baseline + 50,
        },
      ];
    } finally {
      await browser.close();
      await relay.stop();
    }
  },
};

async function timeOnePost(alice: Page, bob: Page, text: string): Promise<number> {
  const seen = bob.evaluate(
    (text) =>
      new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector('[aria-label="Posts"]')?.textContent?.includes(text)) {
            observer.disconnect();
            resolve(Date.now());
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    text,
  );
  const pressed = await pressPost(alice, text);
  return (await seen) - pressed;
}

/** Round trips over a raw data channel that Bob echoes: the floor for any message. */
async function rawRoundTrips(alice: Page, bob: Page): Promise<number[]> {
  await openRawChannel(
    alice,
    bob,
    () => {
      window.rawPc.ondatachannel = (e: RTCDataChannelEvent) => {
        e.channel.onmessage = (m) => e.channel.send(m.data);
      };
    },
    0,
  );
  const rtts = await alice.evaluate(async (pings) => {
    const channel = window.rawChannel;
    const rtts: number[] = [];
    for (let i = 0; i < pings; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        channel.onmessage = () => resolve();
        channel.send('ping ' + i);
      });
      rtts.push(performance.now() - t0);
    }
    return rtts;
  }, PINGS);
  await closeRawChannel(alice, bob);
  return rtts;
}
