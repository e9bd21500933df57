/** base64url without padding (RFC 4648 §5): the only text form of bytes in Moot. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Up to this many bytes (keys, ids, signatures) a table lookup beats btoa and three replaces. */
const SHORT = 96;

export function toBase64url(bytes: Uint8Array): string {
  if (bytes.length <= SHORT) return shortBase64url(bytes);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Ingest encodes several keys and ids per event (tens of thousands per sync); through btoa that
 * was a tenth of the validator's time.
 */
function shortBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const left = bytes.length - i;
  if (left === 0) return out;
  const v = (bytes[i]! << 16) | (left === 2 ? bytes[i + 1]! << 8 : 0);
  out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!;
  return left === 2 ? out + ALPHABET[(v >> 6) & 63]! : out;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Returns null for anything that is not strict base64url, so callers treat it as bad input. */
export function fromBase64url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    // atob ignores non-zero bits after the last byte; one byte string has one text form.
    return toBase64url(out) === text ? out : null;
  } catch {
    return null;
  }
}

/**
 * Strict base64url of exactly `byteLength` bytes, checked without decoding: it runs for every
 * id, key and signature of every event a community opens with (tens of thousands).
 */
export function isBase64urlOfLength(text: unknown, byteLength: number): text is string {
  if (typeof text !== 'string' || text.length !== Math.ceil((byteLength * 4) / 3)) return false;
  if (!BASE64URL.test(text)) return false;
  // Bits of the last character past the last byte must be zero: one byte string, one text form.
  const spareBits = ((3 - (byteLength % 3)) % 3) * 2;
  return spareBits === 0 || (ALPHABET.indexOf(text.at(-1)!) & ((1 << spareBits) - 1)) === 0;
}
