/**
 * This browser's file settings, shared by every open community (stored with the blocks,
 * store/block-store.ts): what is fetched unasked, how much of other members' files is kept, and
 * how fast file blocks go out. A setting that cannot be read falls back to its default; one
 * out of range is refused with a sentence saying what fits.
 */
import { MAX_FILE_BYTES } from '../community/files/manifest';
import { err, ok, type Result } from '../shared/result';
import * as blockStore from '../store/block-store';
import { UploadLimit } from './upload-limit';

/** Files up to this size are fetched without asking (DESIGN §7), until Settings say otherwise. */
export const DEFAULT_AUTO_FETCH_BYTES = 10 * 1000 * 1000;
/** Other members' unpinned files are kept up to this many bytes, until Settings say otherwise. */
export const DEFAULT_KEEP_OTHERS_BYTES = 1000 * 1000 * 1000;
/** The highest upload limit Settings accept: 10,000 MB/s, far past any link. */
const MAX_UPLOAD_BYTES_PER_SECOND = 10_000 * 1000 * 1000;

/**
 * One for the page: the limit covers every peer of every open community together, and it is
 * set from the stored setting whenever a community opens (the setting may have changed in
 * another tab meanwhile).
 */
export const uploadLimit = new UploadLimit(() => performance.now());

async function read(load: () => Promise<number | null>, fallback: number): Promise<number> {
  try {
    return (await load()) ?? fallback;
  } catch {
    return fallback;
  }
}

async function write(
  bytes: number,
  max: number,
  outOfRange: string,
  save: (bytes: number) => Promise<void>,
): Promise<Result<void>> {
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > max) return err(outOfRange);
  try {
    await save(bytes);
    return ok(undefined);
  } catch {
    return err('The setting could not be saved. Try again.');
  }
}

// A size above the largest file a manifest may name (manifest.ts) would mean "everything".
const SIZE_RANGE = 'Choose a whole number of megabytes between 0 and 8,000.';

export const autoFetchBytes = () => read(blockStore.loadAutoFetchBytes, DEFAULT_AUTO_FETCH_BYTES);
export const keepOthersBytes = () =>
  read(blockStore.loadKeepOthersBytes, DEFAULT_KEEP_OTHERS_BYTES);
/** 0: no limit. */
export const uploadBytesPerSecond = () => read(blockStore.loadUploadBytesPerSecond, 0);

export const setAutoFetchBytes = (bytes: number) =>
  write(bytes, MAX_FILE_BYTES, SIZE_RANGE, blockStore.saveAutoFetchBytes);
export const setKeepOthersBytes = (bytes: number) =>
  write(bytes, MAX_FILE_BYTES, SIZE_RANGE, blockStore.saveKeepOthersBytes);

export async function setUploadBytesPerSecond(bytes: number): Promise<Result<void>> {
  const saved = await write(
    bytes,
    MAX_UPLOAD_BYTES_PER_SECOND,
    'Choose an upload limit between 0 and 10,000 MB/s.',
    blockStore.saveUploadBytesPerSecond,
  );
  if (saved.ok) uploadLimit.set(bytes);
  return saved;
}
