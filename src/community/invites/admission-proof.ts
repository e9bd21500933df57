/**
 * The community side of the admission handshake's signature: the mesh's transcript (roles,
 * members, both nonces) bound to one community, so a proof made for one community is refused
 * by another even when the same key is a member of both.
 */
import { fromBase64url } from '../../shared/base64url';
import { concatBytes, utf8 } from '../../shared/bytes';
import type { CommunityId } from '../../shared/ids';
import { sign, verifySignature, type Identity } from '../identity';

const admissionBytes = (community: CommunityId, transcript: Uint8Array) =>
  concatBytes(utf8(`moot/admission-proof/v1\n${community}\n`), transcript);

export function signAdmission(
  identity: Identity,
  community: CommunityId,
  transcript: Uint8Array,
): Promise<Uint8Array> {
  return sign(identity.privateKey, admissionBytes(community, transcript));
}

/** False for any malformed member id or signature. */
export async function verifyAdmission(
  member: string,
  community: CommunityId,
  transcript: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const key = fromBase64url(member);
  if (!key) return false;
  return verifySignature(key, admissionBytes(community, transcript), signature);
}
