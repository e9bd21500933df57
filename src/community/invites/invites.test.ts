/**
 * Invite validation at the reducer (THREATS 23, 24): admission by a member, expiry against the
 * admitter's clock (a backdated join gains nothing), revocation of one or all invites, and use
 * counting under concurrent joins, the same on every peer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventId } from '../../shared/ids';
import type { SignedEvent } from '../event';
import type { Identity } from '../identity';
import { reduce } from '../reducer';
import {
  admitEvent,
  eventMap,
  joinBody,
  makeEvent,
  makeGenesis,
  makeInviteKey,
  makeMember,
  type TestMember,
} from '../test-helpers';

const T0 = 1_700_000_000_000;
const NOW = T0 + 3_600_000;

let founder: TestMember;
let community: import('../../shared/ids').CommunityId;
let create: SignedEvent;

beforeAll(async () => {
  founder = await makeMember();
  ({ community, create } = await makeGenesis(founder, T0));
});

interface TestInvite {
  key: Identity;
  event: SignedEvent;
}

async function invite(
  opts: { expiresAt?: number | null; maxUses?: number | null; author?: TestMember } = {},
): Promise<TestInvite> {
  const key = await makeInviteKey(opts.expiresAt ?? null, opts.maxUses ?? null);
  const event = await makeEvent(opts.author ?? founder, community, 'invite.create', key.body, {
    deps: [create.id],
    at: T0 + 1,
  });
  return { key: key.key, event };
}

const join = async (member: TestMember, inv: TestInvite, at = T0 + 10, deps?: EventId[]) =>
  makeEvent(
    member,
    community,
    'member.join',
    await joinBody(inv.key, community, member, inv.event.id),
    { deps: deps ?? [inv.event.id], at },
  );

const admit = (join: SignedEvent, at = T0 + 20, by = founder, deps: EventId[] = []) =>
  admitEvent(by, community, join.id, { at, deps });

const revoke = (target: EventId | 'all', deps: EventId[], by = founder, at = T0 + 30) =>
  makeEvent(by, community, 'invite.revoke', { invite: target }, { deps, at });

const id = (m: TestMember) => m.identity.memberId;

describe('admission', () => {
  it('a join alone admits no one; a member’s admission does, and counts one use', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const bobJoin = await join(bob, inv);
    const waiting = reduce(eventMap(create, inv.event, bobJoin), NOW);
    expect(waiting.members.has(id(bob))).toBe(false);
    expect(waiting.joinRequests.get(id(bob))?.status).toBe('waiting');

    const state = reduce(eventMap(create, inv.event, bobJoin, await admit(bobJoin)), NOW);
    expect(state.members.get(id(bob))).toEqual({
      id: id(bob),
      joinedAt: T0 + 20,
      invite: inv.event.id,
    });
    expect(state.joinRequests.get(id(bob))).toMatchObject({
      status: 'admitted',
      admittedBy: id(founder),
    });
    expect(state.invites.get(inv.event.id)?.uses).toBe(1);
    expect(state.moderators.has(id(bob))).toBe(false);
  });

  it('ignores admissions by non-members, by the joiner, and ones that do not name the join', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const stranger = await makeMember();
    const bobJoin = await join(bob, inv);
    const byStranger = await admit(bobJoin, T0 + 20, stranger);
    const bySelf = await admit(bobJoin, T0 + 20, bob);
    const undepped = await makeEvent(
      founder,
      community,
      'member.admit',
      { join: bobJoin.id },
      { deps: [inv.event.id], at: T0 + 20 },
    );
    const state = reduce(eventMap(create, inv.event, bobJoin, byStranger, bySelf, undepped), NOW);
    expect(state.members.has(id(bob))).toBe(false);
    expect(state.invites.get(inv.event.id)?.uses).toBe(0);
  });

  it('refuses a join through an unknown invite or made with another key', async () => {
    const inv = await invite();
    const forged = await makeInviteKey();
    const bob = await makeMember();
    const bobJoin = await join(bob, { key: forged.key, event: inv.event });
    const state = reduce(eventMap(create, inv.event, bobJoin, await admit(bobJoin)), NOW);
    expect(state.members.has(id(bob))).toBe(false);
    expect(state.joinRequests.get(id(bob))?.refusal).toBe('invite-unknown');
  });

  it('ignores invites created by non-moderators (canInvite)', async () => {
    const bob = await makeMember();
    const open = await invite();
    const bobJoin = await join(bob, open);
    const bobAdmit = await admit(bobJoin);
    const bobsInvite = await invite({ author: bob });
    const carol = await makeMember();
    const carolJoin = await join(carol, bobsInvite, T0 + 50);
    const state = reduce(
      eventMap(create, open.event, bobJoin, bobAdmit, bobsInvite.event, carolJoin),
      NOW,
    );
    expect(state.members.has(id(bob))).toBe(true);
    expect(state.invites.has(bobsInvite.event.id)).toBe(false);
    expect(state.joinRequests.get(id(carol))?.refusal).toBe('invite-unknown');
  });
});

describe('expiry', () => {
  it('is checked against the admitter’s clock: a backdated join admitted late is refused', async () => {
    const expiresAt = T0 + 1000;
    const inv = await invite({ expiresAt });
    const mallory = await makeMember();
    // Mallory dates her join well before the expiry; the admission happens after it.
    const backdated = await join(mallory, inv, T0 + 5);
    const state = reduce(
      eventMap(create, inv.event, backdated, await admit(backdated, expiresAt + 1)),
      NOW,
    );
    expect(state.members.has(id(mallory))).toBe(false);
    expect(state.joinRequests.get(id(mallory))?.refusal).toBe('invite-expired');
  });

  it('admits a join admitted at the expiry, whatever time the joiner wrote', async () => {
    const expiresAt = T0 + 1000;
    const inv = await invite({ expiresAt });
    const bob = await makeMember();
    const bobJoin = await join(bob, inv, expiresAt + 500);
    const state = reduce(
      eventMap(create, inv.event, bobJoin, await admit(bobJoin, expiresAt)),
      NOW,
    );
    expect(state.members.has(id(bob))).toBe(true);
  });
});

describe('revocation', () => {
  it('refuses a join admitted after the revoke and keeps members who joined before it', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const carol = await makeMember();
    const bobJoin = await join(bob, inv);
    const bobAdmit = await admit(bobJoin);
    const cut = await revoke(inv.event.id, [bobAdmit.id]);
    const carolJoin = await join(carol, inv, T0 + 40);
    const carolAdmit = await admit(carolJoin, T0 + 41, founder, [cut.id]);
    const state = reduce(
      eventMap(create, inv.event, bobJoin, bobAdmit, cut, carolJoin, carolAdmit),
      NOW,
    );
    expect(state.invites.get(inv.event.id)?.revoked).toBe(true);
    expect(state.members.has(id(bob))).toBe(true);
    expect(state.members.has(id(carol))).toBe(false);
    expect(state.joinRequests.get(id(carol))?.refusal).toBe('invite-revoked');
  });

  it('marks a waiting join refused when its invite is revoked', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const bobJoin = await join(bob, inv);
    const cut = await revoke(inv.event.id, [bobJoin.id]);
    const state = reduce(eventMap(create, inv.event, bobJoin, cut), NOW);
    expect(state.joinRequests.get(id(bob))).toMatchObject({
      status: 'refused',
      refusal: 'invite-revoked',
    });
  });

  it('revokes every existing invite at once, and only a moderator may', async () => {
    const a = await invite();
    const b = await invite({ maxUses: 3 });
    const bob = await makeMember();
    const bobJoin = await join(bob, a);
    const bobAdmit = await admit(bobJoin);
    const bobTries = await revoke('all', [bobAdmit.id, b.event.id], bob);
    const partial = reduce(eventMap(create, a.event, b.event, bobJoin, bobAdmit, bobTries), NOW);
    expect([...partial.invites.values()].some((i) => i.revoked)).toBe(false);

    const all = await revoke('all', [bobAdmit.id, b.event.id]);
    const state = reduce(eventMap(create, a.event, b.event, bobJoin, bobAdmit, all), NOW);
    expect([...state.invites.values()].map((i) => i.revoked)).toEqual([true, true]);
  });

  it('lets a member revoke an invite only if they created it or may invite', async () => {
    const inv = await invite();
    const bob = await makeMember();
    const bobJoin = await join(bob, inv);
    const bobAdmit = await admit(bobJoin);
    const bobTries = await revoke(inv.event.id, [bobAdmit.id], bob);
    const state = reduce(eventMap(create, inv.event, bobJoin, bobAdmit, bobTries), NOW);
    expect(state.invites.get(inv.event.id)?.revoked).toBe(false);
  });
});

describe('use counting', () => {
  it('refuses admissions once the invite is used up', async () => {
    const inv = await invite({ maxUses: 1 });
    const bob = await makeMember();
    const carol = await makeMember();
    const bobJoin = await join(bob, inv);
    const bobAdmit = await admit(bobJoin);
    const carolJoin = await join(carol, inv, T0 + 30, [bobAdmit.id]);
    const carolAdmit = await admit(carolJoin, T0 + 31);
    const state = reduce(
      eventMap(create, inv.event, bobJoin, bobAdmit, carolJoin, carolAdmit),
      NOW,
    );
    expect(state.members.has(id(bob))).toBe(true);
    expect(state.members.has(id(carol))).toBe(false);
    expect(state.joinRequests.get(id(carol))?.refusal).toBe('invite-used-up');
    expect(state.invites.get(inv.event.id)?.uses).toBe(1);
  });

  it('counts concurrent admissions the same way on every peer', async () => {
    const inv = await invite({ maxUses: 2 });
    const joiners = await Promise.all([1, 2, 3, 4].map(() => makeMember()));
    const joins = await Promise.all(joiners.map((m) => join(m, inv)));
    // Two members admit concurrently: the founder and an admitted helper.
    const helper = await makeMember();
    const helperInvite = await invite();
    const helperJoin = await join(helper, helperInvite);
    const helperAdmit = await admit(helperJoin);
    const admits = await Promise.all(
      joins.map((j, i) => admit(j, T0 + 50, i % 2 === 0 ? founder : helper, [helperAdmit.id])),
    );
    const all = [
      create,
      inv.event,
      helperInvite.event,
      helperJoin,
      helperAdmit,
      ...joins,
      ...admits,
    ];
    const admitted = (events: SignedEvent[]) => {
      const state = reduce(eventMap(...events), NOW);
      return joiners.filter((m) => state.members.has(id(m))).map(id);
    };
    const expected = admitted(all);
    expect(expected).toHaveLength(2);
    for (let i = 0; i < 20; i++) {
      const shuffled = [...all].sort(() => Math.random() - 0.5);
      expect(admitted(shuffled)).toEqual(expected);
    }
    const state = reduce(eventMap(...all), NOW);
    expect(state.invites.get(inv.event.id)?.uses).toBe(2);
    expect(
      [...state.joinRequests.values()].filter((r) => r.refusal === 'invite-used-up'),
    ).toHaveLength(2);
  });

  it('counts a join admitted twice once', async () => {
    const inv = await invite({ maxUses: 2 });
    const bob = await makeMember();
    const bobJoin = await join(bob, inv);
    const first = await admit(bobJoin);
    const second = await admit(bobJoin, T0 + 25, founder, [first.id]);
    const state = reduce(eventMap(create, inv.event, bobJoin, first, second), NOW);
    expect(state.invites.get(inv.event.id)?.uses).toBe(1);
  });

  it('lets a refused joiner come back with a new link and the same key', async () => {
    const old = await invite({ expiresAt: T0 + 100 });
    const fresh = await invite();
    const bob = await makeMember();
    const first = await join(bob, old);
    const late = await admit(first, T0 + 200);
    const again = await join(bob, fresh, T0 + 300, [fresh.event.id, first.id]);
    const ok = await admit(again, T0 + 301, founder, [late.id]);
    const state = reduce(eventMap(create, old.event, fresh.event, first, late, again, ok), NOW);
    expect(state.members.get(id(bob))?.invite).toBe(fresh.event.id);
    expect(state.joinRequests.get(id(bob))?.status).toBe('admitted');
  });
});

describe('events written while waiting', () => {
  it('are applied once the join is admitted, and never if it is refused', async () => {
    const inv = await invite({ maxUses: 1 });
    const bob = await makeMember();
    const carol = await makeMember();
    const bobJoin = await join(bob, inv);
    const carolJoin = await join(carol, inv);
    // Both post at once, before any admission reached them: concurrent with the admissions.
    const bobPost = await makeEvent(
      bob,
      community,
      'post.create',
      { text: 'hi from Bob' },
      {
        deps: [bobJoin.id],
        at: T0 + 15,
      },
    );
    const carolPost = await makeEvent(
      carol,
      community,
      'post.create',
      { text: 'hi from Carol' },
      {
        deps: [carolJoin.id],
        at: T0 + 15,
      },
    );
    const bobAdmit = await admit(bobJoin, T0 + 20);
    const carolAdmit = await admit(carolJoin, T0 + 21, founder, [bobAdmit.id]);
    const events = [
      create,
      inv.event,
      bobJoin,
      carolJoin,
      bobPost,
      carolPost,
      bobAdmit,
      carolAdmit,
    ];
    for (let i = 0; i < 10; i++) {
      const state = reduce(eventMap(...[...events].sort(() => Math.random() - 0.5)), NOW);
      expect(state.posts.map((p) => p.text)).toEqual(['hi from Bob']);
    }
    const waiting = reduce(eventMap(create, inv.event, bobJoin, bobPost), NOW);
    expect(waiting.posts).toEqual([]);
  });
});
