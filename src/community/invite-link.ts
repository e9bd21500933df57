/**
 * Invite links: `https://host/#/join/<payload>`. Everything is in the fragment, which browsers
 * never send to a server. The payload is base64url of canonical JSON with the community id,
 * the community secret, the invite key's seed, the invite event's id and relay URLs.
 * A device link (devices/link.ts) is the same payload with `d: 1`: its seed and event are the
 * device link's, and opening it links this browser to a member instead of joining as one.
 */
import { fromBase64url, isBase64urlOfLength, toBase64url } from '../shared/base64url';
import { decodeCanonical, encodeCanonical } from '../shared/canonical';
import type { CommunityId, EventId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';

export interface InvitePayload {
  community: CommunityId;
  secret: Uint8Array;
  inviteSeed: Uint8Array;
  inviteEvent: EventId;
  relays: string[];
  /** A one-time device link rather than an invite. */
  device?: boolean;
}

const JOIN_PREFIX = '#/join/';
const MAX_RELAYS = 8;

export function encodeInviteLink(origin: string, p: InvitePayload): string {
  const payload = encodeCanonical({
    v: 1,
    c: p.community,
    s: toBase64url(p.secret),
    k: toBase64url(p.inviteSeed),
    e: p.inviteEvent,
    r: p.relays,
    ...(p.device ? { d: 1 } : {}),
  });
  return `${origin}/${JOIN_PREFIX}${toBase64url(payload)}`;
}

const NOT_AN_INVITE = 'This is not a Moot invite link. Ask for the link again and paste all of it.';

/** Accepts a full URL or just its fragment. Errors are plain words for the person pasting. */
export function parseInviteLink(link: string): Result<InvitePayload> {
  const at = link.indexOf(JOIN_PREFIX);
  if (at < 0) return err(NOT_AN_INVITE);
  const bytes = fromBase64url(link.slice(at + JOIN_PREFIX.length).trim());
  if (!bytes) return err(NOT_AN_INVITE);
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null) {
    return err(NOT_AN_INVITE);
  }
  const p = decoded.value as Record<string, unknown>;
  const relays = p.r;
  if (
    p.v !== 1 ||
    !isBase64urlOfLength(p.c, 32) ||
    !isBase64urlOfLength(p.s, 32) ||
    !isBase64urlOfLength(p.k, 32) ||
    !isBase64urlOfLength(p.e, 32) ||
    !Array.isArray(relays) ||
    relays.length > MAX_RELAYS ||
    !relays.every(isRelayUrl) ||
    (p.d !== undefined && p.d !== 1)
  ) {
    return err('This invite link is damaged or from a newer version of Moot. Ask for a new link.');
  }
  return ok({
    community: p.c as CommunityId,
    secret: fromBase64url(p.s)!,
    inviteSeed: fromBase64url(p.k)!,
    inviteEvent: p.e as EventId,
    relays: relays as string[],
    ...(p.d === 1 ? { device: true } : {}),
  });
}

function isRelayUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 512) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'ws:' || url.protocol === 'wss:';
  } catch {
    return false;
  }
}
