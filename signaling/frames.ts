/**
 * The relay's only parser of untrusted input. Returns a result, never throws: one bad frame
 * must cost the sender an error reply, never the process (y-webrtc's server dies here).
 */
import {
  MAX_DATA_DEPTH,
  MAX_PUBLISH_SAMPLE,
  MAX_TOPIC_LENGTH,
  type ClientMessage,
  type RelayErrorReason,
} from '../src/shared/signal-protocol';

export type ParsedFrame =
  { ok: true; message: ClientMessage } | { ok: false; reason: RelayErrorReason };

const fail = (reason: RelayErrorReason): ParsedFrame => ({ ok: false, reason });

export function parseClientFrame(raw: Buffer, isBinary: boolean, maxTopics: number): ParsedFrame {
  if (isBinary) return fail('binary_frame');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return fail('invalid_json');
  }
  if (!isRecord(value) || typeof value.type !== 'string') return fail('invalid_message');
  switch (value.type) {
    case 'ping':
      return { ok: true, message: { type: 'ping' } };
    case 'subscribe':
    case 'unsubscribe': {
      const topics = value.topics;
      if (!Array.isArray(topics)) return fail('invalid_message');
      if (topics.length > maxTopics) return fail('too_many_topics');
      if (!topics.every(isTopic)) return fail('invalid_topic');
      return { ok: true, message: { type: value.type, topics: topics as string[] } };
    }
    case 'publish': {
      if (!isTopic(value.topic)) return fail('invalid_topic');
      if (!('data' in value)) return fail('invalid_message');
      // Re-serialising `data` would overflow the stack on a deep value; refuse it up front.
      if (depthExceeds(value.data, MAX_DATA_DEPTH)) return fail('too_deep');
      const sample = value.sample;
      if (
        sample !== undefined &&
        !(
          Number.isInteger(sample) &&
          (sample as number) >= 1 &&
          (sample as number) <= MAX_PUBLISH_SAMPLE
        )
      )
        return fail('invalid_message');
      const message: ClientMessage = { type: 'publish', topic: value.topic, data: value.data };
      if (sample !== undefined) message.sample = sample as number;
      return { ok: true, message };
    }
    default:
      return fail('unknown_type');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTopic(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TOPIC_LENGTH;
}

/** Iterative so that the check itself cannot overflow the stack. */
export function depthExceeds(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.depth > max) return true;
    for (const child of Object.values(top.value)) {
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child as object, depth: top.depth + 1 });
      }
    }
  }
  return false;
}
