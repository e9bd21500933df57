/** "Now", re-read every tick while anything on screen shows a relative time. */
import { createSubscriber } from 'svelte/reactivity';

export class Clock {
  #subscribe;

  constructor(intervalMs: number) {
    this.#subscribe = createSubscriber((update) => {
      const timer = setInterval(update, intervalMs);
      return () => clearInterval(timer);
    });
  }

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

/** Relative times ("5 min ago") are coarse; refreshing twice a minute is plenty. */
export const clock = new Clock(30_000);
