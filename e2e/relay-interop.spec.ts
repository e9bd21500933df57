/**
 * Compatibility both ways (issue 4, item 1):
 * - two stock y-webrtc WebrtcProviders sync a Y.Doc through Moot's relay;
 * - two Moot clients join a community and see each other's posts through y-webrtc's own
 *   bin/server.js, with no Moot relay running at all.
 * Browser contexts are separate, so they share no BroadcastChannel: their edits can only meet
 * through signaling on the relay under test and then WebRTC.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as tcp, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { spawnYWebrtcRelay, type RelayProcess } from '../bench/relay-servers';
import { haveRedisServer, startTestRedis } from '../signaling/redis-server';
import { startRelay, type RunningRelay } from '../signaling/relay';
import { createCommunity, feed, joinCommunity, post } from './fixtures/moot';

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

async function providerPage(browser: Browser, room: string, via = relay): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(via.url + '/');
  const signalingUrl = via.url.replace(/^http/, 'ws') + '/signal';
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

test('providers on two Moot relays that share Redis find each other and sync', async ({
  browser,
}) => {
  // Runs in CI, which installs redis-server (.ci/run); skipped only where it is missing.
  test.skip(!haveRedisServer, 'redis-server is not installed (CI installs it)');
  const redis = await startTestRedis();
  const relays = await Promise.all(
    [1, 2].map(() =>
      startRelay({
        port: 0,
        host: '127.0.0.1',
        staticDir: dir,
        redisUrl: redis.url,
        log: () => {},
      }),
    ),
  );
  try {
    const room = `interop-redis-${Date.now()}`;
    const alice = await providerPage(browser, room, relays[0]);
    const bob = await providerPage(browser, room, relays[1]);
    await alice.evaluate(() => window.interop.set('from-alice', 'across relays'));
    await expect
      .poll(() => bob.evaluate(() => window.interop.get('from-alice')))
      .toBe('across relays');
    expect(relays[0]!.metrics.redisMessagesIn).toBeGreaterThan(0);
    expect(relays[1]!.metrics.redisMessagesIn).toBeGreaterThan(0);
  } finally {
    await Promise.all(relays.map((r) => r.close()));
    await redis.stop();
  }
});

/**
 * The built app on an origin whose /signal is y-webrtc's server: the app signals through its
 * own origin, so this is how a Moot client meets a stock y-webrtc relay. Upgrades are piped to
 * it byte for byte; everything else is the app from dist/.
 */
async function appInFrontOf(
  yWebrtc: RelayProcess,
): Promise<{ url: string; upgrades: () => number; server: Server }> {
  const target = new URL(yWebrtc.wsUrl);
  const serveApp = sirv('dist', { single: true });
  let upgrades = 0;
  const server = createServer((req, res) => {
    if (req.url === '/config') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"iceServers":[]}');
      return;
    }
    serveApp(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrades += 1;
    const upstream = tcp(Number(target.port), target.hostname);
    const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`);
    upstream.write([`GET ${req.url} HTTP/1.1`, ...headers, '', ''].join('\r\n'));
    upstream.write(head);
    upstream.pipe(socket).pipe(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, upgrades: () => upgrades, server };
}

test('two Moot clients join and see each other’s posts through y-webrtc’s bin/server.js', async ({
  browser,
}) => {
  expect(existsSync('dist/index.html'), 'build the app first: npm run build').toBe(true);
  const yWebrtc = await spawnYWebrtcRelay();
  const front = await appInFrontOf(yWebrtc);
  try {
    const alice = await (await browser.newContext()).newPage();
    const bob = await (await browser.newContext()).newPage();
    const link = await createCommunity(alice, front.url, 'Interop Society', 'Alice');
    expect(link.startsWith(front.url)).toBe(true);
    await joinCommunity(bob, link, 'Bob');

    await post(alice, 'Signalled by y-webrtc.');
    await post(bob, 'And answered through it.');
    for (const page of [alice, bob]) {
      await expect(feed(page)).toContainText('Signalled by y-webrtc.');
      await expect(feed(page)).toContainText('And answered through it.');
    }
    expect(front.upgrades()).toBeGreaterThanOrEqual(2);
  } finally {
    front.server.closeAllConnections();
    front.server.close();
    await yWebrtc.stop();
  }
});
