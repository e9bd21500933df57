/**
 * Counters for /metrics in Prometheus text format. Labels are fixed reason names from this
 * file's callers, never anything a client sent, so a client cannot grow the label set.
 */
import type { RelayErrorReason } from '../src/shared/signal-protocol';

export type FrameRefusal = RelayErrorReason;

export type DisconnectReason =
  | 'client_closed'
  | 'frame_too_big'
  | 'protocol_error'
  | 'rate_limited'
  | 'slow_consumer'
  | 'heartbeat'
  | 'shutdown';

export type UpgradeRefusal =
  | 'bad_path'
  | 'origin_not_allowed'
  | 'too_many_from_address'
  | 'too_many_connections'
  | 'shutting_down';

export class RelayMetrics {
  connections = 0;
  connectionsAccepted = 0;
  messagesIn = 0;
  bytesIn = 0;
  messagesOut = 0;
  bytesOut = 0;
  publishes = 0;
  /** Publishes delivered to a random sample of their topic (`sample`), not to all. */
  sampledPublishes = 0;
  redisMessagesIn = 0;
  redisMessagesOut = 0;
  redisErrors = 0;
  readonly frameRefusals = new Map<FrameRefusal, number>();
  readonly disconnects = new Map<DisconnectReason, number>();
  readonly upgradeRefusals = new Map<UpgradeRefusal, number>();

  count<K>(map: Map<K, number>, key: K): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  render(gauges: { topics: number }): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const byReason = <K extends string>(map: Map<K, number>): Array<[string, number]> =>
      [...map].map(([reason, n]) => [`{reason="${reason}"}`, n]);

    metric('moot_relay_connections', 'gauge', 'Open WebSocket connections.', [
      ['', this.connections],
    ]);
    metric('moot_relay_topics', 'gauge', 'Topics with at least one local subscriber.', [
      ['', gauges.topics],
    ]);
    metric('moot_relay_connections_accepted_total', 'counter', 'WebSocket connections accepted.', [
      ['', this.connectionsAccepted],
    ]);
    metric('moot_relay_messages_in_total', 'counter', 'Frames received from clients.', [
      ['', this.messagesIn],
    ]);
    metric('moot_relay_bytes_in_total', 'counter', 'Payload bytes received from clients.', [
      ['', this.bytesIn],
    ]);
    metric('moot_relay_messages_out_total', 'counter', 'Frames sent to clients.', [
      ['', this.messagesOut],
    ]);
    metric('moot_relay_bytes_out_total', 'counter', 'Payload bytes sent to clients.', [
      ['', this.bytesOut],
    ]);
    metric('moot_relay_publishes_total', 'counter', 'Publishes accepted from local clients.', [
      ['', this.publishes],
    ]);
    metric(
      'moot_relay_sampled_publishes_total',
      'counter',
      'Publishes delivered to a random sample of their topic.',
      [['', this.sampledPublishes]],
    );
    metric('moot_relay_redis_messages_total', 'counter', 'Publishes exchanged through Redis.', [
      ['{direction="in"}', this.redisMessagesIn],
      ['{direction="out"}', this.redisMessagesOut],
    ]);
    metric('moot_relay_redis_errors_total', 'counter', 'Redis errors and failed publishes.', [
      ['', this.redisErrors],
    ]);
    metric(
      'moot_relay_frames_refused_total',
      'counter',
      'Client frames dropped, by reason.',
      byReason(this.frameRefusals),
    );
    metric(
      'moot_relay_disconnects_total',
      'counter',
      'Connections closed, by reason.',
      byReason(this.disconnects),
    );
    metric(
      'moot_relay_upgrades_refused_total',
      'counter',
      'WebSocket upgrades refused, by reason.',
      byReason(this.upgradeRefusals),
    );
    const memory = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [
      ['', memory.rss],
    ]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [['', memory.heapUsed]]);
    return lines.join('\n') + '\n';
  }
}
