/**
 * Well-formedness of each event kind's body, checked at ingest (before a peer's update is
 * applied). Permissions are not checked here: they depend on the event's place in the DAG and
 * belong to the reducer. Validators return results, never throw (STYLE.md §5).
 */
import { isBase64urlOfLength } from '../shared/base64url';
import type { EventId, MemberId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { LIMITS } from './limits';
import { validateFileShare, type FileShareBody } from './files/manifest';
import {
  validateDeviceAdd,
  validateDeviceLink,
  validateDeviceRevoke,
  type DeviceAddBody,
  type DeviceLinkBody,
  type DeviceRevokeBody,
} from './devices/bodies';
import {
  validateInviteRevoke,
  validateMemberAdmit,
  type InviteRevokeBody,
  type MemberAdmitBody,
} from './invites/bodies';
import {
  validatePostModeration,
  validateProposalCreate,
  validateVoteCast,
  type PostModerationBody,
  type ProposalCreateBody,
  type VoteCastBody,
} from './governance/bodies';
import {
  validatePostCreate,
  validatePostDelete,
  validatePostEdit,
  validateReactionSet,
  type PostDeleteBody,
  type PostEditBody,
  type ReactionSetBody,
} from './discussions/bodies';

export interface CommunityCreateBody {
  name: string;
  description: string;
  rules: string;
  /** base64url 16 bytes; with the founder's key it derives the community id (genesis.ts). */
  nonce: string;
}
export interface InviteCreateBody {
  /** base64url raw Ed25519 public key of the invite key pair. */
  publicKey: string;
  label: string;
  expiresAt: number | null;
  maxUses: number | null;
}
export interface MemberJoinBody {
  invite: EventId;
  /** The invite's public key, repeated so the proof can be checked without state. */
  invitePublicKey: string;
  /** Invite-key signature over joinProofBytes(community, member, invite). */
  proof: string;
}
export interface ProfileSetBody {
  name: string;
  bio: string;
}
export interface PostCreateBody {
  text: string;
  /** A thread's first post has a title (discussions/bodies.ts). */
  title?: string;
  /** The post this one replies to. */
  parent?: EventId;
  /** Members named with @ in the text (discussions/bodies.ts). */
  mentions?: MemberId[];
  /** Ids of `file.share` events the post carries (discussions/bodies.ts). */
  attachments?: EventId[];
}

export interface Bodies {
  'community.create': CommunityCreateBody;
  'invite.create': InviteCreateBody;
  'member.join': MemberJoinBody;
  'invite.revoke': InviteRevokeBody;
  'member.admit': MemberAdmitBody;
  'device.link': DeviceLinkBody;
  'device.add': DeviceAddBody;
  'device.revoke': DeviceRevokeBody;
  'profile.set': ProfileSetBody;
  'post.create': PostCreateBody;
  'file.share': FileShareBody;
  'proposal.create': ProposalCreateBody;
  'vote.cast': VoteCastBody;
  'post.hide': PostModerationBody;
  'post.unhide': PostModerationBody;
  'post.edit': PostEditBody;
  'post.delete': PostDeleteBody;
  'reaction.set': ReactionSetBody;
}
export type EventKind = keyof Bodies;

type Fields = Record<string, unknown>;

export function object(body: unknown, keys: string[]): Result<Fields> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return err('body is not an object');
  const extra = Object.keys(body).filter((k) => !keys.includes(k));
  if (extra.length > 0) return err(`unexpected field ${extra[0]}`);
  return ok(body as Fields);
}

export function text(value: unknown, field: string, min: number, max: number): string | null {
  if (typeof value !== 'string') return `${field} is not text`;
  // Code points never outnumber UTF-16 units: skip counting them (a copy per post on open)
  // when the units alone prove the text fits.
  const length = value.length <= max && min <= 1 ? value.length : [...value].length;
  if (length < min) return `${field} is empty`;
  if (length > max) return `${field} is longer than ${max} characters`;
  return null;
}

function optionalPositive(value: unknown, field: string): string | null {
  if (value === null) return null;
  return Number.isSafeInteger(value) && (value as number) > 0
    ? null
    : `${field} is not a positive integer`;
}

export function firstError(...errors: (string | null)[]): Result<void> {
  const found = errors.find((e) => e !== null);
  return found ? err(found) : ok(undefined);
}

const validators: { [K in EventKind]: (body: unknown) => Result<void> } = {
  'file.share': validateFileShare,
  'community.create': (body) => {
    const o = object(body, ['name', 'description', 'rules', 'nonce']);
    if (!o.ok) return o;
    const b = o.value;
    return firstError(
      text(b.name, 'name', 1, LIMITS.communityName),
      text(b.description, 'description', 0, LIMITS.description),
      text(b.rules, 'rules', 0, LIMITS.rules),
      isBase64urlOfLength(b.nonce, 16) ? null : 'nonce is malformed',
    );
  },
  'invite.create': (body) => {
    const o = object(body, ['publicKey', 'label', 'expiresAt', 'maxUses']);
    if (!o.ok) return o;
    const b = o.value;
    return firstError(
      isBase64urlOfLength(b.publicKey, 32) ? null : 'publicKey is malformed',
      text(b.label, 'label', 0, LIMITS.inviteLabel),
      optionalPositive(b.expiresAt, 'expiresAt'),
      optionalPositive(b.maxUses, 'maxUses'),
    );
  },
  'member.join': (body) => {
    const o = object(body, ['invite', 'invitePublicKey', 'proof']);
    if (!o.ok) return o;
    const b = o.value;
    return firstError(
      isBase64urlOfLength(b.invite, 32) ? null : 'invite is malformed',
      isBase64urlOfLength(b.invitePublicKey, 32) ? null : 'invitePublicKey is malformed',
      isBase64urlOfLength(b.proof, 64) ? null : 'proof is malformed',
    );
  },
  'invite.revoke': validateInviteRevoke,
  'member.admit': validateMemberAdmit,
  'device.link': validateDeviceLink,
  'device.add': validateDeviceAdd,
  'device.revoke': validateDeviceRevoke,
  'profile.set': (body) => {
    const o = object(body, ['name', 'bio']);
    if (!o.ok) return o;
    return firstError(
      text(o.value.name, 'name', 1, LIMITS.displayName),
      text(o.value.bio, 'bio', 0, LIMITS.bio),
    );
  },
  'post.create': validatePostCreate,
  'proposal.create': validateProposalCreate,
  'vote.cast': validateVoteCast,
  'post.hide': validatePostModeration,
  'post.unhide': validatePostModeration,
  'post.edit': validatePostEdit,
  'post.delete': validatePostDelete,
  'reaction.set': validateReactionSet,
};

export function isEventKind(kind: unknown): kind is EventKind {
  return typeof kind === 'string' && Object.hasOwn(validators, kind);
}

export function validateBody(kind: EventKind, body: unknown): Result<void> {
  return validators[kind](body);
}
