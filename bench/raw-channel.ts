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
  // Let both sides gather their candidates before handing them over.
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
  await alice.evaluate(async () => {
    const channel = window.rawChannel;
    if (channel.readyState !== 'open') await new Promise((r) => (channel.onopen = r));
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
