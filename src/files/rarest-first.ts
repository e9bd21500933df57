/**
 * Which block to ask a peer for next (swarm.ts): of the blocks it holds that we neither have
 * nor have asked for, the one the fewest peers hold, so rare blocks spread before they can be
 * lost with the peer that has them. Pure; the swarm keeps the state.
 */
import type { Bitfield } from './bitfield';
import type { SwarmFile } from './swarm-api';

/** How many of `holders` hold each of a file's `blocks` blocks. */
export function countHolders(blocks: number, holders: readonly Bitfield[]): number[] {
  const rarity = new Array<number>(blocks).fill(0);
  for (const bits of holders) for (let i = 0; i < blocks; i++) if (bits.has(i)) rarity[i]!++;
  return rarity;
}

/** The rarest block `theirs` holds that `wanted` accepts, or -1 if none. */
export function rarestBlock(
  theirs: Bitfield,
  rarity: readonly number[],
  wanted: (index: number) => boolean,
): number {
  let best = -1;
  for (let i = 0; i < rarity.length; i++) {
    if (!theirs.has(i) || !wanted(i)) continue;
    if (best === -1 || rarity[i]! < rarity[best]!) best = i;
  }
  return best;
}

/** Bytes of block `index` of `file` (the last block is usually shorter). */
export function blockBytes(file: SwarmFile, index: number): number {
  return Math.max(0, Math.min(file.blockSize, file.size - index * file.blockSize));
}
