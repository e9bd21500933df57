/**
 * Frames on a peer data channel. Chromium refuses data-channel messages over 256 KiB, and a
 * community doc is megabytes, so every message is split into frames of at most 64 KiB and put
 * back together on the other side. Reassembly is bounded (message size, partial messages,
 * bytes held) because the sender is an untrusted peer: any violation is an error result and the
 * mesh drops that peer.
 *
 * Frame: [channel u8][message id u32][fragment index u32][fragment count u32][payload].
 * Every fragment but the last carries exactly FRAGMENT_PAYLOAD_BYTES, so the count fixes the
 * size bound before anything is buffered. The data channel is reliable and ordered, so a
 * message's fragments arrive in order; messages of different priority may interleave.
 */
import { err, ok, type Result } from '../shared/result';

// `presence` last: appending keeps the other channels' bytes unchanged.
export const CHANNELS = ['auth', 'sync', 'awareness', 'blocks', 'presence'] as const;
/** auth is reserved for the admission handshake (a later issue); nothing is sent on it yet. */
export type ChannelName = (typeof CHANNELS)[number];

export const FRAME_HEADER_BYTES = 13;
export const MAX_FRAME_BYTES = 64 * 1024;
export const FRAGMENT_PAYLOAD_BYTES = MAX_FRAME_BYTES - FRAME_HEADER_BYTES;

export interface ReassemblyLimits {
  /** Largest message accepted, in bytes. */
  maxMessageBytes: number;
  /** Messages whose fragments are arriving at the same time. */
  maxPartialMessages: number;
  /** Bytes held in unfinished messages. */
  maxBytesInFlight: number;
}

export const DEFAULT_LIMITS: ReassemblyLimits = {
  maxMessageBytes: 64 * 1024 * 1024,
  maxPartialMessages: 16,
  maxBytesInFlight: 80 * 1024 * 1024,
};

export interface Message {
  channel: ChannelName;
  payload: Uint8Array;
}

const fragmentCountFor = (bytes: number): number =>
  Math.max(1, Math.ceil(bytes / FRAGMENT_PAYLOAD_BYTES));

/** Splits one message into frames. Message ids are the sender's (a per-connection counter). */
export function fragmentMessage(
  channel: ChannelName,
  messageId: number,
  payload: Uint8Array,
  maxMessageBytes = DEFAULT_LIMITS.maxMessageBytes,
): Result<Uint8Array[]> {
  if (payload.length > maxMessageBytes)
    return err(`message of ${payload.length} bytes is too large`);
  const count = fragmentCountFor(payload.length);
  const channelByte = CHANNELS.indexOf(channel);
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const chunk = payload.subarray(
      index * FRAGMENT_PAYLOAD_BYTES,
      (index + 1) * FRAGMENT_PAYLOAD_BYTES,
    );
    const frame = new Uint8Array(FRAME_HEADER_BYTES + chunk.length);
    const view = new DataView(frame.buffer);
    view.setUint8(0, channelByte);
    view.setUint32(1, messageId >>> 0);
    view.setUint32(5, index);
    view.setUint32(9, count);
    frame.set(chunk, FRAME_HEADER_BYTES);
    frames.push(frame);
  }
  return ok(frames);
}

interface Partial {
  channel: ChannelName;
  count: number;
  next: number;
  chunks: Uint8Array[];
  bytes: number;
}

export interface Reassembler {
  /**
   * A complete message, null while one is still arriving, or an error: drop the peer. The
   * frame's bytes are kept, not copied, until its message is complete: do not reuse them.
   */
  push(frame: Uint8Array): Result<Message | null>;
  /** Bytes currently held in unfinished messages. */
  bytesInFlight(): number;
}

export function createReassembler(limits: ReassemblyLimits = DEFAULT_LIMITS): Reassembler {
  const partials = new Map<number, Partial>();
  const maxFragments = fragmentCountFor(limits.maxMessageBytes);
  let inFlight = 0;

  function push(frame: Uint8Array): Result<Message | null> {
    if (frame.length < FRAME_HEADER_BYTES) return err('frame shorter than its header');
    if (frame.length > MAX_FRAME_BYTES) return err('frame over 64 KiB');
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const channel = CHANNELS[view.getUint8(0)];
    const id = view.getUint32(1);
    const index = view.getUint32(5);
    const count = view.getUint32(9);
    const payload = frame.subarray(FRAME_HEADER_BYTES);
    if (channel === undefined) return err('unknown channel');
    if (count === 0 || index >= count) return err('bad fragment index or count');
    if (count > maxFragments) return err('message too large');
    const last = index === count - 1;
    if (!last && payload.length !== FRAGMENT_PAYLOAD_BYTES) return err('short middle fragment');
    if (last && count > 1 && payload.length === 0) return err('empty last fragment');

    let partial = partials.get(id);
    if (index === 0) {
      if (partial !== undefined) return err('message id reused while in flight');
      if (count === 1) return ok({ channel, payload });
      if (partials.size >= limits.maxPartialMessages) return err('too many partial messages');
      partial = { channel, count, next: 0, chunks: [], bytes: 0 };
      partials.set(id, partial);
    } else if (partial === undefined) {
      return err('fragment of an unknown message');
    }
    if (index !== partial.next || count !== partial.count || channel !== partial.channel) {
      return err('fragment out of sequence');
    }
    if (partial.bytes + payload.length > limits.maxMessageBytes) return err('message too large');
    if (inFlight + payload.length > limits.maxBytesInFlight) return err('too many bytes in flight');
    // A view, not a copy: every frame arrives in a buffer of its own (a data channel event's
    // ArrayBuffer) that nothing writes to again. Copying each frame here cost the receiver a
    // second copy of every byte of every file (push was ~8% of the receiving page's thread).
    partial.chunks.push(payload);
    partial.bytes += payload.length;
    partial.next++;
    inFlight += payload.length;
    if (!last) return ok(null);

    partials.delete(id);
    inFlight -= partial.bytes;
    const whole = new Uint8Array(partial.bytes);
    let at = 0;
    for (const chunk of partial.chunks) {
      whole.set(chunk, at);
      at += chunk.length;
    }
    return ok({ channel, payload: whole });
  }

  return { push, bytesInFlight: () => inFlight };
}
