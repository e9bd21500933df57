import { describe, expect, it } from 'vitest';
import { votesNeeded } from './policy';

describe('votesNeeded', () => {
  it('is more than half by default', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => votesNeeded(n, 50))).toEqual([1, 2, 2, 3, 3, 6]);
  });

  it('means "more than threshold percent", with 100 meaning everyone and 0 meaning one', () => {
    expect(votesNeeded(3, 66)).toBe(2); // 2 of 3 is 66.7 %
    expect(votesNeeded(3, 67)).toBe(3);
    expect(votesNeeded(7, 100)).toBe(7);
    expect(votesNeeded(7, 0)).toBe(1);
  });
});
