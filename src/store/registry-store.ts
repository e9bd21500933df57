/** The communities this browser has joined, with what it needs to reconnect to each. */
import { createStore, del, get, values, set } from 'idb-keyval';
import type { CommunityId, EventId } from '../shared/ids';

export interface JoinedCommunity {
  id: CommunityId;
  /** Last known name, for the home screen before the doc loads. */
  name: string;
  secret: Uint8Array;
  relays: string[];
  joinedAt: number;
  /** The invite this browser can hand out (the founder's first invite, or the one it joined by). */
  invite: { seed: Uint8Array; event: EventId } | null;
  /** The display name chosen when joining; written as the profile once the join is admitted. */
  pendingName?: string;
}

let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('moot-registry', 'communities'));

export const listJoined = (): Promise<JoinedCommunity[]> => values<JoinedCommunity>(store());
export const getJoined = (id: CommunityId): Promise<JoinedCommunity | undefined> =>
  get<JoinedCommunity>(id, store());
export const saveJoined = (entry: JoinedCommunity): Promise<void> => set(entry.id, entry, store());
export const forgetJoined = (id: CommunityId): Promise<void> => del(id, store());
