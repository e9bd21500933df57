import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap';

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('MinHeap', () => {
  it('is empty at first', () => {
    const heap = new MinHeap();
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
  });

  it('pops everything pushed, smallest first, duplicates included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 60 }), (items) => {
        const heap = new MinHeap();
        for (const item of items) heap.push(item);
        expect(heap.size).toBe(items.length);
        const popped: string[] = [];
        for (let s = heap.pop(); s !== undefined; s = heap.pop()) popped.push(s);
        expect(popped).toEqual([...items].sort(byCodeUnit));
        expect(heap.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('always pops the smallest item held, with pushes and pops interleaved', () => {
    const op = fc.oneof(fc.constant(null), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const heap = new MinHeap();
        const model: string[] = [];
        for (const o of ops) {
          if (o === null) {
            model.sort(byCodeUnit);
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.push(o);
            model.push(o);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
