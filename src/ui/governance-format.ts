/** Words for governance on screen: what a proposal would do, time left, policy. Pure. */
import type { ProposalChange } from '../community/governance/bodies';
import type { Policy } from '../community/governance/policy';
import type { MemberId } from '../shared/ids';

export const CHANGE_LABELS: Record<ProposalChange['type'], string> = {
  'rules.change': 'Change the rules',
  'moderator.add': 'Make a member a moderator',
  'moderator.remove': 'Remove a moderator',
  'member.ban': 'Ban a member',
  'member.unban': 'Lift a ban',
  'policy.change': 'Change how decisions are made',
  'meta.change': 'Rename or describe the community',
};

/** One line saying what the proposal would do, naming members by display name. */
export function describeChange(change: ProposalChange, nameOf: (m: MemberId) => string): string {
  switch (change.type) {
    case 'rules.change':
      return 'Change the rules';
    case 'moderator.add':
      return `Make ${nameOf(change.member)} a moderator`;
    case 'moderator.remove':
      return `Remove ${nameOf(change.member)} as a moderator`;
    case 'member.ban':
      return `Ban ${nameOf(change.member)}`;
    case 'member.unban':
      return `Lift the ban on ${nameOf(change.member)}`;
    case 'policy.change':
      return 'Change how decisions are made';
    case 'meta.change':
      return `Call the community “${change.name}”`;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 days left", "5 h left", "12 min left", "less than a minute left", or "voting closed". */
export function timeLeft(deadline: number, now: number): string {
  const left = deadline - now;
  if (left <= 0) return 'voting closed';
  if (left < MINUTE) return 'less than a minute left';
  if (left < HOUR) return `${Math.floor(left / MINUTE)} min left`;
  if (left < 2 * DAY) return `${Math.floor(left / HOUR)} h left`;
  return `${Math.floor(left / DAY)} days left`;
}

export function describePeriod(ms: number): string {
  if (ms % DAY === 0) return ms === DAY ? '1 day' : `${ms / DAY} days`;
  if (ms % HOUR === 0) return ms === HOUR ? '1 hour' : `${ms / HOUR} hours`;
  return `${Math.round(ms / MINUTE)} minutes`;
}

const ROLE_WORDS = { moderators: 'the moderators', members: 'every member' } as const;

/** The policy as sentences, for the Policy panel and for policy.change proposals. */
export function describePolicy(policy: Policy): string[] {
  return [
    `Who votes: ${ROLE_WORDS[policy.electorate]}.`,
    policy.threshold >= 100
      ? 'A proposal passes when everyone who may vote says yes.'
      : `A proposal passes when more than ${policy.threshold}% of those who may vote say yes.`,
    `Voting stays open for ${describePeriod(policy.votingPeriod)}.`,
    `Who may propose: ${ROLE_WORDS[policy.whoMayPropose]}.`,
    `Who may invite: ${ROLE_WORDS[policy.whoMayInvite]}.`,
    policy.showHidden
      ? 'Members may expand a post a moderator hid.'
      : 'Posts a moderator hid stay hidden from members.',
  ];
}
