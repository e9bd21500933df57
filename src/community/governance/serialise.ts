/** Whole community states as comparable strings, for convergence tests. Imported only by tests. */
import type { CommunityState } from '../state';

const sorted = <V>(m: ReadonlyMap<string, V>) =>
  [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

export function serialiseGovernance(state: CommunityState): string {
  return JSON.stringify({
    meta: state.meta,
    rules: state.rules,
    members: sorted(state.members),
    moderators: [...state.moderators].sort(),
    profiles: sorted(state.profiles),
    invites: sorted(state.invites),
    posts: state.posts,
    policy: state.policy,
    proposals: sorted(state.proposals).map(([id, p]) => [id, { ...p, votes: sorted(p.votes) }]),
    bans: sorted(state.bans),
    hidden: sorted(state.hidden),
    log: state.log,
  });
}
