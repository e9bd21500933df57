import { describe, expect, it } from 'vitest';
import { comparePeers, digestOf, hashStateVector, parseDigest } from './sync-digest';

const sv = (...pairs: [number, number][]) => new Map(pairs);

describe('sync digest', () => {
  it('hashes state vectors independently of entry order, and tells different ones apart', () => {
    expect(hashStateVector(sv([1, 5], [2 ** 52 + 3, 7]))).toBe(
      hashStateVector(sv([2 ** 52 + 3, 7], [1, 5])),
    );
    expect(hashStateVector(sv([1, 5]))).not.toBe(hashStateVector(sv([1, 6])));
    expect(hashStateVector(sv([2 ** 52 + 1, 5]))).not.toBe(hashStateVector(sv([1, 5])));
  });

  it('counts only peers with an equal state vector as up to date', () => {
    const ours = digestOf(sv([1, 5], [2, 3]), []);
    const same = digestOf(sv([2, 3], [1, 5]), []);
    const behind = digestOf(sv([1, 5]), []);
    expect(comparePeers(ours, [same, behind], null)).toEqual({
      upToDate: 1,
      progress: null,
      start: null,
    });
  });

  it('reports catch-up progress from where it started to the furthest peer', () => {
    const peer = digestOf(sv([1, 100]), []);
    const first = comparePeers(digestOf(sv([9, 1]), []), [peer], null);
    expect(first.progress).toEqual({ done: 0, total: 99 });
    const later = comparePeers(digestOf(sv([9, 1], [1, 40]), []), [peer], first.start);
    expect(later.progress).toEqual({ done: 40, total: 99 });
    const done = comparePeers(digestOf(sv([1, 100]), []), [peer], later.start);
    expect(done).toEqual({ upToDate: 1, progress: null, start: null });
  });

  it('lists recent clients exactly and refuses malformed digests', () => {
    const digest = digestOf(sv([1, 5], [2, 3]), [2, 7]);
    expect(digest.r).toEqual([[2, 3]]);
    expect(parseDigest(JSON.parse(JSON.stringify(digest)))).toEqual(digest);
    expect(parseDigest({ h: 'x', n: -1, r: [] })).toBeNull();
    expect(parseDigest({ h: 'x', n: 1, r: [[1]] })).toBeNull();
    expect(parseDigest({ h: 'x', n: 1, r: new Array(300).fill([1, 1]) })).toBeNull();
    expect(parseDigest('nope')).toBeNull();
  });
});
