/**
 * How many bytes of block requests one peer may have outstanding: a delay-based window, after
 * LEDBAT (RFC 6817).
 *
 * Why not a fixed window: every block we asked for sits, until it is handled, in front of any
 * post on the same ordered channel — in the sender's channel buffer, in SCTP, and in our own
 * page's queue of received messages, which has no back-pressure at all. A fixed 8 MiB window
 * on a 1.3 MiB/s link kept ~5 s of blocks ahead of every post. So we aim for a small, measured
 * queue instead: each block's round trip (request sent → block here) minus the quickest round
 * trip seen lately is the time it spent queued. Under TARGET_QUEUE_MS the window grows (about
 * doubling per round trip when the queue is empty), over it the window shrinks (about halving
 * per round trip at twice the target). It settles where the link stays busy with roughly
 * TARGET_QUEUE_MS of blocks queued — what a post sent meanwhile waits behind.
 *
 * The base is the quickest round trip seen on this connection, never forgotten: a base that
 * may rise (LEDBAT's ten-minute history) rises to whatever the queue is while the window stays
 * open, and the window then grows without end. A base too low only costs speed, not posts.
 */

export const TARGET_QUEUE_MS = 250;
/** Upper bound whatever the measurements say. */
export const MAX_WINDOW_BYTES = 8 * 1024 * 1024;
export class RequestWindow {
  /** Bytes allowed in flight; the caller never goes under two blocks (see `allows`). */
  bytes = 0;
  #base = Infinity;

  /** May `inflight + blockSize` bytes be outstanding? Two blocks always may, to pipeline. */
  allows(inflight: number, blockSize: number): boolean {
    return inflight + blockSize <= Math.max(this.bytes, 2 * blockSize);
  }

  /** A requested block of `size` bytes arrived `rttMs` after we asked for it. */
  onBlock(size: number, rttMs: number, blockSize: number): void {
    this.#base = Math.min(this.#base, rttMs);
    const queued = rttMs - this.#base;
    const off = Math.max(-1, Math.min(1, (TARGET_QUEUE_MS - queued) / TARGET_QUEUE_MS));
    const floor = 2 * blockSize;
    this.bytes = Math.min(MAX_WINDOW_BYTES, Math.max(floor, this.bytes + off * size));
  }

  /** A request went unanswered: back off as for a long queue. */
  onTimeout(blockSize: number): void {
    this.bytes = Math.max(2 * blockSize, this.bytes / 2);
  }
}
