/** A binary min-heap of strings: the ready set of a topological sort, smallest id first. */
export class MinHeap {
  private items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: string): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= item) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let smallest = last;
      if (l < a.length && a[l]! < smallest) {
        m = l;
        smallest = a[l]!;
      }
      if (r < a.length && a[r]! < smallest) m = r;
      if (m === i) break;
      a[i] = a[m]!;
      i = m;
    }
    a[i] = last;
    return top;
  }
}
