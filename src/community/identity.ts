/**
 * Ed25519 identities through WebCrypto. A member's private key is extractable so that it can
 * be backed up under a passphrase (identity-backup.ts). It is stored in IndexedDB either way,
 * so whoever can read this origin's storage or run script in it could already use it; what
 * extractable adds is that such script can copy it out, not just sign while the page is open.
 * The decision and its trade-off: docs/identity-backup.md. Identities made by earlier builds
 * stay non-extractable and cannot be backed up.
 */
import { fromBase64url, toBase64url } from '../shared/base64url';
import type { MemberId } from '../shared/ids';

export interface Identity {
  memberId: MemberId;
  publicKey: Uint8Array;
  privateKey: CryptoKey;
}

const ED25519 = { name: 'Ed25519' } as const;
/** PKCS#8 prefix for a raw 32-byte Ed25519 seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export async function generateIdentity(): Promise<Identity> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { memberId: toBase64url(publicKey) as MemberId, publicKey, privateKey: pair.privateKey };
}

/** Invite keys come from a 32-byte seed carried in the link, so anyone holding the link can sign. */
export async function identityFromSeed(seed: Uint8Array): Promise<Identity> {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  pkcs8.set(PKCS8_ED25519_PREFIX);
  pkcs8.set(seed, PKCS8_ED25519_PREFIX.length);
  // Extractable only so the public half can be read through JWK; the seed is in the link anyway.
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, ED25519, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = fromBase64url(jwk.x ?? '');
  if (!publicKey) throw new Error('could not derive the public key');
  return { memberId: jwk.x as MemberId, publicKey, privateKey };
}

export async function sign(privateKey: CryptoKey, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, bytes as BufferSource));
}

/**
 * Imported verify keys by public key: ingest verifies thousands of events by a few authors, and
 * an import per signature costs as much as the verify. Kept as keys, not promises, so a verify
 * with a known key starts at once (ingest pipelines parsing with verifying). Bounded.
 */
const verifyKeys = new Map<string, CryptoKey>();
const VERIFY_KEYS_MAX = 4_096;

async function importVerifyKey(publicKey: Uint8Array): Promise<CryptoKey> {
  const key = await crypto.subtle.importKey('raw', publicKey as BufferSource, ED25519, false, [
    'verify',
  ]);
  if (verifyKeys.size >= VERIFY_KEYS_MAX) verifyKeys.clear();
  verifyKeys.set(toBase64url(publicKey), key);
  return key;
}

/**
 * False for any malformed key or signature: callers treat it as a forged event. Not async: with
 * a known key the verify is handed to WebCrypto before this returns.
 */
export function verifySignature(
  publicKey: Uint8Array,
  bytes: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return Promise.resolve(false);
  const verify = (key: CryptoKey) =>
    crypto.subtle.verify(ED25519, key, signature as BufferSource, bytes as BufferSource);
  try {
    const known = verifyKeys.get(toBase64url(publicKey));
    return (known ? verify(known) : importVerifyKey(publicKey).then(verify)).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}
