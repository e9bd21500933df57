import { describe, expect, it } from 'vitest';
import { concatBytes, randomBytes, sha256 } from '../shared/bytes';
import { deriveClientId, SESSION_BYTES } from './client-id';

describe('deriveClientId', () => {
  it('is the low 53 bits of the first 7 bytes of SHA-256(public key ‖ session)', async () => {
    for (let i = 0; i < 20; i++) {
      const key = randomBytes(32);
      const session = randomBytes(SESSION_BYTES);
      const hash = await sha256(concatBytes(key, session));
      let expected = 0n;
      for (const b of hash.subarray(0, 7)) expected = (expected << 8n) | BigInt(b);
      expected &= (1n << 53n) - 1n;
      expect(await deriveClientId(key, session)).toBe(Number(expected));
    }
  });

  it('uses all 53 bits and stays a safe integer', async () => {
    const ids = await Promise.all(
      Array.from({ length: 200 }, () =>
        deriveClientId(randomBytes(32), randomBytes(SESSION_BYTES)),
      ),
    );
    expect(ids.every((id) => Number.isSafeInteger(id) && id >= 0 && id < 2 ** 53)).toBe(true);
    // 200 samples all below 2^52 has probability 2^-200: the top bit is really used.
    expect(ids.some((id) => id >= 2 ** 52)).toBe(true);
  });

  it('is bound to both the author and the session', async () => {
    const key = randomBytes(32);
    const session = randomBytes(SESSION_BYTES);
    const id = await deriveClientId(key, session);
    expect(await deriveClientId(Uint8Array.from(key), Uint8Array.from(session))).toBe(id);
    expect(await deriveClientId(key, randomBytes(SESSION_BYTES))).not.toBe(id);
    expect(await deriveClientId(randomBytes(32), session)).not.toBe(id);
  });
});
