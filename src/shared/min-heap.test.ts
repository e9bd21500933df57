import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap';

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('MinHeap', () => {
  it('is empty at first', () => {
    const heap = new MinHeap([]);
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBe(-1);
  });

  it('pops every index pushed, smallest key first, equal keys included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 60 }), (keys) => {
        const heap = new MinHeap(keys);
        keys.forEach((_, i) => heap.push(i));
        expect(heap.size).toBe(keys.length);
        const popped: number[] = [];
        for (let i = heap.pop(); i !== -1; i = heap.pop()) popped.push(i);
        expect(popped.map((i) => keys[i])).toEqual([...keys].sort(byCodeUnit));
        expect(new Set(popped).size).toBe(keys.length);
        expect(heap.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('always pops an index of the smallest key held, with pushes and pops interleaved', () => {
    const op = fc.oneof(fc.constant(null), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const keys = ops.filter((o): o is string => o !== null);
        const heap = new MinHeap(keys);
        const model: string[] = [];
        let next = 0;
        for (const o of ops) {
          if (o === null) {
            model.sort(byCodeUnit);
            const popped = heap.pop();
            expect(popped === -1 ? undefined : keys[popped]).toBe(model.shift());
          } else {
            heap.push(next++);
            model.push(o);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
