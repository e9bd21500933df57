/**
 * THREATS 14 with governance: a random community with concurrent proposals, votes, removals,
 * hides and posts derives one state whatever the delivery order, and any subset of the events
 * (drops not yet repaired) derives one state whatever its order too.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventId } from '../../shared/ids';
import type { SignedEvent } from '../event';
import type { TestMember } from '../test-helpers';
import type { ProposalChange, VoteChoice } from './bodies';
import { DEFAULT_POLICY } from './policy';
import { idOf, Scenario } from './scenario';
import { serialiseGovernance } from './serialise';

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let s: Scenario;
let people: TestMember[];

/**
 * Scripted first: three moderators, two of whom concurrently remove each other, and a member
 * banned while writing on a fork. Then random noise on top: posts, hides and unhides by anyone,
 * proposals of every kind, and votes, with deps that often skip back to random earlier events.
 */
beforeAll(async () => {
  const random = mulberry32(22);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  s = await Scenario.found();
  const founder = s.founder;
  const members = await s.members(5);
  people = [founder, ...members];
  const [b, c, , , banned] = members;
  const p1 = await s.propose(founder, { type: 'moderator.add', member: idOf(b!) });
  await s.vote(founder, p1, 'yes');
  const p2 = await s.propose(founder, { type: 'moderator.add', member: idOf(c!) });
  await s.vote(founder, p2, 'yes');
  await s.vote(b!, p2, 'yes');

  const posts = [await s.write(banned!, 'post.create', { text: 'before the ban' })];
  const fork = s.last;
  await s.filler(4);
  const base = s.last;
  const r1 = await s.propose(
    founder,
    { type: 'moderator.remove', member: idOf(b!) },
    { deps: [base] },
  );
  const r2 = await s.propose(
    b!,
    { type: 'moderator.remove', member: idOf(founder) },
    { deps: [base] },
  );
  await s.vote(founder, r1, 'yes', { deps: [r1.id] });
  await s.vote(c!, r2, 'yes', { deps: [r2.id] });
  await s.vote(b!, r2, 'yes', { deps: [r2.id] });
  await s.vote(c!, r1, 'yes', { deps: [r1.id] });
  await s.write(b!, 'post.hide', { post: posts[0]!.id, reason: 'concurrent' }, { deps: [base] });
  const ban = await s.propose(c!, { type: 'member.ban', member: idOf(banned!) }, { deps: [base] });
  await s.vote(c!, ban, 'yes', { deps: [ban.id] });
  await s.vote(founder, ban, 'yes', { deps: [ban.id] });
  await s.vote(b!, ban, 'yes', { deps: [ban.id] });
  await s.write(banned!, 'post.create', { text: 'fork' }, { deps: [fork] });

  // Noise votes only on noise proposals, so the scripted outcomes stay what the test expects.
  const proposals: SignedEvent[] = [];
  const change = (): ProposalChange =>
    pick<ProposalChange>([
      { type: 'rules.change', rules: `rules ${Math.floor(random() * 100)}` },
      { type: 'meta.change', name: `name ${Math.floor(random() * 100)}`, description: '' },
      { type: 'policy.change', policy: { ...DEFAULT_POLICY, threshold: 60 } },
    ]);
  for (let i = 0; i < 80; i++) {
    const author = pick(people);
    const deps = new Set<EventId>([random() < 0.5 ? s.last : pick(s.events).id]);
    if (random() < 0.3) deps.add(pick(s.events).id);
    const roll = random();
    if (roll < 0.15) proposals.push(await s.propose(author, change(), { deps: [...deps] }));
    else if (roll < 0.55 && proposals.length > 0) {
      const p = pick(proposals);
      const voter = pick([founder, b!, c!, author]);
      const choice = pick<VoteChoice>(['yes', 'yes', 'no', 'abstain']);
      await s.vote(voter, p, choice, { deps: [...deps, p.id] });
    } else if (roll < 0.7) {
      const post = pick(posts);
      const kind = random() < 0.7 ? 'post.hide' : 'post.unhide';
      await s.write(author, kind, { post: post.id, reason: 'r' }, { deps: [...deps, post.id] });
    } else
      posts.push(await s.write(author, 'post.create', { text: `post ${i}` }, { deps: [...deps] }));
  }
});

describe('governance converges (THREATS 14, 22)', () => {
  it('decides things in the reference state', () => {
    const state = s.state();
    const [founder, b, c, , , banned] = people.map(idOf);
    expect(state.moderators.has(c!)).toBe(true);
    expect([founder, b].filter((m) => state.moderators.has(m!))).toHaveLength(1);
    expect(state.bans.has(banned!)).toBe(true);
    expect(state.posts.map((p) => p.text)).not.toContain('fork');
    expect(state.log.length).toBeGreaterThan(3);
  });

  it('gives one state for any order of any subset of the events', () => {
    const n = s.events.length;
    const expected = serialiseGovernance(s.state());
    fc.assert(
      fc.property(
        fc.shuffledSubarray(s.events, { minLength: n, maxLength: n }),
        fc.subarray([...Array(n).keys()]),
        (order, dropped) => {
          expect(serialiseGovernance(s.state(order))).toBe(expected);
          const drop = new Set(dropped);
          const subset = order.filter((_, i) => !drop.has(i));
          const sorted = [...subset].sort((a, b) => (a.id < b.id ? -1 : 1));
          expect(serialiseGovernance(s.state(subset))).toBe(serialiseGovernance(s.state(sorted)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
