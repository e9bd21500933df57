import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

// Node itself with tsx's loader, not the tsx binary: the binary is a second process that relays
// signals, and under load a SIGTERM could reach it before its child was ready (exit 143).
function spawnRelay(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('{')) {
        const entry = JSON.parse(line) as { event: string; url?: string };
        if (entry.event === 'listening' && entry.url) resolve(entry.url);
      }
    });
    child.on('exit', (code) => reject(new Error(`relay exited early with ${code}`)));
  });
  // Tests that expect an early exit never await `listening`.
  listening.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, lines, listening, exited };
}

describe('signaling/main.ts', () => {
  it('prints a human line and a JSON listening line, serves, and stops cleanly on SIGTERM', async () => {
    const relay = spawnRelay(['--port', '0', '--host', '127.0.0.1']);
    const url = await relay.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(relay.lines[0]).toBe(`Moot is running at ${url}`);
    expect((await fetch(url + '/healthz')).status).toBe(200);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
  }, 20_000);

  it('takes PORT and HOST from the environment', async () => {
    const relay = spawnRelay([], { PORT: '0', HOST: '127.0.0.1' });
    expect(await relay.listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
  }, 20_000);

  it('refuses bad configuration with a plain message and exit code 2', async () => {
    const relay = spawnRelay(['--port', 'eighty']);
    let stderr = '';
    relay.child.stderr.on('data', (chunk) => (stderr += chunk));
    expect(await relay.exited).toBe(2);
    expect(stderr).toContain('port must be 0–65535');
  }, 20_000);

  it('says so plainly when its port is taken', async () => {
    const first = spawnRelay(['--port', '0']);
    const port = new URL(await first.listening).port;
    const second = spawnRelay(['--port', port]);
    let stderr = '';
    second.child.stderr.on('data', (chunk) => (stderr += chunk));
    expect(await second.exited).toBe(1);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
    first.child.kill('SIGTERM');
    await first.exited;
  }, 20_000);

  it('documents its options under --help', async () => {
    const relay = spawnRelay(['--help']);
    expect(await relay.exited).toBe(0);
    const text = relay.lines.join('\n');
    for (const flag of ['--port', '--host', '--static', '--redis', '--max-frame-bytes']) {
      expect(text).toContain(flag);
    }
  }, 20_000);
});
