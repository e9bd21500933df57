import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { sha256 } from '../shared/bytes';
import { decodeCanonical, encodeCanonical } from '../shared/canonical';
import type { CommunityId } from '../shared/ids';
import { parseEvent, readStoredEvents, signEvent, verifyEvent, type AnyEvent } from './event';
import { draftEvent, makeMember, type TestMember } from './test-helpers';
import { sign } from './identity';

let author: TestMember;
let other: TestMember;
let event: AnyEvent;
const community = toBase64url(new Uint8Array(32).fill(1)) as CommunityId;

beforeAll(async () => {
  author = await makeMember();
  other = await makeMember();
  event = draftEvent(author, community, 3, { body: { text: 'The tomatoes are in' } });
});

describe('signed events', () => {
  it('are stored as canonical bytes and identified by their SHA-256', async () => {
    const signed = await signEvent(author.identity, event);
    expect(signed.bytes).toEqual(encodeCanonical(event as unknown as Record<string, unknown>));
    expect(decodeCanonical(signed.bytes)).toEqual({ ok: true, value: event });
    expect(signed.id).toBe(toBase64url(await sha256(signed.bytes)));
    expect(signed.id).toHaveLength(43);
  });

  it('verify, giving back the same id and event', async () => {
    const signed = await signEvent(author.identity, event);
    const verified = await verifyEvent(signed.bytes, signed.sig);
    expect(verified.ok && verified.value.id).toBe(signed.id);
    expect(verified.ok && verified.value.event).toEqual(event);
  });

  it('are rejected when any single bit of the bytes changes', async () => {
    const { bytes, sig } = await signEvent(author.identity, event);
    for (let i = 0; i < bytes.length; i++) {
      const changed = Uint8Array.from(bytes);
      changed[i]! ^= 1 << (i % 8);
      expect((await verifyEvent(changed, sig)).ok, `byte ${i}`).toBe(false);
    }
  });

  it('are rejected when one character of the text changes (still canonical)', async () => {
    const { bytes, sig } = await signEvent(author.identity, event);
    const changed = new TextEncoder().encode(
      new TextDecoder().decode(bytes).replace('tomatoes', 'potatoes'),
    );
    expect(parseEvent(changed).ok).toBe(true);
    expect(await verifyEvent(changed, sig)).toEqual({ ok: false, error: 'bad signature' });
  });

  it('are rejected when the signature changes', async () => {
    const { bytes, sig } = await signEvent(author.identity, event);
    const changed = Uint8Array.from(sig);
    changed[10]! ^= 0x80;
    expect(await verifyEvent(bytes, changed)).toEqual({ ok: false, error: 'bad signature' });
    expect((await verifyEvent(bytes, sig.subarray(0, 63))).ok).toBe(false);
  });

  it('are rejected when signed by another key in the author’s name', async () => {
    const bytes = encodeCanonical(event as unknown as Record<string, unknown>);
    const forged = await sign(other.identity.privateKey, bytes);
    expect(await verifyEvent(bytes, forged)).toEqual({ ok: false, error: 'bad signature' });
  });

  it('are rejected when the position is not derived from the author and session', async () => {
    const squatting = draftEvent(other, community, 0, { y: [author.clientId, 0] });
    const signed = await signEvent(other.identity, squatting);
    expect(await verifyEvent(signed.bytes, signed.sig)).toEqual({
      ok: false,
      error: 'position is not bound to the author',
    });
  });
});

describe('parseEvent', () => {
  const parse = (e: unknown) => parseEvent(encodeCanonical(e as Record<string, unknown>));

  it.each([
    ['an extra field', { extra: 1 }, 'event fields are wrong'],
    ['another version', { v: 2 }, 'unknown event version'],
    ['an unknown kind', { kind: 'post.destroy' }, 'unknown event kind'],
    ['a malformed author', { author: 'ada' }, 'author is malformed'],
    ['a short session', { session: toBase64url(new Uint8Array(8)) }, 'session is malformed'],
    ['a negative time', { at: -1 }, 'time is malformed'],
    [
      'duplicate deps',
      { deps: [toBase64url(new Uint8Array(32)), toBase64url(new Uint8Array(32))] },
      'deps are malformed',
    ],
    ['a three-part position', { y: [1, 2, 3] }, 'position is malformed'],
    ['an empty post', { body: { text: '' } }, 'post.create: text is empty'],
    [
      'a body of another kind',
      { body: { name: 'x', bio: '' } },
      'post.create: unexpected field bio',
    ],
  ])('rejects %s', (_what, fields, error) => {
    expect(parse({ ...event, ...fields })).toEqual({ ok: false, error });
  });

  it('rejects a missing field', () => {
    const { deps: _deps, ...rest } = event;
    expect(parse(rest)).toEqual({ ok: false, error: 'event fields are wrong' });
  });

  it('rejects events over the size cap before decoding them', () => {
    expect(parseEvent(new Uint8Array(64 * 1024 + 1))).toEqual({
      ok: false,
      error: 'event too large',
    });
  });
});

describe('readStoredEvents (events already verified, read back on open)', () => {
  it('reads a batch in order, and each row alone when one row is damaged', async () => {
    const rows = await Promise.all(
      ['one', 'two', 'three'].map(async (text, i) => {
        const e = draftEvent(author, community, i, { body: { text } });
        return (await signEvent(author.identity, e)).bytes;
      }),
    );
    const texts = (events: (AnyEvent | null)[]) =>
      events.map((e) => (e?.kind === 'post.create' ? e.body.text : e));
    expect(texts(readStoredEvents(rows))).toEqual(['one', 'two', 'three']);
    const damaged = rows[1]!.subarray(0, 20);
    expect(texts(readStoredEvents([rows[0]!, damaged, rows[2]!]))).toEqual(['one', null, 'three']);
    const unknownKind = new TextEncoder().encode('{"kind":"post.teleport"}');
    expect(texts(readStoredEvents([unknownKind, rows[2]!]))).toEqual([null, 'three']);
    expect(readStoredEvents([])).toEqual([]);
  });
});
