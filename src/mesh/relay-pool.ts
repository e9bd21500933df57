/**
 * All configured relays at once, as one: subscribe the topic on each, publish to each, and pass
 * a message on once even when several relays deliver it. Several relays mean no single relay
 * operator can cut a community off; deduplication keeps that from multiplying the work.
 */
import {
  createSignalingClient,
  type SignalingClient,
  type SignalingClientOptions,
} from './signaling-client';
import type { RelayStatus } from './types';

export interface RelayPoolOptions {
  relays: string[];
  topic: string;
  /** Our inbox topic (signal-crypto.ts): what is addressed to us alone. */
  inbox?: string;
  /**
   * A publish on the topic, delivered once however many relays carried it. Untrusted. `reach`:
   * the fraction of the topic the relay that carried it sent it to (signaling-client.ts).
   */
  onMessage: (data: unknown, reach: number) => void;
  /** A relay connected or disconnected. */
  onStatus: (url: string, connected: boolean) => void;
  /** Passed to every client (WebSocket constructor, timings). */
  client?: Partial<Omit<SignalingClientOptions, 'url' | 'onMessage' | 'onStatus'>>;
  /** How long a delivered message is remembered for deduplication. */
  dedupeWindowMs?: number;
  /** Bound on remembered messages. */
  dedupeMax?: number;
}

export interface RelayPool {
  /**
   * Publishes on every relay that is connected; false if none was. `sample`: see the client.
   * `topic`: another peer's inbox instead of the community topic.
   */
  publish(data: string, sample?: number, topic?: string): boolean;
  /** Publishes on one relay (used to announce on a relay that just came back). */
  publishTo(url: string, data: string, sample?: number): boolean;
  status(): RelayStatus[];
  destroy(): void;
}

export function createRelayPool(options: RelayPoolOptions): RelayPool {
  const { topic, dedupeWindowMs = 60_000, dedupeMax = 2_000 } = options;
  const ours = new Set([topic, ...(options.inbox === undefined ? [] : [options.inbox])]);
  // Insertion-ordered: the oldest entries come first and are pruned first.
  const seen = new Map<string, number>();

  function firstDelivery(data: unknown): boolean {
    // Moot publishes the same ciphertext to every relay; random IVs make distinct messages distinct.
    if (typeof data !== 'string') return true;
    const now = Date.now();
    for (const [key, at] of seen) {
      if (now - at < dedupeWindowMs && seen.size < dedupeMax) break;
      seen.delete(key);
    }
    if (seen.has(data)) return false;
    seen.set(data, now);
    return true;
  }

  const clients: SignalingClient[] = [...new Set(options.relays)].map((url) => {
    const client = createSignalingClient({
      ...options.client,
      url,
      onMessage: (messageTopic, data, reach) => {
        if (ours.has(messageTopic) && firstDelivery(data)) options.onMessage(data, reach);
      },
      onStatus: (connected) => options.onStatus(url, connected),
    });
    client.subscribe([...ours]);
    return client;
  });

  return {
    publish(data, sample, to = topic) {
      // Our own message comes back from every relay; recognise it as already delivered.
      seen.set(data, Date.now());
      let any = false;
      for (const client of clients) any = client.publish(to, data, sample) || any;
      return any;
    },
    publishTo(url, data, sample) {
      return clients.find((c) => c.url === url)?.publish(topic, data, sample) ?? false;
    },
    status: () => clients.map((c) => ({ url: c.url, connected: c.connected() })),
    destroy() {
      for (const client of clients) client.destroy();
      seen.clear();
    },
  };
}
