/**
 * Vitest environment for rune-state specs (`*.svelte.spec.ts`): Node globals, but modules are
 * transformed for the client, so `$effect` and `createSubscriber` behave as in the browser. The
 * default node environment compiles Svelte for the server, where effects never run.
 */
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
