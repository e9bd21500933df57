/**
 * Frame generators for the relay fuzzer: valid messages, mutations of them, wrong types,
 * prototype-pollution keys, deep nesting, frames around and over the size cap, binary and
 * invalid UTF-8. Seeded, so a failing run can be replayed.
 */
export interface FuzzFrame {
  kind: string;
  data: string | Buffer;
  /** Sent as a binary frame (otherwise text, even when `data` is a Buffer of bad UTF-8). */
  binary: boolean;
  /** The relay is expected to close the socket on it (over the size cap, or invalid UTF-8). */
  closes?: boolean;
}

export type Rng = () => number;

/** mulberry32: small, fast, good enough to pick fuzz cases. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CAP = 64 * 1024;
const TOPICS = Array.from({ length: 40 }, (_, i) => `fuzz-${i}`);
const WEIRD = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  ' ',
  'x',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\ud83d\ude00',
  [],
  {},
  [null],
  ['a', 1],
  { a: 1 },
  { type: 'ping' },
  [[[]]],
  'subscribe',
  'publish',
];

export function nextFrame(rng: Rng): FuzzFrame {
  const frame = generate(rng);
  const bytes = typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : frame.data.length;
  return bytes > CAP ? { ...frame, closes: true } : frame;
}

function generate(rng: Rng): FuzzFrame {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const int = (max: number) => Math.floor(rng() * max);
  const text = (kind: string, data: string): FuzzFrame => ({ kind, data, binary: false });

  const topic = () => (rng() < 0.8 ? pick(TOPICS) : randomString(rng, 1 + int(300)));
  const value = (depth = 0): unknown => {
    const r = rng();
    if (depth > 3 || r < 0.4) return pick(WEIRD);
    if (r < 0.6) return randomString(rng, int(200));
    if (r < 0.8) return Array.from({ length: int(5) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: int(5) }, () => [randomString(rng, 1 + int(8)), value(depth + 1)]),
    );
  };
  const valid = (): string => {
    switch (int(4)) {
      case 0:
        return JSON.stringify({
          type: 'subscribe',
          topics: Array.from({ length: 1 + int(4) }, topic),
        });
      case 1:
        return JSON.stringify({
          type: 'unsubscribe',
          topics: Array.from({ length: 1 + int(4) }, topic),
        });
      case 2:
        return JSON.stringify({ type: 'publish', topic: topic(), data: value() });
      default:
        return '{"type":"ping"}';
    }
  };

  switch (int(12)) {
    case 0:
    case 1:
      return text('valid', valid());
    case 2:
    case 3:
      return text('mutated', mutate(rng, valid()));
    case 4:
      return text(
        'wrong-types',
        JSON.stringify({
          type: pick(['subscribe', 'unsubscribe', 'publish', 'ping', ...WEIRD]),
          topics: value(),
          topic: value(),
          data: value(),
        }),
      );
    case 5:
      return text(
        'prototype',
        pick([
          '{"__proto__":{"type":"ping"}}',
          '{"type":"subscribe","topics":["__proto__","constructor","toString","hasOwnProperty"]}',
          '{"type":"publish","topic":"__proto__","data":{"__proto__":{"polluted":1}}}',
          '{"type":"unsubscribe","topics":["__proto__"]}',
          '{"constructor":{"prototype":{"polluted":1}},"type":"ping"}',
          '{"type":"publish","topic":"constructor","data":null,"__proto__":null}',
        ]),
      );
    case 6: {
      const depth = 1 + int(30_000);
      const open = rng() < 0.5 ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const nested = open.repeat(depth) + close.repeat(depth);
      return text(
        'deep',
        rng() < 0.5
          ? `{"type":"publish","topic":"${pick(TOPICS)}","data":${nested}}`
          : `{"type":"subscribe","topics":${nested}}`,
      );
    }
    case 7: {
      // Around the cap: just under is forwarded, just over closes the socket with 1009.
      const size = CAP - 200 + int(400) + (rng() < 0.3 ? int(3 * CAP) : 0);
      return text(
        'huge',
        `{"type":"publish","topic":"${pick(TOPICS)}","data":"${'x'.repeat(Math.max(0, size - 60))}"}`,
      );
    }
    case 8:
      return { kind: 'binary', data: randomBytes(rng, int(2000)), binary: true };
    case 9:
      return {
        kind: 'bad-utf8',
        data: Buffer.from([0x7b, ...randomBytes(rng, int(50)), 0xff, 0xfe]),
        binary: false,
        closes: true,
      };
    case 10:
      return text(
        'many-topics',
        JSON.stringify({
          type: pick(['subscribe', 'unsubscribe']),
          topics: Array.from({ length: int(8000) }, (_, i) => `t${i}`),
        }),
      );
    default:
      return text(
        'scalar',
        pick([
          '',
          ' ',
          '0',
          '"x"',
          'null',
          'true',
          '[]',
          '{}',
          '{"type":null}',
          '\t\n',
          '1e999',
          '-',
          '{"type":"ping"',
        ]),
      );
  }
}

function mutate(rng: Rng, input: string): string {
  let s = input;
  for (let n = 1 + Math.floor(rng() * 5); n > 0; n--) {
    const at = Math.floor(rng() * (s.length + 1));
    switch (Math.floor(rng() * 5)) {
      case 0:
        s = s.slice(0, at) + String.fromCharCode(Math.floor(rng() * 0x10000)) + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + Math.floor(rng() * 10));
        break;
      case 2:
        s =
          s.slice(0, at) +
          pick(rng, ['"', '{', '}', '[', ']', ',', ':', '\\', 'null', '\\u']) +
          s.slice(at);
        break;
      case 3:
        s = s.slice(0, at) + s.slice(Math.floor(rng() * s.length));
        break;
      default:
        s = s.slice(0, at);
    }
  }
  return s;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function randomString(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    s +=
      rng() < 0.9
        ? String.fromCharCode(32 + Math.floor(rng() * 95))
        : String.fromCharCode(Math.floor(rng() * 0x10000));
  }
  return s;
}

function randomBytes(rng: Rng, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(rng() * 256);
  return bytes;
}
