/**
 * A join is counter-signed with the invite key, a device's `device.add` with the device link's
 * key: proof that the writer held the link. The proof binds purpose, community, the new key and
 * the link's event, so it cannot be lifted onto another key, community or kind of link.
 */
import { fromBase64url, toBase64url } from '../shared/base64url';
import { encodeCanonical } from '../shared/canonical';
import type { CommunityId, EventId, MemberId } from '../shared/ids';
import { sign, verifySignature, type Identity } from './identity';
import type { MootEvent } from './event';

export type LinkPurpose = 'moot/join/v1' | 'moot/device/v1';

function linkProofBytes(
  purpose: LinkPurpose,
  community: CommunityId,
  member: MemberId,
  invite: EventId,
): Uint8Array {
  return encodeCanonical({ purpose, community, member, invite });
}

/** `linkKey` signs that `member` (the new key) holds the link published by event `link`. */
export async function signLinkProof(
  purpose: LinkPurpose,
  linkKey: Identity,
  community: CommunityId,
  member: MemberId,
  link: EventId,
): Promise<string> {
  return toBase64url(
    await sign(linkKey.privateKey, linkProofBytes(purpose, community, member, link)),
  );
}

export async function verifyLinkProof(
  purpose: LinkPurpose,
  publicKey: string,
  proof: string,
  community: CommunityId,
  member: MemberId,
  link: EventId,
): Promise<boolean> {
  const key = fromBase64url(publicKey);
  const signature = fromBase64url(proof);
  if (!key || !signature) return false;
  return verifySignature(key, linkProofBytes(purpose, community, member, link), signature);
}

export const signJoinProof = (
  inviteKey: Identity,
  community: CommunityId,
  member: MemberId,
  invite: EventId,
): Promise<string> => signLinkProof('moot/join/v1', inviteKey, community, member, invite);

export const verifyJoinProof = (event: MootEvent<'member.join'>): Promise<boolean> =>
  verifyLinkProof(
    'moot/join/v1',
    event.body.invitePublicKey,
    event.body.proof,
    event.community,
    event.author,
    event.body.invite,
  );
