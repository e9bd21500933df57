import { describe, expect, it } from 'vitest';
import type { EventId } from '../shared/ids';
import { filesToFree, storageTotals, type HeldFile } from './storage-policy';

const MB = 1000 * 1000;
const file = (
  id: string,
  mb: number,
  lastUsed: number,
  more: Partial<HeldFile> = {},
): HeldFile => ({
  id: id as EventId,
  storedBytes: mb * MB,
  lastUsed,
  pinned: false,
  mine: false,
  downloading: false,
  ...more,
});

describe('automatic clean-up of other members’ files', () => {
  it('removes nothing while within the budget', () => {
    expect(filesToFree([file('a', 4, 1), file('b', 6, 2)], 10 * MB)).toEqual([]);
  });

  it('removes the least recently used first, only as many as needed', () => {
    const files = [file('new', 5, 300), file('old', 5, 100), file('mid', 5, 200)];
    expect(filesToFree(files, 10 * MB)).toEqual(['old']);
    expect(filesToFree(files, 6 * MB)).toEqual(['old', 'mid']);
    expect(filesToFree(files, 0)).toEqual(['old', 'mid', 'new']);
  });

  it('removes partly downloaded (paused) files like complete ones', () => {
    const files = [file('paused', 3, 50), file('done', 8, 400)];
    expect(filesToFree(files, 8 * MB)).toEqual(['paused']);
  });

  it('never removes my own shared files, nor counts them', () => {
    const files = [file('mine', 50, 1, { mine: true }), file('theirs', 5, 2)];
    expect(filesToFree(files, 10 * MB)).toEqual([]);
    expect(filesToFree(files, 0)).toEqual(['theirs']);
  });

  it('never removes a pinned file, nor counts it', () => {
    const files = [file('kept', 50, 1, { pinned: true }), file('other', 5, 2)];
    expect(filesToFree(files, 10 * MB)).toEqual([]);
    expect(filesToFree(files, 0)).toEqual(['other']);
  });

  it('never removes a file mid-download, though its blocks count', () => {
    const files = [file('fetching', 8, 1, { downloading: true }), file('a', 4, 2), file('b', 4, 3)];
    // 16 MB held: the download stays; the oldest others go until it fits, or none are left.
    expect(filesToFree(files, 12 * MB)).toEqual(['a']);
    expect(filesToFree(files, 5 * MB)).toEqual(['a', 'b']);
  });

  it('skips files with nothing stored', () => {
    expect(filesToFree([file('empty', 0, 1), file('a', 4, 2)], 0)).toEqual(['a']);
  });

  it('breaks a tie in last use by id, the same on every run', () => {
    expect(filesToFree([file('b', 5, 1), file('a', 5, 1)], 5 * MB)).toEqual(['a']);
  });
});

describe('storage totals', () => {
  it('split what is stored into mine, pinned and the budgeted rest', () => {
    expect(
      storageTotals([
        { storedBytes: 1, mine: true, pinned: false },
        { storedBytes: 2, mine: true, pinned: true },
        { storedBytes: 4, mine: false, pinned: true },
        { storedBytes: 8, mine: false, pinned: false },
      ]),
    ).toEqual({ total: 15, mine: 3, pinned: 4, others: 8 });
  });
});
