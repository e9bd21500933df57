/** Download speed over the last few seconds: what a file's progress bar shows beside it. */
const WINDOW_MS = 3_000;

export class SpeedMeter {
  private received: { at: number; bytes: number }[] = [];

  constructor(private readonly now: () => number) {}

  record(bytes: number): void {
    this.received.push({ at: this.now(), bytes });
  }

  /** Bytes per second over the window; forgets what fell out of it. */
  bytesPerSecond(): number {
    const since = this.now() - WINDOW_MS;
    this.received = this.received.filter((r) => r.at >= since);
    const bytes = this.received.reduce((sum, r) => sum + r.bytes, 0);
    return bytes / (WINDOW_MS / 1000);
  }
}
