/**
 * The app side of the admission handshake (mesh/admission.ts) for one community: we say who we
 * are and show our join (a newcomer, or a member others may not know yet) or, on a linked
 * device, our device.add; sign transcripts bound to the community id; and let in only peers
 * that prove a key in good standing (a member's, or a live device's) — or a newcomer whose
 * signed join or device.add is through an invite or device link that is live now, by our clock.
 * A banned member (or one of their devices) is refused as `banned`, with the ban's reason and
 * decision: nothing else, as no refused peer is welcomed, so the mesh starts no sync with it.
 */
import type { CommunityDoc } from '../../community/community-doc';
import type { SignedEvent } from '../../community/event';
import type { Identity } from '../../community/identity';
import { signAdmission, verifyAdmission } from '../../community/invites/admission-proof';
import { decodeCredential, encodeCredential } from '../../community/invites/credential';
import { decodeDeviceCredential, encodeDeviceCredential } from '../../community/devices/credential';
import { deviceOwner, judgeDevice } from '../../community/devices/standing';
import { judgePeer } from '../../community/invites/standing';
import { banDetail } from '../../community/governance/ban-refusal';
import type { JoinRefusal } from '../../community/invites/invite-status';
import type { AdmissionHooks, Refusal } from '../../mesh/admission';
import type { MemberId } from '../../shared/ids';
import { err, ok, type Err } from '../../shared/result';

/** Our own join (the one our state tracks, else the latest) and an admission of it, if any. */
function ourCredential(cdoc: CommunityDoc): Uint8Array | null {
  const me = cdoc.me;
  const tracked = cdoc.state().joinRequests.get(me)?.join;
  let join: SignedEvent | undefined = tracked ? cdoc.events.get(tracked) : undefined;
  if (!join) {
    for (const e of cdoc.events.values())
      if (
        e.event.kind === 'member.join' &&
        e.event.author === me &&
        (!join || e.event.at > join.event.at)
      )
        join = e;
  }
  if (!join) return ourDeviceCredential(cdoc);
  let admit: SignedEvent | null = null;
  for (const e of cdoc.events.values()) {
    if (e.event.kind === 'member.admit' && e.event.body.join === join.id) {
      admit = e;
      break;
    }
  }
  return encodeCredential(join, admit);
}

/** On a linked device: the device.add this browser wrote (a browser links itself once). */
function ourDeviceCredential(cdoc: CommunityDoc): Uint8Array | null {
  for (const e of cdoc.events.values())
    if (e.event.kind === 'device.add' && e.event.author === cdoc.me)
      return encodeDeviceCredential(e);
  return null;
}

/** A refusal for `owner`'s key; a ban carries its reason and decision, for one who missed it. */
function refusal(cdoc: CommunityDoc, owner: MemberId, code: JoinRefusal): Err<Refusal> {
  const ban = code === 'banned' ? cdoc.state().bans.get(owner) : undefined;
  return err(ban ? { reason: code, detail: banDetail(ban) } : { reason: code });
}

export function admissionHooks(cdoc: CommunityDoc, identity: Identity): AdmissionHooks {
  return {
    hello: async () => ({ member: identity.memberId, credential: ourCredential(cdoc) }),
    sign: (transcript) => signAdmission(identity, cdoc.community, transcript),
    async admit(claim) {
      if (!(await verifyAdmission(claim.member, cdoc.community, claim.transcript, claim.signature)))
        return err('bad-proof');
      const member = claim.member as MemberId;
      const device = claim.credential
        ? await decodeDeviceCredential(claim.credential, member, cdoc.community)
        : ok(null);
      if (!device.ok) return err('bad-proof');
      const asDevice = judgeDevice(cdoc.state(), member, device.value, Date.now());
      if (asDevice) {
        if (asDevice.ok) return ok(undefined);
        return refusal(cdoc, deviceOwner(cdoc.state(), member, device.value), asDevice.error);
      }
      let credential = null;
      if (claim.credential && !device.value) {
        const decoded = await decodeCredential(claim.credential, member, cdoc.community);
        if (!decoded.ok) return err('bad-proof');
        credential = decoded.value;
      }
      const standing = judgePeer(cdoc.state(), member, credential, Date.now());
      return standing.ok ? ok(undefined) : refusal(cdoc, member, standing.error);
    },
  };
}
