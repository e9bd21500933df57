/**
 * Founding a community and joining one: the first events each person writes.
 */
import * as Y from 'yjs';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { CommunityId, EventId } from '../shared/ids';
import { CommunityDoc } from './community-doc';
import type { SignedEvent } from './event';
import { deriveCommunityId } from './genesis';
import { identityFromSeed, type Identity } from './identity';
import { signJoinProof } from './join-proof';

export interface FoundInput {
  name: string;
  description: string;
  rules: string;
  displayName: string;
}

export interface Founded {
  community: CommunityId;
  secret: Uint8Array;
  inviteSeed: Uint8Array;
  inviteEvent: EventId;
}

/** Writes community.create, the first invite and the founder's profile into an empty doc. */
export async function foundCommunity(
  identity: Identity,
  input: FoundInput,
  doc: Y.Doc,
): Promise<{ founded: Founded; cdoc: CommunityDoc }> {
  const nonce = toBase64url(randomBytes(16));
  const community = (await deriveCommunityId(identity.memberId, nonce))!;
  const cdoc = await CommunityDoc.open(doc, community, identity);
  await cdoc.append('community.create', {
    name: input.name,
    description: input.description,
    rules: input.rules,
    nonce,
  });
  const inviteSeed = randomBytes(32);
  const inviteKey = await identityFromSeed(inviteSeed);
  const invite = await cdoc.append('invite.create', {
    publicKey: inviteKey.memberId,
    label: 'Created with the community',
    expiresAt: null,
    maxUses: null,
  });
  await cdoc.append('profile.set', { name: input.displayName, bio: '' });
  return {
    founded: { community, secret: randomBytes(32), inviteSeed, inviteEvent: invite.id },
    cdoc,
  };
}

/**
 * The join names the invite event as a dep, so it sorts after the invite on every peer even
 * when written before this browser has synced anything. It counts once a member admits it
 * (writeAdmit); the joiner's profile waits for that, so it is not concurrent with the admission.
 */
export async function writeJoin(
  cdoc: CommunityDoc,
  invite: { seed: Uint8Array; event: EventId },
): Promise<SignedEvent> {
  const inviteKey = await identityFromSeed(invite.seed);
  const proof = await signJoinProof(inviteKey, cdoc.community, cdoc.me, invite.event);
  return cdoc.append(
    'member.join',
    { invite: invite.event, invitePublicKey: inviteKey.memberId, proof },
    [invite.event],
  );
}

/** A member vouches for a join it has received while the invite was live by its clock. */
export function writeAdmit(cdoc: CommunityDoc, join: EventId): Promise<SignedEvent> {
  return cdoc.append('member.admit', { join }, [join]);
}
