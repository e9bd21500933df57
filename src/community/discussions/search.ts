/**
 * Offline full-text search over the community's thread titles and post texts (minisearch).
 * The index follows the reducer's posts incrementally: `sync` adds new posts, replaces edited
 * ones and drops deleted or vanished ones, so each new event costs one document, not a rebuild.
 */
import MiniSearch from 'minisearch';
import type { EventId } from '../../shared/ids';
import type { Post } from '../state';

interface Doc {
  id: EventId;
  title: string;
  text: string;
}

export interface SearchHit {
  post: EventId;
  /** Index terms the query matched (lower case), for highlighting. */
  terms: string[];
}

/** What makes an indexed post stale: an edit adds a revision, a delete empties it. */
const version = (post: Post) => (post.deleted ? -1 : post.history.length);

export class PostSearch {
  private readonly index = new MiniSearch<Doc>({
    fields: ['title', 'text'],
    searchOptions: { prefix: true, combineWith: 'AND', boost: { title: 2 } },
  });
  private readonly indexed = new Map<EventId, number>();

  get size(): number {
    return this.index.documentCount;
  }

  sync(posts: readonly Post[]): void {
    for (const post of posts) {
      const known = this.indexed.get(post.id);
      const now = version(post);
      if (known === now) continue;
      if (known !== undefined && known !== -1) this.index.discard(post.id);
      if (now !== -1) this.index.add({ id: post.id, title: post.title ?? '', text: post.text });
      this.indexed.set(post.id, now);
    }
    // Posts can also vanish (a removed member's events struck out on re-derivation).
    if (this.indexed.size > posts.length) {
      const present = new Set(posts.map((p) => p.id));
      for (const [id, v] of this.indexed) {
        if (present.has(id)) continue;
        if (v !== -1) this.index.discard(id);
        this.indexed.delete(id);
      }
    }
  }

  /** The best `limit` matches among the posts `shown` lets through (all by default). */
  search(query: string, limit = 50, shown?: (post: EventId) => boolean): SearchHit[] {
    if (query.trim() === '') return [];
    return this.index
      .search(query, shown ? { filter: (r) => shown(r.id as EventId) } : {})
      .slice(0, limit)
      .map((r) => ({ post: r.id as EventId, terms: r.terms }));
  }
}
