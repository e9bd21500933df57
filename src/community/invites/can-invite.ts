/**
 * Who may create and revoke invites. Moderators by default; the governance policy's
 * `whoMayInvite` is meant to extend this one function, so every caller (reducer, UI, admission)
 * follows the policy at once.
 */
import type { MemberId } from '../../shared/ids';
import type { CommunityState, Invite } from '../state';

export function canInvite(state: CommunityState, member: MemberId): boolean {
  return state.moderators.has(member);
}

/** Whoever may invite may revoke any invite; a member may always revoke their own. */
export function canRevokeInvite(state: CommunityState, member: MemberId, invite: Invite): boolean {
  return canInvite(state, member) || (invite.createdBy === member && state.members.has(member));
}
