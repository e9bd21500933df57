import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { CommunityId, EventId } from '../shared/ids';
import type { SignedEvent } from './event';
import type { Identity } from './identity';
import { LIMITS } from './limits';
import { reduce } from './reducer';
import {
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

describe('reduce: joining', () => {
  it('admits a member whose join is counter-signed by a known invite', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const joined = await join(bob, inv);
    const state = reduce(eventMap(create, inv.event, joined), NOW);
    expect(state.members.get(bob.identity.memberId)).toEqual({
      id: bob.identity.memberId,
      joinedAt: T0 + 10,
      invite: inv.event.id,
    });
    expect(state.invites.get(inv.event.id)?.uses).toBe(1);
    expect(state.moderators.has(bob.identity.memberId)).toBe(false);
  });

  it('refuses a join through an unknown invite', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const unknown = toBase64url(randomBytes(32)) as EventId;
    const joined = await join(bob, inv, T0 + 10, unknown);
    // The unknown invite never arrives: the join waits on it and never admits anyone.
    expect(
      reduce(eventMap(create, inv.event, joined), NOW).members.has(bob.identity.memberId),
    ).toBe(false);
    // Named without the dep, it is applied and still refused.
    const undepped = await makeEvent(
      bob,
      community,
      'member.join',
      await joinBody(inv.key, community, bob, unknown),
      {
        deps: [create.id],
        at: T0 + 10,
      },
    );
    expect(
      reduce(eventMap(create, inv.event, undepped), NOW).members.has(bob.identity.memberId),
    ).toBe(false);
  });

  it('refuses a join made with another key than the invite’s', async () => {
    const inv = await invite();
    const forgedKey = await makeInviteKey();
    const bob = await makeMember();
    const joined = await join(bob, { key: forgedKey.key, event: inv.event });
    const state = reduce(eventMap(create, inv.event, joined), NOW);
    expect(state.members.has(bob.identity.memberId)).toBe(false);
    expect(state.invites.get(inv.event.id)?.uses).toBe(0);
  });

  it('refuses a join dated after the invite expired, and admits one dated at the expiry', async () => {
    const expiresAt = T0 + 1000;
    const inv = await invite({ expiresAt });
    const late = await makeMember();
    const onTime = await makeMember();
    const state = reduce(
      eventMap(
        create,
        inv.event,
        await join(late, inv, expiresAt + 1),
        await join(onTime, inv, expiresAt),
      ),
      NOW,
    );
    expect(state.members.has(late.identity.memberId)).toBe(false);
    expect(state.members.has(onTime.identity.memberId)).toBe(true);
  });

  it('refuses joins once the invite is used up', async () => {
    const inv = await invite({ maxUses: 1 });
    const first = await makeMember();
    const second = await makeMember();
    const firstJoin = await join(first, inv);
    const secondJoin = await makeEvent(
      second,
      community,
      'member.join',
      await joinBody(inv.key, community, second, inv.event.id),
      { deps: [firstJoin.id], at: T0 + 20 },
    );
    const state = reduce(eventMap(create, inv.event, firstJoin, secondJoin), NOW);
    expect(state.members.has(first.identity.memberId)).toBe(true);
    expect(state.members.has(second.identity.memberId)).toBe(false);
    expect(state.invites.get(inv.event.id)?.uses).toBe(1);
  });

  it('counts concurrent joins the same way on every peer', async () => {
    const inv = await invite({ maxUses: 2 });
    const joiners = await Promise.all([1, 2, 3, 4].map(() => makeMember()));
    const joins = await Promise.all(joiners.map((m) => join(m, inv)));
    const all = [create, inv.event, ...joins];
    const admitted = (events: SignedEvent[]) =>
      [...reduce(eventMap(...events), NOW).members.keys()].filter(
        (id) => id !== founder.identity.memberId,
      );
    const expected = admitted(all);
    expect(expected).toHaveLength(2);
    // Ties are broken by the smaller event id.
    const byId = [...joins].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(expected).toEqual(byId.slice(0, 2).map((e) => e.event.author));
    for (let i = 0; i < 20; i++) {
      const shuffled = [...all].sort(() => Math.random() - 0.5);
      expect(admitted(shuffled)).toEqual(expected);
    }
  });

  it('counts a second join by a member once, leaving the use for someone else', async () => {
    const inv = await invite({ maxUses: 2 });
    const bob = await makeMember();
    const carol = await makeMember();
    const bobJoin = await join(bob, inv);
    const bobAgain = await makeEvent(
      bob,
      community,
      'member.join',
      await joinBody(inv.key, community, bob, inv.event.id),
      { deps: [bobJoin.id], at: T0 + 20 },
    );
    const carolJoin = await makeEvent(
      carol,
      community,
      'member.join',
      await joinBody(inv.key, community, carol, inv.event.id),
      { deps: [bobAgain.id], at: T0 + 30 },
    );
    const state = reduce(eventMap(create, inv.event, bobJoin, bobAgain, carolJoin), NOW);
    expect(state.members.get(bob.identity.memberId)?.joinedAt).toBe(T0 + 10);
    expect(state.members.has(carol.identity.memberId)).toBe(true);
    expect(state.invites.get(inv.event.id)?.uses).toBe(2);
  });

  it('ignores invites created by non-moderators', async () => {
    const bob = await makeMember();
    const mod = await invite();
    const bobJoin = await join(bob, mod);
    const bobsInvite = await invite({ author: bob });
    const carol = await makeMember();
    const carolJoin = await join(carol, bobsInvite, T0 + 50);
    const state = reduce(eventMap(create, mod.event, bobJoin, bobsInvite.event, carolJoin), NOW);
    expect(state.members.has(bob.identity.memberId)).toBe(true);
    expect(state.invites.has(bobsInvite.event.id)).toBe(false);
    expect(state.members.has(carol.identity.memberId)).toBe(false);
  });
});

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
    expect(state.posts[3]).toEqual({
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
    const bobPost = await post(bob, 'hello all', [bobJoin.id]);
    expect(reduce(eventMap(create, inv.event, bobPost), NOW).posts).toEqual([]);
    expect(
      reduce(eventMap(create, inv.event, bobPost, bobJoin), NOW).posts.map((p) => p.text),
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
