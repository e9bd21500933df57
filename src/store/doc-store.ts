/**
 * Community docs persist in IndexedDB, one database per community, in y-indexeddb's layout
 * (store `updates`, auto-increment keys, one Yjs update per row), so docs written by earlier
 * builds still open. A large row is stored as a Blob (`Row`), which y-indexeddb and builds
 * before 2026-12-03 cannot read. What this adds over y-indexeddb (docs/offline.md):
 *
 * - One row per update, but updates that arrive while a write is queued join it: a burst (an
 *   initial sync, many posts) costs one transaction, not one each.
 * - Opening writes nothing. y-indexeddb stores the in-memory state on every open, so storage
 *   grows with each reload (its issue 31).
 * - Compaction: when rows pile up, every row (another tab's included) is read and folded into
 *   the doc, then one readwrite transaction deletes the rows read and writes the whole state as
 *   one row. IndexedDB transactions are atomic, so a crash or a full disk leaves the old rows
 *   intact.
 * - A failed write (QuotaExceededError) is reported, never thrown away: the doc keeps its
 *   in-memory state, per-update writes stop (a later row stored after a missing one would only
 *   sit there unusable), and `saveAll` writes the whole state once there is room again.
 */
import * as Y from 'yjs';
import type { CommunityId } from '../shared/ids';

const STORE = 'updates';
/** Rows found on open above which the doc is compacted straight away. */
export const COMPACT_ON_OPEN_ROWS = 32;
/** Rows written in one session above which it is compacted (after a quiet moment). */
export const COMPACT_WHILE_OPEN_ROWS = 256;
const COMPACT_DELAY_MS = 2000;

export interface StoredSize {
  rows: number;
  bytes: number;
}

export interface PersistedDoc {
  /** The last write's failure (e.g. 'QuotaExceededError'), or null while all is saved. */
  readonly failure: DOMException | Error | null;
  /** Called when `failure` changes. */
  onChange(listener: () => void): () => void;
  /** Resolves when every write so far has landed; rejects with the failure if one did not. */
  flush(): Promise<void>;
  /** Writes the whole doc as one row in place of all others (compaction, and recovery). */
  saveAll(): Promise<void>;
  /** What is stored right now, read from IndexedDB. */
  size(): Promise<StoredSize>;
  /**
   * Applies the stored rows to the doc, once. persistDoc does it itself unless told to load
   * later (app/open-doc.ts: the state is derived from the rows first).
   */
  load(): Promise<void>;
  /** Resolves once `load` has finished, or failed (it reports its failure itself). */
  readonly loaded: Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Origin of an update another tab of this profile already stored (app/tab-channel.ts): applied
 * to the doc, not written again.
 */
export const STORED_BY_ANOTHER_TAB = Symbol('stored-by-another-tab');

/**
 * Origin of the stored rows' load into the doc. Nothing listens for its update (see `load`);
 * sync-tracker.ts tells it from this session's changes.
 */
export const LOADED_FROM_STORE = Symbol('loaded-from-store');

export const docDatabaseName = (community: CommunityId) => `moot-doc-${community}`;

/** Opens (by default creating) a community's database; `create: false` rejects if there is none. */
export function openDocDatabase(community: CommunityId, create = true): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(docDatabaseName(community));
    request.onupgradeneeded = (event) => {
      // Aborting the upgrade of a database that did not exist leaves none behind.
      if (!create && event.oldVersion === 0) {
        request.transaction?.abort();
        return;
      }
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE))
        db.createObjectStore(STORE, { autoIncrement: true });
      // y-indexeddb creates this too; kept so either can open the other's database.
      if (!db.objectStoreNames.contains('custom')) db.createObjectStore('custom');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

/** Whether the doc holds any struct (its state vector names a client). */
const hasContent = (doc: Y.Doc): boolean => Y.encodeStateVector(doc).length > 1;

/** Resolves when the transaction commits; rejects with its error when it aborts. */
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * A stored row: one update, as bytes or, from BLOB_ROW_BYTES up, as a Blob. Chromium reads a
 * 12 MiB row back in 17–27 ms as a Blob and in 48–64 ms as bytes (docs/offline.md), and a large
 * row is what a cold open waits for. Small rows stay bytes: each Blob is one more read.
 */
type Row = Uint8Array | Blob;
const BLOB_ROW_BYTES = 64 * 1024;

const rowOf = (update: Uint8Array): Row =>
  update.byteLength < BLOB_ROW_BYTES ? update : new Blob([update as Uint8Array<ArrayBuffer>]);

