import { describe, expect, it } from 'vitest';
import { Bitfield } from './bitfield';
import { blockBytes, countHolders, rarestBlock } from './rarest-first';

const holding = (size: number, ...blocks: number[]) => {
  const bits = new Bitfield(size);
  for (const b of blocks) bits.set(b);
  return bits;
};

describe('rarest first', () => {
  it('asks a peer for the block the fewest peers hold, among those still wanted', () => {
    const a = holding(4, 0, 1, 2, 3);
    const b = holding(4, 0, 1, 3);
    const c = holding(4, 0, 3);
    const rarity = countHolders(4, [a, b, c]);
    expect(rarity).toEqual([3, 2, 1, 3]);
    expect(rarestBlock(a, rarity, () => true)).toBe(2);
    // Block 2 is asked for already: the next rarest.
    expect(rarestBlock(a, rarity, (i) => i !== 2)).toBe(1);
    // C holds nothing still wanted.
    expect(rarestBlock(c, rarity, (i) => i === 1 || i === 2)).toBe(-1);
  });

  it('counts the last block at what is left of the file', () => {
    const file = { blockSize: 100, size: 250 } as Parameters<typeof blockBytes>[0];
    expect([0, 1, 2, 3].map((i) => blockBytes(file, i))).toEqual([100, 100, 50, 0]);
  });
});
