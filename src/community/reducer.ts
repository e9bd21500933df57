/**
 * The reducer: a pure function from the set of verified events to the community state. It
 * walks events in causal order (order.ts) and checks each one's permission against the state
 * at its own position, so every peer holding the same events derives the same state.
 * Signatures and body shapes were checked at ingest (validate-update.ts); permissions are here.
 */
import type { EventId, MemberId } from '../shared/ids';
import type { MootEvent, SignedEvent } from './event';
import type { EventKind } from './bodies';
import {
  applyInviteCreate,
  applyInviteRevoke,
  applyMemberAdmit,
  applyMemberJoin,
} from './invites/transforms';
import { holdUntilAdmitted } from './invites/hold-until-admitted';
import { asMember } from './devices/resolve';
import { emptyDevices } from './devices/state';
import { applyDeviceAdd, applyDeviceLink, applyDeviceRevoke } from './devices/transforms';
import { hidePost, unhidePost } from './governance/moderation';
import { createProposal } from './governance/proposals';
import { ReductionRun } from './governance/run';
import { emptyGovernance } from './governance/state';
import { castVote } from './governance/votes';
import { createPost, deletePost, editPost, setReaction } from './discussions/transforms';
import { applyFileShare } from './files/manifest';
import { causalOrdering } from './order';
import type { CommunityState, Post } from './state';

export function emptyState(): CommunityState {
  return {
    meta: null,
    rules: '',
    members: new Map(),
    moderators: new Set(),
    profiles: new Map(),
    invites: new Map(),
    joinRequests: new Map(),
    posts: [],
    files: new Map(),
    postsById: new Map(),
    reactions: new Map(),
    ...emptyGovernance(),
    ...emptyDevices(),
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
  'file.share': applyFileShare,
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
  'invite.create': applyInviteCreate,
  'invite.revoke': applyInviteRevoke,
  'member.join': applyMemberJoin,
  'member.admit': applyMemberAdmit,
  'device.link': applyDeviceLink,
  'device.add': applyDeviceAdd,
  'device.revoke': applyDeviceRevoke,
  'profile.set': (state, e) => {
    if (!isMember(state, e.author)) return;
    state.profiles.set(e.author, { name: e.body.name, bio: e.body.bio, updatedAt: e.at });
  },
  'post.create': createPost,
  'post.edit': editPost,
  'post.delete': deletePost,
  'reaction.set': setReaction,
  'proposal.create': createProposal,
  'vote.cast': castVote,
  'post.hide': hidePost,
  'post.unhide': unhidePost,
};

// A waiting joiner's events wait for their admission (invites/hold-until-admitted.ts).
const transform = holdUntilAdmitted(transforms);

/**
 * A derived state with what deriving it learned: the run (each applied event's place in the
 * order), the heads of that order, and how many events wait outside it (a missing dep, or
 * dated ahead). reduce-step.ts extends it by one event without starting over.
 */
export interface Derivation {
  state: CommunityState;
  run: ReductionRun;
  heads: Set<EventId>;
  waiting: number;
}

export function reduce(events: ReadonlyMap<EventId, SignedEvent>, now: number): CommunityState {
  return derive(events, now).state;
}

export function derive(events: ReadonlyMap<EventId, SignedEvent>, now: number): Derivation {
  const ordering = causalOrdering(events, now);
  const order = ordering.ordered;
  // A removal can strike out events already applied; then the pass starts over (governance/run.ts).
  const run = new ReductionRun(ordering);
  for (;;) {
    const state = emptyState();
    run.begin();
    for (let position = 0; position < order.length; position++) {
      applyEvent(state, order[position]!, run, position);
      if (run.restartNeeded) break;
    }
    if (run.restartNeeded) continue;
    state.posts.sort(newestFirst);
    return { state, run, heads: new Set(run.heads()), waiting: events.size - order.length };
  }
}

/** Applies one event at its place (`position`) in `run`'s order, if it is applied at all. */
export function applyEvent(
  state: CommunityState,
  { id, event: signed }: SignedEvent,
  run: ReductionRun,
  position: number,
) {
  // A device's event is its member's; a revoked device's is nobody's (devices/resolve.ts).
  const event = asMember(state, signed);
  if (!event || !run.admits(state, position, id, event)) return;
  transform(state, event, id, run);
}

/** The feed's order: newest first, ties by id. */
export const newestFirst = (a: Post, b: Post) => b.at - a.at || (a.id < b.id ? -1 : 1);
