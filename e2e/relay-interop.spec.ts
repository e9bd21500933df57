/**
 * Compatibility, one way round (issue 4, item 1): two stock y-webrtc WebrtcProviders in two
 * browser contexts sync a Y.Doc through Moot's relay. Separate contexts share no
 * BroadcastChannel, so the only way their edits meet is signaling through the relay and then
 * WebRTC. The page and its bundle of yjs + y-webrtc are served by the relay itself.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay, type RunningRelay } from '../signaling/relay';

declare global {
  interface Window {
    interop: {
      set(key: string, value: string): void;
      get(key: string): string | undefined;
      peers(): number;
      synced(): boolean;
    };
    startInterop(signalingUrl: string, room: string): void;
  }
}

// Runs in the page: a WebrtcProvider exactly as y-webrtc's README sets it up.
const pageEntry = `
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
window.startInterop = (signalingUrl, room) => {
  const doc = new Y.Doc();
  const provider = new WebrtcProvider(room, doc, {
    signaling: [signalingUrl],
    peerOpts: { config: { iceServers: [] } },
  });
  const map = doc.getMap('shared');
  window.interop = {
    set: (key, value) => map.set(key, value),
    get: (key) => map.get(key),
    peers: () => provider.room ? provider.room.webrtcConns.size : 0,
    synced: () => provider.room ? provider.room.synced : false,
  };
};
`;

let dir: string;
let relay: RunningRelay;
const logs: string[] = [];

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moot-interop-'));
  await build({
    stdin: { contents: pageEntry, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'interop.js'),
    logLevel: 'silent',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>interop</title><script src="/interop.js"></script>',
  );
  relay = await startRelay({
    port: 0,
    host: '127.0.0.1',
    staticDir: dir,
    log: (event) => logs.push(event),
  });
});

test.afterAll(async () => {
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function providerPage(browser: Browser, room: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(relay.url + '/');
  const signalingUrl = relay.url.replace(/^http/, 'ws') + '/signal';
  await page.evaluate(([url, name]) => window.startInterop(url!, name!), [signalingUrl, room]);
  return page;
}

test('two stock y-webrtc providers sync a Y.Doc through Moot’s relay', async ({ browser }) => {
  const room = `interop-${Date.now()}`;
  const alice = await providerPage(browser, room);
  const bob = await providerPage(browser, room);

  for (const page of [alice, bob]) {
    await expect.poll(() => page.evaluate(() => window.interop.peers())).toBe(1);
  }
  await alice.evaluate(() => window.interop.set('from-alice', 'hello from Alice'));
  await bob.evaluate(() => window.interop.set('from-bob', 'hello from Bob'));

  for (const page of [alice, bob]) {
    await expect
      .poll(() => page.evaluate(() => window.interop.get('from-alice')))
      .toBe('hello from Alice');
    await expect
      .poll(() => page.evaluate(() => window.interop.get('from-bob')))
      .toBe('hello from Bob');
  }
  // The introduction really went through this relay.
  expect(relay.metrics.publishes).toBeGreaterThan(0);
  expect(relay.metrics.frameRefusals.size).toBe(0);
});
