/**
 * The reducer's transforms for invites and admission (DESIGN.md §5, docs/membership.md).
 *
 * A join does not make a member by itself: its `at` is the joiner's clock and could be
 * backdated past an expiry. A member.admit by an existing member — written by a peer that
 * checked the invite against its own clock at the admission handshake — is what admits it, and
 * the expiry is checked against the admitter's `at`. Uses are counted at the admissions, in
 * causal order, so concurrent joins racing for the last use resolve the same way on every peer.
 */
import type { EventId } from '../../shared/ids';
import type { MootEvent } from '../event';
import { isInGoodStanding } from '../governance/policy';
import type { CommunityState } from '../state';
import { canInvite, canRevokeInvite } from './can-invite';
import { inviteProblem } from './invite-status';
import type { JoinRequest } from './state';

export function applyInviteCreate(
  state: CommunityState,
  e: MootEvent<'invite.create'>,
  id: EventId,
): void {
  if (!canInvite(state, e.author)) return;
  state.invites.set(id, {
    id,
    publicKey: e.body.publicKey,
    label: e.body.label,
    createdBy: e.author,
    createdAt: e.at,
    expiresAt: e.body.expiresAt,
    maxUses: e.body.maxUses,
    uses: 0,
    revoked: false,
  });
}

export function applyInviteRevoke(state: CommunityState, e: MootEvent<'invite.revoke'>): void {
  const target = e.body.invite;
  if (target === 'all' && !canInvite(state, e.author)) return;
  const one = target === 'all' ? undefined : state.invites.get(target);
  const invites = target === 'all' ? [...state.invites.values()] : one ? [one] : [];
  for (const invite of invites) {
    if (!canRevokeInvite(state, e.author, invite)) continue;
    invite.revoked = true;
    for (const request of state.joinRequests.values()) {
      if (request.invite === invite.id && request.status === 'waiting') {
        request.status = 'refused';
        request.refusal = 'invite-revoked';
      }
    }
  }
}

export function applyMemberJoin(
  state: CommunityState,
  e: MootEvent<'member.join'>,
  id: EventId,
): void {
  if (state.members.has(e.author)) return;
  const invite = state.invites.get(e.body.invite);
  const request: JoinRequest = {
    member: e.author,
    join: id,
    invite: e.body.invite,
    status: 'waiting',
    refusal: null,
    admittedBy: null,
    held: state.joinRequests.get(e.author)?.held ?? [],
  };
  // Expiry waits for the admission: the join's own time is the joiner's word.
  const refusal =
    !invite || invite.publicKey !== e.body.invitePublicKey
      ? 'invite-unknown'
      : invite.revoked
        ? 'invite-revoked'
        : invite.maxUses !== null && invite.uses >= invite.maxUses
          ? 'invite-used-up'
          : null;
  if (refusal) {
    request.status = 'refused';
    request.refusal = refusal;
  }
  state.joinRequests.set(e.author, request);
  indexRequest(state, request);
}

/** Join id → request, per derived state's map, so admissions do not scan every request. */
const byJoin = new WeakMap<CommunityState['joinRequests'], Map<EventId, JoinRequest>>();

function indexRequest(state: CommunityState, request: JoinRequest): void {
  let index = byJoin.get(state.joinRequests);
  if (!index) byJoin.set(state.joinRequests, (index = new Map()));
  index.set(request.join, request);
}

export function requestForJoin(state: CommunityState, join: EventId): JoinRequest | undefined {
  const request = byJoin.get(state.joinRequests)?.get(join);
  // A later join by the same key replaces the request: an older join id no longer counts.
  return request && state.joinRequests.get(request.member) === request ? request : undefined;
}

export function applyMemberAdmit(state: CommunityState, e: MootEvent<'member.admit'>): void {
  // The admission must come after the join it vouches for, from someone already inside.
  if (!e.deps.includes(e.body.join) || !isInGoodStanding(state, e.author)) return;
  const request = requestForJoin(state, e.body.join);
  if (!request || request.status === 'admitted' || request.member === e.author) return;
  if (request.refusal === 'invite-unknown') return;
  const invite = state.invites.get(request.invite);
  if (!invite) return;
  const problem = inviteProblem(invite, e.at);
  if (problem) {
    request.status = 'refused';
    request.refusal = problem;
    return;
  }
  invite.uses++;
  request.status = 'admitted';
  request.refusal = null;
  request.admittedBy = e.author;
  state.members.set(request.member, { id: request.member, joinedAt: e.at, invite: invite.id });
}
