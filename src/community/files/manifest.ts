/**
 * The `file.share` event: a signed manifest of a shared file. The bytes never enter the doc;
 * they travel as content-addressed blocks (src/files) and each block is checked against the
 * hash listed here, so the manifest's signature vouches for every byte a peer sends us.
 *
 * A peer may sign any manifest it likes, so the validator bounds everything before anything is
 * allocated for it (THREATS.md 32): the block count follows from size and block size and must
 * match the hash list, and both are capped so the manifest fits one event (LIMITS.eventBytes).
 */
import { isBase64urlOfLength } from '../../shared/base64url';
import type { EventId, MemberId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import type { MootEvent } from '../event';
import type { CommunityState } from '../state';

export interface FileShareBody {
  name: string;
  /** Bytes. */
  size: number;
  /** MIME type as the sharer's browser reported it; may be empty. */
  type: string;
  blockSize: number;
  /** base64url SHA-256 of each block, in order. */
  hashes: string[];
}

/** A shared file as the reducer keeps it. */
export interface SharedFile extends FileShareBody {
  id: EventId;
  author: MemberId;
  at: number;
}

const MiB = 1024 * 1024;
/**
 * Blocks of 256 KiB up to 250 MiB: the request window (src/files/request-window.ts) never goes
 * under two blocks, and whatever is in flight sits in front of a post on the same channel, so
 * a small block keeps that queue short on a slow link. The mesh frames every message into
 * 64 KiB pieces anyway (Chromium's 256 KiB message limit does not bind), and several blocks are
 * written per IndexedDB transaction, so small blocks cost few transactions. Larger files take
 * larger blocks so the hash list stays within one event.
 */
export const BLOCK_SIZES = [MiB / 4, 1 * MiB, 2 * MiB, 4 * MiB, 8 * MiB] as const;
/** 1,000 hashes of 43 characters plus quotes and commas: ~46 KB, inside the 64 KiB event cap. */
export const MAX_BLOCKS = 1_000;
export const MAX_FILE_BYTES = MAX_BLOCKS * BLOCK_SIZES[BLOCK_SIZES.length - 1]!;
export const MAX_FILE_NAME = 255;
export const MAX_FILE_TYPE = 127;

export const blockCount = (size: number, blockSize: number): number => Math.ceil(size / blockSize);

/** The smallest block size that keeps the file within MAX_BLOCKS; null if it is too large. */
export function chooseBlockSize(size: number): number | null {
  if (!Number.isSafeInteger(size) || size < 0) return null;
  return BLOCK_SIZES.find((b) => blockCount(size, b) <= MAX_BLOCKS) ?? null;
}

/** Byte length of block `index`: every block is full but the last. */
export function blockLength(
  file: Pick<FileShareBody, 'size' | 'blockSize'>,
  index: number,
): number {
  return Math.min(file.blockSize, file.size - index * file.blockSize);
}

const FIELDS = ['name', 'size', 'type', 'blockSize', 'hashes'];

export function validateFileShare(body: unknown): Result<void> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return err('body is not an object');
  const extra = Object.keys(body).find((k) => !FIELDS.includes(k));
  if (extra !== undefined) return err(`unexpected field ${extra}`);
  const b = body as Record<string, unknown>;
  if (typeof b.name !== 'string' || b.name.length === 0 || b.name.length > MAX_FILE_NAME)
    return err('file name is empty, too long or not text');
  if (typeof b.type !== 'string' || b.type.length > MAX_FILE_TYPE)
    return err('file type is too long or not text');
  if (
    !Number.isSafeInteger(b.size) ||
    (b.size as number) < 0 ||
    (b.size as number) > MAX_FILE_BYTES
  )
    return err(`file size is not a whole number of bytes up to ${MAX_FILE_BYTES}`);
  if (!BLOCK_SIZES.includes(b.blockSize as (typeof BLOCK_SIZES)[number]))
    return err('block size is not one of the allowed sizes');
  const count = blockCount(b.size as number, b.blockSize as number);
  if (count > MAX_BLOCKS) return err('too many blocks');
  // Length first: a peer's absurd array is refused before we walk it.
  if (!Array.isArray(b.hashes) || b.hashes.length !== count)
    return err('the hash list does not match the file size');
  if (!b.hashes.every((h) => isBase64urlOfLength(h, 32))) return err('a block hash is malformed');
  return ok(undefined);
}

export function applyFileShare(
  state: CommunityState,
  e: MootEvent<'file.share'>,
  id: EventId,
): void {
  if (!state.members.has(e.author)) return;
  state.files.set(id, { ...e.body, id, author: e.author, at: e.at });
}
