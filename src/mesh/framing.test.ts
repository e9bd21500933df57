import { describe, expect, it } from 'vitest';
import { equalBytes } from '../shared/bytes';
import {
  createReassembler,
  FRAGMENT_PAYLOAD_BYTES,
  fragmentMessage,
  MAX_FRAME_BYTES,
  type Message,
} from './framing';

function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

function frames(...args: Parameters<typeof fragmentMessage>): Uint8Array[] {
  const result = fragmentMessage(...args);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function header(channel: number, id: number, index: number, count: number, payload = 0) {
  const frame = new Uint8Array(13 + payload);
  const view = new DataView(frame.buffer);
  view.setUint8(0, channel);
  view.setUint32(1, id);
  view.setUint32(5, index);
  view.setUint32(9, count);
  return frame;
}

describe('framing', () => {
  it('fragments a 3 MiB message into ≤ 64 KiB frames and reassembles it', () => {
    const payload = pattern(3 * 1024 * 1024 + 17);
    const out = frames('sync', 7, payload);
    expect(out.length).toBe(Math.ceil(payload.length / FRAGMENT_PAYLOAD_BYTES));
    expect(out.every((f) => f.length <= MAX_FRAME_BYTES)).toBe(true);
    const reassembler = createReassembler();
    let message: Message | null = null;
    for (const frame of out) {
      const result = reassembler.push(frame);
      expect(result.ok).toBe(true);
      if (result.ok && result.value) message = result.value;
    }
    expect(message?.channel).toBe('sync');
    expect(equalBytes(message!.payload, payload)).toBe(true);
    expect(reassembler.bytesInFlight()).toBe(0);
  });

  it('passes small and empty messages in one frame', () => {
    const reassembler = createReassembler();
    for (const size of [0, 1, FRAGMENT_PAYLOAD_BYTES]) {
      const out = frames('awareness', size, pattern(size));
      expect(out.length).toBe(1);
      const result = reassembler.push(out[0]!);
      expect(result.ok && result.value?.payload.length).toBe(size);
    }
  });

  it('reassembles interleaved messages', () => {
    const big = frames('blocks', 1, pattern(200_000));
    const small = frames('sync', 2, pattern(10));
    const reassembler = createReassembler();
    const got: Message[] = [];
    for (const frame of [big[0]!, small[0]!, ...big.slice(1)]) {
      const result = reassembler.push(frame);
      if (!result.ok) throw new Error(result.error);
      if (result.value) got.push(result.value);
    }
    expect(got.map((m) => [m.channel, m.payload.length])).toEqual([
      ['sync', 10],
      ['blocks', 200_000],
    ]);
  });

  it('refuses to send or receive a message over the size cap', () => {
    expect(fragmentMessage('sync', 1, pattern(1000), 999).ok).toBe(false);
    const limits = { maxMessageBytes: 100_000, maxPartialMessages: 4, maxBytesInFlight: 1e6 };
    const reassembler = createReassembler(limits);
    // The declared count alone exceeds the cap: refused before buffering anything.
    const result = reassembler.push(frames('sync', 1, pattern(300_000))[0]!);
    expect(result).toEqual({ ok: false, error: 'message too large' });
  });

  it('caps partial messages and bytes in flight', () => {
    const few = createReassembler({
      maxMessageBytes: 1e6,
      maxPartialMessages: 2,
      maxBytesInFlight: 1e7,
    });
    expect(few.push(frames('sync', 1, pattern(100_000))[0]!).ok).toBe(true);
    expect(few.push(frames('sync', 2, pattern(100_000))[0]!).ok).toBe(true);
    expect(few.push(frames('sync', 3, pattern(100_000))[0]!).ok).toBe(false);

    const held = createReassembler({
      maxMessageBytes: 1e6,
      maxPartialMessages: 8,
      maxBytesInFlight: 150_000,
    });
    expect(held.push(frames('sync', 1, pattern(200_000))[0]!).ok).toBe(true);
    expect(held.push(frames('sync', 2, pattern(200_000))[0]!).ok).toBe(true);
    const third = held.push(frames('sync', 3, pattern(200_000))[0]!);
    expect(third).toEqual({ ok: false, error: 'too many bytes in flight' });
  });

  it('rejects garbage frames', () => {
    const garbage: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array(12),
      new Uint8Array(MAX_FRAME_BYTES + 1),
      header(9, 1, 0, 1), // unknown channel
      header(1, 1, 0, 0), // zero fragments
      header(1, 1, 3, 2), // index past count
      header(1, 1, 1, 2, 10), // continuation of nothing
      header(1, 1, 0, 2, 10), // short first fragment
      header(1, 1, 0, 0xffffffff, FRAGMENT_PAYLOAD_BYTES), // absurd count
    ];
    for (const frame of garbage) expect(createReassembler().push(frame).ok).toBe(false);
  });

  it('rejects fragments out of sequence, reused ids and switched channels', () => {
    const out = frames('sync', 5, pattern(3 * FRAGMENT_PAYLOAD_BYTES));
    const skip = createReassembler();
    skip.push(out[0]!);
    expect(skip.push(out[2]!).ok).toBe(false);

    const reuse = createReassembler();
    reuse.push(out[0]!);
    expect(reuse.push(out[0]!).ok).toBe(false);

    const switched = createReassembler();
    switched.push(out[0]!);
    const other = out[1]!.slice();
    other[0] = 3;
    expect(switched.push(other).ok).toBe(false);
  });
});
