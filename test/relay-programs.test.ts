/**
 * Runs the relay's fuzz and load programs at their minimum sizes, so CI covers THREATS.md
 * Relay 1–6 under random input and real concurrency, not only case by case.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 150_000,
  });

describe('relay programs', () => {
  it('fuzzer: 10,000 random and mutated frames, no crash, canary unaffected, memory back', () => {
    const result = run('bench/relay-fuzz.ts', ['--frames', '10000']);
    expect(result.stdout + result.stderr).toContain('PASS');
    expect(result.status).toBe(0);
  }, 180_000);

  it('load: 1,000 clients on 200 topics, every publish delivered exactly once', () => {
    const result = run('bench/relay-loadtest.ts', ['--seconds', '3']);
    expect(result.stdout + result.stderr).toContain('PASS');
    expect(result.status).toBe(0);
  }, 180_000);
});
