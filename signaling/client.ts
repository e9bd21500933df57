/**
 * One WebSocket client: its topics, its rate budget and its liveness. Everything it sends is
 * untrusted and goes through parseClientFrame; whatever goes wrong is answered on this socket
 * alone.
 */
import type { WebSocket } from 'ws';
import {
  RELAY_CLOSE_POLICY,
  type RelayErrorReason,
  type ServerMessage,
} from '../src/shared/signal-protocol';
import { parseClientFrame } from './frames';
import { TokenBucket, type RelayLimits } from './limits';
import type { Logger } from './log';
import type { DisconnectReason, RelayMetrics } from './metrics';
import type { FrameWriter } from './wire';

/** What a client needs from the relay around it. */
export interface ClientHost {
  limits: RelayLimits;
  metrics: RelayMetrics;
  writer: FrameWriter;
  log: Logger;
  subscribe(client: Client, topic: string): void;
  unsubscribe(client: Client, topic: string): void;
  publish(topic: string, data: unknown, sample?: number): void;
}

export class Client {
  readonly topics = new Set<string>();
  /** Cleared on each heartbeat, set by any sign of life; still clear at the next beat → evicted. */
  alive = true;
  private closeReason: DisconnectReason | null = null;
  private readonly bucket: TokenBucket;
  /** Frames refused in the current throttle episode; past a burst's worth the client is closed. */
  private throttled = 0;

  constructor(
    readonly ws: WebSocket,
    readonly address: string,
    private readonly host: ClientHost,
  ) {
    this.bucket = new TokenBucket(host.limits.messagesPerSecond, host.limits.messageBurst);
  }

  get closing(): boolean {
    return this.closeReason !== null;
  }

  receive(raw: Buffer, isBinary: boolean): void {
    if (this.closing) return;
    const { metrics, limits } = this.host;
    metrics.messagesIn += 1;
    metrics.bytesIn += raw.length;
    this.alive = true;

    if (!this.spend()) return;

    const parsed = parseClientFrame(raw, isBinary, limits.maxTopicsPerConnection);
    if (!parsed.ok) {
      metrics.count(metrics.frameRefusals, parsed.reason);
      this.refuse(parsed.reason);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ping':
        this.sendMessage({ type: 'pong' });
        return;
      case 'subscribe': {
        const fresh = message.topics.filter((topic) => !this.topics.has(topic));
        if (this.topics.size + new Set(fresh).size > limits.maxTopicsPerConnection) {
          metrics.count(metrics.frameRefusals, 'too_many_topics');
          this.refuse('too_many_topics');
          return;
        }
        for (const topic of fresh) this.host.subscribe(this, topic);
        return;
      }
      case 'unsubscribe':
        for (const topic of message.topics) this.host.unsubscribe(this, topic);
        return;
      case 'publish':
        metrics.publishes += 1;
        this.host.publish(message.topic, message.data, message.sample);
        return;
    }
  }

  /**
   * A WebSocket ping from the client. ws answers it on its own, so it bypasses `receive`; it
   * still costs a token, or a ping flood would be free.
   */
  receivePing(): void {
    if (this.closing) return;
    this.alive = true;
    this.spend();
  }

  /** Takes a token; when there is none, drops the frame, and closes a client that keeps on. */
  private spend(): boolean {
    if (this.bucket.take()) {
      this.throttled = 0;
      return true;
    }
    const { metrics, limits } = this.host;
    metrics.count(metrics.frameRefusals, 'rate_limited');
    if (this.throttled === 0) this.refuse('rate_limited');
    this.throttled += 1;
    if (this.throttled > limits.messageBurst) {
      this.host.log('client_rate_limited', { address: this.address });
      this.close('rate_limited', RELAY_CLOSE_POLICY, 'rate limit exceeded');
    }
    return false;
  }

  /**
   * Sends a publish encoded once for all its receivers; a receiver that stopped reading is
   * dropped rather than buffered without bound.
   */
  deliver(frame: Buffer, payload: Buffer): void {
    if (!this.canSend(frame.length)) return;
    this.host.metrics.messagesOut += 1;
    this.host.metrics.bytesOut += payload.length;
    this.host.writer.write(this.ws, frame, payload);
  }

  sendMessage(message: ServerMessage): void {
    const payload = Buffer.from(JSON.stringify(message));
    if (!this.canSend(payload.length)) return;
    this.host.metrics.messagesOut += 1;
    this.host.metrics.bytesOut += payload.length;
    this.ws.send(payload, { binary: false });
  }

  private canSend(bytes: number): boolean {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.host.writer.backlog(this.ws) + bytes > this.host.limits.maxBufferedBytes) {
      this.host.log('client_slow_consumer', { address: this.address });
      this.terminate('slow_consumer');
      return false;
    }
    return true;
  }

  close(reason: DisconnectReason, code: number, text: string): void {
    if (this.closing) return;
    this.closeReason = reason;
    this.ws.close(code, text);
  }

  /** For peers that cannot complete a close handshake: dead, or not reading. */
  terminate(reason: DisconnectReason): void {
    if (!this.closeReason) this.closeReason = reason;
    this.ws.terminate();
  }

  /** Marks why the socket went away if nothing else did (ws reports 1009 as an error). */
  noteFailure(reason: DisconnectReason): void {
    this.closeReason ??= reason;
  }

  /** Called once, when the socket has closed: frees its topics and counts why it went. */
  release(): DisconnectReason {
    for (const topic of [...this.topics]) this.host.unsubscribe(this, topic);
    return this.closeReason ?? 'client_closed';
  }

  private refuse(reason: RelayErrorReason): void {
    this.sendMessage({ type: 'error', reason });
  }
}
