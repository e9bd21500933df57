/**
 * Test-only: runs validate-worker.ts in a Node worker thread, where there is no `onmessage` or
 * `postMessage` global, so that validate-pool.test.ts can hang a real Worker on a real decoder
 * bomb.
 */
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
const scope = globalThis as unknown as {
  postMessage: (message: unknown) => void;
  onmessage: ((event: { data: unknown }) => void) | null;
};
scope.onmessage = null;
scope.postMessage = (message) => port.postMessage(message);
await import('./validate-worker');
// Only now: a browser queues a Worker's messages until its script has run.
port.on('message', (data: unknown) => scope.onmessage!({ data }));
