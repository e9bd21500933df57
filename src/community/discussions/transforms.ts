/**
 * Reducer transforms for discussions. Each sees the state at its event's causal position, so
 * "only the author edits or deletes" and "the post must exist" are judged the same on every peer.
 * An event naming a post outside its causal past is ignored: the app always lists the post it
 * acts on in deps (app/discussions.ts), so only a forged or broken event misses it.
 */
import type { EventId } from '../../shared/ids';
import type { MootEvent } from '../event';
import type { CommunityState, Post } from '../state';

export function createPost(state: CommunityState, e: MootEvent<'post.create'>, id: EventId): void {
  if (!state.members.has(e.author)) return;
  let thread = id;
  if (e.body.parent !== undefined) {
    const parent = state.postsById.get(e.body.parent);
    if (!parent) return;
    thread = parent.thread;
  }
  const post: Post = {
    id,
    author: e.author,
    text: e.body.text,
    at: e.at,
    title: e.body.parent === undefined ? (e.body.title ?? null) : null,
    parent: e.body.parent ?? null,
    thread,
    history: [],
    editedAt: null,
    deleted: false,
    mentions: e.body.mentions ?? [],
    attachments: e.body.attachments ?? [],
  };
  state.posts.push(post);
  state.postsById.set(id, post);
}

/** The author's own live post, or undefined when this member may not touch it. */
function ownPost(state: CommunityState, e: MootEvent, postId: EventId): Post | undefined {
  if (!state.members.has(e.author)) return undefined;
  const post = state.postsById.get(postId);
  if (!post || post.deleted || post.author !== e.author) return undefined;
  return post;
}

export function editPost(state: CommunityState, e: MootEvent<'post.edit'>): void {
  const post = ownPost(state, e, e.body.post);
  if (!post) return;
  post.history.push({ title: post.title, text: post.text, at: post.editedAt ?? post.at });
  post.text = e.body.text;
  if (post.parent === null && e.body.title !== undefined) post.title = e.body.title;
  post.editedAt = e.at;
}

/** A delete keeps the post's place (replies stay attached) but drops every version of its text. */
export function deletePost(state: CommunityState, e: MootEvent<'post.delete'>): void {
  const post = ownPost(state, e, e.body.post);
  if (!post) return;
  post.deleted = true;
  post.text = '';
  post.title = null;
  post.history = [];
  post.mentions = [];
  post.attachments = [];
  state.reactions.delete(post.id);
}

export function setReaction(state: CommunityState, e: MootEvent<'reaction.set'>): void {
  if (!state.members.has(e.author)) return;
  const post = state.postsById.get(e.body.post);
  if (!post || post.deleted) return;
  let byEmoji = state.reactions.get(post.id);
  if (!byEmoji) state.reactions.set(post.id, (byEmoji = new Map()));
  let who = byEmoji.get(e.body.emoji);
  if (!who) byEmoji.set(e.body.emoji, (who = new Set()));
  if (e.body.on) who.add(e.author);
  else who.delete(e.author);
  if (who.size === 0) byEmoji.delete(e.body.emoji);
}
