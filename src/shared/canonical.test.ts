import { describe, expect, it } from 'vitest';
import { decodeCanonical, encodeCanonical, type Canonical } from './canonical';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (s: string) => new TextEncoder().encode(s);

/** `value` wrapped in `levels` arrays. */
function nested(levels: number): Canonical {
  let value: Canonical = 0;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('encodeCanonical', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    const value = { b: 1, a: [true, null, 'x'], c: { z: -1, y: 'é' } };
    expect(text(encodeCanonical(value))).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":"é","z":-1}}');
  });

  it('gives one encoding whatever order keys were inserted in', () => {
    expect(encodeCanonical({ x: 1, y: { p: 1, q: 2 } })).toEqual(
      encodeCanonical({ y: { q: 2, p: 1 }, x: 1 }),
    );
  });

  it('sorts keys by UTF-16 code unit', () => {
    // Code-unit order puts the surrogate pair of U+1F600 before U+FFFF; code-point order would not.
    const value = { '\uffff': 1, '😀': 2, a: 3, B: 4 };
    expect(text(encodeCanonical(value))).toBe('{"B":4,"a":3,"😀":2,"\uffff":1}');
  });

  it('leaves out object fields that are undefined', () => {
    expect(text(encodeCanonical({ a: 1, b: undefined }))).toBe('{"a":1}');
  });

  it.each([
    ['a float', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['an unsafe integer', 2 ** 53],
    ['undefined in an array', [1, undefined]],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a Uint8Array', new Uint8Array(2)],
    [
      'a class instance',
      new (class Point {
        x = 1;
      })(),
    ],
    ['an object without prototype', Object.create(null) as object],
    ['a bigint', 1n],
    ['a function', () => 1],
  ])('throws on %s', (_what, value) => {
    expect(() => encodeCanonical({ value } as Record<string, unknown>)).toThrow(TypeError);
  });

  it('caps nesting at 16 levels', () => {
    expect(text(encodeCanonical({ deep: nested(15) }))).toContain('[[[');
    expect(() => encodeCanonical(nested(16))).not.toThrow();
    expect(() => encodeCanonical(nested(17))).toThrow(TypeError);
  });
});

describe('decodeCanonical', () => {
  it('accepts exactly what encodeCanonical writes and returns the same value', () => {
    const value = { name: 'Ada "the" \\ first\n', n: -42, list: [1, [2, {}], null, false], o: {} };
    const decoded = decodeCanonical(encodeCanonical(value));
    expect(decoded).toEqual({ ok: true, value });
  });

  it('accepts integer-like keys in code-unit order, which JSON.parse reorders', () => {
    const value = { '10': 1, '9': [{ '2': 'b', '11': 'a' }], a: 0 };
    const bytes = encodeCanonical(value);
    expect(text(bytes)).toBe('{"10":1,"9":[{"11":"a","2":"b"}],"a":0}');
    expect(decodeCanonical(bytes)).toEqual({ ok: true, value });
    expect(decodeCanonical(bytesOf('{"9":1,"10":1}')).ok).toBe(false);
  });

  it('accepts strings with escapes JSON.stringify writes, lone surrogates included', () => {
    const value = ['\u0000\u001f', '\ud800', '\u2028'];
    expect(decodeCanonical(encodeCanonical(value))).toEqual({ ok: true, value });
  });

  it.each([
    ['leading whitespace', ' {"a":1}'],
    ['whitespace between tokens', '{"a": 1}'],
    ['a trailing newline', '{"a":1}\n'],
    ['unsorted keys', '{"b":1,"a":2}'],
    ['duplicate keys', '{"a":1,"a":1}'],
    ['a float', '{"a":1.5}'],
    ['an integral float', '1.0'],
    ['an exponent', '1e3'],
    ['negative zero', '-0'],
    ['an unsafe integer', '9007199254740993'],
    ['an unneeded escape', '"\\/"'],
    ['an upper-case unicode escape', '"\\u001F"'],
    ['an escaped printable character', '"\\u0041"'],
    ['nesting past the cap', JSON.stringify(nested(17))],
    ['not JSON', 'hello'],
    ['nothing', ''],
  ])('rejects %s', (_what, input) => {
    expect(decodeCanonical(bytesOf(input)).ok).toBe(false);
  });

  it.each([
    ['invalid UTF-8', [0x22, 0xff, 0x22]],
    ['an overlong UTF-8 sequence', [0x22, 0xc0, 0xaf, 0x22]],
    ['a UTF-8 encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a byte-order mark', [0xef, 0xbb, 0xbf, 0x7b, 0x7d]],
  ])('rejects %s', (_what, bytes) => {
    expect(decodeCanonical(Uint8Array.from(bytes)).ok).toBe(false);
  });

  it('rejects a deeply nested bomb without throwing', () => {
    const bomb = bytesOf('['.repeat(100_000) + ']'.repeat(100_000));
    expect(decodeCanonical(bomb).ok).toBe(false);
  });
});
