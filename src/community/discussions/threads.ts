/**
 * The thread model read from the reducer's posts: which threads exist, in what order, how many
 * replies each has, and what is unread. Pure selectors, memoised on the posts array (the
 * reducer makes a new one per derivation), so a screen re-reading them costs nothing.
 */
import type { EventId, MemberId } from '../../shared/ids';
import type { Post } from '../state';

export interface ThreadSummary {
  root: Post;
  replies: number;
  /** The newest post's time in the thread (its start included). */
  lastActivity: number;
  /** The newest post by someone other than `me`, or 0: what an unread marker compares against. */
  lastActivityByOthers: number;
  /** When each post by someone else that mentions `me` was made: what a mention badge counts. */
  mentionsOfMe: number[];
}

const listMemo = new WeakMap<readonly Post[], { me: MemberId; threads: ThreadSummary[] }>();

/** Threads by latest activity, newest first. `posts` is newest first, as the reducer sorts it. */
export function listThreads(posts: readonly Post[], me: MemberId): ThreadSummary[] {
  const cached = listMemo.get(posts);
  if (cached?.me === me) return cached.threads;
  const byRoot = new Map<EventId, ThreadSummary>();
  for (const post of posts) {
    if (post.parent === null) byRoot.set(post.id, summary(post));
  }
  for (const post of posts) {
    const thread = byRoot.get(post.thread);
    if (!thread) continue;
    if (post.parent !== null) thread.replies++;
    thread.lastActivity = Math.max(thread.lastActivity, post.at);
    if (post.author === me) continue;
    thread.lastActivityByOthers = Math.max(thread.lastActivityByOthers, post.at);
    if (post.mentions.includes(me)) thread.mentionsOfMe.push(post.at);
  }
  const threads = [...byRoot.values()].sort(
    (a, b) => b.lastActivity - a.lastActivity || (a.root.id < b.root.id ? -1 : 1),
  );
  listMemo.set(posts, { me, threads });
  return threads;
}

const summary = (root: Post): ThreadSummary => ({
  root,
  replies: 0,
  lastActivity: root.at,
  lastActivityByOthers: 0,
  mentionsOfMe: [],
});

const repliesMemo = new WeakMap<readonly Post[], Map<EventId, Post[]>>();

/** A thread's replies, oldest first (deeper replies flattened in, each keeping its `parent`). */
export function threadReplies(posts: readonly Post[], root: EventId): Post[] {
  let byRoot = repliesMemo.get(posts);
  if (!byRoot) repliesMemo.set(posts, (byRoot = new Map()));
  let replies = byRoot.get(root);
  if (!replies) {
    replies = posts.filter((p) => p.thread === root && p.id !== root).reverse();
    byRoot.set(root, replies);
  }
  return replies;
}

/**
 * Whether a thread has posts by others newer than when I last looked: at the community as a
 * whole (`since`, my previous visit) or at this thread (`seenAt`).
 */
export function isUnread(
  thread: Pick<ThreadSummary, 'lastActivityByOthers'>,
  since: number,
  seenAt = 0,
): boolean {
  return thread.lastActivityByOthers > Math.max(since, seenAt);
}

/** Mentions of me in a thread that I have not seen: made after I last opened it (`seenAt`). */
export function unseenMentions(thread: ThreadSummary, seenAt = 0): number {
  return thread.mentionsOfMe.filter((at) => at > seenAt).length;
}

/** The post a reply answers, when that is not the thread's first post ("reply to" context). */
export function replyContext(post: Post, byId: ReadonlyMap<EventId, Post>): Post | null {
  if (post.parent === null || post.parent === post.thread) return null;
  return byId.get(post.parent) ?? null;
}
