/** The governance part of the community state: plain data the reducer derives. */
import type { EventId, MemberId } from '../../shared/ids';
import type { ProposalChange, VoteChoice } from './bodies';
import { DEFAULT_POLICY, type Policy, type Role } from './policy';

export interface Vote {
  /** The vote.cast event that counts (the voter's latest before the deadline). */
  id: EventId;
  choice: VoteChoice;
  at: number;
}

export type ProposalStatus = 'open' | 'passed' | 'failed';

export interface Proposal {
  id: EventId;
  author: MemberId;
  at: number;
  deadline: number;
  reason: string;
  change: ProposalChange;
  /** Who could vote, frozen when the proposal was made, sorted. */
  electorate: MemberId[];
  electorateRole: Role;
  /** Yes-votes needed to pass, from the policy's threshold when the proposal was made. */
  needed: number;
  votes: Map<MemberId, Vote>;
  status: ProposalStatus;
  /** The vote that decided it, and that vote's time; null while open. */
  decidedBy: EventId | null;
  decidedAt: number | null;
  /** Why a passed change did not take effect (e.g. the member had already left), if it did not. */
  noEffect: string | null;
}

export interface Ban {
  member: MemberId;
  proposal: EventId;
  reason: string;
  at: number;
}

export interface HiddenPost {
  post: EventId;
  by: MemberId;
  reason: string;
  at: number;
  /** The post.hide event. */
  id: EventId;
}

/** One line of the public moderation log. Decisions point at their proposal for the votes. */
export type LogEntry =
  | {
      kind: 'post.hide' | 'post.unhide';
      id: EventId;
      by: MemberId;
      at: number;
      reason: string;
      post: EventId;
    }
  | { kind: 'proposal.passed' | 'proposal.failed'; id: EventId; proposal: EventId; at: number };

export interface GovernanceState {
  policy: Policy;
  proposals: Map<EventId, Proposal>;
  bans: Map<MemberId, Ban>;
  hidden: Map<EventId, HiddenPost>;
  /** In causal order; selectors.ts gives it newest first with expired proposals added. */
  log: LogEntry[];
}

export function emptyGovernance(): GovernanceState {
  return {
    policy: { ...DEFAULT_POLICY },
    proposals: new Map(),
    bans: new Map(),
    hidden: new Map(),
    log: [],
  };
}
