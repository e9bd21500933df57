import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../community/governance/policy';
import type { MemberId } from '../shared/ids';
import { describeChange, describePolicy, timeLeft } from './governance-format';

const HOUR = 3_600_000;

describe('governance words', () => {
  it('say how long voting stays open', () => {
    expect(timeLeft(1000, 2000)).toBe('voting closed');
    expect(timeLeft(30_000, 0)).toBe('less than a minute left');
    expect(timeLeft(12 * 60_000 + 5, 0)).toBe('12 min left');
    expect(timeLeft(5 * HOUR, 0)).toBe('5 h left');
    expect(timeLeft(7 * 24 * HOUR, 0)).toBe('7 days left');
  });

  it('name members in what a proposal does', () => {
    const nameOf = (m: MemberId) => (m === 'b' ? 'Bob' : '?');
    expect(describeChange({ type: 'member.ban', member: 'b' as MemberId }, nameOf)).toBe('Ban Bob');
    expect(describeChange({ type: 'meta.change', name: 'Growers', description: '' }, nameOf)).toBe(
      'Call the community “Growers”',
    );
  });

  it('describe the default policy', () => {
    expect(describePolicy(DEFAULT_POLICY)).toContain(
      'A proposal passes when more than 50% of those who may vote say yes.',
    );
    expect(describePolicy(DEFAULT_POLICY)).toContain('Voting stays open for 7 days.');
  });
});
