/**
 * Reading governance state for display. The reducer never looks at the clock for deadlines
 * (its state must be the same on every peer); a proposal still open after its deadline is
 * shown as failed here, against the local clock.
 */
import type { EventId, MemberId } from '../../shared/ids';
import type { CommunityState, Post } from '../state';
import { holdsRole } from './policy';
import type { LogEntry, Proposal } from './state';

export type ShownStatus = 'open' | 'passed' | 'failed';

export function shownStatus(proposal: Proposal, now: number): ShownStatus {
  return proposal.status === 'open' && now > proposal.deadline ? 'failed' : proposal.status;
}

/** Open proposals first (soonest deadline first), then the rest newest first. */
export function proposalsForDisplay(state: CommunityState, now: number): Proposal[] {
  const open = (p: Proposal) => shownStatus(p, now) === 'open';
  return [...state.proposals.values()].sort((a, b) => {
    if (open(a) !== open(b)) return open(a) ? -1 : 1;
    if (open(a)) return a.deadline - b.deadline || (a.id < b.id ? -1 : 1);
    return b.at - a.at || (a.id < b.id ? -1 : 1);
  });
}

/** Open proposals `me` may vote on (in the electorate, still in the role) and has not. */
export function awaitingVote(state: CommunityState, me: MemberId, now: number): Proposal[] {
  return [...state.proposals.values()].filter(
    (p) =>
      shownStatus(p, now) === 'open' &&
      p.electorate.includes(me) &&
      !p.votes.has(me) &&
      holdsRole(state, me, p.electorateRole),
  );
}

export type ShownLogEntry =
  LogEntry | { kind: 'proposal.expired'; id: EventId; proposal: EventId; at: number };

/** The public moderation log, newest first, with proposals whose deadline passed unresolved. */
export function moderationLog(state: CommunityState, now: number): ShownLogEntry[] {
  const entries: ShownLogEntry[] = [...state.log];
  for (const p of state.proposals.values()) {
    if (p.status === 'open' && now > p.deadline)
      entries.push({ kind: 'proposal.expired', id: p.id, proposal: p.id, at: p.deadline });
  }
  return entries.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
}

const visibleMemo = new WeakMap<CommunityState, Post[]>();

/**
 * Posts the feed shows: a banned member's posts are left out. Memoised per derived state, so
 * selectors memoised on the posts array (discussions/threads.ts) keep their cache.
 */
export function visiblePosts(state: CommunityState): Post[] {
  if (state.bans.size === 0) return state.posts;
  let posts = visibleMemo.get(state);
  if (!posts)
    visibleMemo.set(state, (posts = state.posts.filter((p) => !state.bans.has(p.author))));
  return posts;
}

/** What a hidden post shows `me`: the reason, and whether they may expand it. */
export function hiddenNotice(
  state: CommunityState,
  post: EventId,
  me: MemberId,
): { reason: string; canExpand: boolean } | null {
  const hidden = state.hidden.get(post);
  if (!hidden) return null;
  return { reason: hidden.reason, canExpand: state.policy.showHidden || state.moderators.has(me) };
}
