import { describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { EventId } from '../shared/ids';
import { Bitfield } from './bitfield';
import { decode, encode, type WireMessage } from './wire';

const file = toBase64url(randomBytes(32)) as EventId;

describe('block wire messages', () => {
  it('round-trip', () => {
    const bits = new Bitfield(11);
    bits.set(0);
    bits.set(10);
    const messages: WireMessage[] = [
      { type: 'hello' },
      { type: 'have', file, bits },
      { type: 'have-one', file, index: 7 },
      { type: 'request', file, index: 3 },
      { type: 'block', file, index: 3, data: randomBytes(1000) },
      { type: 'dont-have', file, index: 9 },
    ];
    for (const m of messages) expect(decode(encode(m), 1000)).toEqual({ ok: true, value: m });
  });

  it('refuses malformed messages', () => {
    expect(decode(new Uint8Array([]), 1000).ok).toBe(false);
    expect(decode(new Uint8Array([99]), 1000).ok).toBe(false);
    expect(decode(new Uint8Array([3, 1, 2]), 1000).ok).toBe(false);
    const have = encode({ type: 'have', file, bits: new Bitfield(16) });
    expect(decode(have.subarray(0, have.length - 1), 1000).ok).toBe(false);
    expect(decode(have, 8).ok).toBe(false); // more blocks than any manifest may list
    const request = encode({ type: 'request', file, index: 1 });
    expect(decode(Uint8Array.of(...request, 0), 1000).ok).toBe(false);
  });

  it('keeps padding bits clear', () => {
    const bits = new Bitfield(10, new Uint8Array([0xff, 0xff]));
    expect(bits.count()).toBe(10);
    expect(bits.bytes[1]).toBe(0xc0);
    expect(new Bitfield(10).setAll().complete()).toBe(true);
  });
});
