/**
 * A join is counter-signed with the invite key: proof that the joiner held the link. The proof
 * binds community, member and invite, so it cannot be lifted onto another key or community.
 */
import { fromBase64url, toBase64url } from '../shared/base64url';
import { encodeCanonical } from '../shared/canonical';
import type { CommunityId, EventId, MemberId } from '../shared/ids';
import { sign, verifySignature, type Identity } from './identity';
import type { MootEvent } from './event';

function joinProofBytes(community: CommunityId, member: MemberId, invite: EventId): Uint8Array {
  return encodeCanonical({ purpose: 'moot/join/v1', community, member, invite });
}

export async function signJoinProof(
  inviteKey: Identity,
  community: CommunityId,
  member: MemberId,
  invite: EventId,
): Promise<string> {
  return toBase64url(await sign(inviteKey.privateKey, joinProofBytes(community, member, invite)));
}

export async function verifyJoinProof(event: MootEvent<'member.join'>): Promise<boolean> {
  const key = fromBase64url(event.body.invitePublicKey);
  const proof = fromBase64url(event.body.proof);
  if (!key || !proof) return false;
  return verifySignature(
    key,
    joinProofBytes(event.community, event.author, event.body.invite),
    proof,
  );
}