/** Every row, read in one transaction, and the last one's key. */
function readRows(db: IDBDatabase): Promise<{ rows: Row[]; lastKey: IDBValidKey | undefined }> {
  const tx = db.transaction(STORE, 'readonly');
  const store = tx.objectStore(STORE);
  const rows = store.getAll();
  const keys = store.getAllKeys();
  return done(tx).then(() => ({
    rows: rows.result as Row[],
    lastKey: (keys.result as IDBValidKey[]).at(-1),
  }));
}

/** The rows' updates. A Blob is read after its transaction ended: it outlives it. */
const bytesOf = (rows: Row[]): Promise<Uint8Array[]> =>
  Promise.all(
    rows.map(async (row) => (row instanceof Blob ? new Uint8Array(await row.arrayBuffer()) : row)),
  );

const readAll = async (db: IDBDatabase): Promise<Uint8Array[]> =>
  bytesOf((await readRows(db)).rows);

const sizeOf = (rows: Row[]): StoredSize => ({
  rows: rows.length,
  bytes: rows.reduce((sum, row) => sum + (row instanceof Blob ? row.size : row.byteLength), 0),
});

/** Stores updates as rows in one transaction: all of them or, on any failure, none (import). */
export async function addDocUpdates(community: CommunityId, updates: Uint8Array[]): Promise<void> {
  const db = await openDocDatabase(community);
  try {
    const tx = db.transaction(STORE, 'readwrite');
    for (const update of updates) tx.objectStore(STORE).add(rowOf(update));
    await done(tx);
  } finally {
    db.close();
  }
}

/** A community's stored doc, read into a fresh Y.Doc without keeping it open. */
export async function readStoredDoc(community: CommunityId): Promise<Y.Doc> {
  const db = await openDocDatabase(community);
  try {
    const doc = new Y.Doc();
    const rows = await readAll(db);
    Y.transact(doc, () => rows.forEach((row) => Y.applyUpdate(doc, row)));
    return doc;
  } finally {
    db.close();
  }
}

/** Rows and bytes a community's doc takes in IndexedDB (for Settings, tests and benchmarks). */
export async function storedDocSize(community: CommunityId): Promise<StoredSize> {
  const db = await openDocDatabase(community);
  try {
    return sizeOf((await readRows(db)).rows);
  } finally {
    db.close();
  }
}

/** Deletes a community's stored doc; waits while another tab still has it open. */
export function deleteDocDatabase(community: CommunityId): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(docDatabaseName(community));
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('IndexedDB delete failed'));
  });
}

/** A community's database, opened, and the rows it held when read: the first step of an open. */
export interface StoredRows {
  db: IDBDatabase;
  rows: Uint8Array[];
}

/**
 * Opens the database and reads its rows. Started on its own so an open can read the doc while
 * it also reads the registry and the identity (app.ts), instead of one after the other.
 */
