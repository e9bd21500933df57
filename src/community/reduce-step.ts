/**
 * One new event applied to a derived state without deriving it again (issue 6 item 9c).
 *
 * Safe only where it gives exactly what `derive` would: the event follows every event of the
 * order (its deps name all the order's heads, so it sorts last on every peer), no other event
 * waits outside the order (it might be waiting on this one), and it is not dated ahead. Then
 * nothing is concurrent with it and a removal it decides strikes nothing out. Anything else —
 * and kinds that touch join requests, whose index is keyed by the map itself — returns null,
 * and the caller derives from scratch.
 *
 * The state handed out before must not change under the UI, which keeps its objects (a post, a
 * proposal) as props and keys its search index on the posts array: the step works on a new
 * top-level object, and replaces instead of mutating every object or list the event can change.
 */
import type { SignedEvent } from './event';
import { LIMITS } from './limits';
import { applyEvent, newestFirst, type Derivation } from './reducer';
import type { CommunityState } from './state';

export function extend(prev: Derivation, added: SignedEvent, now: number): Derivation | null {
  const { id, event } = added;
  if (prev.waiting > 0 || prev.run.has(id) || event.at > now + LIMITS.futureSkewMs) return null;
  if (prev.run.size > 0 && ![...prev.heads].every((head) => event.deps.includes(head))) return null;
  const state = copyForStep(prev.state, added);
  if (!state) return null;
  prev.run.append(added);
  prev.run.begin();
  const before = state.posts.length;
  applyEvent(state, added, prev.run, prev.run.size - 1);
  if (prev.run.restartNeeded) return null;
  // derive sorts the feed once at the end; here the one new post goes to its place.
  if (state.posts.length === before + 1) insertSorted(state, state.posts.pop()!);
  return { state, run: prev.run, heads: new Set([id]), waiting: 0 };
}

/** A new top-level state, with fresh copies of what `added` may change; null: derive instead. */
function copyForStep(prev: CommunityState, { event }: SignedEvent): CommunityState | null {
  // A waiting joiner's events are held in their join request (invites/hold-until-admitted.ts).
  if (!prev.members.has(event.author) && !prev.bans.has(event.author)) return null;
  const state = { ...prev };
  switch (event.kind) {
    case 'post.create':
      state.posts = prev.posts.slice();
      return state;
    case 'post.edit':
    case 'post.delete': {
      const post = prev.postsById.get(event.body.post);
      if (!post) return state;
      const copy = { ...post, history: post.history.slice() };
      state.postsById.set(post.id, copy);
      state.posts = prev.posts.map((p) => (p === post ? copy : p));
      return state;
    }
    case 'reaction.set': {
      const byEmoji = prev.reactions.get(event.body.post);
      if (byEmoji)
        state.reactions.set(
          event.body.post,
          new Map([...byEmoji].map(([emoji, who]) => [emoji, new Set(who)])),
        );
      return state;
    }
    case 'vote.cast': {
      const proposal = prev.proposals.get(event.body.proposal);
      if (proposal)
        state.proposals.set(proposal.id, { ...proposal, votes: new Map(proposal.votes) });
      // A passed change may rename the community (governance/changes.ts).
      if (prev.meta) state.meta = { ...prev.meta };
      return state;
    }
    case 'profile.set':
      // Name lookups memoise per profiles map (ui/format.ts): a changed profile, a new map.
      state.profiles = new Map(prev.profiles);
      return state;
    case 'post.hide':
    case 'post.unhide':
    case 'proposal.create':
    case 'file.share':
    case 'invite.create':
      return state;
    default:
      return null;
  }
}

function insertSorted(state: CommunityState, post: CommunityState['posts'][number]): void {
  const posts = state.posts;
  let lo = 0;
  let hi = posts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newestFirst(posts[mid]!, post) < 0) lo = mid + 1;
    else hi = mid;
  }
  posts.splice(lo, 0, post);
}
