/**
 * Simulated time for mesh-sim.ts. With real timers, thousands of peers sharing one event loop
 * (on a machine shared with other work) deliver a message when the loop gets to it, seconds
 * late, not after the 20–80 ms the model says: which copy of an update arrives first, and so
 * the hops it took, then depended on the machine's load (measured: hops 1–2.5 s apart at 1,000
 * peers with a load average of 10). On this clock an event runs at its simulated time however
 * long the CPU takes, as it would with every peer on its own machine.
 *
 * Events due within one millisecond run together, then the promise jobs they started (the
 * sync engine validates and applies updates asynchronously) settle before the clock moves on.
 */
export interface VirtualClock {
  /** Simulated ms since the start. */
  now(): number;
  /** Runs `fn` after `ms` of simulated time; returns a handle for `cancel`. */
  later(ms: number, fn: () => void): number;
  cancel(handle: number | undefined): void;
  /** Runs every event due in the next `ms` of simulated time. */
  advance(ms: number): Promise<void>;
  /** Forgets every pending event. */
  clear(): void;
}

interface Event {
  at: number;
  seq: number;
  fn: () => void;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createVirtualClock(): VirtualClock {
  /** A binary min-heap on (at, seq): equal times run in the order they were scheduled. */
  const heap: Event[] = [];
  const cancelled = new Set<number>();
  let now = 0;
  let seq = 0;

  const before = (a: Event, b: Event): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

  function push(event: Event): void {
    heap.push(event);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  function pop(): Event | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }

  return {
    now: () => now,
    later(ms, fn) {
      if (!Number.isFinite(ms)) throw new Error(`virtual clock: ${ms} ms`);
      const id = seq++;
      push({ at: now + Math.max(0, ms), seq: id, fn });
      return id;
    },
    cancel(handle) {
      if (handle !== undefined) cancelled.add(handle);
    },
    async advance(ms) {
      const until = now + ms;
      while (heap.length > 0 && heap[0]!.at <= until) {
        const windowEnd = heap[0]!.at + 1;
        while (heap.length > 0 && heap[0]!.at < windowEnd && heap[0]!.at <= until) {
          const event = pop()!;
          now = Math.max(now, event.at);
          if (cancelled.delete(event.seq)) continue;
          event.fn();
        }
        await settle();
      }
      now = until;
    },
    clear() {
      heap.length = 0;
      cancelled.clear();
    },
  };
}
