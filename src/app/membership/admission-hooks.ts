/**
 * The app side of the admission handshake (mesh/admission.ts) for one community: we say who we
 * are and show our join (a newcomer, or a member others may not know yet), sign transcripts
 * bound to the community id, and let in only peers that prove a key in good standing — or a
 * newcomer whose signed join is through an invite that is live now, by our clock.
 */
import type { CommunityDoc } from '../../community/community-doc';
import type { SignedEvent } from '../../community/event';
import type { Identity } from '../../community/identity';
import { signAdmission, verifyAdmission } from '../../community/invites/admission-proof';
import { decodeCredential, encodeCredential } from '../../community/invites/credential';
import { judgePeer } from '../../community/invites/standing';
import type { AdmissionHooks } from '../../mesh/admission';
import type { MemberId } from '../../shared/ids';
import { err, ok } from '../../shared/result';

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
  if (!join) return null;
  let admit: SignedEvent | null = null;
  for (const e of cdoc.events.values()) {
    if (e.event.kind === 'member.admit' && e.event.body.join === join.id) {
      admit = e;
      break;
    }
  }
  return encodeCredential(join, admit);
}

export function admissionHooks(cdoc: CommunityDoc, identity: Identity): AdmissionHooks {
  return {
    hello: async () => ({ member: identity.memberId, credential: ourCredential(cdoc) }),
    sign: (transcript) => signAdmission(identity, cdoc.community, transcript),
    async admit(claim) {
      if (!(await verifyAdmission(claim.member, cdoc.community, claim.transcript, claim.signature)))
        return err('bad-proof');
      const member = claim.member as MemberId;
      let credential = null;
      if (claim.credential) {
        const decoded = await decodeCredential(claim.credential, member, cdoc.community);
        if (!decoded.ok) return err('bad-proof');
        credential = decoded.value;
      }
      const standing = judgePeer(cdoc.state(), member, credential, Date.now());
      return standing.ok ? ok(undefined) : err(standing.error);
    },
  };
}
