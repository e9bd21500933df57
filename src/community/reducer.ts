/**
 * The reducer: a pure function from the set of verified events to the community state. It
 * walks events in causal order (order.ts) and checks each one's permission against the state
 * at its own position, so every peer holding the same events derives the same state.
 * Signatures and body shapes were checked at ingest (validate-update.ts); permissions are here.
 */
import type { EventId, MemberId } from '../shared/ids';
import type { MootEvent, SignedEvent } from './event';
import type { EventKind } from './bodies';
import { hidePost, unhidePost } from './governance/moderation';
import { createProposal } from './governance/proposals';
import { ReductionRun } from './governance/run';
import { emptyGovernance } from './governance/state';
import { castVote } from './governance/votes';
import { causalOrder } from './order';
import type { CommunityState } from './state';

export function emptyState(): CommunityState {
  return {
    meta: null,
    rules: '',
    members: new Map(),
    moderators: new Set(),
    profiles: new Map(),
    invites: new Map(),
    posts: [],
    ...emptyGovernance(),
  };
}

type Transform<K extends EventKind> = (
  state: CommunityState,
  event: MootEvent<K>,
  id: EventId,
  run: ReductionRun,
) => void;

const isMember = (state: CommunityState, who: MemberId) => state.members.has(who);

const transforms: { [K in EventKind]: Transform<K> } = {
  'community.create': (state, e) => {
    if (state.meta) return; // the first genesis in causal order wins
    state.meta = {
      id: e.community,
      name: e.body.name,
      description: e.body.description,
      founder: e.author,
      createdAt: e.at,
    };
    state.rules = e.body.rules;
    state.members.set(e.author, { id: e.author, joinedAt: e.at, invite: null });
    state.moderators.add(e.author);
  },
  'invite.create': (state, e, id) => {
    if (!state.moderators.has(e.author)) return;
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
  },
  'member.join': (state, e) => {
    if (isMember(state, e.author)) return;
    const invite = state.invites.get(e.body.invite);
    if (!invite || invite.revoked || invite.publicKey !== e.body.invitePublicKey) return;
    if (invite.expiresAt !== null && e.at > invite.expiresAt) return;
    if (invite.maxUses !== null && invite.uses >= invite.maxUses) return;
    invite.uses++;
    state.members.set(e.author, { id: e.author, joinedAt: e.at, invite: invite.id });
  },
  'profile.set': (state, e) => {
    if (!isMember(state, e.author)) return;
    state.profiles.set(e.author, { name: e.body.name, bio: e.body.bio, updatedAt: e.at });
  },
  'post.create': (state, e, id) => {
    if (!isMember(state, e.author)) return;
    state.posts.push({ id, author: e.author, text: e.body.text, at: e.at });
  },
  'proposal.create': createProposal,
  'vote.cast': castVote,
  'post.hide': hidePost,
  'post.unhide': unhidePost,
};

export function reduce(events: ReadonlyMap<EventId, SignedEvent>, now: number): CommunityState {
  const order = causalOrder(events, now);
  // A removal can strike out events already applied; then the pass starts over (governance/run.ts).
  const run = new ReductionRun(order);
  for (;;) {
    const state = emptyState();
    run.begin();
    for (const { id, event } of order) {
      if (!run.admits(state, id, event)) continue;
      (transforms[event.kind] as Transform<EventKind>)(state, event, id, run);
      if (run.restartNeeded) break;
    }
    if (run.restartNeeded) continue;
    state.posts.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
    return state;
  }
}
