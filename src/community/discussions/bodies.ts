/**
 * Bodies of the discussion event kinds (threads, replies, edits, deletes, reactions) and their
 * well-formedness checks, run at ingest like every body in ../bodies.ts. Who may edit, delete or
 * react is the reducer's business (transforms.ts).
 */
import { isBase64urlOfLength } from '../../shared/base64url';
import type { EventId } from '../../shared/ids';
import type { Result } from '../../shared/result';
import { firstError, object, text } from '../bodies';
import { LIMITS } from '../limits';

/** The fixed reaction set: small, so counts stay readable and nobody can invent a slur-emoji. */
export const REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '🙏'] as const;
export type Reaction = (typeof REACTIONS)[number];

export interface PostEditBody {
  post: EventId;
  text: string;
  /** Only a thread's first post has a title; on a reply it is ignored. */
  title?: string;
}
export interface PostDeleteBody {
  post: EventId;
}
export interface ReactionSetBody {
  post: EventId;
  emoji: Reaction;
  /** true adds my reaction, false takes it back. */
  on: boolean;
}

const isEventId = (value: unknown, field: string) =>
  isBase64urlOfLength(value, 32) ? null : `${field} is malformed`;

const optionalTitle = (value: unknown) =>
  value === undefined ? null : text(value, 'title', 1, LIMITS.postTitle);

/** Mentioned members: distinct member ids, at most LIMITS.mentions of them. */
function optionalMentions(value: unknown): string | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length > LIMITS.mentions)
    return `mentions are not a list of at most ${LIMITS.mentions} members`;
  if (!value.every((m) => isBase64urlOfLength(m, 32))) return 'a mention is malformed';
  return new Set(value).size === value.length ? null : 'a member is mentioned twice';
}

/**
 * Attached files: distinct event ids, at most LIMITS.attachments. Whether each names a file
 * manifest is not known at ingest (the manifest may arrive later, or never): the UI shows only
 * those that do, so a forged id shows nothing.
 */
function optionalAttachments(value: unknown): string | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length > LIMITS.attachments)
    return `attachments are not a list of at most ${LIMITS.attachments} files`;
  if (!value.every((a) => isBase64urlOfLength(a, 32))) return 'an attachment is malformed';
  return new Set(value).size === value.length ? null : 'a file is attached twice';
}

/**
 * post.create: `text`, plus a `title` for a thread's first post or a `parent` for a reply, and
 * the members it mentions. Mentions are fixed when the post is made: an edit does not change
 * who was called (their badge is about a post arriving). Attachments are fixed too.
 */
export function validatePostCreate(body: unknown): Result<void> {
  const o = object(body, ['text', 'title', 'parent', 'mentions', 'attachments']);
  if (!o.ok) return o;
  const b = o.value;
  return firstError(
    text(b.text, 'text', 1, LIMITS.postText),
    optionalTitle(b.title),
    b.parent === undefined ? null : isEventId(b.parent, 'parent'),
    b.parent !== undefined && b.title !== undefined ? 'a reply has no title' : null,
    optionalMentions(b.mentions),
    optionalAttachments(b.attachments),
  );
}

export function validatePostEdit(body: unknown): Result<void> {
  const o = object(body, ['post', 'text', 'title']);
  if (!o.ok) return o;
  const b = o.value;
  return firstError(
    isEventId(b.post, 'post'),
    text(b.text, 'text', 1, LIMITS.postText),
    optionalTitle(b.title),
  );
}

export function validatePostDelete(body: unknown): Result<void> {
  const o = object(body, ['post']);
  if (!o.ok) return o;
  return firstError(isEventId(o.value.post, 'post'));
}

export function validateReactionSet(body: unknown): Result<void> {
  const o = object(body, ['post', 'emoji', 'on']);
  if (!o.ok) return o;
  const b = o.value;
  return firstError(
    isEventId(b.post, 'post'),
    (REACTIONS as readonly unknown[]).includes(b.emoji) ? null : 'emoji is not in the set',
    typeof b.on === 'boolean' ? null : 'on is not true or false',
  );
}
