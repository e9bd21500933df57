/**
 * THREATS.md lines 17–22 and 27, each as a reducer test: the same events give the same state
 * on every peer, and what the threat tries has no effect.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SignedEvent } from '../event';
import { verifyEvent } from '../event';
import { LIMITS } from '../limits';
import { makeMember, type TestMember } from '../test-helpers';
import { HOUR, idOf, Scenario, T0 } from './scenario';
import { serialiseGovernance } from './serialise';

let s: Scenario;
let founder: TestMember;

beforeEach(async () => {
  s = await Scenario.found();
  founder = s.founder;
});

/** Makes `who` moderators, each through a proposal every current moderator votes yes on. */
async function promote(...who: TestMember[]) {
  const moderators = [founder];
  for (const m of who) {
    const p = await s.propose(founder, { type: 'moderator.add', member: idOf(m) });
    for (const voter of moderators) await s.vote(voter, p, 'yes');
    moderators.push(m);
  }
  expect(s.state().moderators.size).toBe(moderators.length);
}

describe('THREATS 17: a non-moderator acting directly', () => {
  it('cannot hide a post, and the attempt is logged nowhere', async () => {
    const [member] = await s.members(1);
    const post = await s.write(founder, 'post.create', { text: 'hello' });
    await s.write(member!, 'post.hide', { post: post.id, reason: 'I dislike it' });
    const state = s.state();
    expect(state.hidden.size).toBe(0);
    expect(state.log).toEqual([]);
  });

  it('cannot ban or change the rules by proposing and voting alone when moderators decide', async () => {
    const [member, target] = await s.members(2);
    const ban = await s.propose(member!, { type: 'member.ban', member: idOf(target!) });
    await s.vote(member!, ban, 'yes');
    const rules = await s.propose(member!, { type: 'rules.change', rules: 'Anything goes.' });
    await s.vote(member!, rules, 'yes');
    const state = s.state();
    expect(state.bans.size).toBe(0);
    expect(state.members.has(idOf(target!))).toBe(true);
    expect(state.rules).toBe('');
    expect(state.proposals.get(ban.id)?.status).toBe('open');
    expect(state.proposals.get(ban.id)?.votes.size).toBe(0);
    expect(state.log).toEqual([]);
  });

  it('cannot propose at all when the policy lets only moderators propose', async () => {
    const [member] = await s.members(1);
    const policy = { ...s.state().policy, whoMayPropose: 'moderators' as const };
    await s.vote(founder, await s.propose(founder, { type: 'policy.change', policy }), 'yes');
    const p = await s.propose(member!, { type: 'rules.change', rules: 'x' });
    expect(s.state().proposals.has(p.id)).toBe(false);
  });
});

describe('THREATS 18: votes that must not count', () => {
  it('a stranger, and a member who joined after the proposal', async () => {
    const [member] = await s.members(1);
    const members = { ...s.state().policy, electorate: 'members' as const };
    await s.vote(
      founder,
      await s.propose(founder, { type: 'policy.change', policy: members }),
      'yes',
    );
    // Electorate: founder and member. A third joins after the proposal; a stranger never joins.
    const p = await s.propose(founder, { type: 'rules.change', rules: 'New rules' });
    const [late] = await s.members(1);
    const stranger = await makeMember();
    await s.vote(stranger, p, 'yes');
    await s.vote(late!, p, 'yes');
    const state = s.state();
    expect(state.proposals.get(p.id)?.electorate).toEqual([idOf(founder), idOf(member!)].sort());
    expect(state.proposals.get(p.id)?.votes.size).toBe(0);
    expect(state.rules).toBe('');
  });

  it('a member outside a moderators electorate', async () => {
    const [member] = await s.members(1);
    const p = await s.propose(member!, { type: 'rules.change', rules: 'mine' });
    await s.vote(member!, p, 'yes');
    expect(s.state().proposals.get(p.id)?.electorate).toEqual([idOf(founder)]);
    expect(s.state().proposals.get(p.id)?.votes.size).toBe(0);
  });

  it('a vote whose choice was changed after signing is rejected at ingest', async () => {
    const p = await s.propose(founder, { type: 'rules.change', rules: 'x' });
    const vote = await s.vote(founder, p, 'no');
    const altered = new TextEncoder().encode(
      new TextDecoder().decode(vote.bytes).replace('"no"', '"yes"'),
    );
    expect(altered).not.toEqual(vote.bytes);
    expect((await verifyEvent(altered, vote.sig)).ok).toBe(false);
    expect((await verifyEvent(vote.bytes, vote.sig)).ok).toBe(true);
  });
});

