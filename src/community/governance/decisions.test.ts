/** Proposals from creation to decision: what passes, what fails, what each change does. */
import { beforeEach, describe, expect, it } from 'vitest';
import { makeMember, type TestMember } from '../test-helpers';
import { DEFAULT_POLICY } from './policy';
import { HOUR, idOf, Scenario } from './scenario';
import {
  hiddenNotice,
  moderationLog,
  proposalsForDisplay,
  shownStatus,
  awaitingVote,
  visiblePosts,
} from './selectors';
import { tally } from './tally';

let s: Scenario;
let founder: TestMember;

beforeEach(async () => {
  s = await Scenario.found();
  founder = s.founder;
});

/** Makes every member part of the electorate; the founder alone passes it. */
async function membersVote(threshold = 50) {
  const policy = {
    ...DEFAULT_POLICY,
    electorate: 'members' as const,
    threshold,
    votingPeriod: HOUR,
  };
  await s.vote(founder, await s.propose(founder, { type: 'policy.change', policy }), 'yes');
}

describe('a proposal', () => {
  it("passes on the founder's yes when the moderators (just the founder) decide", async () => {
    const p = await s.propose(founder, { type: 'rules.change', rules: 'Be kind. Be brief.' });
    expect(s.state().proposals.get(p.id)).toMatchObject({
      status: 'open',
      deadline: p.event.at + DEFAULT_POLICY.votingPeriod,
      electorate: [idOf(founder)],
      needed: 1,
    });
    const yes = await s.vote(founder, p, 'yes');
    const state = s.state();
    expect(state.rules).toBe('Be kind. Be brief.');
    expect(state.proposals.get(p.id)).toMatchObject({
      status: 'passed',
      decidedBy: yes.id,
      noEffect: null,
    });
    expect(state.log).toEqual([
      { kind: 'proposal.passed', id: yes.id, proposal: p.id, at: yes.event.at },
    ]);
  });

  it('fails as soon as yes can no longer reach the threshold, and later votes change nothing', async () => {
    const [a, b] = await s.members(2);
    await membersVote();
    const p = await s.propose(a!, { type: 'rules.change', rules: 'R' });
    await s.vote(founder, p, 'no');
    expect(s.state().proposals.get(p.id)?.status).toBe('open');
    await s.vote(b!, p, 'abstain'); // 2 of 3 needed; at most 1 yes is left
    await s.vote(a!, p, 'yes');
    const state = s.state();
    expect(state.proposals.get(p.id)?.status).toBe('failed');
    expect(tally(state.proposals.get(p.id)!)).toEqual({
      yes: 0,
      no: 1,
      abstain: 1,
      notVoted: 1,
      needed: 2,
      electorate: 3,
    });
    expect(state.rules).toBe('');
    expect(state.log.at(-1)).toMatchObject({ kind: 'proposal.failed', proposal: p.id });
  });

  it('changes the policy, the name and the moderators', async () => {
    const [a] = await s.members(1);
    await s.vote(
      founder,
      await s.propose(founder, { type: 'meta.change', name: 'Growers', description: 'Soil' }),
      'yes',
    );
    await s.vote(
      founder,
      await s.propose(founder, { type: 'moderator.add', member: idOf(a!) }),
      'yes',
    );
    const state = s.state();
    expect(state.meta).toMatchObject({ name: 'Growers', description: 'Soil' });
    expect([...state.moderators].sort()).toEqual([idOf(founder), idOf(a!)].sort());
    // Now the electorate is two moderators: one yes is no longer enough.
    const p = await s.propose(founder, { type: 'rules.change', rules: 'R' });
    await s.vote(founder, p, 'yes');
    expect(s.state().proposals.get(p.id)).toMatchObject({ status: 'open', needed: 2 });
  });

  it('never removes the last moderator', async () => {
    const p = await s.propose(founder, { type: 'moderator.remove', member: idOf(founder) });
    await s.vote(founder, p, 'yes');
    const state = s.state();
    expect(state.moderators.has(idOf(founder))).toBe(true);
    expect(state.proposals.get(p.id)).toMatchObject({
      status: 'passed',
      noEffect: 'it would leave no moderators',
    });
  });

  it('is not opened when its change makes no sense now', async () => {
    const [a] = await s.members(1);
    const stranger = idOf(await makeMember());
    const unban = await s.propose(founder, { type: 'member.unban', member: idOf(a!) });
    const addTwice = await s.propose(founder, { type: 'moderator.add', member: idOf(founder) });
    const banStranger = await s.propose(founder, { type: 'member.ban', member: stranger });
    const state = s.state();
    for (const p of [unban, addTwice, banStranger]) expect(state.proposals.has(p.id)).toBe(false);
  });
});

