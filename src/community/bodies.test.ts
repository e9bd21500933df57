import { describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { isEventKind, validateBody } from './bodies';
import { LIMITS } from './limits';

const key = toBase64url(new Uint8Array(32));

describe('event bodies', () => {
  it('know the five kinds and nothing else', () => {
    for (const kind of [
      'community.create',
      'invite.create',
      'member.join',
      'profile.set',
      'post.create',
    ])
      expect(isEventKind(kind)).toBe(true);
    for (const kind of ['post.destroy', 'toString', '__proto__', 42])
      expect(isEventKind(kind)).toBe(false);
  });

  it('count post length in characters, not UTF-16 units', () => {
    expect(validateBody('post.create', { text: '🌱'.repeat(LIMITS.postText) }).ok).toBe(true);
    expect(validateBody('post.create', { text: 'a'.repeat(LIMITS.postText + 1) })).toEqual({
      ok: false,
      error: `text is longer than ${LIMITS.postText} characters`,
    });
  });

  it.each([
    ['post.create', null, 'body is not an object'],
    ['post.create', ['hi'], 'body is not an object'],
    ['post.create', { text: 5 }, 'text is not text'],
    ['profile.set', { name: '', bio: '' }, 'name is empty'],
    [
      'profile.set',
      { name: 'x'.repeat(LIMITS.displayName + 1), bio: '' },
      `name is longer than ${LIMITS.displayName} characters`,
    ],
    [
      'invite.create',
      { publicKey: key, label: '', expiresAt: 0, maxUses: null },
      'expiresAt is not a positive integer',
    ],
    [
      'invite.create',
      { publicKey: key, label: '', expiresAt: null, maxUses: 1.5 },
      'maxUses is not a positive integer',
    ],
    [
      'invite.create',
      { publicKey: 'short', label: '', expiresAt: null, maxUses: null },
      'publicKey is malformed',
    ],
    ['member.join', { invite: key, invitePublicKey: key, proof: key }, 'proof is malformed'],
    [
      'community.create',
      { name: 'x', description: '', rules: '', nonce: key },
      'nonce is malformed',
    ],
  ] as const)('%s rejects %j', (kind, body, error) => {
    expect(validateBody(kind, body)).toEqual({ ok: false, error });
  });
});
