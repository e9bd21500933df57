/**
 * Post propagation: the median time from Alice pressing Post to the post appearing in Bob's
 * DOM, against the median raw data-channel round trip between the same two browser contexts,
 * measured in the same run. Target: ours ≤ raw RTT + 50 ms at the median.
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { startRelayProcess } from '../e2e/fixtures/relay';
import { createCommunity, joinCommunity } from '../e2e/fixtures/moot';
import type { Benchmark } from './types';

declare global {
  interface Window {
    rawPc: RTCPeerConnection;
    rawChannel: RTCDataChannel;
    rawCandidates: RTCIceCandidateInit[];
  }
}

const POSTS = 30;
const PINGS = 30;

export const postPropagationBenchmark: Benchmark = {
  name: 'post propagation',
  async run() {
    const relay = await startRelayProcess();
    const browser = await chromium.launch({
      executablePath:
        process.env.CHROMIUM_PATH ??
        (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
  await alice.getByLabel('Write a post').fill(text);
  const pressed = await alice.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Post',
    )!;
    const at = Date.now();
    button.click();
    return at;
  });
  return (await seen) - pressed;
}

/** A plain RTCPeerConnection pair between the two pages, signalled through the test. */
async function rawRoundTrips(alice: Page, bob: Page): Promise<number[]> {
  const setup = () => {
    window.rawPc = new RTCPeerConnection();
    window.rawCandidates = [];
    window.rawPc.onicecandidate = (e) => {
      if (e.candidate) window.rawCandidates.push(e.candidate.toJSON());
    };
  };
  await alice.evaluate(setup);
  await bob.evaluate(setup);
  const offer = await alice.evaluate(async () => {
    const w = window;
    w.rawChannel = w.rawPc.createDataChannel('raw');
    await w.rawPc.setLocalDescription(await w.rawPc.createOffer());
    return w.rawPc.localDescription!.toJSON();
  });
  const answer = await bob.evaluate(async (offer) => {
    const w = window;
    w.rawPc.ondatachannel = (e: RTCDataChannelEvent) => {
      e.channel.onmessage = (m) => e.channel.send(m.data);
    };
    await w.rawPc.setRemoteDescription(offer);
    await w.rawPc.setLocalDescription(await w.rawPc.createAnswer());
    return w.rawPc.localDescription!.toJSON();
  }, offer);
  await alice.evaluate((answer) => window.rawPc.setRemoteDescription(answer), answer);
  await alice.waitForTimeout(500);
  for (const [from, to] of [
    [alice, bob],
    [bob, alice],
  ] as const) {
    const candidates = await from.evaluate(() => window.rawCandidates);
    await to.evaluate(async (cs) => {
      for (const c of cs) await window.rawPc.addIceCandidate(c);
    }, candidates);
  }
  return alice.evaluate(async (pings) => {
    const channel = window.rawChannel;
    if (channel.readyState !== 'open') await new Promise((r) => (channel.onopen = r));
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
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
