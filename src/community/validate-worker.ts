/**
 * Runs the update validator off the page's thread (validate-pool.ts). Decoding a peer's update,
 * parsing and hashing its events and verifying their signatures all happen here: in Chromium an
 * Ed25519 verify runs on the thread that asks for it, so on the page's thread a 20,000-event sync
 * froze the page for seconds, and a decoder bomb could freeze it for longer. A Worker that
 * overruns its budget is terminated by the pool.
 *
 * Out first: 'ready', once loaded (the pool tells a script that failed to load from one that
 * died on an update). In: { job, update, community, part }. Out: { job, result } — the number of
 * events checked, or the first reason the update breaks the rules (validate-update.ts).
 */
import type { CommunityId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { validateUpdate, type UpdatePart } from './validate-update';

export interface ValidateRequest {
  job: number;
  update: Uint8Array;
  community: CommunityId;
  part: UpdatePart;
}

export interface ValidateReply {
  job: number;
  result: Result<number>;
}

onmessage = async ({ data }: MessageEvent<ValidateRequest>) => {
  let result: Result<number>;
  try {
    const checked = await validateUpdate(data.update, data.community, data.part);
    result = checked.ok ? ok(checked.value.length) : checked;
  } catch (e) {
    result = err(`validator failed: ${(e as Error)?.message ?? String(e)}`);
  }
  postMessage({ job: data.job, result } satisfies ValidateReply);
};

postMessage('ready');
