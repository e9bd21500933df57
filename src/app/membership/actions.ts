/** The CommunityHandle's membership methods: invites, revocation, and why a join was refused. */
import type { CommunityDoc } from '../../community/community-doc';
import { identityFromSeed } from '../../community/identity';
import { memberOf } from '../../community/devices/resolve';
import { canInvite } from '../../community/invites/can-invite';
import { encodeInviteLink } from '../../community/invite-link';
import { LIMITS } from '../../community/limits';
import { randomBytes } from '../../shared/bytes';
import type { EventId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import { saveInviteSeed } from '../../store/invite-seed-store';
import type { JoinedCommunity } from '../../store/registry-store';
import type { CommunityHandle, NewInvite } from '../../ui/api';
import { describeError } from '../errors';
import type { MembershipKeeper } from './keeper';

type MembershipActions = Pick<
  CommunityHandle,
  'createInvite' | 'revokeInvite' | 'inviteLinkFor' | 'joinRefusal' | 'banHint'
>;

export function membershipActions(
  cdoc: CommunityDoc,
  entry: JoinedCommunity,
  keeper: MembershipKeeper,
  origin: string,
): MembershipActions {
  const linkFor = (invite: EventId, seed: Uint8Array) =>
    encodeInviteLink(origin, {
      community: entry.id,
      secret: entry.secret,
      inviteSeed: seed,
      inviteEvent: invite,
      relays: entry.relays,
    });

  return {
    async createInvite(input: NewInvite): Promise<Result<string>> {
      const label = input.label.trim();
      if ([...label].length > LIMITS.inviteLabel)
        return err(`Keep the label to ${LIMITS.inviteLabel} characters or fewer.`);
      if (!canInvite(cdoc.state(), memberOf(cdoc.state(), cdoc.me)))
        return err('Only moderators can create invite links in this community.');
      try {
        const seed = randomBytes(32);
        const key = await identityFromSeed(seed);
        const expiresAt = input.expiresInMs === null ? null : Date.now() + input.expiresInMs;
        // The seed is kept before the event exists, so the link shows the moment the invite does.
        keeper.seeds.set(key.memberId, seed);
        await saveInviteSeed(entry.id, key.memberId, seed);
        const event = await cdoc.append('invite.create', {
          publicKey: key.memberId,
          label,
          expiresAt,
          maxUses: input.maxUses,
        });
        return ok(linkFor(event.id, seed));
      } catch (e) {
        return err(describeError(e, 'create the invite'));
      }
    },

    async revokeInvite(invite: EventId | 'all'): Promise<Result<void>> {
      try {
        await cdoc.append('invite.revoke', { invite });
        return ok(undefined);
      } catch (e) {
        return err(describeError(e, 'revoke the invite'));
      }
    },

    inviteLinkFor(invite: EventId): string | null {
      const publicKey = cdoc.state().invites.get(invite)?.publicKey;
      const seed = publicKey === undefined ? undefined : keeper.seeds.get(publicKey);
      return seed ? linkFor(invite, seed) : null;
    },

    joinRefusal: () => keeper.joinRefusal(),
    banHint: () => keeper.banHint(),
  };
}
