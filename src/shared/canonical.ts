/**
 * Canonical encoding: JSON with object keys sorted by code unit, no whitespace, and only
 * strings, safe integers, booleans, null, arrays and plain objects. Bytes travel as base64url
 * strings. Every signed event is stored as these exact bytes, and a decoder accepts bytes only
 * if re-encoding them gives the same bytes, so one value has exactly one signed form.
 */
import { err, ok, type Result } from './result';

export type Canonical =
  string | number | boolean | null | Canonical[] | { [key: string]: Canonical };

const MAX_DEPTH = 16;

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('nested too deeply');
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('only safe integers are canonical');
    return String(value);
  }
  if (Array.isArray(value)) return '[' + value.map((v) => write(v, depth + 1)).join(',') + ']';
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return (
      '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + write(v, depth + 1)).join(',') + '}'
    );
  }
  throw new TypeError(`not canonical: ${typeof value}`);
}

/**
 * True when a parsed value's keys already stand in sorted order at every level, its numbers are
 * safe integers and it is within the nesting cap: then the engine's JSON.stringify writes exactly
 * what `write` would, several times faster (ingest checks tens of thousands of events per sync).
 * Otherwise `write` decides, e.g. for integer-like keys, which JSON.parse puts first.
 */
function inCanonicalOrder(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every((v) => inCanonicalOrder(v, depth + 1));
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    if (!inCanonicalOrder((value as Record<string, unknown>)[keys[i]!], depth + 1)) return false;
  }
  return true;
}

const encoder = new TextEncoder();
// ignoreBOM keeps a leading BOM in the text, where JSON.parse rejects it; stripping it would let
// one value have two signed forms.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Throws TypeError on values that have no canonical form (a programming error, not input). */
export function encodeCanonical(value: Canonical | Record<string, unknown>): Uint8Array {
  return encoder.encode(write(value, 0));
}

/** Untrusted bytes → value, only if they are exactly the canonical form of that value. */
export function decodeCanonical(bytes: Uint8Array): Result<Canonical> {
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return err('not UTF-8 JSON');
  }
  if (inCanonicalOrder(value, 0))
    return JSON.stringify(value) === text ? ok(value as Canonical) : err('not in canonical form');
  try {
    if (write(value, 0) !== text) return err('not in canonical form');
  } catch (e) {
    return err((e as Error).message);
  }
  return ok(value as Canonical);
}
