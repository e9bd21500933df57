import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../shared/base64url';
import { randomBytes } from '../../shared/bytes';
import {
  blockLength,
  chooseBlockSize,
  MAX_BLOCKS,
  MAX_FILE_BYTES,
  validateFileShare,
  type FileShareBody,
} from './manifest';

const MiB = 1024 * 1024;
const hashes = (n: number) => Array.from({ length: n }, () => toBase64url(randomBytes(32)));
const body = (over: Partial<FileShareBody> = {}): FileShareBody => ({
  name: 'report.pdf',
  size: 2.5 * MiB,
  type: 'application/pdf',
  blockSize: MiB,
  hashes: hashes(3),
  ...over,
});

describe('file.share manifest', () => {
  it('accepts a well-formed manifest, including an empty file', () => {
    expect(validateFileShare(body()).ok).toBe(true);
    expect(validateFileShare(body({ size: 0, hashes: [] })).ok).toBe(true);
  });

  it('refuses absurd sizes and counts before walking the hash list', () => {
    const huge = body({ size: Number.MAX_SAFE_INTEGER });
    expect(validateFileShare(huge)).toMatchObject({ ok: false });
    expect(validateFileShare(body({ size: MAX_FILE_BYTES + 1 }))).toMatchObject({ ok: false });
    // A million-entry list is refused on its length, not element by element.
    const long = body({ hashes: new Array<string>(1_000_000) });
    expect(validateFileShare(long)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/hash list/),
    });
    expect(validateFileShare(body({ size: -1 }))).toMatchObject({ ok: false });
    expect(validateFileShare(body({ size: 1.5 }))).toMatchObject({ ok: false });
  });

  it('refuses a hash list that does not match the size, odd block sizes and bad hashes', () => {
    expect(validateFileShare(body({ hashes: hashes(2) }))).toMatchObject({ ok: false });
    expect(validateFileShare(body({ blockSize: 1000 }))).toMatchObject({ ok: false });
    expect(validateFileShare(body({ hashes: [...hashes(2), 'x'] }))).toMatchObject({ ok: false });
    expect(validateFileShare({ ...body(), extra: 1 })).toMatchObject({ ok: false });
    expect(validateFileShare(body({ name: '' }))).toMatchObject({ ok: false });
  });

  it('picks the smallest block size that keeps the list within one event', () => {
    expect(chooseBlockSize(10 * MiB)).toBe(MiB / 4);
    expect(chooseBlockSize((MAX_BLOCKS * MiB) / 4)).toBe(MiB / 4);
    expect(chooseBlockSize((MAX_BLOCKS * MiB) / 4 + 1)).toBe(MiB);
    expect(chooseBlockSize(MAX_BLOCKS * MiB + 1)).toBe(2 * MiB);
    expect(chooseBlockSize(MAX_FILE_BYTES + 1)).toBeNull();
    expect(blockLength({ size: 2.5 * MiB, blockSize: MiB }, 2)).toBe(0.5 * MiB);
  });

  it('fits the largest manifest in one event', () => {
    const json = JSON.stringify(body({ size: MAX_BLOCKS * MiB, hashes: hashes(MAX_BLOCKS) }));
    expect(json.length).toBeLessThan(60 * 1024);
  });
});
