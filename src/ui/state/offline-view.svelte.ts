/**
 * A community's OfflineHandle as reactive state, shared through context so any post on screen
 * can say whether a peer has it yet. Reading a getter inside a template subscribes to the
 * handle; with no handle (test handles) nothing is unseen and nothing fails.
 */
import { getContext, setContext } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import type { EventId } from '../../shared/ids';
import type { OfflineHandle } from '../offline-api';

const KEY = Symbol('offline-view');

export class OfflineView {
  readonly handle: OfflineHandle | undefined;
  #subscribe;

  constructor(handle: OfflineHandle | undefined) {
    this.handle = handle;
    this.#subscribe = createSubscriber((update) => handle?.subscribe(update));
  }

  unseen(id: EventId): boolean {
    this.#subscribe();
    return this.handle?.unseen(id) ?? false;
  }

  get unseenCount(): number {
    this.#subscribe();
    return this.handle?.unseenCount() ?? 0;
  }

  get saveProblem(): string | null {
    this.#subscribe();
    return this.handle?.saveProblem() ?? null;
  }
}

export function setOfflineView(view: OfflineView): void {
  setContext(KEY, view);
}

/** The open community's OfflineView, or one that knows nothing outside a community page. */
export function getOfflineView(): OfflineView {
  return getContext<OfflineView | undefined>(KEY) ?? new OfflineView(undefined);
}
