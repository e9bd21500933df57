/**
 * Topic → subscribers. A topic exists only while someone holds it, so memory follows live
 * subscriptions, not every topic ever named. The hooks let a scale-out bridge follow along.
 */
export interface TopicHooks {
  /** First local subscriber arrived. */
  opened?(topic: string): void;
  /** Last local subscriber left; the topic is gone. */
  closed?(topic: string): void;
}

export class TopicTable<Subscriber> {
  private readonly topics = new Map<string, Set<Subscriber>>();

  constructor(private readonly hooks: TopicHooks = {}) {}

  get size(): number {
    return this.topics.size;
  }

  /** Returns false when `subscriber` already held the topic. */
  add(topic: string, subscriber: Subscriber): boolean {
    let subscribers = this.topics.get(topic);
    if (!subscribers) {
      subscribers = new Set();
      this.topics.set(topic, subscribers);
      this.hooks.opened?.(topic);
    } else if (subscribers.has(subscriber)) {
      return false;
    }
    subscribers.add(subscriber);
    return true;
  }

  remove(topic: string, subscriber: Subscriber): void {
    const subscribers = this.topics.get(topic);
    if (!subscribers?.delete(subscriber)) return;
    if (subscribers.size === 0) {
      this.topics.delete(topic);
      this.hooks.closed?.(topic);
    }
  }

  subscribers(topic: string): ReadonlySet<Subscriber> | undefined {
    return this.topics.get(topic);
  }

  topicNames(): IterableIterator<string> {
    return this.topics.keys();
  }
}
