/**
 * @mentions in the composer: finding the `@name` being typed, the members it could mean, and
 * which picked members are still named in the text when it is sent. A mention is recorded by
 * member id (the post's signed `mentions`), so two members with one name stay apart; the text
 * only shows the name.
 */
import type { MemberId } from '../shared/ids';
import type { CommunityView } from './state/community-view.svelte';

export interface Mentionable {
  id: MemberId;
  name: string;
}

/** Longest name a mention query follows (display names are capped at 64). */
const MAX_QUERY = 64;

/**
 * The `@…` typed just before the caret: where its `@` is and what follows it, or null. The `@`
 * must start the text or follow a space or an opening bracket, so an e-mail address is no
 * mention.
 */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(Math.max(0, caret - MAX_QUERY - 1), caret);
  const at = before.lastIndexOf('@');
  if (at === -1) return null;
  const query = before.slice(at + 1);
  if (/[\n@]/.test(query)) return null;
  const start = caret - before.length + at;
  if (start > 0 && !/[\s([{"']/.test(text[start - 1]!)) return null;
  return { start, query };
}

/** Members whose name, or a word of it, starts with `query` (case ignored), at most `limit`. */
export function matchMembers(
  members: readonly Mentionable[],
  query: string,
  limit = 8,
): Mentionable[] {
  const q = query.toLocaleLowerCase();
  return members
    .filter(({ name }) => {
      const n = name.toLocaleLowerCase();
      return n.startsWith(q) || n.split(/\s+/).some((word) => word.startsWith(q));
    })
    .slice(0, limit);
}

/** The picked members whose `@name` is still in the text. */
export function mentionsIn(text: string, picked: ReadonlyMap<MemberId, string>): MemberId[] {
  return [...picked].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}

/** Everyone but me, by the names the community shows (told apart when two share one). */
export function mentionable(view: CommunityView): Mentionable[] {
  return [...view.state.members.keys()]
    .filter((id) => id !== view.me)
    .map((id) => ({ id, name: view.nameOf(id) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
