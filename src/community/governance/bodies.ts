/**
 * Bodies of the governance event kinds and their well-formedness checks (run at ingest, like
 * every body in ../bodies.ts). Permissions and deadlines are the reducer's business.
 */
import { isBase64urlOfLength } from '../../shared/base64url';
import type { EventId, MemberId } from '../../shared/ids';
import type { Result } from '../../shared/result';
import { firstError, object, text } from '../bodies';
import { LIMITS } from '../limits';
import { POLICY_LIMITS, type Policy } from './policy';

export type ProposalChange =
  | { type: 'rules.change'; rules: string }
  | { type: 'moderator.add'; member: MemberId }
  | { type: 'moderator.remove'; member: MemberId }
  | { type: 'member.ban'; member: MemberId }
  | { type: 'member.unban'; member: MemberId }
  | { type: 'policy.change'; policy: Policy }
  | { type: 'meta.change'; name: string; description: string };

export type ChangeType = ProposalChange['type'];

export interface ProposalCreateBody {
  change: ProposalChange;
  reason: string;
}

export const VOTE_CHOICES = ['yes', 'no', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

export interface VoteCastBody {
  proposal: EventId;
  choice: VoteChoice;
}

/** post.hide and post.unhide: which post, and why (shown to members and in the log). */
export interface PostModerationBody {
  post: EventId;
  reason: string;
}

const ROLES = ['moderators', 'members'];

const oneOf = (value: unknown, field: string, allowed: readonly string[]) =>
  typeof value === 'string' && allowed.includes(value)
    ? null
    : `${field} is not one of ${allowed.join(', ')}`;

const memberId = (value: unknown) =>
  isBase64urlOfLength(value, 32) ? null : 'member is malformed';

function validatePolicy(value: unknown): string | null {
  const o = object(value, [
    'electorate',
    'threshold',
    'votingPeriod',
    'whoMayInvite',
    'whoMayPropose',
    'showHidden',
  ]);
  if (!o.ok) return `policy: ${o.error}`;
  const p = o.value;
  const { threshold, votingPeriod } = p;
  return (
    oneOf(p.electorate, 'electorate', ROLES) ??
    oneOf(p.whoMayInvite, 'whoMayInvite', ROLES) ??
    oneOf(p.whoMayPropose, 'whoMayPropose', ROLES) ??
    (Number.isSafeInteger(threshold) && (threshold as number) >= 0 && (threshold as number) <= 100
      ? null
      : 'threshold is not a whole percent') ??
    (Number.isSafeInteger(votingPeriod) &&
    (votingPeriod as number) >= POLICY_LIMITS.minVotingPeriod &&
    (votingPeriod as number) <= POLICY_LIMITS.maxVotingPeriod
      ? null
      : 'votingPeriod is out of range') ??
    (typeof p.showHidden === 'boolean' ? null : 'showHidden is not true or false')
  );
}

function validateChange(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'change is not an object';
  const type = (value as { type?: unknown }).type;
  switch (type) {
    case 'rules.change': {
      const o = object(value, ['type', 'rules']);
      return o.ok ? text(o.value.rules, 'rules', 0, LIMITS.rules) : o.error;
    }
    case 'moderator.add':
    case 'moderator.remove':
    case 'member.ban':
    case 'member.unban': {
      const o = object(value, ['type', 'member']);
      return o.ok ? memberId(o.value.member) : o.error;
    }
    case 'policy.change': {
      const o = object(value, ['type', 'policy']);
      return o.ok ? validatePolicy(o.value.policy) : o.error;
    }
    case 'meta.change': {
      const o = object(value, ['type', 'name', 'description']);
      if (!o.ok) return o.error;
      return (
        text(o.value.name, 'name', 1, LIMITS.communityName) ??
        text(o.value.description, 'description', 0, LIMITS.description)
      );
    }
    default:
      return 'change type is unknown';
  }
}

export function validateProposalCreate(body: unknown): Result<void> {
  const o = object(body, ['change', 'reason']);
  if (!o.ok) return o;
  return firstError(
    validateChange(o.value.change),
    text(o.value.reason, 'reason', 1, POLICY_LIMITS.reason),
  );
}

export function validateVoteCast(body: unknown): Result<void> {
  const o = object(body, ['proposal', 'choice']);
  if (!o.ok) return o;
  return firstError(
    isBase64urlOfLength(o.value.proposal, 32) ? null : 'proposal is malformed',
    oneOf(o.value.choice, 'choice', VOTE_CHOICES),
  );
}

export function validatePostModeration(body: unknown): Result<void> {
  const o = object(body, ['post', 'reason']);
  if (!o.ok) return o;
  return firstError(
    isBase64urlOfLength(o.value.post, 32) ? null : 'post is malformed',
    text(o.value.reason, 'reason', 1, POLICY_LIMITS.reason),
  );
}