describe('THREATS 19: the same voter votes twice', () => {
  it('only the latest vote before the deadline counts', async () => {
    const [a, b, c] = await s.members(3);
    const members = { ...s.state().policy, electorate: 'members' as const, votingPeriod: HOUR };
    await s.vote(
      founder,
      await s.propose(founder, { type: 'policy.change', policy: members }),
      'yes',
    );
    // Four voters, three yes needed.
    const p = await s.propose(founder, { type: 'rules.change', rules: 'R' });
    await s.vote(a!, p, 'yes');
    await s.vote(a!, p, 'no');
    await s.vote(b!, p, 'yes');
    let proposal = s.state().proposals.get(p.id)!;
    expect(proposal.votes.get(idOf(a!))?.choice).toBe('no');
    expect(proposal.status).toBe('open');
    // A change of mind back to yes, then c's yes, passes it.
    await s.vote(a!, p, 'yes');
    await s.vote(c!, p, 'yes');
    proposal = s.state().proposals.get(p.id)!;
    expect(proposal.status).toBe('passed');
    expect(s.state().rules).toBe('R');
  });

  it('a vote after the deadline, or after seeing an event dated after it, is ignored', async () => {
    const [a, b] = await s.members(2);
    const members = { ...s.state().policy, electorate: 'members' as const, votingPeriod: HOUR };
    await s.vote(
      founder,
      await s.propose(founder, { type: 'policy.change', policy: members }),
      'yes',
    );
    const p = await s.propose(founder, { type: 'rules.change', rules: 'R' });
    const deadline = p.event.at + HOUR;
    await s.vote(founder, p, 'yes', { at: deadline });
    await s.vote(a!, p, 'yes', { at: deadline + 1 });
    const after = await s.write(founder, 'post.create', { text: 'later' }, { at: deadline + 5 });
    // b backdates their vote but names the later post as a dep: they saw the deadline pass.
    await s.vote(b!, p, 'yes', { at: deadline - 1, deps: [after.id] });
    const proposal = s.state().proposals.get(p.id)!;
    expect([...proposal.votes.keys()]).toEqual([idOf(founder)]);
    expect(proposal.status).toBe('open');
  });
});

describe('THREATS 20: a moderator demoted while offline keeps moderating', () => {
  it('their concurrent hides are ignored after merge; earlier ones stand', async () => {
    const [b, c] = await s.members(2);
    await promote(b!, c!);
    const early = await s.write(founder, 'post.create', { text: 'early' });
    await s.write(b!, 'post.hide', { post: early.id, reason: 'spam' });
    const base = await s.write(founder, 'post.create', { text: 'target' });
    await s.filler(12);
    // Online: a and c demote b (two of three moderators).
    const demote = await s.propose(founder, { type: 'moderator.remove', member: idOf(b!) });
    await s.vote(founder, demote, 'yes');
    await s.vote(c!, demote, 'yes');
    // Offline, from before the demotion: b hides and unhides.
    const offHide = await s.write(
      b!,
      'post.hide',
      { post: base.id, reason: 'mine now' },
      { deps: [base.id] },
    );
    await s.write(
      b!,
      'post.unhide',
      { post: early.id, reason: 'changed mind' },
      { deps: [offHide.id] },
    );
    // After merge, having seen the demotion: still not a moderator.
    await s.write(b!, 'post.hide', { post: base.id, reason: 'again' });

    const state = s.state();
    expect(state.moderators.has(idOf(b!))).toBe(false);
    expect(state.hidden.has(base.id)).toBe(false);
    expect(state.hidden.get(early.id)?.by).toBe(idOf(b!));
    expect(state.log.filter((e) => e.kind === 'post.hide')).toHaveLength(1);
    expect(state.log.some((e) => e.kind === 'post.unhide')).toBe(false);
    expectSameOnEveryPeer(s.events);
  });
});

describe('THREATS 20: a demoted moderator keeps proposing and inviting', () => {
  it('where only moderators may, their concurrent proposals, invites and votes are ignored', async () => {
    const [b, c, newcomer] = await s.members(3);
    await promote(b!, c!);
    const only = { ...s.state().policy, whoMayPropose: 'moderators' as const };
    const tighten = await s.propose(founder, { type: 'policy.change', policy: only });
    for (const m of [founder, b!]) await s.vote(m, tighten, 'yes');
    // Before the demotion, in its causal past: b's proposal stands.
    const earlier = await s.propose(b!, { type: 'rules.change', rules: 'Earlier rules.' });
    const base = await s.write(founder, 'post.create', { text: 'base' });
    await s.filler(12);
    const demote = await s.propose(founder, { type: 'moderator.remove', member: idOf(b!) });
    await s.vote(founder, demote, 'yes');
    await s.vote(c!, demote, 'yes');
    // Offline, from before the demotion: b proposes, votes, creates and revokes invites.
    const offProposal = await s.propose(
      b!,
      { type: 'member.ban', member: idOf(newcomer!) },
      { deps: [base.id] },
    );
    await s.vote(b!, offProposal, 'yes', { deps: [offProposal.id] });
    await s.vote(b!, earlier, 'yes', { deps: [offProposal.id] });
    const invite = await s.write(
      b!,
      'invite.create',
      { publicKey: idOf(newcomer!), label: 'mine', expiresAt: null, maxUses: null },
      { deps: [base.id] },
    );
    await s.write(b!, 'invite.revoke', { invite: 'all' }, { deps: [invite.id] });
    // Others, having merged, vote on b's ban proposal: it does not exist for them.
    await s.vote(c!, offProposal, 'yes');

    const state = s.state();
    expect(state.moderators.has(idOf(b!))).toBe(false);
    expect(state.proposals.has(earlier.id)).toBe(true);
    expect(state.proposals.get(earlier.id)?.votes.has(idOf(b!))).toBe(false);
    expect(state.proposals.has(offProposal.id)).toBe(false);
    expect(state.bans.size).toBe(0);
    expect(state.invites.has(invite.id)).toBe(false);
    expect([...state.invites.values()].some((i) => i.revoked)).toBe(false);
    expectSameOnEveryPeer(s.events);
  });
});

