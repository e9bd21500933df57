/**
 * Admission is checked when a connection opens; this keeps it true while it lasts. When the
 * state changes so that a connected member is out (banned, or their join refused after all),
 * the connection is dropped and that peer refused for the session: it receives nothing new.
 */
import type { CommunityDoc } from '../../community/community-doc';
import { noLongerWelcome } from '../../community/invites/standing';
import type { Mesh } from '../../mesh/types';
import type { MemberId } from '../../shared/ids';

export function evictOutsiders(cdoc: CommunityDoc, mesh: Mesh): () => void {
  return cdoc.subscribe(() => {
    const peers = mesh.status().peers.filter((p) => p.member !== undefined);
    const out = new Set(
      noLongerWelcome(
        cdoc.state(),
        peers.map((p) => p.member as MemberId),
      ),
    );
    for (const peer of peers)
      if (out.has(peer.member as MemberId)) mesh.refusePeer(peer.id, 'no longer a member');
  });
}
