import { beforeAll, describe, expect, it } from 'vitest';
import type { CommunityId, EventId } from '../shared/ids';
import type { SignedEvent } from './event';
import type { Identity } from './identity';
import { LIMITS } from './limits';
import { reduce } from './reducer';
import {
  admitEvent,
  eventMap,
  joinBody,
  makeEvent,
  makeGenesis,
  makeInviteKey,
  makeMember,
  type TestMember,
} from './test-helpers';

const T0 = 1_700_000_000_000;
const NOW = T0 + 3_600_000;

let founder: TestMember;
let community: CommunityId;
let create: SignedEvent;

beforeAll(async () => {
  founder = await makeMember();
  ({ community, create } = await makeGenesis(founder, T0));
});

/** An invite.create by `author` (the founder unless told) and the key its link would carry. */
async function invite(
  opts: { expiresAt?: number | null; maxUses?: number | null; author?: TestMember } = {},
) {
  const key = await makeInviteKey(opts.expiresAt ?? null, opts.maxUses ?? null);
  const event = await makeEvent(opts.author ?? founder, community, 'invite.create', key.body, {
    deps: [create.id],
    at: T0 + 1,
  });
  return { key: key.key, event };
}

async function join(
  member: TestMember,
  inv: { key: Identity; event: SignedEvent },
  at = T0 + 10,
  inviteId: EventId = inv.event.id,
) {
  return makeEvent(
    member,
    community,
    'member.join',
    await joinBody(inv.key, community, member, inviteId),
    {
      deps: [inviteId],
      at,
    },
  );
}

const post = (member: TestMember, text: string, deps: EventId[], at = T0 + 100) =>
  makeEvent(member, community, 'post.create', { text }, { deps, at });

describe('reduce: founding', () => {
  it('makes the founder the first member and moderator', () => {
    const state = reduce(eventMap(create), NOW);
    expect(state.meta).toMatchObject({
      id: community,
      name: 'Gardeners',
      founder: founder.identity.memberId,
    });
    expect([...state.members.keys()]).toEqual([founder.identity.memberId]);
    expect(state.members.get(founder.identity.memberId)?.invite).toBeNull();
    expect([...state.moderators]).toEqual([founder.identity.memberId]);
  });

  it('derives nothing before the genesis event has arrived', async () => {
    const inv = await invite();
    const state = reduce(eventMap(inv.event), NOW);
    expect(state.meta).toBeNull();
    expect(state.invites.size).toBe(0);
  });
  it('keeps the first genesis: a later community.create changes nothing', async () => {
    const body = create.event.body as { nonce: string };
    const again = await makeEvent(
      founder,
      community,
      'community.create',
      { name: 'Renamed', description: '', rules: 'New rules', nonce: body.nonce },
      { deps: [create.id], at: T0 + 5 },
    );
    const state = reduce(eventMap(again, create), NOW);
    expect(state.meta?.name).toBe('Gardeners');
    expect(state.rules).toBe('');
  });
});

// Joining, admission, expiry, revocation and use counting: invites/invites.test.ts.

describe('reduce: profiles and posts', () => {
  it('ignores posts and profiles by non-members', async () => {
    const stranger = await makeMember();
    const events = eventMap(
      create,
      await post(stranger, 'buy my stuff', [create.id]),
      await makeEvent(
        stranger,
        community,
        'profile.set',
        { name: 'Spam', bio: '' },
        { deps: [create.id] },
      ),
    );
    const state = reduce(events, NOW);
    expect(state.posts).toEqual([]);
    expect(state.profiles.size).toBe(0);
  });

  it('shows members’ posts newest first, ties broken by id', async () => {
    const a = await post(founder, 'first', [create.id], T0 + 100);
    const b = await post(founder, 'second', [a.id], T0 + 200);
    const c1 = await post(founder, 'same time 1', [b.id], T0 + 300);
    const c2 = await post(founder, 'same time 2', [b.id], T0 + 300);
    const state = reduce(eventMap(c2, a, create, c1, b), NOW);
    const [x, y] = c1.id < c2.id ? [c1, c2] : [c2, c1];
    expect(state.posts.map((p) => p.id)).toEqual([x.id, y.id, b.id, a.id]);
    expect(state.posts[3]).toMatchObject({
      id: a.id,
      author: founder.identity.memberId,
      text: 'first',
      at: T0 + 100,
    });
  });

  it('keeps the latest profile in causal order', async () => {
    const first = await makeEvent(
      founder,
      community,
      'profile.set',
      { name: 'Ada', bio: '' },
      { deps: [create.id], at: T0 + 5 },
    );
    // Dated earlier, but written after the first: causal order, not the clock, decides.
    const second = await makeEvent(
      founder,
      community,
      'profile.set',
      { name: 'Ada L.', bio: 'hi' },
      { deps: [first.id], at: T0 + 1 },
    );
    const state = reduce(eventMap(second, first, create), NOW);
    expect(state.profiles.get(founder.identity.memberId)).toEqual({
      name: 'Ada L.',
      bio: 'hi',
      updatedAt: T0 + 1,
    });
  });

  it('holds a post whose dep is missing until the dep arrives', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const bobJoin = await join(bob, inv);
    const admit = await admitEvent(founder, community, bobJoin.id, { at: T0 + 20 });
    const bobPost = await post(bob, 'hello all', [admit.id]);
    expect(reduce(eventMap(create, inv.event, bobJoin, bobPost), NOW).posts).toEqual([]);
    expect(
      reduce(eventMap(create, inv.event, bobPost, bobJoin, admit), NOW).posts.map((p) => p.text),
    ).toEqual(['hello all']);
  });

  it('holds back events dated too far ahead, and what follows them, until the clock catches up', async () => {
    const future = NOW + LIMITS.futureSkewMs + 1;
    const early = await post(founder, 'from the future', [create.id], future);
    const reply = await post(founder, 'reply', [early.id], T0 + 500);
    const onTheEdge = await post(founder, 'just in time', [create.id], NOW + LIMITS.futureSkewMs);
    const events = eventMap(create, early, reply, onTheEdge);
    expect(reduce(events, NOW).posts.map((p) => p.text)).toEqual(['just in time']);
    expect(reduce(events, future - LIMITS.futureSkewMs).posts.map((p) => p.text)).toEqual([
      'from the future',
      'just in time',
      'reply',
    ]);
  });
});
