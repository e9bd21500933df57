/**
 * Who may create and revoke invites: the governance policy's `whoMayInvite` (moderators by
 * default), in good standing. Every caller (reducer, UI) asks this one function.
 */
import type { MemberId } from '../../shared/ids';
import { holdsRole, isInGoodStanding } from '../governance/policy';
import type { CommunityState, Invite } from '../state';

export function canInvite(state: CommunityState, member: MemberId): boolean {
  return isInGoodStanding(state, member) && holdsRole(state, member, state.policy.whoMayInvite);
}

/** Whoever may invite may revoke any invite; a member may always revoke their own. */
export function canRevokeInvite(state: CommunityState, member: MemberId, invite: Invite): boolean {
  return (
    canInvite(state, member) || (invite.createdBy === member && isInGoodStanding(state, member))
  );
}
