import { describe, expect, it } from 'vitest';
import { UploadLimit } from './upload-limit';

const BLOCK = 256 * 1024;
const MB = 1000 * 1000;

/** Sends `blocks` blocks as fast as the limit lets them; when the last one went, in ms. */
function sendAll(limit: UploadLimit, clock: { t: number }, blocks: number): number {
  for (let sent = 0; sent < blocks;) {
    const wait = limit.tryTake(BLOCK);
    if (wait === 0) sent++;
    else clock.t += wait;
  }
  return clock.t;
}

describe('upload limit', () => {
  it('lets everything through at once when there is no limit', () => {
    const clock = { t: 0 };
    const limit = new UploadLimit(() => clock.t);
    expect(sendAll(limit, clock, 1000)).toBe(0);
    limit.set(0);
    expect(limit.tryTake(8 * 1024 * 1024)).toBe(0);
  });

  it('holds a long upload to the limit', () => {
    const clock = { t: 0 };
    const limit = new UploadLimit(() => clock.t);
    limit.set(2 * MB);
    const ms = sendAll(limit, clock, 400); // 100 MiB
    const rate = (400 * BLOCK) / (ms / 1000);
    expect(rate).toBeGreaterThan(1.98 * MB);
    expect(rate).toBeLessThanOrEqual(2.01 * MB);
  });

  it('sends one block at once after an idle spell, not the idle time’s worth', () => {
    const clock = { t: 0 };
    const limit = new UploadLimit(() => clock.t);
    limit.set(1 * MB);
    sendAll(limit, clock, 10);
    clock.t += 60_000; // a minute with nothing asked
    expect(limit.tryTake(BLOCK)).toBe(0);
    // The bucket holds a tenth of a second of the limit, so the next block waits ~a block's time.
    expect(limit.tryTake(BLOCK)).toBeGreaterThan(150);
  });

  it('passes a block larger than the bucket, then makes the next wait for it', () => {
    const clock = { t: 0 };
    const limit = new UploadLimit(() => clock.t);
    limit.set(1 * MB);
    expect(limit.tryTake(8 * 1024 * 1024)).toBe(0);
    const wait = limit.tryTake(BLOCK);
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThan(8_400);
  });

  it('applies a new limit to what is waiting, and lifting it lets the rest go at once', () => {
    const clock = { t: 0 };
    const limit = new UploadLimit(() => clock.t);
    limit.set(0.1 * MB);
    limit.tryTake(BLOCK);
    expect(limit.tryTake(BLOCK)).toBeGreaterThan(2_000);
    limit.set(0);
    expect(limit.tryTake(BLOCK)).toBe(0);
    expect(limit.bytesPerSecond).toBe(0);
  });

  it('take() resolves once the limit allows, on the real clock', async () => {
    const limit = new UploadLimit(() => performance.now());
    limit.set(10 * MB);
    const started = performance.now();
    for (let i = 0; i < 15; i++) await limit.take(BLOCK);
    // 15 blocks are 393 ms of the limit; the full bucket (100 ms) and the last block's debt
    // (26 ms) go without waiting.
    expect(performance.now() - started).toBeGreaterThan(250);
  });
});
