import { describe, expect, it } from 'vitest';
import { createTopology, FIRST_ANSWER_PROBABILITY } from './topology';

describe('topology answer chances', () => {
  const topology = createTopology({ degree: 6 });

  it('brings a first announce about `degree` answers at any community size', () => {
    for (const members of [200, 1_000, 5_000, 100_000]) {
      const answers = topology.answerChance(FIRST_ANSWER_PROBABILITY, members) * (members - 1);
      expect(answers).toBeCloseTo(6, 5);
    }
  });

  it('answers everyone in a community of up to degree + 1 members', () => {
    for (const members of [1, 2, 7])
      expect(topology.answerChance(FIRST_ANSWER_PROBABILITY, members)).toBe(1);
  });

  it('keeps the announcer’s ramp in small communities and when the size is unknown', () => {
    expect(topology.answerChance(1 / 4, 50)).toBe(1 / 4);
    expect(topology.answerChance(1 / 16, 0)).toBe(1 / 16);
    expect(topology.answerChance(1 / 16, Infinity)).toBe(1 / 16);
  });

  it('lets only full peers replace a link, and sheds only past the maximum', () => {
    const always = createTopology({ degree: 3, random: () => 0 });
    expect(always.maxDegree).toBe(4);
    expect(always.replacesLink(3, 1)).toBe(false);
    expect(always.replacesLink(4, 1)).toBe(true);
    expect(always.overLinked(4)).toBe(false);
    expect(always.overLinked(5)).toBe(true);
  });
});
