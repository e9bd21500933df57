/**
 * The incremental step (reduce-step.ts) against a full derivation: a live community's events,
 * applied one at a time as they arrive, give exactly the state `derive` gives from all of them,
 * and never change a state already handed out. Anything the step cannot apply exactly is
 * refused, so the caller derives from scratch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventId } from '../shared/ids';
import type { SignedEvent } from './event';
import { idOf, Scenario } from './governance/scenario';
import { serialiseGovernance } from './governance/serialise';
import { derive, type Derivation } from './reducer';
import { extend } from './reduce-step';
import type { TestMember } from './test-helpers';

const NOW = Date.now();
let s: Scenario;
let prefix: number;

/** Posts, replies, edits, deletes, reactions, hides, proposals and votes (a ban, a demotion). */
beforeAll(async () => {
  s = await Scenario.found();
  const [b, c, d] = await s.members(3);
  prefix = s.events.length;
  const promote = async (m: TestMember, voters: TestMember[]) => {
    const p = await s.propose(s.founder, { type: 'moderator.add', member: idOf(m) });
    for (const v of voters) await s.vote(v, p, 'yes');
  };
  await s.write(d!, 'profile.set', { name: 'Dee', bio: '' });
  await promote(b!, [s.founder]);
  await promote(c!, [s.founder, b!]);
  const first = await s.write(d!, 'post.create', { text: 'hello' });
  await s.write(b!, 'post.create', { text: 'reply', parent: first.id });
  await s.write(d!, 'post.edit', { post: first.id, text: 'hello again' });
  await s.write(c!, 'reaction.set', { post: first.id, emoji: '👍', on: true });
  await s.write(b!, 'reaction.set', { post: first.id, emoji: '👍', on: true });
  await s.write(b!, 'post.hide', { post: first.id, reason: 'spam' });
  await s.write(c!, 'post.unhide', { post: first.id, reason: 'fine' });
  const rules = await s.propose(c!, { type: 'rules.change', rules: 'New rules.' });
  for (const v of [s.founder, b!, c!]) await s.vote(v, rules, 'yes');
  const rename = await s.propose(b!, { type: 'meta.change', name: 'Renamed', description: '' });
  for (const v of [b!, c!]) await s.vote(v, rename, 'yes');
  const gone = await s.write(d!, 'post.create', { text: 'to delete' });
  await s.write(d!, 'post.delete', { post: gone.id });
  const demote = await s.propose(s.founder, { type: 'moderator.remove', member: idOf(b!) });
  for (const v of [s.founder, c!]) await s.vote(v, demote, 'yes');
  await s.write(b!, 'post.hide', { post: first.id, reason: 'no longer mine to hide' });
  const ban = await s.propose(c!, { type: 'member.ban', member: idOf(d!) });
  for (const v of [s.founder, c!]) await s.vote(v, ban, 'yes');
  await s.write(d!, 'post.create', { text: 'after the ban' });
  await s.write(s.founder, 'post.create', { text: 'last' });
});

const mapOf = (events: readonly SignedEvent[]) => new Map(events.map((e) => [e.id, e]));

describe('one new event on a derived state', () => {
  it('gives the state a full derivation gives, at every step, without changing the one before', () => {
    let derived: Derivation = derive(mapOf(s.events.slice(0, prefix)), NOW);
    for (let i = prefix; i < s.events.length; i++) {
      const before = derived.state;
      const snapshot = serialiseGovernance(before);
      const { event } = s.events[i]!;
      const proposal =
        event.kind === 'vote.cast' ? before.proposals.get(event.body.proposal) : undefined;
      const held = proposal && JSON.stringify({ ...proposal, votes: [...proposal.votes] });
      const next = extend(derived, s.events[i]!, NOW);
      expect(next, `event ${i} (${s.events[i]!.event.kind})`).not.toBeNull();
      const expected = serialiseGovernance(derive(mapOf(s.events.slice(0, i + 1)), NOW).state);
      expect(serialiseGovernance(next!.state)).toBe(expected);
      // What the UI holds from before: a new top-level object, its posts and proposals intact.
      expect(next!.state).not.toBe(before);
      if (event.kind === 'profile.set') expect(next!.state.profiles).not.toBe(before.profiles);
      expect(JSON.stringify(before.posts)).toBe(JSON.stringify(JSON.parse(snapshot).posts));
      if (proposal) expect(JSON.stringify({ ...proposal, votes: [...proposal.votes] })).toBe(held);
      derived = next!;
    }
    const end = derived.state;
    expect(end.rules).toBe('New rules.');
    expect(end.meta?.name).toBe('Renamed');
    expect(end.bans.size).toBe(1);
    expect(end.posts.map((p) => p.text)).toContain('last');
  });

  it('refuses what it cannot apply exactly: a fork, a missing dep, a join, a future date', async () => {
    const base = derive(mapOf(s.events), NOW);
    const fork = await s.write(
      s.founder,
      'post.create',
      { text: 'fork' },
      {
        deps: [s.events[prefix]!.id],
      },
    );
    expect(extend(derive(mapOf(s.events.slice(0, -1)), NOW), fork, NOW)).toBeNull();
    const dangling = await s.write(
      s.founder,
      'post.create',
      { text: 'gap' },
      {
        deps: ['x'.repeat(43) as EventId],
      },
    );
    expect(extend(base, dangling, NOW)).toBeNull();
    const [newcomer] = await s.members(1);
    expect(newcomer).toBeDefined();
    const join = s.events[s.events.length - 2]!;
    expect(join.event.kind).toBe('member.join');
    expect(extend(derive(mapOf(s.events.slice(0, -2)), NOW), join, NOW)).toBeNull();
    const future = await s.write(
      s.founder,
      'post.create',
      { text: 'later' },
      {
        at: NOW + 3_600_000,
      },
    );
    expect(extend(derive(mapOf(s.events.slice(0, -1)), NOW), future, NOW)).toBeNull();
  });
});
