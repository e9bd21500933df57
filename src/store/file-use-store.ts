/**
 * This browser's bookkeeping of shared files it holds: when each was last used and whether the
 * person asked to keep it available (a pin). Local on purpose, never an event: keeping a copy is
 * a choice about this device's disk, which no other member needs to know or may overrule
 * (docs/files.md). Its own small database, so the block store's records stay what the swarm
 * writes atomically with the blocks.
 */
import { createStore, del, getMany, set, type UseStore } from 'idb-keyval';
import type { EventId } from '../shared/ids';

export interface FileUse {
  /** ms since epoch: stored, finished downloading, opened or saved. */
  lastUsed: number;
  /** "Keep available": never cleaned up automatically. */
  pinned: boolean;
}

let store: UseStore | null = null;
const uses = (): UseStore => (store ??= createStore('moot-file-use', 'use'));

/** The records of these files, null where there is none. */
export const loadUses = async (ids: EventId[]): Promise<(FileUse | null)[]> =>
  (await getMany<FileUse | undefined>(ids, uses())).map((u) => u ?? null);

export const saveUse = (id: EventId, use: FileUse): Promise<void> => set(id, use, uses());

export const deleteUse = (id: EventId): Promise<void> => del(id, uses());
