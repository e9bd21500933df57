/**
 * THREATS.md line 14: random orders, duplicates and drops of the same events on 5 peers give
 * identical derived state. Events are signed once up front (signing is async and slow); the
 * property only shuffles them.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventId } from '../shared/ids';
import type { SignedEvent } from './event';
import { LIMITS } from './limits';
import { reduce } from './reducer';
import type { CommunityState } from './state';
import {
  admitEvent,
  joinBody,
  makeEvent,
  makeGenesis,
  makeInviteKey,
  makeMember,
  type TestMember,
} from './test-helpers';

const T0 = 1_700_000_000_000;
const NOW = T0 + 24 * 3_600_000;

/** Maps and sets as sorted entry lists, so equal states serialise to equal strings. */
function serialise(state: CommunityState): string {
  const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({
    meta: state.meta,
    rules: state.rules,
    members: sorted(state.members),
    moderators: [...state.moderators].sort(),
    profiles: sorted(state.profiles),
    invites: sorted(state.invites),
    joinRequests: sorted(state.joinRequests),
    posts: state.posts,
  });
}

/** A small deterministic PRNG, so the generated community is the same on every run. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let events: SignedEvent[] = [];
let reference: CommunityState;

/**
 * A founder, three invites (unlimited, two uses, expired), six joiners — three racing for the
 * two-use invite, one too late — a stranger, concurrent profile changes, and posts whose deps
 * are random earlier events, so the DAG has many concurrent branches. One post is dated in the
 * future with a reply under it.
 */
beforeAll(async () => {
  const random = mulberry32(14);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const founder = await makeMember();
  const { community, create } = await makeGenesis(founder, T0);
  const all: SignedEvent[] = [create];

  const invites = [
    await makeInviteKey(),
    await makeInviteKey(null, 2),
    await makeInviteKey(T0 + 1000),
  ];
  const inviteEvents = await Promise.all(
    invites.map((inv) =>
      makeEvent(founder, community, 'invite.create', inv.body, { deps: [create.id], at: T0 + 1 }),
    ),
  );
  all.push(...inviteEvents);

  const joiners = await Promise.all(
    [0, 0, 1, 1, 1, 2].map(async (which) => ({ member: await makeMember(), which })),
  );
  const people: { member: TestMember; last: EventId }[] = [{ member: founder, last: create.id }];
  for (const { member, which } of joiners) {
    const inv = invites[which]!;
    const event = await makeEvent(
      member,
      community,
      'member.join',
      await joinBody(inv.key, community, member, inviteEvents[which]!.id),
      { deps: [inviteEvents[which]!.id], at: which === 2 ? T0 + 2000 : T0 + 10 },
    );
    // The founder admits each join; the one through the expired invite is admitted too late.
    const admit = await admitEvent(founder, community, event.id, {
      at: which === 2 ? T0 + 2000 : T0 + 20,
    });
    all.push(event, admit);
    people.push({ member, last: admit.id });
  }
  people.push({ member: await makeMember(), last: create.id }); // never joins

  for (let i = 0; i < 60; i++) {
    const person = pick(people);
    const deps = new Set<EventId>([person.last]);
    for (let d = Math.floor(random() * 3); d > 0; d--) deps.add(pick(all).id);
    const at = T0 + 10_000 + Math.floor(random() * 1_000_000);
    const event =
      random() < 0.25
        ? await makeEvent(
            person.member,
            community,
            'profile.set',
            { name: `name ${i}`, bio: '' },
            { deps: [...deps], at },
          )
        : await makeEvent(
            person.member,
            community,
            'post.create',
            { text: `post ${i}` },
            { deps: [...deps], at },
          );
    all.push(event);
    // Half the time the author forgets its own last event: a concurrent branch by one author.
    if (random() < 0.5) person.last = event.id;
  }
  const future = await makeEvent(
    founder,
    community,
    'post.create',
    { text: 'future' },
    {
      deps: [create.id],
      at: NOW + LIMITS.futureSkewMs + 1,
    },
  );
  const reply = await makeEvent(
    founder,
    community,
    'post.create',
    { text: 'reply' },
    { deps: [future.id], at: T0 + 5 },
  );
  all.push(future, reply);
  events = all;
  reference = reduce(new Map(events.map((e) => [e.id, e])), NOW);
});

describe('reduce converges (THREATS 14)', () => {
  it('derives a non-trivial reference state', () => {
    // Founder, two through the open invite, two of the three racing for the two-use invite.
    expect(reference.members.size).toBe(5);
    expect(reference.invites.size).toBe(3);
    expect(reference.posts.length).toBeGreaterThan(10);
    expect(reference.profiles.size).toBeGreaterThan(2);
    expect(reference.posts.some((p) => p.text === 'future' || p.text === 'reply')).toBe(false);
  });

  it('gives the same state on 5 peers for any order, duplicates and drops', () => {
    const n = events.length;
    const indices = [...Array(n).keys()];
    const peer = fc.record({
      order: fc.shuffledSubarray(indices, { minLength: n, maxLength: n }),
      duplicates: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n)), { maxLength: 8 }),
      // A subset that arrives first (the rest was dropped and comes later).
      first: fc.subarray(indices),
    });
    const expected = serialise(reference);
    fc.assert(
      fc.property(fc.array(peer, { minLength: 5, maxLength: 5 }), (peers) => {
        for (const { order, duplicates, first } of peers) {
          const delivery = [...first, ...order];
          for (const [event, at] of duplicates) delivery.splice(at, 0, event);
          const held = new Map<EventId, SignedEvent>();
          for (const i of delivery) {
            const event = events[i]!;
            if (!held.has(event.id)) held.set(event.id, event);
            if (held.size === first.length && first.length > 0) {
              // The partial state too depends only on which events are held.
              const sortedCopy = new Map([...held].sort(([a], [b]) => (a < b ? -1 : 1)));
              expect(serialise(reduce(held, NOW))).toBe(serialise(reduce(sortedCopy, NOW)));
            }
          }
          expect(serialise(reduce(held, NOW))).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
