import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from './test-helpers';

let relay: TestRelay;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moot-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Moot</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  relay = await startTestRelay({
    staticDir: dir,
    iceServers: [{ urls: 'stun:stun.example.org:3478' }],
  });
});
afterAll(async () => {
  await relay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built app', () => {
  it('is served at /', async () => {
    const res = await fetch(relay.url + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>Moot</title>');
  });

  it('falls back to index.html for client-side routes', async () => {
    const res = await fetch(relay.url + '/c/some-community/feed');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Moot</title>');
  });

  it('serves fingerprinted assets as immutable', async () => {
    const res = await fetch(relay.url + '/assets/app-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('does not serve files outside the static folder', async () => {
    const res = await fetch(relay.url + '/..%2f..%2fetc%2fpasswd');
    expect(await res.text()).not.toContain('root:');
  });
});

describe('GET /config', () => {
  it("returns the operator's ICE servers, readable cross-origin", async () => {
    const res = await fetch(relay.url + '/config');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ iceServers: [{ urls: 'stun:stun.example.org:3478' }] });
  });
});

describe('without a built app', () => {
  it('says how to build it instead of failing', async () => {
    const bare = await startTestRelay({ staticDir: join(dir, 'missing') });
    const res = await fetch(bare.url + '/');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('npm run build');
    await bare.close();
  });
});
