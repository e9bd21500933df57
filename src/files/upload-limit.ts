/**
 * The upload limit (Settings → Shared files): a token bucket over the bytes of file blocks this
 * page sends, to every peer of every open community together. Only blocks wait for it
 * (block-server.ts); posts, sync and the block protocol's small messages never do.
 *
 * Why a member wants one: on a real link the uplink is what a seeder runs out of, and a seeder
 * sending at full speed fills it for everything else the person does. Capped, it still serves
 * steadily: the blocks asked for wait here, each asker's request window (request-window.ts)
 * sees the wait as queueing and settles at about TARGET_QUEUE_MS of this seeder's rate, so a
 * downloader keeps every seeder busy and takes more from the faster ones.
 *
 * The bucket may go into debt by one send: a block is let through whenever the bucket is not
 * empty, and its bytes are then owed. A block larger than the bucket (blocks reach 8 MiB) can
 * pass that way, and the long-run rate is still the limit.
 */

/** After an idle spell, at most this much of the limit's time goes out at once. */
const BURST_MS = 100;
/** A waiting block looks at the limit again at least this often, so a new limit applies soon. */
const MAX_SLEEP_MS = 250;

export class UploadLimit {
  /** Bytes per second; 0 means no limit. */
  #rate = 0;
  #tokens = 0;
  #at: number;

  constructor(private readonly now: () => number) {
    this.#at = now();
  }

  get bytesPerSecond(): number {
    return this.#rate;
  }

  /** Sets the limit in bytes per second; 0 (or anything not positive) lifts it. */
  set(bytesPerSecond: number): void {
    this.#refill();
    const wasUnlimited = this.#rate === 0;
    this.#rate = Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytesPerSecond : 0;
    // Coming from no limit, the bucket starts full: nothing was owed.
    this.#tokens = wasUnlimited ? this.#burst() : Math.min(this.#tokens, this.#burst());
  }

  /**
   * 0 if `bytes` may go now (they are counted against the limit), else how many ms to wait
   * before asking again (nothing is counted).
   */
  tryTake(bytes: number): number {
    if (this.#rate === 0) return 0;
    this.#refill();
    if (this.#tokens < 0) return Math.ceil((-this.#tokens / this.#rate) * 1000);
    this.#tokens -= bytes;
    return 0;
  }

  /** Resolves once `bytes` may go, and counts them. */
  async take(bytes: number): Promise<void> {
    for (let ms = this.tryTake(bytes); ms > 0; ms = this.tryTake(bytes))
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_SLEEP_MS)));
  }

  #burst(): number {
    return (this.#rate * BURST_MS) / 1000;
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(this.#burst(), this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
  }
}
