/**
 * Presence over the mesh's `presence` channel: the mesh carries the bytes between admitted
 * peers, presence.ts decides what to believe and what to send on.
 */
import type { CommunityDoc } from '../../community/community-doc';
import type { Identity } from '../../community/identity';
import type { Mesh } from '../../mesh/types';
import { createPresence, type Presence } from './presence';

export function meshPresence(
  cdoc: CommunityDoc,
  identity: Identity,
  mesh: Mesh,
  onChange: () => void,
): Presence {
  const presence = createPresence({
    community: cdoc.community,
    identity,
    state: () => cdoc.state(),
    onChange,
    transport: {
      neighbours: () => mesh.status().peers.map((p) => p.id),
      send: (peer, payload) => void mesh.sendPresence(peer, payload),
      penalize: (peer, reason, weight) => mesh.penalize(peer, reason, weight),
    },
  });
  const offMessage = mesh.on('presence', (peer, payload) => void presence.receive(peer, payload));
  const offAdmitted = mesh.on('peer-admitted', (peer) => presence.peerAdmitted(peer));
  void presence.heartbeat().catch(() => undefined);
  return {
    ...presence,
    destroy() {
      offMessage();
      offAdmitted();
      presence.destroy();
    },
  };
}
