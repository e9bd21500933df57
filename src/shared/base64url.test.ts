import { describe, expect, it } from 'vitest';
import { fromBase64url, isBase64urlOfLength, toBase64url } from './base64url';
import { equalBytes } from './bytes';

describe('base64url', () => {
  it('round-trips every length and every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 256; n++) {
      const bytes = all.subarray(256 - n);
      const text = toBase64url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(equalBytes(fromBase64url(text)!, bytes), `length ${n}`).toBe(true);
    }
  });

  it('uses the URL-safe alphabet without padding', () => {
    expect(toBase64url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(toBase64url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect(fromBase64url('-_8')).toEqual(Uint8Array.of(0xfb, 0xff));
  });

  it('encodes short and long inputs as Node does', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      expect(toBase64url(bytes), `length ${n}`).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('encodes large inputs in one piece', () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31) & 0xff);
    const text = toBase64url(bytes);
    expect(text).toHaveLength(Math.ceil((200_000 * 4) / 3));
    expect(equalBytes(fromBase64url(text)!, bytes)).toBe(true);
  });

  it.each([
    ['padding', 'AAE='],
    ['the standard alphabet', 'a+b/'],
    ['whitespace', 'AA E'],
    ['a trailing newline', 'AAAA\n'],
    ['an impossible length', 'AAAAA'],
    ['non-ASCII', 'AAÅA'],
    ['non-zero trailing bits', 'AB'],
  ])('rejects %s', (_what, text) => {
    expect(fromBase64url(text)).toBeNull();
  });

  it('checks the decoded length and the exact text form', () => {
    const key = toBase64url(new Uint8Array(32).fill(7));
    expect(isBase64urlOfLength(key, 32)).toBe(true);
    expect(isBase64urlOfLength(key, 31)).toBe(false);
    expect(isBase64urlOfLength(key + '=', 32)).toBe(false);
    expect(isBase64urlOfLength(key.slice(0, -1) + 'D', 32)).toBe(false);
    expect(isBase64urlOfLength(42, 32)).toBe(false);
    expect(isBase64urlOfLength(null, 0)).toBe(false);
  });
});

describe('isBase64urlOfLength without decoding', () => {
  it('agrees with decoding for every length and every last character', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let n = 0; n <= 66; n++) {
      const text = toBase64url(crypto.getRandomValues(new Uint8Array(n)));
      for (const last of n === 0 ? [''] : alphabet) {
        const candidate = text.slice(0, -1) + last;
        const decoded = fromBase64url(candidate);
        const expected = decoded !== null && decoded.length === n;
        expect(isBase64urlOfLength(candidate, n)).toBe(expected);
      }
    }
  });
});
