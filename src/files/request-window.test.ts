import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_BYTES, RequestWindow, TARGET_QUEUE_MS } from './request-window';

const BLOCK = 256 * 1024;

describe('request window', () => {
  it('always allows two blocks in flight, so requests stay pipelined', () => {
    const w = new RequestWindow();
    expect(w.allows(0, BLOCK)).toBe(true);
    expect(w.allows(BLOCK, BLOCK)).toBe(true);
    expect(w.allows(2 * BLOCK, BLOCK)).toBe(false);
  });

  it('grows while blocks arrive without queueing, up to the cap', () => {
    const w = new RequestWindow();
    for (let t = 0; t < 200; t++) w.onBlock(BLOCK, 50, BLOCK);
    expect(w.bytes).toBe(MAX_WINDOW_BYTES);
    expect(w.allows(MAX_WINDOW_BYTES - BLOCK, BLOCK)).toBe(true);
    expect(w.allows(MAX_WINDOW_BYTES, BLOCK)).toBe(false);
  });

  it('shrinks when blocks queue longer than the target, down to two blocks', () => {
    const w = new RequestWindow();
    for (let t = 0; t < 20; t++) w.onBlock(BLOCK, 50, BLOCK);
    const grown = w.bytes;
    w.onBlock(BLOCK, 50 + 3 * TARGET_QUEUE_MS, BLOCK);
    expect(w.bytes).toBeLessThan(grown);
    for (let t = 0; t < 200; t++) w.onBlock(BLOCK, 50 + 3 * TARGET_QUEUE_MS, BLOCK);
    expect(w.bytes).toBe(2 * BLOCK);
  });

  it('settles where the queue is at the target', () => {
    // A link of 10 blocks per second and a 20 ms base round trip: a block's round trip is the
    // base plus the time to send everything in flight before it.
    const w = new RequestWindow();
    const perBlockMs = 100;
    for (let n = 0; n < 500; n++) {
      const inFlight = Math.max(w.bytes, 2 * BLOCK) / BLOCK;
      w.onBlock(BLOCK, 20 + (inFlight - 1) * perBlockMs, BLOCK);
    }
    // Queued beyond what two blocks in flight (the least the window allows) always wait.
    const queuedMs = (Math.max(w.bytes, 2 * BLOCK) / BLOCK - 2) * perBlockMs;
    expect(queuedMs).toBeGreaterThan(0);
    expect(queuedMs).toBeLessThanOrEqual(2 * TARGET_QUEUE_MS);
  });
});
