import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../shared/base64url';
import { utf8 } from '../shared/bytes';
import type { PeerId } from '../shared/ids';
import {
  decryptEnvelope,
  deriveSignalKey,
  deriveTopic,
  encryptEnvelope,
  type SignalEnvelope,
} from './signal-crypto';

const secret = utf8('a community secret of enough length');
const alice = 'alice' as PeerId;
const bob = 'bob' as PeerId;

describe('signal crypto', () => {
  it('derives a stable 43-char topic that differs per secret and never contains the secret', async () => {
    const topic = await deriveTopic(secret);
    expect(topic).toBe(await deriveTopic(secret));
    expect(topic).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(topic).not.toBe(await deriveTopic(utf8('another secret')));
  });

  it('round-trips announce and signal envelopes', async () => {
    const key = await deriveSignalKey(secret);
    const envelopes: SignalEnvelope[] = [
      { type: 'announce', from: alice },
      { type: 'announce', from: alice, to: bob },
      {
        type: 'signal',
        from: alice,
        to: bob,
        conn: 'c1',
        signal: { type: 'offer', sdp: 'v=0...' },
      },
    ];
    for (const envelope of envelopes) {
      const data = await encryptEnvelope(key, envelope);
      expect(data).not.toContain('alice');
      expect(await decryptEnvelope(key, data)).toEqual(envelope);
    }
  });

  it('uses a fresh IV: the same envelope encrypts differently each time', async () => {
    const key = await deriveSignalKey(secret);
    const a = await encryptEnvelope(key, { type: 'announce', from: alice });
    const b = await encryptEnvelope(key, { type: 'announce', from: alice });
    expect(a).not.toBe(b);
  });

  it('ignores ciphertext under another key, tampering and garbage without throwing', async () => {
    const key = await deriveSignalKey(secret);
    const otherKey = await deriveSignalKey(utf8('someone else'));
    const data = await encryptEnvelope(key, { type: 'announce', from: alice });
    expect(await decryptEnvelope(otherKey, data)).toBeNull();
    const bytes = fromBase64url(data)!;
    bytes[bytes.length - 1]! ^= 1;
    expect(await decryptEnvelope(key, toBase64url(bytes))).toBeNull();
    for (const garbage of [undefined, null, 5, {}, '', '!!!', 'AAAA', 'x'.repeat(300_000)]) {
      expect(await decryptEnvelope(key, garbage)).toBeNull();
    }
  });

  it('rejects well-encrypted envelopes of the wrong shape', async () => {
    const key = await deriveSignalKey(secret);
    const bad = [
      { type: 'signal', from: alice },
      { type: 'signal', from: alice, to: bob, signal: {} }, // no connection id
      { type: 'signal', from: alice, to: bob, conn: 'c', signal: 'sdp' },
      { type: 'nope', from: alice },
      { from: 5 },
    ];
    for (const value of bad) {
      const data = await encryptEnvelope(key, value as unknown as SignalEnvelope);
      expect(await decryptEnvelope(key, data)).toBeNull();
    }
  });
});
