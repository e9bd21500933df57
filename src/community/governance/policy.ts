/**
 * A community's governance policy (DESIGN.md §6) and the arithmetic of its threshold. The
 * policy starts as DEFAULT_POLICY at genesis and changes only through a passed policy.change.
 */
import type { MemberId } from '../../shared/ids';
import type { CommunityState } from '../state';

export type Role = 'moderators' | 'members';

export interface Policy {
  /** Who votes on proposals: the moderators or every member. */
  electorate: Role;
  /**
   * Percent (0–100, whole): a proposal passes once its yes-votes are more than this share of
   * its electorate; 100 means every voter. Integers only, because signed events are.
   */
  threshold: number;
  /** Milliseconds from a proposal's `at` to its deadline. */
  votingPeriod: number;
  whoMayInvite: Role;
  whoMayPropose: Role;
  /** Whether members may expand a post a moderator has hidden. */
  showHidden: boolean;
}

const DAY = 24 * 3_600_000;

export const POLICY_LIMITS = {
  minVotingPeriod: 60_000,
  maxVotingPeriod: 90 * DAY,
  reason: 1_000,
} as const;

export const DEFAULT_POLICY: Policy = {
  electorate: 'moderators',
  threshold: 50,
  votingPeriod: 7 * DAY,
  whoMayInvite: 'moderators',
  whoMayPropose: 'members',
  showHidden: true,
};

/** Yes-votes a proposal needs: the fewest that are more than `threshold`% of `electorate`. */
export function votesNeeded(electorate: number, threshold: number): number {
  return Math.min(electorate, Math.floor((electorate * threshold) / 100) + 1);
}

export function holdsRole(state: CommunityState, who: MemberId, role: Role): boolean {
  return role === 'moderators' ? state.moderators.has(who) : state.members.has(who);
}

/** The electorate as it stands now, sorted, to be frozen into a new proposal. */
export function currentElectorate(state: CommunityState): MemberId[] {
  const role = state.policy.electorate;
  return [...(role === 'moderators' ? state.moderators : state.members.keys())].sort();
}

/** A member who may take part: joined (or founded) and not banned. Admission calls this. */
export function isInGoodStanding(state: CommunityState, member: MemberId): boolean {
  return state.members.has(member) && !state.bans.has(member);
}
