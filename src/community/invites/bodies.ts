/**
 * Bodies of the invite and admission event kinds, checked at ingest like every body in
 * ../bodies.ts. Permissions (who may revoke, who may admit) are the reducer's business.
 */
import { isBase64urlOfLength } from '../../shared/base64url';
import type { EventId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';

export interface InviteRevokeBody {
  /** One invite.create event id, or 'all': every invite that exists at the revoke's position. */
  invite: EventId | 'all';
}

/**
 * A member vouches that a join reached them while its invite was live by their clock. The
 * event must name the join as a dep. See docs/membership.md, "When a join counts".
 */
export interface MemberAdmitBody {
  join: EventId;
}

function fields(body: unknown, key: string): Result<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return err('body is not an object');
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== key) return err(`body must hold exactly ${key}`);
  return ok(body as Record<string, unknown>);
}

export function validateInviteRevoke(body: unknown): Result<void> {
  const o = fields(body, 'invite');
  if (!o.ok) return o;
  const invite = o.value.invite;
  return invite === 'all' || isBase64urlOfLength(invite, 32)
    ? ok(undefined)
    : err('invite is malformed');
}

export function validateMemberAdmit(body: unknown): Result<void> {
  const o = fields(body, 'join');
  if (!o.ok) return o;
  return isBase64urlOfLength(o.value.join, 32) ? ok(undefined) : err('join is malformed');
}
