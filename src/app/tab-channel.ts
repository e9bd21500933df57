/**
 * Two tabs of one profile in one community (THREATS.md line 36). Each tab has its own Y.Doc,
 * clientID and mesh; without this a post written in one tab would reach the other only through
 * a peer or a reload. Every update a tab's doc takes (its own writes, and what its peers sent)
 * goes out on a BroadcastChannel named for the community; the other tabs check it with the same
 * validator as a peer's update before applying it — a page of this origin could post anything
 * on the channel — and never send it on again, so nothing loops.
 *
 * The sending tab has stored the update already, so receivers apply it with the doc store's
 * STORED_BY_ANOTHER_TAB origin and do not store it twice (doc-store.ts).
 */
import * as Y from 'yjs';
import { sharedValidatorPool } from '../community/validate-pool';
import type { CommunityId } from '../shared/ids';
import { STORED_BY_ANOTHER_TAB } from '../store/doc-store';

export const tabChannelName = (community: CommunityId) => `moot-doc-${community}`;

/**
 * Starts sharing `doc`'s updates with other tabs; returns the function that stops it. Updates
 * go out from when `loaded` resolves: the doc's load from the store is no news to other tabs,
 * and with a listener Yjs would encode the whole stored doc once more just to tell it.
 */
export function shareWithOtherTabs(
  community: CommunityId,
  doc: Y.Doc,
  loaded: Promise<void> = Promise.resolve(),
): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(tabChannelName(community));
  let closed = false;

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== STORED_BY_ANOTHER_TAB) channel.postMessage(update);
  };
  void loaded.then(() => {
    if (!closed) doc.on('update', onUpdate);
  });

  channel.onmessage = async ({ data }: MessageEvent<unknown>) => {
    if (!(data instanceof Uint8Array)) return;
    const checked = await sharedValidatorPool().validate(data, community);
    if (closed) return;
    if (!checked.ok) {
      console.warn(`Ignored an update from another tab that breaks the rules (${checked.error}).`);
      return;
    }
    // Yjs holds an update whose predecessors have not arrived yet, so order does not matter.
    Y.applyUpdate(doc, data, STORED_BY_ANOTHER_TAB);
  };

  return () => {
    closed = true;
    doc.off('update', onUpdate);
    channel.close();
  };
}
