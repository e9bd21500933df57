/**
 * proposal.create: who may propose what, and the proposal it opens. The electorate, the votes
 * needed and the deadline are fixed here, from the state at the proposal's own position.
 */
import type { EventId } from '../../shared/ids';
import type { MootEvent } from '../event';
import type { CommunityState } from '../state';
import type { ProposalChange } from './bodies';
import { currentElectorate, holdsRole, isInGoodStanding, votesNeeded } from './policy';

/** Whether the change makes sense now; a proposal that cannot is not opened at all. */
function applicable(state: CommunityState, change: ProposalChange): boolean {
  switch (change.type) {
    case 'moderator.add':
      return isInGoodStanding(state, change.member) && !state.moderators.has(change.member);
    case 'moderator.remove':
      return state.moderators.has(change.member);
    case 'member.ban':
      return isInGoodStanding(state, change.member);
    case 'member.unban':
      return state.bans.has(change.member);
    case 'rules.change':
    case 'policy.change':
    case 'meta.change':
      return true;
  }
}

export function createProposal(
  state: CommunityState,
  e: MootEvent<'proposal.create'>,
  id: EventId,
): void {
  if (!isInGoodStanding(state, e.author) || !holdsRole(state, e.author, state.policy.whoMayPropose))
    return;
  if (!applicable(state, e.body.change)) return;
  const electorate = currentElectorate(state);
  if (electorate.length === 0) return;
  state.proposals.set(id, {
    id,
    author: e.author,
    at: e.at,
    deadline: e.at + state.policy.votingPeriod,
    reason: e.body.reason,
    change: e.body.change,
    electorate,
    electorateRole: state.policy.electorate,
    needed: votesNeeded(electorate.length, state.policy.threshold),
    votes: new Map(),
    status: 'open',
    decidedBy: null,
    decidedAt: null,
    noEffect: null,
  });
}
