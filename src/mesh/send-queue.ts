/**
 * What goes onto a data channel, and when. Chromium closes a data channel whose send buffer
 * passes ~16 MiB ("send queue is full"), so frames wait here until `bufferedAmount` is below a
 * high-water mark, and the queue refills on 'bufferedamountlow'. Frames of sync, awareness and
 * auth go before any file block, so a large download never delays posts and votes by more
 * than what is already in the channel's buffer.
 */
export interface DataChannelLike {
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: Uint8Array): void;
  addEventListener(type: 'bufferedamountlow', listener: () => void): void;
  removeEventListener(type: 'bufferedamountlow', listener: () => void): void;
}

export type Priority = 'high' | 'low';

export interface SendQueueOptions {
  /** Stop handing frames to the channel above this many buffered bytes. */
  highWaterMark?: number;
  /** Resume when the channel's buffer drains to this. */
  lowWaterMark?: number;
  /**
   * Low-priority frames (file blocks) stop at this, lower than highWaterMark: whatever sits in
   * the channel's buffer is sent before a new post, so this bounds how long blocks delay one.
   */
  lowPriorityMark?: number;
  /** The channel refused a frame; the connection is unusable. */
  onError: (error: unknown) => void;
}

export interface SendQueue {
  enqueue(frames: Uint8Array[], priority: Priority): void;
  /** Bytes waiting here (not yet in the channel's own buffer), by priority. */
  queuedBytes(priority?: Priority): number;
  destroy(): void;
}

/** Well under Chromium's ~16 MiB limit, large enough to keep a fast link busy. */
export const DEFAULT_HIGH_WATER_MARK = 4 * 1024 * 1024;
export const DEFAULT_LOW_WATER_MARK = 256 * 1024;
/**
 * Above the low-water mark, so blocks still flow without a gap when the buffer drains; low,
 * because whatever a peer asks for, its answers wait here rather than in the channel, where
 * nothing can overtake them (file blocks have a channel of their own, peer-connection.ts).
 */
export const DEFAULT_LOW_PRIORITY_MARK = 1024 * 1024;
/** In case a 'bufferedamountlow' event is missed, look again this often while frames wait. */
const RECHECK_MS = 200;

export function createSendQueue(channel: DataChannelLike, options: SendQueueOptions): SendQueue {
  const high = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const lowPriorityMark = Math.min(high, options.lowPriorityMark ?? DEFAULT_LOW_PRIORITY_MARK);
  const queues: Record<Priority, Uint8Array[]> = { high: [], low: [] };
  const bytes: Record<Priority, number> = { high: 0, low: 0 };
  let recheck: ReturnType<typeof setTimeout> | undefined;
  let failed = false;
  let destroyed = false;

  channel.bufferedAmountLowThreshold = options.lowWaterMark ?? DEFAULT_LOW_WATER_MARK;

  function pump(): void {
    clearTimeout(recheck);
    recheck = undefined;
    if (destroyed || failed) return;
    for (;;) {
      const priority: Priority | null =
        queues.high.length > 0 ? 'high' : queues.low.length > 0 ? 'low' : null;
      if (priority === null) return;
      const frame = queues[priority][0]!;
      // Always let one frame through onto an empty buffer, whatever the marks say.
      const mark = priority === 'high' ? high : lowPriorityMark;
      if (channel.bufferedAmount > 0 && channel.bufferedAmount + frame.length > mark) break;
      try {
        channel.send(frame);
      } catch (error) {
        failed = true;
        options.onError(error);
        return;
      }
      queues[priority].shift();
      bytes[priority] -= frame.length;
    }
    recheck = setTimeout(pump, RECHECK_MS);
  }

  channel.addEventListener('bufferedamountlow', pump);

  return {
    enqueue(frames, priority) {
      if (destroyed || failed) return;
      for (const frame of frames) {
        queues[priority].push(frame);
        bytes[priority] += frame.length;
      }
      pump();
    },
    queuedBytes: (priority) => (priority ? bytes[priority] : bytes.high + bytes.low),
    destroy() {
      destroyed = true;
      clearTimeout(recheck);
      channel.removeEventListener('bufferedamountlow', pump);
      queues.high = [];
      queues.low = [];
      bytes.high = bytes.low = 0;
    },
  };
}
