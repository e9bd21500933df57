/** post.hide / post.unhide: immediate moderator actions, each with a reason, each logged. */
import type { EventId } from '../../shared/ids';
import type { MootEvent } from '../event';
import type { CommunityState } from '../state';

export function hidePost(state: CommunityState, e: MootEvent<'post.hide'>, id: EventId): void {
  const post = e.body.post;
  if (!state.moderators.has(e.author) || state.hidden.has(post)) return;
  if (!state.posts.some((p) => p.id === post)) return;
  state.hidden.set(post, { post, by: e.author, reason: e.body.reason, at: e.at, id });
  state.log.push({ kind: 'post.hide', id, by: e.author, at: e.at, reason: e.body.reason, post });
}

export function unhidePost(state: CommunityState, e: MootEvent<'post.unhide'>, id: EventId): void {
  const post = e.body.post;
  if (!state.moderators.has(e.author) || !state.hidden.delete(post)) return;
  state.log.push({ kind: 'post.unhide', id, by: e.author, at: e.at, reason: e.body.reason, post });
}
