/**
 * What a passed proposal does, applied at the position of the vote that passed it. Removals
 * (a ban, a demotion) also strike out the removed member's concurrent actions (run.ts).
 */
import type { EventId, MemberId } from '../../shared/ids';
import type { AnyEvent } from '../event';
import type { CommunityState } from '../state';
import { isInGoodStanding } from './policy';
import type { ReductionRun } from './run';
import type { Proposal } from './state';

/**
 * What a moderator could do only as a moderator: hide and unhide; vote where the moderators are
 * the electorate — except on the proposal that removes them, which is already decided; and,
 * when the policy keeps them to moderators, propose, invite, and revoke others' invites. The
 * policy read is the one at the decision: every peer reads the same, so all strike the same.
 */
function moderatorPower(state: CommunityState, deciding: EventId) {
  const policy = state.policy;
  return (event: AnyEvent) => {
    switch (event.kind) {
      case 'post.hide':
      case 'post.unhide':
        return true;
      case 'vote.cast':
        return (
          event.body.proposal !== deciding &&
          state.proposals.get(event.body.proposal)?.electorateRole === 'moderators'
        );
      case 'proposal.create':
        return policy.whoMayPropose === 'moderators';
      case 'invite.create':
        return policy.whoMayInvite === 'moderators';
      case 'invite.revoke': {
        if (policy.whoMayInvite !== 'moderators') return false;
        const target = event.body.invite;
        return target === 'all' || state.invites.get(target)?.createdBy !== event.author;
      }
      default:
        return false;
    }
  };
}

const lastModerator = (state: CommunityState, member: MemberId) =>
  state.moderators.size === 1 && state.moderators.has(member);

/** Applies the change; returns why it had no effect, or null when it took effect. */
export function applyChange(
  state: CommunityState,
  proposal: Proposal,
  decision: EventId,
  run: ReductionRun,
): string | null {
  const change = proposal.change;
  switch (change.type) {
    case 'rules.change':
      state.rules = change.rules;
      return null;
    case 'policy.change':
      state.policy = { ...change.policy };
      return null;
    case 'meta.change':
      if (!state.meta) return 'the community has no name yet';
      state.meta.name = change.name;
      state.meta.description = change.description;
      return null;
    case 'moderator.add':
      if (!isInGoodStanding(state, change.member)) return 'they are no longer a member';
      state.moderators.add(change.member);
      return null;
    case 'moderator.remove':
      if (!state.moderators.has(change.member)) return 'they were no longer a moderator';
      if (lastModerator(state, change.member)) return 'it would leave no moderators';
      state.moderators.delete(change.member);
      run.removeConcurrent(change.member, decision, moderatorPower(state, proposal.id));
      return null;
    case 'member.ban':
      if (!isInGoodStanding(state, change.member)) return 'they were no longer a member';
      if (lastModerator(state, change.member)) return 'it would leave no moderators';
      state.members.delete(change.member);
      state.moderators.delete(change.member);
      state.bans.set(change.member, {
        member: change.member,
        proposal: proposal.id,
        reason: proposal.reason,
        at: proposal.decidedAt ?? proposal.at,
      });
      run.removeConcurrent(change.member, decision, () => true);
      return null;
    case 'member.unban':
      if (!state.bans.delete(change.member)) return 'they were no longer banned';
      return null;
  }
}
