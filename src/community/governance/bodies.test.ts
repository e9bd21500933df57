import { describe, expect, it } from 'vitest';
import { validateBody } from '../bodies';
import { DEFAULT_POLICY } from './policy';

const ID = 'A'.repeat(43);

describe('governance bodies', () => {
  it('accepts each kind of proposal', () => {
    const changes = [
      { type: 'rules.change', rules: 'Be kind.' },
      { type: 'moderator.add', member: ID },
      { type: 'moderator.remove', member: ID },
      { type: 'member.ban', member: ID },
      { type: 'member.unban', member: ID },
      { type: 'policy.change', policy: DEFAULT_POLICY },
      { type: 'meta.change', name: 'Gardeners', description: '' },
    ];
    for (const change of changes)
      expect(validateBody('proposal.create', { change, reason: 'why' })).toEqual({
        ok: true,
        value: undefined,
      });
  });

  it.each([
    [{ change: { type: 'rules.change', rules: 'x' }, reason: '' }, 'reason is empty'],
    [{ change: { type: 'coup', member: ID }, reason: 'r' }, 'change type is unknown'],
    [{ change: { type: 'member.ban', member: 'me' }, reason: 'r' }, 'member is malformed'],
    [
      { change: { type: 'member.ban', member: ID, extra: 1 }, reason: 'r' },
      'unexpected field extra',
    ],
    [
      {
        change: { type: 'policy.change', policy: { ...DEFAULT_POLICY, threshold: 101 } },
        reason: 'r',
      },
      'threshold is not a whole percent',
    ],
    [
      {
        change: { type: 'policy.change', policy: { ...DEFAULT_POLICY, votingPeriod: 1 } },
        reason: 'r',
      },
      'votingPeriod is out of range',
    ],
    [
      {
        change: { type: 'policy.change', policy: { ...DEFAULT_POLICY, electorate: 'me' } },
        reason: 'r',
      },
      'electorate is not one of moderators, members',
    ],
    [{ change: { type: 'meta.change', name: '', description: '' }, reason: 'r' }, 'name is empty'],
  ])('refuses a malformed proposal %#', (body, error) => {
    expect(validateBody('proposal.create', body)).toEqual({ ok: false, error });
  });

  it('checks votes and moderator actions', () => {
    expect(validateBody('vote.cast', { proposal: ID, choice: 'yes' }).ok).toBe(true);
    expect(validateBody('vote.cast', { proposal: ID, choice: 'maybe' }).ok).toBe(false);
    expect(validateBody('vote.cast', { proposal: 'x', choice: 'no' }).ok).toBe(false);
    expect(validateBody('post.hide', { post: ID, reason: 'spam' }).ok).toBe(true);
    expect(validateBody('post.unhide', { post: ID, reason: '' }).ok).toBe(false);
  });
});
