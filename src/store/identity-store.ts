/**
 * This browser profile's identity. The private key is a non-extractable CryptoKey: IndexedDB
 * stores the key object itself (structured clone), never its bytes.
 */
import { createStore, get, set } from 'idb-keyval';
import { generateIdentity, type Identity } from '../community/identity';

let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('moot-identity', 'keys'));
const KEY = 'identity';

let loading: Promise<Identity> | null = null;

/** The profile's identity, created on first use. Two tabs racing may both create one; the first stored wins. */
export function loadOrCreateIdentity(): Promise<Identity> {
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
