/**
 * Whom an honest peer lets in at the admission handshake, judged on our state and our clock,
 * now (docs/membership.md, "Admission"). Pure: the caller verified the signature and decoded
 * the credential.
 */
import type { MemberId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import { isInGoodStanding } from '../governance/policy';
import type { CommunityState } from '../state';
import type { Credential } from './credential';
import { inviteProblem, type JoinRefusal } from './invite-status';

/**
 * - `bootstrap`: we hold no community yet (a joiner meeting its first member); the peer proved
 *   its key, and its updates are validated like anyone's. Re-judged once the state arrives.
 * - `member`: a member in our state, or one whose credential shows an admission we can check.
 * - `joining`: a newcomer whose join is through an invite that is live now.
 */
export type Standing = 'bootstrap' | 'member' | 'joining';

export function judgePeer(
  state: CommunityState,
  member: MemberId,
  credential: Credential | null,
  now: number,
): Result<Standing, JoinRefusal> {
  if (state.meta === null) return ok('bootstrap');
  // A banned member is out, whatever old join and admission they show.
  if (state.bans.has(member)) return err('banned');
  if (isInGoodStanding(state, member)) return ok('member');
  const request = state.joinRequests.get(member);
  if (request?.status === 'refused' && request.join === credential?.join.id)
    return err(request.refusal ?? 'not-a-member');
  if (!credential) return err('not-a-member');
  const join = credential.join.event;
  const invite = state.invites.get(join.body.invite);
  if (!invite || invite.publicKey !== join.body.invitePublicKey) return err('invite-unknown');
  const admit = credential.admit?.event;
  // Admitted by someone we know, while the invite was live: we are merely behind.
  if (
    admit &&
    admit.author !== member &&
    isInGoodStanding(state, admit.author) &&
    !invite.revoked &&
    (invite.expiresAt === null || admit.at <= invite.expiresAt)
  )
    return ok('member');
  const problem = inviteProblem(invite, now);
  return problem ? err(problem) : ok('joining');
}

/**
 * Connected members our state no longer lets in: banned since, or whose join was refused after
 * all (a revoke or the last use won elsewhere). A newcomer still waiting is not among them.
 */
export function noLongerWelcome(state: CommunityState, connected: MemberId[]): MemberId[] {
  if (state.meta === null) return [];
  return connected.filter(
    (m) =>
      state.bans.has(m) ||
      (!state.members.has(m) && state.joinRequests.get(m)?.status === 'refused'),
  );
}
