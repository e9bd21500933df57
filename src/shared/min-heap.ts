/**
 * A binary min-heap of indices into `keys`, smallest key first: the ready set of a topological
 * sort, ordered by id. Holding indices rather than the keys themselves lets the caller go from
 * a popped item straight to its slot in its own arrays, without a lookup by key.
 */
export class MinHeap {
  private items: number[] = [];

  constructor(private readonly keys: readonly string[]) {}

  get size(): number {
    return this.items.length;
  }

  push(item: number): void {
    const a = this.items;
    const keys = this.keys;
    const key = keys[item]!;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[a[parent]!]! <= key) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  /** The index with the smallest key, removed; -1 when empty. */
  pop(): number {
    const a = this.items;
    if (a.length === 0) return -1;
    const keys = this.keys;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length === 0) return top;
    const key = keys[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let smallest = key;
      if (l < a.length && keys[a[l]!]! < smallest) {
        m = l;
        smallest = keys[a[l]!]!;
      }
      if (r < a.length && keys[a[r]!]! < smallest) m = r;
      if (m === i) break;
      a[i] = a[m]!;
      i = m;
    }
    a[i] = last;
    return top;
  }
}
