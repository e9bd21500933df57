/**
 * Scale-out: relays that share a Redis share topics. Each relay subscribes to a Redis channel
 * only while it has a local subscriber for that topic, and publishes every accepted publish
 * once. Frames carry the origin relay's id so a relay never delivers its own publish twice.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from './log';
import type { RelayMetrics } from './metrics';

const CHANNEL_PREFIX = 'moot:signal:';
const ID_LENGTH = 32;

export interface RedisBridge {
  opened(topic: string): void;
  closed(topic: string): void;
  publish(topic: string, frame: Buffer): void;
  close(): Promise<void>;
}

export interface RedisBridgeOptions {
  url: string;
  /** Hands a frame from another relay to this relay's local subscribers. */
  deliver(topic: string, frame: Buffer): void;
  maxFrameBytes: number;
  metrics: RelayMetrics;
  log: Logger;
}

export async function startRedisBridge(options: RedisBridgeOptions): Promise<RedisBridge> {
  const { metrics, log } = options;
  const id = randomBytes(ID_LENGTH / 2).toString('hex');
  const idBytes = Buffer.from(id);
  // Publishes fail fast while Redis is away rather than queueing without bound; local
  // subscribers are still served. Subscriptions queue (bounded by topics) and ioredis
  // restores them on reconnect.
  const publisher = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  const subscriber = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: null });

  for (const [role, connection] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    // The URL may hold a password: log the role and the error code only.
    connection.on('error', (error: NodeJS.ErrnoException) => {
      metrics.redisErrors += 1;
      log('redis_error', { role, code: error.code ?? 'unknown' });
    });
    connection.on('ready', () => log('redis_ready', { role }));
  }

  subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    // Redis is the operator's own infrastructure, but a frame we forward must still look like one.
    if (message.length <= ID_LENGTH || message.length > options.maxFrameBytes * 2 + ID_LENGTH) {
      return;
    }
    if (message.subarray(0, ID_LENGTH).equals(idBytes)) return;
    const frame = message.subarray(ID_LENGTH);
    if (frame[0] !== 0x7b /* { */) return;
    metrics.redisMessagesIn += 1;
    options.deliver(channel.toString('utf8').slice(CHANNEL_PREFIX.length), frame);
  });

  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw new Error(`cannot reach Redis: ${(error as Error).message}`);
  }

  const ignore = () => {
    metrics.redisErrors += 1;
  };
  return {
    opened(topic) {
      subscriber.subscribe(CHANNEL_PREFIX + topic).catch(ignore);
    },
    closed(topic) {
      subscriber.unsubscribe(CHANNEL_PREFIX + topic).catch(ignore);
    },
    publish(topic, frame) {
      metrics.redisMessagesOut += 1;
      publisher.publish(CHANNEL_PREFIX + topic, Buffer.concat([idBytes, frame])).catch(ignore);
    },
    async close() {
      await Promise.all([publisher, subscriber].map(closeConnection));
    },
  };
}

/** QUIT flushes what is in flight; while Redis is away it would wait forever, so cut instead. */
async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') return connection.disconnect();
  const timer = setTimeout(() => connection.disconnect(), 1_000);
  await connection.quit().catch(() => connection.disconnect());
  clearTimeout(timer);
}
