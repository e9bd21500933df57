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
  /** The topics this relay holds now: after a reconnect, exactly these are subscribed again. */
  topics(): Iterable<string>;
  maxFrameBytes: number;
  metrics: RelayMetrics;
  log: Logger;
}

/** Publishes sent to Redis and not yet acknowledged; past this, new ones are dropped (counted). */
const MAX_PUBLISHES_IN_FLIGHT = 10_000;
const RESUBSCRIBE_BATCH = 1_000;

export async function startRedisBridge(options: RedisBridgeOptions): Promise<RedisBridge> {
  const { metrics, log } = options;
  const failed = () => {
    metrics.redisErrors += 1;
  };
  const id = randomBytes(ID_LENGTH / 2).toString('hex');
  const idBytes = Buffer.from(id);
  // Nothing queues while Redis is away, so nothing grows without bound: publishes fail fast
  // (local subscribers are still served) and subscription changes are skipped. A fresh
  // connection holds no subscriptions, so on every reconnect the subscriber subscribes to
  // exactly the topics held at that moment, rather than replaying what changed meanwhile.
  const offline = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  const publisher = new Redis(options.url, offline);
  const subscriber = new Redis(options.url, { ...offline, autoResubscribe: false });
  let inFlight = 0;
  let connectedOnce = false;

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
  subscriber.on('ready', () => {
    if (!connectedOnce) {
      connectedOnce = true;
      return;
    }
    const channels = [...options.topics()].map((topic) => CHANNEL_PREFIX + topic);
    for (let i = 0; i < channels.length; i += RESUBSCRIBE_BATCH) {
      subscriber.subscribe(...channels.slice(i, i + RESUBSCRIBE_BATCH)).catch(failed);
    }
  });

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

  return {
    opened(topic) {
      if (subscriber.status === 'ready') subscriber.subscribe(CHANNEL_PREFIX + topic).catch(failed);
    },
    closed(topic) {
      if (subscriber.status === 'ready') {
        subscriber.unsubscribe(CHANNEL_PREFIX + topic).catch(failed);
      }
    },
    publish(topic, frame) {
      if (publisher.status !== 'ready' || inFlight >= MAX_PUBLISHES_IN_FLIGHT) {
        metrics.redisErrors += 1;
        return;
      }
      inFlight += 1;
      metrics.redisMessagesOut += 1;
      publisher
        .publish(CHANNEL_PREFIX + topic, Buffer.concat([idBytes, frame]))
        .catch(failed)
        .finally(() => (inFlight -= 1));
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