describe('moderator actions', () => {
  it('hide and unhide a post with reasons, all in the log', async () => {
    const [a] = await s.members(1);
    const post = await s.write(a!, 'post.create', { text: 'Buy cheap watches' });
    const hide = await s.write(founder, 'post.hide', { post: post.id, reason: 'Spam' });
    expect(s.state().hidden.get(post.id)).toMatchObject({
      by: idOf(founder),
      reason: 'Spam',
      id: hide.id,
    });
    await s.write(founder, 'post.unhide', { post: post.id, reason: 'It was a joke' });
    const state = s.state();
    expect(state.hidden.size).toBe(0);
    expect(state.log.map((e) => e.kind)).toEqual(['post.hide', 'post.unhide']);
  });
});

describe('selectors', () => {
  it('show an open proposal past its deadline as failed, in the log, and no longer awaiting votes', async () => {
    const [a] = await s.members(1);
    await membersVote();
    const p = await s.propose(founder, { type: 'rules.change', rules: 'R' });
    const state = s.state();
    const proposal = state.proposals.get(p.id)!;
    const before = proposal.deadline - 1;
    const after = proposal.deadline + 1;
    expect(shownStatus(proposal, before)).toBe('open');
    expect(shownStatus(proposal, after)).toBe('failed');
    expect(awaitingVote(state, idOf(a!), before).map((x) => x.id)).toEqual([p.id]);
    expect(awaitingVote(state, idOf(a!), after)).toEqual([]);
    expect(moderationLog(state, after)[0]).toMatchObject({
      kind: 'proposal.expired',
      proposal: p.id,
    });
    expect(moderationLog(state, before).some((e) => e.kind === 'proposal.expired')).toBe(false);
    expect(proposalsForDisplay(state, before)[0]?.id).toBe(p.id);
  });

  it('tell who may expand a hidden post', async () => {
    const [a] = await s.members(1);
    const post = await s.write(a!, 'post.create', { text: 'x' });
    await s.write(founder, 'post.hide', { post: post.id, reason: 'Off topic' });
    expect(hiddenNotice(s.state(), post.id, idOf(a!))).toEqual({
      reason: 'Off topic',
      canExpand: true,
    });
    const policy = { ...DEFAULT_POLICY, showHidden: false };
    await s.vote(founder, await s.propose(founder, { type: 'policy.change', policy }), 'yes');
    expect(hiddenNotice(s.state(), post.id, idOf(a!))?.canExpand).toBe(false);
    expect(hiddenNotice(s.state(), post.id, idOf(founder))?.canExpand).toBe(true);
  });

  it("leave a banned member's posts out of the feed", async () => {
    const [a] = await s.members(1);
    await s.write(a!, 'post.create', { text: 'mine' });
    expect(visiblePosts(s.state()).map((p) => p.text)).toContain('mine');
    await s.vote(
      founder,
      await s.propose(founder, { type: 'member.ban', member: idOf(a!) }),
      'yes',
    );
    const state = s.state();
    expect(state.posts.map((p) => p.text)).toContain('mine');
    expect(visiblePosts(state).map((p) => p.text)).not.toContain('mine');
  });
});
