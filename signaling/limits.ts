/**
 * Every bound the relay enforces, in one place, so the CLI, the docs and the tests agree on
 * names and defaults. Each exists because an unbounded version lets one client hurt the others
 * (THREATS.md, Relay 1–7).
 */
export interface RelayLimits {
  /** Largest WebSocket message accepted; larger closes that socket with 1009. */
  maxFrameBytes: number;
  /** Sustained frames per second per connection (token bucket refill). Every frame costs one. */
  messagesPerSecond: number;
  /** Frames a connection may send in a burst before the rate applies. */
  messageBurst: number;
  /** Topics one connection may hold at once. */
  maxTopicsPerConnection: number;
  /** Open WebSockets from one client address. */
  maxConnectionsPerAddress: number;
  /** Open WebSockets in total. */
  maxConnections: number;
  /** A receiver whose unsent backlog passes this is dropped rather than buffered without bound. */
  maxBufferedBytes: number;
  /** Ping interval; a client that has not answered the previous ping by the next is evicted. */
  heartbeatMs: number;
  /** Time allowed to send complete HTTP request headers. */
  headersTimeoutMs: number;
  /** Time allowed to send a complete HTTP request. */
  requestTimeoutMs: number;
  /** Largest total size of HTTP request headers (Node answers 431 past it). */
  maxHeaderBytes: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxFrameBytes: 64 * 1024,
  // A peer joining a busy room sends an announce plus offer/answer/candidates for up to ~35
  // peers at once; the burst covers that, the rate covers steady trickle ICE.
  messagesPerSecond: 100,
  messageBurst: 400,
  maxTopicsPerConnection: 256,
  maxConnectionsPerAddress: 64,
  maxConnections: 20_000,
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 30_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxHeaderBytes: 16 * 1024,
};

const monotonicNow = () => performance.now();

/**
 * Lazy-refill token bucket: no timers, so a million idle connections cost nothing.
 * `now` is injectable for tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = monotonicNow,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
