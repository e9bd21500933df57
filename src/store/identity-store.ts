/**
 * This browser profile's identity. IndexedDB stores the CryptoKey object itself (structured
 * clone), never its bytes. Keys made since identity backups exist are extractable, so they
 * can be sealed under a passphrase (docs/identity-backup.md); older ones are not.
 */
import { createStore, get, set } from 'idb-keyval';
import { generateIdentity, type Identity } from '../community/identity';

let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('moot-identity', 'keys'));
const KEY = 'identity';

let loading: Promise<Identity> | null = null;

/** Tells this profile's other tabs that the identity changed, so they read it again. */
let changes: BroadcastChannel | null = null;
function listenForChanges(): BroadcastChannel | null {
  if (!changes && typeof BroadcastChannel !== 'undefined') {
    changes = new BroadcastChannel('moot-identity');
    changes.onmessage = () => (loading = null);
  }
  return changes;
}

/** The profile's identity, created on first use. Two tabs racing may both create one; the first stored wins. */
export function loadOrCreateIdentity(): Promise<Identity> {
  listenForChanges();
  loading ??= (async () => {
    const s = store();
    const existing = await get<Identity>(KEY, s);
    if (existing) return existing;
    const fresh = await generateIdentity();
    await set(KEY, fresh, s);
    return (await get<Identity>(KEY, s)) ?? fresh;
  })();
  return loading;
}

/** Makes `identity` this profile's identity (a restored backup). Callers check it is safe. */
export async function replaceIdentity(identity: Identity): Promise<void> {
  await set(KEY, identity, store());
  loading = Promise.resolve(identity);
  // Communities already open in another tab keep the old identity until that tab reloads.
  listenForChanges()?.postMessage('changed');
}
