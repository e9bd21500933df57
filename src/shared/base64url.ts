/** base64url without padding (RFC 4648 §5): the only text form of bytes in Moot. */

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
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

export function isBase64urlOfLength(text: unknown, byteLength: number): text is string {
  if (typeof text !== 'string') return false;
  const bytes = fromBase64url(text);
  return bytes !== null && bytes.length === byteLength && toBase64url(bytes) === text;
}
