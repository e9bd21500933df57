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

  it('has full peers answer about as often as peers with room, and shed only past the maximum', () => {
    const topology = createTopology({ degree: 3 });
    expect(topology.maxDegree).toBe(4);
    const members = 1_000;
    const withRoom = topology.broadcastAnswerChance(3, FIRST_ANSWER_PROBABILITY, members);
    const full = topology.broadcastAnswerChance(4, FIRST_ANSWER_PROBABILITY, members);
    // A newcomer's first announce draws its links from the whole community, full peers too.
    expect(full).toBeCloseTo(withRoom, 10);
    expect(full * (members - 1)).toBeCloseTo(3, 5);
    // Later announces ask peers with room more often, not full ones (each costs a link).
    expect(topology.broadcastAnswerChance(4, 1, members)).toBe(full);
    expect(topology.broadcastAnswerChance(3, 1, members)).toBeGreaterThan(10 * full);
    // A full peer of unknown size never replaces a link.
    expect(topology.broadcastAnswerChance(4, 1, 0)).toBe(0);
    expect(topology.overLinked(4)).toBe(false);
    expect(topology.overLinked(5)).toBe(true);
  });

  it('makes up for an announce the relay gave to a sample: as many answers as without it', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const topology = createTopology({ degree: 6, random });
    const members = 5_000;
    const heard = topology.announceSample;
    const reach = heard / (members - 1);
    let answers = 0;
    const announces = 2_000;
    for (let i = 0; i < announces; i++)
      for (let j = 0; j < heard; j++)
        if (topology.answersBroadcast(3, FIRST_ANSWER_PROBABILITY, members, reach)) answers++;
    // About `degree` answers per announce, as when all 4,999 others hear it (first test).
    expect(answers / announces).toBeGreaterThan(5.5);
    expect(answers / announces).toBeLessThan(6.5);
    expect(heard).toBeLessThan(members / 20);
  });
});