export async function readDocRows(community: CommunityId, create = true): Promise<StoredRows> {
  const db = await openDocDatabase(community, create);
  try {
    return { db, rows: await readAll(db) };
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Reads a community's rows ahead of knowing whether it was joined (a stray link must not
 * create a database): null when there is none or it cannot be read, and persistDoc reads again.
 */
export const prefetchDocRows = (community: CommunityId): Promise<StoredRows | null> =>
  readDocRows(community, false).catch(() => null);

/** Closes a prefetched database that will not be used. */
export function releaseDocRows(stored: Promise<StoredRows | null> | undefined): void {
  void stored?.then((rows) => rows?.db.close()).catch(() => undefined);
}

/**
 * Loads the stored doc into `doc` and keeps storing what it accepts from then on. `stored` is
 * the rows already being read (prefetchDocRows), if the caller started that early. With
 * `loadLater`, the rows wait for `load()`, and so does storing: what the doc took before is
 * stored then.
 */
export async function persistDoc(
  community: CommunityId,
  doc: Y.Doc,
  stored?: Promise<StoredRows | null>,
  { loadLater = false } = {},
): Promise<PersistedDoc> {
  const { db, rows } = (await stored) ?? (await readDocRows(community));
  const origin = Symbol('doc-store');
  const listeners = new Set<() => void>();
  let failure: DOMException | Error | null = null;
  let pending: Promise<void> = Promise.resolve();
  let rowsThisSession = 0;
  let compactTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;

  const setFailure = (next: DOMException | Error | null) => {
    if (next === failure) return;
    failure = next;
    listeners.forEach((l) => l());
  };

  /** Serialises our transactions so `flush` means everything so far. */
  const enqueue = (write: () => Promise<void>): Promise<void> => {
    const next = pending.then(write);
    pending = next.catch(() => undefined);
    return next;
  };

  const hadContent = hasContent(doc);

  function saveAll(): Promise<void> {
    clearTimeout(compactTimer);
    return enqueue(async () => {
      try {
        // Rows another tab wrote since we loaded are folded in first. Then exactly the rows
        // read are replaced, in one transaction: a row another tab adds meanwhile gets a higher
        // key (IndexedDB's key generator only counts up) and stays for the next fold.
        const { rows: stored, lastKey } = await readRows(db);
        const updates = await bytesOf(stored);
        Y.transact(doc, () => updates.forEach((row) => Y.applyUpdate(doc, row)), origin, false);
        const tx = db.transaction(STORE, 'readwrite');
        const store = tx.objectStore(STORE);
        let thrown: unknown = null;
        try {
          if (lastKey !== undefined) store.delete(IDBKeyRange.upperBound(lastKey));
          store.add(rowOf(Y.encodeStateAsUpdate(doc)));
        } catch (e) {
          // Thrown instead of aborting (some browsers, for quota): undo the delete too.
          thrown = e;
          tx.abort();
        }
        await done(tx).catch((e: unknown) => {
          throw thrown ?? e;
        });
        rowsThisSession = 0;
        setFailure(null);
      } catch (e) {
        setFailure(e as DOMException);
        throw e;
      }
    });
  }

  const scheduleCompaction = () => {
    clearTimeout(compactTimer);
    compactTimer = setTimeout(() => void saveAll().catch(() => undefined), COMPACT_DELAY_MS);
  };

  /** Updates waiting for the write queued for them: a burst lands in one transaction. */
  let waiting: Uint8Array[] = [];

  const onUpdate = (update: Uint8Array, from: unknown) => {
    if (from === origin || from === STORED_BY_ANOTHER_TAB) return;
    if (destroyed) return;
    if (failure) {
      // Nothing more row by row: retry the whole state once writing works again.
      scheduleCompaction();
      return;
    }
    waiting.push(update);
    if (waiting.length > 1) return; // the write queued for the first one takes this one too
    void enqueue(async () => {
      const rows = waiting;
      waiting = [];
      if (failure) {
        scheduleCompaction();
        return;
      }
      let tx: IDBTransaction | undefined;
      try {
        tx = db.transaction(STORE, 'readwrite');
        const store = tx.objectStore(STORE);
        // `add` may throw (e.g. DataCloneError, or quota in some browsers) rather than abort.
        for (const row of rows) store.add(rowOf(row));
        await done(tx);
      } catch (e) {
        // One row per update, all of the burst or none of it.
        try {
          tx?.abort();
        } catch {
          // Already finished or aborted.
        }
        setFailure(e as DOMException);
        throw e;
      }
      rowsThisSession += rows.length;
      if (rowsThisSession >= COMPACT_WHILE_OPEN_ROWS) scheduleCompaction();
    }).catch(() => undefined);
  };

  let markLoaded = () => undefined as void;
  const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
  let loading: Promise<void> | null = null;
  const load = (): Promise<void> =>
    (loading ??= (async () => {
      if (destroyed) return;
      // Listening only from here: with a listener, Yjs would encode the whole stored doc once
      // more to report its load. What the doc took before (open-doc.ts holds writes back, so
      // only another tab's updates) is stored now, in case anything else wrote to it.
      const early = !hadContent && hasContent(doc) ? Y.encodeStateAsUpdate(doc) : null;
      Y.transact(
        doc,
        () => rows.forEach((row) => Y.applyUpdate(doc, row)),
        LOADED_FROM_STORE,
        false,
      );
      doc.on('update', onUpdate);
      if (early) onUpdate(early, null);
      // A doc that arrived with content (a community just founded) or a pile of rows is written
      // whole once; an ordinary reload writes nothing at all.
      if (hadContent || rows.length > COMPACT_ON_OPEN_ROWS) await saveAll().catch(() => undefined);
    })().finally(markLoaded));
  if (!loadLater) await load();

  return {
    get failure() {
      return failure;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: () =>
      enqueue(async () => {
        if (failure) throw failure;
      }),
    saveAll,
    size: async () => sizeOf((await readRows(db)).rows),
    load,
    loaded,
    async destroy() {
      destroyed = true;
      clearTimeout(compactTimer);
      doc.off('update', onUpdate);
      await pending;
      db.close();
    },
  };
}
