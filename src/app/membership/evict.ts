/**
 * Admission is checked when a connection opens; this keeps it true while it lasts. When the
 * state changes so that a connected member is out (banned, their join refused after all, or
 * the device they connect with revoked), the connection is dropped and that peer refused for
 * the session: it receives nothing new.
 */
import type { CommunityDoc } from '../../community/community-doc';
import { deviceNoLongerWelcome } from '../../community/devices/standing';
import { noLongerWelcome } from '../../community/invites/standing';
import type { Mesh } from '../../mesh/types';
import type { MemberId } from '../../shared/ids';

export function evictOutsiders(cdoc: CommunityDoc, mesh: Mesh): () => void {
  return cdoc.subscribe(() => {
    const state = cdoc.state();
    const peers = mesh.status().peers.filter((p) => p.member !== undefined);
    const out = new Set(
      noLongerWelcome(
        state,
        peers.map((p) => p.member as MemberId),
      ),
    );
    for (const peer of peers) {
      const key = peer.member as MemberId;
      if (out.has(key)) mesh.refusePeer(peer.id, 'no longer a member');
      else if (deviceNoLongerWelcome(state, key))
        mesh.refusePeer(peer.id, 'device no longer welcome');
    }
  });
}
