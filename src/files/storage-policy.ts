/**
 * What to clean up when other members' files pass the storage budget set in Settings, and the
 * totals shown beside it. Pure, so the policy is tested apart from IndexedDB and the swarm.
 *
 * The budget covers other members' files that are not pinned: my own shared files are the
 * community's only copy until someone fetches them, and a pin ("Keep available") is the
 * person's explicit choice, so neither is ever removed automatically nor counted against it.
 * Over budget, the least recently used go first (LRU: a file opened or fetched lately is the
 * one most likely wanted again). A file mid-download counts — its blocks are arriving — but is
 * never removed: that would throw away work the person or the auto-download just started.
 */
import type { EventId } from '../shared/ids';

export interface HeldFile {
  id: EventId;
  storedBytes: number;
  /** ms since epoch. */
  lastUsed: number;
  pinned: boolean;
  /** Shared by me. */
  mine: boolean;
  /** Blocks are being fetched now. */
  downloading: boolean;
}

/** Ids to free, in the order to free them, so what is left fits `budget` bytes if it can. */
export function filesToFree(files: readonly HeldFile[], budget: number): EventId[] {
  const counted = files.filter((f) => !f.mine && !f.pinned && f.storedBytes > 0);
  let total = counted.reduce((sum, f) => sum + f.storedBytes, 0);
  const freed: EventId[] = [];
  const oldestFirst = counted
    .filter((f) => !f.downloading)
    .sort((a, b) => a.lastUsed - b.lastUsed || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const file of oldestFirst) {
    if (total <= budget) break;
    freed.push(file.id);
    total -= file.storedBytes;
  }
  return freed;
}

export interface StorageTotals {
  /** Everything of this community's files stored here. */
  total: number;
  mine: number;
  pinned: number;
  /** Other members' unpinned files: what the budget covers. */
  others: number;
}

export function storageTotals(
  files: readonly Pick<HeldFile, 'storedBytes' | 'pinned' | 'mine'>[],
): StorageTotals {
  const totals = { total: 0, mine: 0, pinned: 0, others: 0 };
  for (const f of files) {
    totals.total += f.storedBytes;
    if (f.mine) totals.mine += f.storedBytes;
    else if (f.pinned) totals.pinned += f.storedBytes;
    else totals.others += f.storedBytes;
  }
  return totals;
}
