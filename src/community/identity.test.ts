import { describe, expect, it } from 'vitest';
import { fromBase64url } from '../shared/base64url';
import { randomBytes, utf8 } from '../shared/bytes';
import { generateIdentity, identityFromSeed, sign, verifySignature } from './identity';

describe('identities', () => {
  it('name a member by the base64url of the raw public key', async () => {
    const me = await generateIdentity();
    expect(fromBase64url(me.memberId)).toEqual(me.publicKey);
    expect(me.publicKey).toHaveLength(32);
  });

  it('can read a generated private key out, so it can be backed up (docs/identity-backup.md)', async () => {
    const me = await generateIdentity();
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', me.privateKey));
    expect((await identityFromSeed(pkcs8.slice(-32))).memberId).toBe(me.memberId);
  });

  it('derive the same invite key from the same seed, and another from another seed', async () => {
    const seed = randomBytes(32);
    const a = await identityFromSeed(seed);
    const b = await identityFromSeed(Uint8Array.from(seed));
    expect(a.memberId).toBe(b.memberId);
    expect((await identityFromSeed(randomBytes(32))).memberId).not.toBe(a.memberId);
    await expect(identityFromSeed(randomBytes(31))).rejects.toThrow(RangeError);
  });

  it('sign so that only the matching public key and the same bytes verify', async () => {
    const seed = randomBytes(32);
    const invite = await identityFromSeed(seed);
    const other = await generateIdentity();
    const message = utf8('join me');
    const sig = await sign(invite.privateKey, message);
    expect(await verifySignature(invite.publicKey, message, sig)).toBe(true);
    expect(await verifySignature(other.publicKey, message, sig)).toBe(false);
    expect(await verifySignature(invite.publicKey, utf8('join me!'), sig)).toBe(false);
    expect(await verifySignature(invite.publicKey.subarray(1), message, sig)).toBe(false);
    expect(await verifySignature(new Uint8Array(32), message, sig)).toBe(false);
  });
});
