/**
 * Per-community discussion state that outlives one screen: my visits (for unread markers) and
 * the search index. Kept for the page's lifetime so moving between the thread list and a thread
 * neither rebuilds the index nor forgets what "since my last visit" meant on arrival.
 */
import type { ThreadSummary } from '../../community/discussions/threads';
import { isUnread, unseenMentions } from '../../community/discussions/threads';
import { PostSearch } from '../../community/discussions/search';
import type { CommunityState, Post } from '../../community/state';
import type { CommunityId, EventId } from '../../shared/ids';
import { loadVisits, saveVisits } from '../../store/visit-store';

export class Discussions {
  /** When my previous visit began; posts by others after it are unread. */
  since = $state(Number.POSITIVE_INFINITY);
  #threads = $state<Record<EventId, number>>({});
  #search: PostSearch | null = null;
  #indexedPosts: readonly Post[] | null = null;

  constructor(readonly id: CommunityId) {
    const arrived = Date.now();
    void loadVisits(id).then(
      (saved) => {
        this.since = saved.lastVisit;
        // Every thread's last look is kept, old ones too: a mention stays until its thread is
        // opened, however many visits later (one entry per thread I opened, not per post).
        this.#threads = { ...saved.threads, ...this.#threads };
        void this.#save(arrived);
      },
      // Storage unavailable: show nothing as unread rather than everything.
      () => undefined,
    );
  }

  isUnread(thread: ThreadSummary): boolean {
    return isUnread(thread, this.since, this.#threads[thread.root.id]);
  }

  /** The same marker from its inputs alone (a stored first screen has no ThreadSummary). */
  isUnreadThread(root: EventId, lastActivityByOthers: number): boolean {
    return isUnread({ lastActivityByOthers }, this.since, this.#threads[root]);
  }

  /** Mentions of me in this thread since I last opened it. */
  unseenMentions(thread: ThreadSummary): number {
    return unseenMentions(thread, this.#threads[thread.root.id]);
  }

  /** I am looking at this thread now. */
  markRead(thread: EventId): void {
    this.#threads[thread] = Date.now();
    void this.#save();
  }

  /**
   * Builds the index on first use, then brings it up to date with the state's posts. Posts a
   * moderator hid and posts of banned members are indexed but never found, so hiding or
   * unhiding costs the index nothing.
   */
  search(state: CommunityState, query: string) {
    this.#search ??= new PostSearch();
    if (this.#indexedPosts !== state.posts) {
      this.#search.sync(state.posts);
      this.#indexedPosts = state.posts;
    }
    return this.#search.search(query, 50, (id) => isFindable(state, id));
  }

  #lastVisit = 0;
  #save(lastVisit = this.#lastVisit): Promise<void> {
    this.#lastVisit = lastVisit;
    return saveVisits(this.id, { lastVisit, threads: { ...this.#threads } }).catch(() => undefined);
  }
}

const isFindable = (state: CommunityState, id: EventId) => {
  const post = state.postsById.get(id);
  return post !== undefined && !state.hidden.has(id) && !state.bans.has(post.author);
};

// A registry of long-lived objects, never read reactively: a plain Map is the point.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const open = new Map<CommunityId, Discussions>();

export function discussionsFor(id: CommunityId): Discussions {
  let found = open.get(id);
  if (!found) open.set(id, (found = new Discussions(id)));
  return found;
}
