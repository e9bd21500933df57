/**
 * When I last looked at each community and at each of its threads, for unread markers. Local to
 * this browser; never synced (what I have read is nobody else's business).
 */
import { createStore, get, set } from 'idb-keyval';
import type { CommunityId, EventId } from '../shared/ids';

export interface Visits {
  /** Start of my previous visit to the community (ms since epoch); 0 if never. */
  lastVisit: number;
  /** Threads opened since then, with when. Older entries are dropped: lastVisit covers them. */
  threads: Record<EventId, number>;
}

let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('moot-visits', 'visits'));

export async function loadVisits(id: CommunityId): Promise<Visits> {
  const saved = await get<Visits>(id, store());
  return saved ?? { lastVisit: 0, threads: {} };
}

export const saveVisits = (id: CommunityId, visits: Visits): Promise<void> =>
  set(id, visits, store());
