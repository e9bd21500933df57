import { describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import { encodeCanonical } from '../shared/canonical';
import type { CommunityId, EventId } from '../shared/ids';
import { encodeInviteLink, parseInviteLink, type InvitePayload } from './invite-link';

const NOT_AN_INVITE = 'This is not a Moot invite link. Ask for the link again and paste all of it.';
const DAMAGED = 'This invite link is damaged or from a newer version of Moot. Ask for a new link.';

const payload: InvitePayload = {
  community: toBase64url(randomBytes(32)) as CommunityId,
  secret: randomBytes(32),
  inviteSeed: randomBytes(32),
  inviteEvent: toBase64url(randomBytes(32)) as EventId,
  relays: ['wss://relay.example/signal', 'ws://localhost:8787/signal'],
};
const link = encodeInviteLink('https://moot.example', payload);

/** A link whose payload is `fields` merged over a valid one. */
function linkWith(fields: Record<string, unknown>): string {
  const valid = {
    v: 1,
    c: payload.community,
    s: toBase64url(payload.secret),
    k: toBase64url(payload.inviteSeed),
    e: payload.inviteEvent,
    r: payload.relays,
  };
  return 'https://moot.example/#/join/' + toBase64url(encodeCanonical({ ...valid, ...fields }));
}

describe('invite links', () => {
  it('round-trip, with everything in the fragment', () => {
    expect(link.startsWith('https://moot.example/#/join/')).toBe(true);
    expect(parseInviteLink(link)).toEqual({ ok: true, value: payload });
  });

  it('carry whether they link a device, and refuse an unknown link type', () => {
    const device = encodeInviteLink('https://moot.example', { ...payload, device: true });
    expect(parseInviteLink(device)).toEqual({ ok: true, value: { ...payload, device: true } });
    expect(parseInviteLink(link)).toEqual({ ok: true, value: payload });
    expect(parseInviteLink(linkWith({ d: 2 }))).toEqual({ ok: false, error: DAMAGED });
  });

  it('parse from just the fragment, with the whitespace a paste brings', () => {
    expect(parseInviteLink(link.slice(link.indexOf('#'))).ok).toBe(true);
    expect(parseInviteLink(`  ${link}\n`)).toEqual({ ok: true, value: payload });
  });

  it.each([
    ['an empty paste', ''],
    ['plain text', 'hello there'],
    ['another site’s link', 'https://example.com/#/rooms/abc'],
    ['a link without payload', 'https://moot.example/#/join/'],
    ['non-base64url characters', 'https://moot.example/#/join/abc$%def'],
    ['bytes that are not JSON', 'https://moot.example/#/join/' + toBase64url(randomBytes(40))],
  ])('refuse %s as not an invite', (_what, text) => {
    expect(parseInviteLink(text)).toEqual({ ok: false, error: NOT_AN_INVITE });
  });

  it('refuse every truncation with a plain message, never a crash', () => {
    const start = link.indexOf('#/join/') + '#/join/'.length;
    for (let end = start; end < link.length; end++) {
      const result = parseInviteLink(link.slice(0, end));
      expect(result.ok, `cut at ${end}`).toBe(false);
      if (!result.ok) expect([NOT_AN_INVITE, DAMAGED]).toContain(result.error);
    }
  });

  it.each([
    ['a newer version', { v: 2 }],
    ['a short secret', { s: toBase64url(randomBytes(16)) }],
    ['a missing invite seed', { k: undefined }],
    ['a malformed community id', { c: 'gardeners' }],
    ['an http relay', { r: ['https://relay.example/signal'] }],
    ['a relay that is not a URL', { r: ['relay.example'] }],
    ['too many relays', { r: Array.from({ length: 9 }, (_, i) => `wss://r${i}.example`) }],
    ['relays that are not a list', { r: 'wss://relay.example' }],
  ])('refuse %s as damaged', (_what, fields) => {
    expect(parseInviteLink(linkWith(fields))).toEqual({ ok: false, error: DAMAGED });
  });

  it('accept ws and wss relays, and none', () => {
    expect(parseInviteLink(linkWith({ r: ['ws://10.0.0.2:8787/signal'] })).ok).toBe(true);
    expect(parseInviteLink(linkWith({ r: [] })).ok).toBe(true);
  });
});
