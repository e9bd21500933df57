/**
 * Seeds of the invites this browser created, so their links can be shown again. A seed is the
 * invite's private key: it never enters the community doc, only this profile's IndexedDB.
 */
import { createStore, entries, set } from 'idb-keyval';
import type { CommunityId } from '../shared/ids';

let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('moot-invite-seeds', 'seeds'));

/** Keyed by the invite's public key, which is known before its event is written. */
const keyOf = (community: CommunityId, publicKey: string) => `${community}/${publicKey}`;

export const saveInviteSeed = (
  community: CommunityId,
  publicKey: string,
  seed: Uint8Array,
): Promise<void> => set(keyOf(community, publicKey), seed, store());

/** Invite public key → seed, for one community. */
export async function loadInviteSeeds(community: CommunityId): Promise<Map<string, Uint8Array>> {
  const prefix = `${community}/`;
  const seeds = new Map<string, Uint8Array>();
  for (const [key, seed] of await entries<string, Uint8Array>(store())) {
    if (key.startsWith(prefix) && seed instanceof Uint8Array)
      seeds.set(key.slice(prefix.length), seed);
  }
  return seeds;
}
