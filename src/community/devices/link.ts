/**
 * Linking a device, mirroring invites (docs/membership.md, "Devices"): the member publishes
 * `device.link` with the public half of a fresh key pair whose seed goes in a one-time link;
 * the new browser, with its own key, writes `device.add` counter-signed with the link key.
 */
import type { CommunityId, EventId, MemberId } from '../../shared/ids';
import type { CommunityDoc } from '../community-doc';
import type { MootEvent, SignedEvent } from '../event';
import { identityFromSeed } from '../identity';
import { signLinkProof, verifyLinkProof } from '../join-proof';

const PURPOSE = 'moot/device/v1';

/** How long a device link stays usable: long enough to pick up the other device. */
export const DEVICE_LINK_TTL_MS = 30 * 60_000;

/** The link key (from the link's seed) signs that `device` may be added through `link`. */
export async function signDeviceProof(
  linkSeed: Uint8Array,
  community: CommunityId,
  device: MemberId,
  link: EventId,
): Promise<{ publicKey: string; proof: string }> {
  const key = await identityFromSeed(linkSeed);
  return {
    publicKey: key.memberId,
    proof: await signLinkProof(PURPOSE, key, community, device, link),
  };
}

export const verifyDeviceProof = (event: MootEvent<'device.add'>): Promise<boolean> =>
  verifyLinkProof(
    PURPOSE,
    event.body.linkPublicKey,
    event.body.proof,
    event.community,
    event.author,
    event.body.link,
  );

/** The member's side: publishes the link's public key; the caller keeps the seed for the link. */
export async function writeDeviceLink(
  cdoc: CommunityDoc,
  seed: Uint8Array,
  label: string,
  now = Date.now(),
): Promise<SignedEvent> {
  const key = await identityFromSeed(seed);
  return cdoc.append('device.link', {
    publicKey: key.memberId,
    label,
    expiresAt: now + DEVICE_LINK_TTL_MS,
  });
}

/**
 * The new device's side, written before it has synced anything: naming the link as a dep
 * orders it after the link on every peer (the link itself arrives with the first sync).
 */
export async function writeDeviceAdd(
  cdoc: CommunityDoc,
  link: { seed: Uint8Array; event: EventId },
): Promise<SignedEvent> {
  const { publicKey, proof } = await signDeviceProof(
    link.seed,
    cdoc.community,
    cdoc.me,
    link.event,
  );
  return cdoc.append('device.add', { link: link.event, linkPublicKey: publicKey, proof }, [
    link.event,
  ]);
}
