/**
 * Whether an invite can still admit someone, as one pure function shared by the reducer (at an
 * admission's position), the admission handshake (against the clock now) and the UI.
 */
import type { EventId, MemberId } from '../../shared/ids';
import type { CommunityState, Invite } from '../state';

/**
 * Why a join (or a device: `device-*`, devices/) was not let in. Codes travel in handshake
 * refusals; the UI words them. `banned` comes only from the handshake (with the ban's reason,
 * governance/ban-refusal.ts), never from the reducer.
 */
export type JoinRefusal =
  | 'invite-expired'
  | 'invite-revoked'
  | 'invite-used-up'
  | 'invite-unknown'
  | 'not-a-member'
  | 'banned'
  | 'bad-proof'
  | 'device-link-expired'
  | 'device-link-used'
  | 'device-link-unknown'
  | 'device-revoked';

export const JOIN_REFUSALS: readonly JoinRefusal[] = [
  'invite-expired',
  'invite-revoked',
  'invite-used-up',
  'invite-unknown',
  'not-a-member',
  'banned',
  'bad-proof',
  'device-link-expired',
  'device-link-used',
  'device-link-unknown',
  'device-revoked',
];

export const isJoinRefusal = (value: unknown): value is JoinRefusal =>
  (JOIN_REFUSALS as readonly unknown[]).includes(value);

/**
 * Null when `invite` may admit one more member at time `at`; otherwise why not. Revocation is
 * checked first: it is a decision, the others are circumstances.
 */
export function inviteProblem(invite: Invite, at: number): JoinRefusal | null {
  if (invite.revoked) return 'invite-revoked';
  if (invite.expiresAt !== null && at > invite.expiresAt) return 'invite-expired';
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'invite-used-up';
  return null;
}

export type InviteStatus = 'active' | 'expired' | 'revoked' | 'used-up';

export function inviteStatus(invite: Invite, now: number): InviteStatus {
  const problem = inviteProblem(invite, now);
  if (problem === 'invite-revoked') return 'revoked';
  if (problem === 'invite-expired') return 'expired';
  if (problem === 'invite-used-up') return 'used-up';
  return 'active';
}

/** Whether the invite `id` exists in `state` and may admit someone at `now`. */
export function isInviteLive(state: CommunityState, id: EventId, now: number): boolean {
  const invite = state.invites.get(id);
  return invite !== undefined && inviteProblem(invite, now) === null;
}

/**
 * Why `member`'s join does not count, as far as `state` shows at `now`: its recorded refusal,
 * or, while it waits, what stops any honest member from admitting it now. Null for a member,
 * for no join, or for a join that can still be admitted.
 */
export function joinRefusalOf(
  state: CommunityState,
  member: MemberId,
  now: number,
): JoinRefusal | null {
  if (state.members.has(member)) return null;
  const request = state.joinRequests.get(member);
  if (!request) return null;
  if (request.status === 'refused') return request.refusal;
  const invite = state.invites.get(request.invite);
  return invite ? inviteProblem(invite, now) : null;
}
