/**
 * Bodies of the device event kinds (docs/membership.md, "Devices"), checked at ingest like
 * every body in ../bodies.ts. Who may write them is the reducer's business (transforms.ts).
 */
import { isBase64urlOfLength } from '../../shared/base64url';
import type { EventId, MemberId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import { firstError, object, text } from '../bodies';
import { LIMITS } from '../limits';

/** A member's one-time device link: the public half of a fresh key pair whose seed is in the link. */
export interface DeviceLinkBody {
  publicKey: string;
  /** What the member calls the device, e.g. "Phone". */
  label: string;
  /** ms since epoch. A device link always expires: it stands for the member's whole identity. */
  expiresAt: number;
}

/** Written by the new device, signed by its own key and counter-signed with the link key. */
export interface DeviceAddBody {
  link: EventId;
  /** The link's public key, repeated so the proof can be checked without state. */
  linkPublicKey: string;
  /** Link-key signature over linkProofBytes('moot/device/v1', community, device, link). */
  proof: string;
}

export interface DeviceRevokeBody {
  /** The device key revoked. */
  device: MemberId;
}

export function validateDeviceLink(body: unknown): Result<void> {
  const o = object(body, ['publicKey', 'label', 'expiresAt']);
  if (!o.ok) return o;
  const b = o.value;
  return firstError(
    isBase64urlOfLength(b.publicKey, 32) ? null : 'publicKey is malformed',
    text(b.label, 'label', 0, LIMITS.inviteLabel),
    Number.isSafeInteger(b.expiresAt) && (b.expiresAt as number) > 0
      ? null
      : 'expiresAt is not a positive integer',
  );
}

export function validateDeviceAdd(body: unknown): Result<void> {
  const o = object(body, ['link', 'linkPublicKey', 'proof']);
  if (!o.ok) return o;
  const b = o.value;
  return firstError(
    isBase64urlOfLength(b.link, 32) ? null : 'link is malformed',
    isBase64urlOfLength(b.linkPublicKey, 32) ? null : 'linkPublicKey is malformed',
    isBase64urlOfLength(b.proof, 64) ? null : 'proof is malformed',
  );
}

export function validateDeviceRevoke(body: unknown): Result<void> {
  const o = object(body, ['device']);
  if (!o.ok) return o;
  return isBase64urlOfLength(o.value.device, 32) ? ok(undefined) : err('device is malformed');
}
