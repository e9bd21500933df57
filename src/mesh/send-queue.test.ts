import { afterEach, describe, expect, it } from 'vitest';
import { createSendQueue, type DataChannelLike, type SendQueue } from './send-queue';

/** A data channel whose buffer drains only when the test says so, like a slow link. */
class FakeChannel implements DataChannelLike {
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  sent: Uint8Array[] = [];
  maxBuffered = 0;
  failNext = false;
  private listeners = new Set<() => void>();
  send(data: Uint8Array): void {
    if (this.failNext) throw new Error('send queue is full');
    this.sent.push(data);
    this.bufferedAmount += data.length;
    this.maxBuffered = Math.max(this.maxBuffered, this.bufferedAmount);
  }
  addEventListener(_type: 'bufferedamountlow', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'bufferedamountlow', listener: () => void): void {
    this.listeners.delete(listener);
  }
  drain(bytes = Infinity): void {
    const before = this.bufferedAmount;
    this.bufferedAmount = Math.max(0, this.bufferedAmount - bytes);
    if (
      before > this.bufferedAmountLowThreshold &&
      this.bufferedAmount <= this.bufferedAmountLowThreshold
    ) {
      for (const l of this.listeners) l();
    }
  }
}

const frame = (tag: number, size = 1000) => new Uint8Array(size).fill(tag);
const queues: SendQueue[] = [];
afterEach(() => queues.splice(0).forEach((q) => q.destroy()));

function setup(errors: unknown[] = []) {
  const channel = new FakeChannel();
  const queue = createSendQueue(channel, {
    highWaterMark: 5000,
    lowWaterMark: 2000,
    onError: (e) => errors.push(e),
  });
  queues.push(queue);
  return { channel, queue };
}

describe('send queue', () => {
  it('never lets the channel buffer pass the high-water mark and refills when it drains', () => {
    const { channel, queue } = setup();
    queue.enqueue(
      Array.from({ length: 20 }, (_, i) => frame(i)),
      'low',
    );
    expect(channel.sent.length).toBe(5);
    expect(queue.queuedBytes()).toBe(15_000);
    while (queue.queuedBytes() > 0) channel.drain();
    expect(channel.sent.map((f) => f[0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(channel.maxBuffered).toBeLessThanOrEqual(5000);
  });

  it('sends sync frames before waiting blocks', () => {
    const { channel, queue } = setup();
    queue.enqueue(
      Array.from({ length: 10 }, () => frame(0)),
      'low',
    );
    queue.enqueue([frame(1), frame(1)], 'high');
    const sentBefore = channel.sent.length;
    channel.drain();
    const next = channel.sent.slice(sentBefore).map((f) => f[0]);
    expect(next.slice(0, 2)).toEqual([1, 1]);
  });

  it('keeps blocks to a lower mark, so a post waits behind little', () => {
    const channel = new FakeChannel();
    const queue = createSendQueue(channel, {
      highWaterMark: 5000,
      lowWaterMark: 1000,
      lowPriorityMark: 2000,
      onError: () => undefined,
    });
    queues.push(queue);
    queue.enqueue(
      Array.from({ length: 10 }, () => frame(0)),
      'low',
    );
    expect(channel.bufferedAmount).toBe(2000);
    queue.enqueue([frame(1), frame(1), frame(1)], 'high');
    expect(channel.bufferedAmount).toBe(5000);
    expect(channel.sent.slice(-3).map((f) => f[0])).toEqual([1, 1, 1]);
  });

  it('lets a frame through onto an empty buffer even if it alone is over the mark', () => {
    const { channel, queue } = setup();
    queue.enqueue([frame(7, 9000)], 'high');
    expect(channel.sent.length).toBe(1);
  });

  it('reports a channel that refuses a frame and stops sending', () => {
    const errors: unknown[] = [];
    const { channel, queue } = setup(errors);
    channel.failNext = true;
    queue.enqueue([frame(1)], 'high');
    expect(errors.length).toBe(1);
    channel.failNext = false;
    queue.enqueue([frame(2)], 'high');
    expect(channel.sent.length).toBe(0);
  });
});
