import { describe, expect, it } from 'vitest';
import { generateIdentity, sign, verifySignature } from './identity';
import {
  NOT_EXTRACTABLE,
  openIdentity,
  parseBackup,
  sealIdentity,
  type IdentityBackup,
} from './identity-backup';

// The minimum a file may ask for, so the tests stay quick; the app uses BACKUP_ITERATIONS.
const ITERATIONS = 100_000;
const PASSPHRASE = 'correct horse battery';

async function sealed(): Promise<{
  backup: IdentityBackup;
  memberId: string;
  publicKey: Uint8Array;
}> {
  const me = await generateIdentity();
  const backup = await sealIdentity(me, PASSPHRASE, ITERATIONS);
  if (!backup.ok) throw new Error(backup.error);
  return { backup: backup.value, memberId: me.memberId, publicKey: me.publicKey };
}

describe('identity backups', () => {
  it('restore the same member, whose signatures verify under the original key', async () => {
    const { backup, memberId, publicKey } = await sealed();
    const parsed = parseBackup(JSON.parse(JSON.stringify(backup)));
    if (!parsed.ok) throw new Error(parsed.error);
    const restored = await openIdentity(parsed.value, PASSPHRASE);
    if (!restored.ok) throw new Error(restored.error);
    expect(restored.value.memberId).toBe(memberId);
    const bytes = new TextEncoder().encode('a post');
    expect(
      await verifySignature(publicKey, bytes, await sign(restored.value.privateKey, bytes)),
    ).toBe(true);
    // Restored keys can be backed up again.
    expect((await sealIdentity(restored.value, PASSPHRASE, ITERATIONS)).ok).toBe(true);
  });

  it('hold no key material in the clear', async () => {
    const me = await generateIdentity();
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', me.privateKey));
    const backup = await sealIdentity(me, PASSPHRASE, ITERATIONS);
    if (!backup.ok) throw new Error(backup.error);
    const text = JSON.stringify(backup.value);
    const seedText = Buffer.from(pkcs8.slice(-32)).toString('base64url');
    expect(text).not.toContain(seedText);
    expect(backup.value.sealed).not.toBe(seedText);
  });

  it('refuse a wrong passphrase', async () => {
    const { backup } = await sealed();
    const restored = await openIdentity(backup, 'correct horse battery!');
    expect(restored).toEqual({ ok: false, error: expect.stringContaining('passphrase is wrong') });
  });

  it('refuse a file that names another member than the one sealed inside', async () => {
    const { backup } = await sealed();
    const other = await generateIdentity();
    const swapped = { ...backup, member: other.memberId };
    expect((await openIdentity(swapped, PASSPHRASE)).ok).toBe(false);
  });

  it('refuse damaged or weakened files before any decryption', () => {
    const base = { format: 'moot-identity-backup', version: 1 };
    expect(parseBackup(null).ok).toBe(false);
    expect(parseBackup({ ...base }).ok).toBe(false);
    expect(parseBackup({ format: 'x' })).toEqual({
      ok: false,
      error: expect.stringContaining('not a Moot identity backup'),
    });
  });

  it('refuse too few iterations in a file, and a short passphrase', async () => {
    const { backup } = await sealed();
    expect(parseBackup({ ...backup, kdf: { ...backup.kdf, iterations: 1000 } }).ok).toBe(false);
    expect(parseBackup({ ...backup, kdf: { ...backup.kdf, iterations: 1e9 } }).ok).toBe(false);
    expect(parseBackup({ ...backup, version: 2 })).toEqual({
      ok: false,
      error: expect.stringContaining('newer version'),
    });
    const me = await generateIdentity();
    expect(await sealIdentity(me, 'short')).toEqual({
      ok: false,
      error: expect.stringContaining('at least 10'),
    });
  });

  it('say plainly that an identity made non-extractable cannot be backed up', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const me = await generateIdentity();
    const legacy = { ...me, privateKey: pair.privateKey };
    expect(await sealIdentity(legacy, PASSPHRASE)).toEqual({ ok: false, error: NOT_EXTRACTABLE });
  });
});
