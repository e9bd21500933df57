/**
 * Admission is checked when a connection opens; this keeps it true while it lasts. When the
 * state changes so that a connected member is out (banned, their join refused after all, or
 * the device they connect with revoked), the connection is dropped and that peer refused for
 * the session: it receives nothing new.
 *
 * A ban is dropped after a short grace (BAN_NOTICE_MS), not at once. The state changes inside
 * the Yjs transaction that brought the deciding vote, before the mesh sends that update on:
 * dropping the member there would keep the decision itself from them, and their browser could
 * never tell them they were banned or why. In the grace they receive the decision and what is
 * written in those seconds; anything they send is ignored by every honest reducer (their events
 * after or concurrent with the ban are struck out, community/governance/run.ts).
 */
import type { CommunityDoc } from '../../community/community-doc';
import { deviceNoLongerWelcome } from '../../community/devices/standing';
import { noLongerWelcome } from '../../community/invites/standing';
import type { Mesh } from '../../mesh/types';
import type { MemberId, PeerId } from '../../shared/ids';

export const BAN_NOTICE_MS = 2_000;

export function evictOutsiders(cdoc: CommunityDoc, mesh: Mesh): () => void {
  const leaving = new Map<PeerId, ReturnType<typeof setTimeout>>();
  const unsubscribe = cdoc.subscribe(() => {
    const peers = mesh.status().peers.filter((p) => p.member !== undefined);
    const state = cdoc.state();
    const out = new Set(
      noLongerWelcome(
        state,
        peers.map((p) => p.member as MemberId),
      ),
    );
    for (const peer of peers) {
      const key = peer.member as MemberId;
      if (leaving.has(peer.id)) continue;
      const gone = out.has(key) || deviceNoLongerWelcome(state, key);
      if (!gone) continue;
      // A device speaks for its member: their ban is its ban (revoked or not).
      const banned = state.bans.has(state.devices.get(key)?.member ?? key);
      const why = banned ? 'banned' : out.has(key) ? 'no longer a member' : 'device revoked';
      const refuse = () => {
        leaving.delete(peer.id);
        mesh.refusePeer(peer.id, why);
      };
      if (!banned) refuse();
      else leaving.set(peer.id, setTimeout(refuse, BAN_NOTICE_MS));
    }
  });
  return () => {
    unsubscribe();
    for (const timer of leaving.values()) clearTimeout(timer);
  };
}