describe('THREATS 21: a banned member writes from a fork from before the ban', () => {
  it('the ban holds, the fork is ignored, their earlier posts are hidden from the feed', async () => {
    const [m, other] = await s.members(2);
    const before = await s.write(m!, 'post.create', { text: 'before' });
    const forkBase = before.id;
    await s.filler(12);
    const ban = await s.propose(founder, { type: 'member.ban', member: idOf(m!) });
    const decision = await s.vote(founder, ban, 'yes');
    // The fork: events from before the ban, with sorts both before and after the decision.
    let dep = forkBase;
    for (let i = 0; i < 6; i++) {
      const e = await s.write(m!, 'post.create', { text: `fork ${i}` }, { deps: [dep] });
      dep = e.id;
    }
    await s.write(m!, 'profile.set', { name: 'Innocent', bio: '' }, { deps: [forkBase] });
    // An honest member replying on the fork keeps their post.
    await s.write(other!, 'post.create', { text: 'honest reply' }, { deps: [dep] });
    // After the ban, with the ban in view: ignored too.
    await s.write(m!, 'post.create', { text: 'after' }, { deps: [decision.id, dep] });

    const state = s.state();
    expect(state.bans.get(idOf(m!))).toMatchObject({
      proposal: ban.id,
      reason: 'because member.ban',
    });
    expect(state.members.has(idOf(m!))).toBe(false);
    const texts = state.posts.map((p) => p.text);
    expect(texts).toContain('before');
    expect(texts).toContain('honest reply');
    expect(texts.filter((t) => t.startsWith('fork') || t === 'after')).toEqual([]);
    expect(state.profiles.has(idOf(m!))).toBe(false);
    expectSameOnEveryPeer(s.events);
  });

  it('after an unban they may rejoin; the fork stays ignored', async () => {
    const [m] = await s.members(1);
    const base = s.last;
    await s.filler(12);
    const ban = await s.propose(founder, { type: 'member.ban', member: idOf(m!) });
    const banned = await s.vote(founder, ban, 'yes');
    await s.write(m!, 'post.create', { text: 'fork' }, { deps: [base] });
    const unban = await s.propose(
      founder,
      { type: 'member.unban', member: idOf(m!) },
      { deps: [banned.id] },
    );
    await s.vote(founder, unban, 'yes');
    expect(s.state().bans.size).toBe(0);
    expect(s.state().members.has(idOf(m!))).toBe(false);
    await s.members(0); // a fresh invite
    const rejoined = await s.members(1);
    expect(rejoined).toHaveLength(1);
    expect(s.state().posts.map((p) => p.text)).not.toContain('fork');
  });
});

describe('THREATS 22: two moderators concurrently remove each other', () => {
  it('one removal wins, the same on every peer', async () => {
    const [b, c] = await s.members(2);
    await promote(b!, c!);
    const base = s.last;
    const p1 = await s.propose(
      founder,
      { type: 'moderator.remove', member: idOf(b!) },
      { deps: [base] },
    );
    const p2 = await s.propose(
      b!,
      { type: 'moderator.remove', member: idOf(founder) },
      { deps: [base] },
    );
    await s.vote(founder, p1, 'yes', { deps: [p1.id] });
    await s.vote(c!, p2, 'yes', { deps: [p2.id] });
    await s.vote(b!, p2, 'yes', { deps: [p2.id] });
    await s.vote(c!, p1, 'yes', { deps: [p1.id] });

    const state = s.state();
    const removed = [idOf(founder), idOf(b!)].filter((m) => !state.moderators.has(m));
    expect(removed).toHaveLength(1);
    expect(state.moderators.has(idOf(c!))).toBe(true);
    expect(state.moderators.size).toBe(2);
    expectSameOnEveryPeer(s.events);
  });
});

describe('THREATS 27: an event dated far in the future', () => {
  it('a future-dated vote is held back, not applied early', async () => {
    const now = T0 + HOUR;
    const p = await s.propose(founder, { type: 'rules.change', rules: 'Soon' });
    await s.vote(founder, p, 'yes', { at: now + LIMITS.futureSkewMs + 1 });
    expect(s.state(s.events, now).rules).toBe('');
    expect(s.state(s.events, now + 2 * LIMITS.futureSkewMs).rules).toBe('Soon');
  });
});

/** Random delivery orders (and partial deliveries completed later) give one state. */
function expectSameOnEveryPeer(events: SignedEvent[]) {
  const expected = serialiseGovernance(s.state(events));
  fc.assert(
    fc.property(
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      (order) => {
        expect(serialiseGovernance(s.state(order))).toBe(expected);
      },
    ),
    { numRuns: 1000 },
  );
}
