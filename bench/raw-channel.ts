/**
 * The baseline several benchmarks measure against: a plain RTCPeerConnection with one data
 * channel between two pages, signalled through the test, with no Moot code in the path.
 */
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    rawPc: RTCPeerConnection;
    rawChannel: RTCDataChannel;
    rawCandidates: RTCIceCandidateInit[];
  }
}

/**
 * Connects Alice's `window.rawChannel` to Bob. `receiver(arg)` runs in Bob's page first and
 * sets `window.rawPc.ondatachannel` to whatever the benchmark needs (echo, count bytes…).
 * Resolves once Alice's channel is open.
 */
export async function openRawChannel(
  alice: Page,
  bob: Page,
  receiver: (arg: number) => void,
  arg: number,
): Promise<void> {
  const setup = () => {
    window.rawPc = new RTCPeerConnection();
    window.rawCandidates = [];
    window.rawPc.onicecandidate = (e) => {
      if (e.candidate) window.rawCandidates.push(e.candidate.toJSON());
    };
  };
  await alice.evaluate(setup);
  await bob.evaluate(setup);
  await bob.evaluate(receiver, arg);
  const offer = await alice.evaluate(async () => {
    window.rawChannel = window.rawPc.createDataChannel('raw');
    await window.rawPc.setLocalDescription(await window.rawPc.createOffer());
    return window.rawPc.localDescription!.toJSON();
  });
  const answer = await bob.evaluate(async (offer) => {
    await window.rawPc.setRemoteDescription(offer);
    await window.rawPc.setLocalDescription(await window.rawPc.createAnswer());
    return window.rawPc.localDescription!.toJSON();
  }, offer);
  await alice.evaluate((answer) => window.rawPc.setRemoteDescription(answer), answer);
  // Let both sides gather their candidates before handing them over. A fixed pause was not
  // enough on a loaded machine: with no candidates the channel never opened and the bench hung.
  for (const page of [alice, bob])
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const pc = window.rawPc;
          if (pc.iceGatheringState === 'complete') return resolve();
          pc.addEventListener('icegatheringstatechange', () => {
            if (pc.iceGatheringState === 'complete') resolve();
          });
          setTimeout(resolve, 10_000);
        }),
    );
  for (const [from, to] of [
    [alice, bob],
    [bob, alice],
  ] as const) {
    const candidates = await from.evaluate(() => window.rawCandidates);
    await to.evaluate(async (cs) => {
      for (const c of cs) await window.rawPc.addIceCandidate(c);
    }, candidates);
  }
  await alice.evaluate(async () => {
    const channel = window.rawChannel;
    if (channel.readyState === 'open') return;
    await new Promise((resolve, reject) => {
      channel.onopen = resolve;
      setTimeout(() => reject(new Error('the raw channel did not open within 30 s')), 30_000);
    });
  });
}

export async function closeRawChannel(...pages: Page[]): Promise<void> {
  for (const page of pages) await page.evaluate(() => window.rawPc.close());
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
