/**
 * Checks remote updates in Workers (validate-worker.ts), each within a time budget, so that
 * neither a decoder bomb (THREATS.md line 11, Yjs issue 687) nor a large honest sync holds the
 * page's thread. A Worker that overruns its budget is terminated and the update refused with
 * a plain reason; the mesh then drops and refuses the peer that sent it like any invalid update.
 *
 * A large update is split into one slice of entries per Worker (validate-update.ts `part`):
 * Chromium runs an Ed25519 verify on the thread that asks for it (measured per thread: the
 * raw baseline's verifies cost the page's own thread 1.6 s of CPU, and nothing else), so two
 * Workers verify on two cores at once. Each Worker checks one slice at a time, so an overrun is
 * always the fault of the update it belongs to, never of one queued beside it, and with two
 * Workers one slow update does not hold back the next peer's small one.
 *
 * Where Workers cannot run (Node, the unit tests) or the Worker script fails to load, updates
 * are checked on this thread as before, without a time bound; mesh/decode-budget.ts still
 * bounds what Yjs may build.
 */
import type { CommunityId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { validateUpdate } from './validate-update';
import type { ValidateReply, ValidateRequest } from './validate-worker';

/** What the pool needs of a Worker; tests pass their own. */
export interface ValidatorWorker {
  postMessage(message: ValidateRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<ValidateReply | 'ready'>) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface ValidatorPoolOptions {
  /** Workers; default one per core, 2–4. */
  size?: number;
  /** Slices a large update is split into; default one per Worker. */
  slices?: number;
  /** Creates a Worker running validate-worker.ts; null when Workers are not available. */
  spawn?: (() => ValidatorWorker) | null;
  /** How long one slice of an update of this many bytes may take. */
  budgetMs?: (bytes: number) => number;
}

export interface ValidatorPool {
  /** The number of events the update adds, or the first reason it breaks the rules. */
  validate(update: Uint8Array, community: CommunityId): Promise<Result<number>>;
  /**
   * Starts the Workers now, so a community's first sync (a newcomer's whole doc) does not also
   * wait for their scripts to load and compile. Call when a session opens.
   */
  warm(): void;
  destroy(): void;
}

/**
 * Generous: an honest 11.6 MiB sync of 20,000 events took 21 s on one thread of this machine
 * at a load average of 25, and a timed-out honest peer would be refused for 10 minutes.
 */
const BASE_BUDGET_MS = 5_000;
const BUDGET_MS_PER_KIB = 2;
/** Smaller updates (a live post is < 1 KiB) go to one Worker: splitting costs a decode each. */
const SPLIT_BYTES = 64 * 1024;

export const TOO_SLOW = 'update takes too long to check';

interface Job {
  update: Uint8Array;
  community: CommunityId;
  parts: number;
  events: number;
  left: number;
  settled: boolean;
  resolve: (result: Result<number>) => void;
}

interface Part {
  job: Job;
  index: number;
}

interface Slot {
  worker: ValidatorWorker | null;
  /** The Worker said it loaded: an error after this is the running slice's fault. */
  ready: boolean;
  running: { part: Part; id: number; timer: ReturnType<typeof setTimeout> } | null;
}

const defaultSpawn = (): ValidatorWorker =>
  new Worker(new URL('./validate-worker.ts', import.meta.url), {
    type: 'module',
  }) as ValidatorWorker;

export function createValidatorPool(options: ValidatorPoolOptions = {}): ValidatorPool {
  const spawn =
    options.spawn !== undefined
      ? options.spawn
      : typeof Worker === 'undefined'
        ? null
        : defaultSpawn;
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  const size = options.size ?? Math.max(2, Math.min(4, cores));
  const slices = Math.min(size, options.slices ?? size);
  const budgetMs =
    options.budgetMs ?? ((bytes: number) => BASE_BUDGET_MS + (bytes / 1024) * BUDGET_MS_PER_KIB);
  const slots: Slot[] = Array.from({ length: size }, () => ({
    worker: null,
    ready: false,
    running: null,
  }));
  const queue: Part[] = [];
  let inline = spawn === null;
  let nextId = 0;

  function settle(job: Job, result: Result<number>): void {
    if (job.settled) return;
    job.settled = true;
    job.resolve(result);
    if (result.ok) return;
    // The rest of a refused update is wasted work: drop its queued slices, stop its running ones.
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.job === job) queue.splice(i, 1);
    for (const slot of slots) if (slot.running?.part.job === job) stop(slot);
  }

  function finish(part: Part, result: Result<number>): void {
    const { job } = part;
    if (!result.ok) return settle(job, result);
    job.events += result.value;
    if (--job.left === 0) settle(job, ok(job.events));
  }

  /** Terminates the slot's Worker; a new one is started when the slot is next used. */
  function stop(slot: Slot): void {
    if (slot.running) clearTimeout(slot.running.timer);
    slot.running = null;
    slot.worker?.terminate();
    slot.worker = null;
    slot.ready = false;
  }

  function start(slot: Slot): ValidatorWorker {
    const worker = spawn!();
    worker.onmessage = ({ data }) => {
      if (data === 'ready') {
        slot.ready = true;
        return;
      }
      const running = slot.running;
      if (running === null || data.job !== running.id) return;
      clearTimeout(running.timer);
      slot.running = null;
      finish(running.part, data.result);
      pump();
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      const running = slot.running;
      const loaded = slot.ready;
      stop(slot);
      if (!loaded) {
        // The script did not load (no module Workers, a CSP): check here, as without Workers.
        inline = true;
        if (running) queue.unshift(running.part);
      } else if (running) {
        // It died on this slice, most likely out of memory: the update's doing.
        finish(running.part, err('update could not be checked'));
      }
      pump();
    };
    return worker;
  }

  function run(slot: Slot, part: Part): void {
    const worker = slot.worker ?? (slot.worker = start(slot));
    const id = ++nextId;
    const timer = setTimeout(() => {
      stop(slot);
      settle(part.job, err(TOO_SLOW));
      pump();
    }, budgetMs(part.job.update.length));
    slot.running = { part, id, timer };
    worker.postMessage({
      job: id,
      update: part.job.update,
      community: part.job.community,
      part: { index: part.index, of: part.job.parts },
    });
  }

  function runInline(part: Part): void {
    const { job } = part;
    validateUpdate(job.update, job.community, { index: part.index, of: job.parts }).then(
      (checked) => finish(part, checked.ok ? ok(checked.value.length) : checked),
      (e: unknown) => finish(part, err(`validator failed: ${(e as Error)?.message ?? String(e)}`)),
    );
  }

  function pump(): void {
    while (queue.length > 0) {
      if (inline) {
        runInline(queue.shift()!);
        continue;
      }
      const idle = slots.find((slot) => slot.running === null);
      if (idle === undefined) return;
      run(idle, queue.shift()!);
    }
  }

  return {
    validate(update, community) {
      // Structured cloning copies a view's whole buffer: send only the update's bytes.
      const own =
        update.byteOffset === 0 && update.byteLength === update.buffer.byteLength
          ? update
          : update.slice();
      return new Promise((resolve) => {
        const parts = update.length >= SPLIT_BYTES ? slices : 1;
        const job: Job = {
          update: own,
          community,
          parts,
          events: 0,
          left: parts,
          settled: false,
          resolve,
        };
        for (let index = 0; index < parts; index++) queue.push({ job, index });
        pump();
      });
    },

    warm() {
      if (inline) return;
      for (const slot of slots) slot.worker ??= start(slot);
    },

    destroy() {
      for (const slot of slots) {
        const job = slot.running?.part.job;
        stop(slot);
        if (job) settle(job, err('validator closed'));
      }
      for (const part of queue.splice(0)) settle(part.job, err('validator closed'));
    },
  };
}

let shared: ValidatorPool | undefined;

/** One pool for the page: its Workers and their caches of keys serve every community. */
export function sharedValidatorPool(): ValidatorPool {
  return (shared ??= createValidatorPool());
}
