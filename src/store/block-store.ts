/**
 * File blocks and per-file download records in IndexedDB (idb-keyval), never in the Yjs doc.
 *
 * Blocks are content-addressed: key `b:<base64url SHA-256>`, so the same bytes shared twice are
 * stored once. A file's record (`f:<manifest event id>`) holds which of its blocks we have and
 * whether we are fetching it; a verified block and the record that counts it are written in one
 * transaction (setMany), so after a crash or reload the record never claims a block that is not
 * there, and a download resumes from exactly what was stored. Blocks arriving together are
 * written together (one transaction for several blocks and their records): a transaction costs
 * far more than the copy of a 256 KiB block.
 */
import { createStore, delMany, get, getMany, set, setMany, type UseStore } from 'idb-keyval';
import type { EventId } from '../shared/ids';

export type StoredMode = 'idle' | 'downloading' | 'paused';

export interface FileRecord {
  /** Bitfield of the blocks we hold (src/files/bitfield.ts). */
  have: Uint8Array;
  mode: StoredMode;
}

let store: UseStore | null = null;
/** One database for every community: a block's hash names it wherever it came from. */
const blocks = (): UseStore => (store ??= createStore('moot-blocks', 'blocks'));

const blockKey = (hash: string) => `b:${hash}`;
const fileKey = (id: EventId) => `f:${id}`;
/** This device's choice, for every community: fetch files up to this many bytes unasked. */
const AUTO_FETCH_KEY = 's:auto-fetch-bytes';
/** This device's choice, for every community: keep other members' files up to this many bytes. */
const KEEP_OTHERS_KEY = 's:keep-others-bytes';
/** This device's choice, for every community: send file blocks at most this fast (0: no limit). */
const UPLOAD_LIMIT_KEY = 's:upload-bytes-per-second';

export const readBlock = async (hash: string): Promise<Uint8Array | null> =>
  (await get<Uint8Array>(blockKey(hash), blocks())) ?? null;

/** A block we produced ourselves (sharing): no record yet, the manifest is not signed. */
export const putBlock = (hash: string, data: Uint8Array): Promise<void> =>
  set(blockKey(hash), data, blocks());

/** Stored blocks in one transaction, null for any that is missing. */
export const readBlocks = async (hashes: string[]): Promise<(Uint8Array | null)[]> =>
  (await getMany<Uint8Array | undefined>(hashes.map(blockKey), blocks())).map((b) => b ?? null);

export interface VerifiedWrite {
  file: EventId;
  blocks: { hash: string; data: Uint8Array }[];
  record: FileRecord;
}

/** Verified blocks and the records that count them, in one transaction. */
export function storeVerifiedBlocks(writes: VerifiedWrite[]): Promise<void> {
  return setMany(
    writes.flatMap(({ file, blocks: stored, record }): [IDBValidKey, unknown][] => [
      ...stored.map(({ hash, data }): [IDBValidKey, unknown] => [blockKey(hash), data]),
      [fileKey(file), record],
    ]),
    blocks(),
  );
}

export const loadRecord = async (file: EventId): Promise<FileRecord | null> =>
  (await get<FileRecord>(fileKey(file), blocks())) ?? null;

export const saveRecord = (file: EventId, record: FileRecord): Promise<void> =>
  set(fileKey(file), record, blocks());

/**
 * Frees our copy: these blocks (the caller leaves out any another file still needs), and the
 * record becomes "nothing held, not fetching" rather than vanishing, so a small file freed or
 * cleaned up is not fetched again unasked after a reload. The community's manifest is untouched.
 */
export async function removeFile(file: EventId, hashes: string[], count: number): Promise<void> {
  // The record first: a crash in between leaves stray blocks, never a record claiming gone ones.
  await set(fileKey(file), { have: new Uint8Array(Math.ceil(count / 8)), mode: 'idle' }, blocks());
  await delMany(hashes.map(blockKey), blocks());
}

/** Blocks hashed for a file that was then never shared (an attachment taken back). */
export const removeBlocks = (hashes: string[]): Promise<void> =>
  delMany(hashes.map(blockKey), blocks());

export const loadAutoFetchBytes = async (): Promise<number | null> =>
  (await get<number>(AUTO_FETCH_KEY, blocks())) ?? null;

export const saveAutoFetchBytes = (bytes: number): Promise<void> =>
  set(AUTO_FETCH_KEY, bytes, blocks());

export const loadKeepOthersBytes = async (): Promise<number | null> =>
  (await get<number>(KEEP_OTHERS_KEY, blocks())) ?? null;

export const saveKeepOthersBytes = (bytes: number): Promise<void> =>
  set(KEEP_OTHERS_KEY, bytes, blocks());

export const loadUploadBytesPerSecond = async (): Promise<number | null> =>
  (await get<number>(UPLOAD_LIMIT_KEY, blocks())) ?? null;

export const saveUploadBytesPerSecond = (bytes: number): Promise<void> =>
  set(UPLOAD_LIMIT_KEY, bytes, blocks());
