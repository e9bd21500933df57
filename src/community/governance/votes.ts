/**
 * vote.cast: a voter's latest vote (in causal order) counts while the proposal is open. A vote
 * counts only from someone in the proposal's frozen electorate who still holds the role that
 * put them there, and only if its effective time (run.ts) is not after the deadline.
 */
import type { EventId } from '../../shared/ids';
import type { MootEvent } from '../event';
import type { CommunityState } from '../state';
import { applyChange } from './changes';
import { holdsRole } from './policy';
import type { ReductionRun } from './run';
import { decide } from './tally';

export function castVote(
  state: CommunityState,
  e: MootEvent<'vote.cast'>,
  id: EventId,
  run: ReductionRun,
): void {
  const proposal = state.proposals.get(e.body.proposal);
  if (!proposal || proposal.status !== 'open') return;
  if (!proposal.electorate.includes(e.author)) return;
  if (!holdsRole(state, e.author, proposal.electorateRole)) return;
  if (run.effectiveAt(id) > proposal.deadline) return;
  proposal.votes.set(e.author, { id, choice: e.body.choice, at: e.at });

  const outcome = decide(proposal);
  if (!outcome) return;
  proposal.status = outcome;
  proposal.decidedBy = id;
  proposal.decidedAt = e.at;
  if (outcome === 'passed') proposal.noEffect = applyChange(state, proposal, id, run);
  state.log.push({ kind: `proposal.${outcome}`, id, proposal: proposal.id, at: e.at });
}
