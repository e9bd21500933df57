/**
 * What a peer shows at the admission handshake besides its key: its signed member.join and, if
 * it has one, the member.admit that let it in. A member who joined while we were offline is
 * unknown to our state; these let us check them without having synced (docs/membership.md).
 */
import { fromBase64url, toBase64url } from '../../shared/base64url';
import { decodeCanonical, encodeCanonical } from '../../shared/canonical';
import type { CommunityId, MemberId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import { verifyEvent, type MootEvent, type SignedEvent } from '../event';

export interface Credential {
  join: SignedEvent & { event: MootEvent<'member.join'> };
  admit: (SignedEvent & { event: MootEvent<'member.admit'> }) | null;
}

/** One signed event as it travels in a credential; also used for devices (devices/credential.ts). */
export const pack = (e: SignedEvent) => ({ e: toBase64url(e.bytes), s: toBase64url(e.sig) });

export function encodeCredential(join: SignedEvent, admit: SignedEvent | null): Uint8Array {
  return encodeCanonical(admit ? { join: pack(join), admit: pack(admit) } : { join: pack(join) });
}

export async function unpack(value: unknown): Promise<Result<SignedEvent>> {
  if (typeof value !== 'object' || value === null) return err('credential is malformed');
  const { e, s } = value as Record<string, unknown>;
  const bytes = typeof e === 'string' ? fromBase64url(e) : null;
  const sig = typeof s === 'string' ? fromBase64url(s) : null;
  if (!bytes || !sig) return err('credential is malformed');
  return verifyEvent(bytes, sig);
}

/** Verifies both events' signatures and that they are a join by `member` and its admission. */
export async function decodeCredential(
  bytes: Uint8Array,
  member: MemberId,
  community: CommunityId,
): Promise<Result<Credential>> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null)
    return err('credential is malformed');
  const fields = decoded.value as Record<string, unknown>;
  const join = await unpack(fields.join);
  if (!join.ok) return join;
  const j = join.value.event;
  if (j.kind !== 'member.join' || j.author !== member || j.community !== community)
    return err('credential is not this member’s join');
  if (fields.admit === undefined)
    return ok({ join: join.value as Credential['join'], admit: null });
  const admit = await unpack(fields.admit);
  if (!admit.ok) return admit;
  const a = admit.value.event;
  if (
    a.kind !== 'member.admit' ||
    a.body.join !== join.value.id ||
    !a.deps.includes(join.value.id) ||
    a.community !== community
  )
    return err('credential’s admission is not of this join');
  return ok({ join: join.value as Credential['join'], admit: admit.value as Credential['admit'] });
}
