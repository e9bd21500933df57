/**
 * For each community, the highest clock any peer was seen to hold for each of this browser's
 * own writing sessions (Yjs clientIDs). It is what lets a reload, offline, still tell which of
 * our posts some peer already has and which are "not yet seen by any peer".
 */
import { createStore, del, get, set } from 'idb-keyval';
import type { CommunityId } from '../shared/ids';

let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('moot-seen', 'clocks'));

export async function loadSeen(community: CommunityId): Promise<Map<number, number>> {
  const pairs = await get<[number, number][]>(community, store());
  return new Map(Array.isArray(pairs) ? pairs : []);
}

export const saveSeen = (community: CommunityId, seen: Map<number, number>): Promise<void> =>
  set(community, [...seen], store());

export const forgetSeen = (community: CommunityId): Promise<void> => del(community, store());
