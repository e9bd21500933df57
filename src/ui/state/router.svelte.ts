/** The current hash route as reactive state (hashchange → createSubscriber). */
import { createSubscriber } from 'svelte/reactivity';
import { on } from 'svelte/events';
import { parseRoute, type Route } from '../routes';

export class Router {
  #subscribe = createSubscriber((update) => on(window, 'hashchange', update));

  get route(): Route {
    this.#subscribe();
    return parseRoute(window.location.hash);
  }

  /** Go to a hash route, adding a history entry (or replacing the current one). */
  navigate(hash: string, options: { replace?: boolean } = {}): void {
    if (options.replace) window.location.replace(hash);
    else window.location.hash = hash;
  }
}
