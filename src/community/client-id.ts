/**
 * The Yjs clientID a session writes with is bound to its author: 53 bits of
 * SHA-256(public key ‖ session nonce). A peer cannot write at another member's positions
 * because it cannot produce an event signed by that member at those positions (DESIGN.md §3).
 */
import { concatBytes, sha256 } from '../shared/bytes';

export const SESSION_BYTES = 16;

export async function deriveClientId(publicKey: Uint8Array, session: Uint8Array): Promise<number> {
  const hash = await sha256(concatBytes(publicKey, session));
  let id = 0;
  // 53 bits: the low 5 bits of byte 0, then six whole bytes. Multiplication keeps it exact.
  id = hash[0]! & 0x1f;
  for (let i = 1; i < 7; i++) id = id * 256 + hash[i]!;
  return id;
}
