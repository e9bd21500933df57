/**
 * Marks the matched terms in a search result as plain-text segments (never HTML), so a hostile
 * post cannot inject markup through its own search snippet.
 */
export interface Segment {
  text: string;
  match: boolean;
}

/** `term` as a regular expression matching itself. */
export const escapeRegExp = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A window of `text` around its first match (about `width` characters), split into matched and
 * unmatched segments. Terms match at word starts, as the prefix search does.
 */
export function highlight(text: string, terms: readonly string[], width = 200): Segment[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const words = terms.filter((t) => t.length > 0).map(escapeRegExp);
  const pattern =
    words.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})`, 'giu') : null;
  const first = pattern ? flat.search(pattern) : -1;
  const start = first > width / 3 ? first - Math.floor(width / 3) : 0;
  const end = Math.min(flat.length, start + width);
  const window = (start > 0 ? '…' : '') + flat.slice(start, end) + (end < flat.length ? '…' : '');
  if (!pattern) return [{ text: window, match: false }];
  const segments: Segment[] = [];
  let at = 0;
  for (const found of window.matchAll(pattern)) {
    const index = found.index;
    if (index > at) segments.push({ text: window.slice(at, index), match: false });
    segments.push({ text: found[0], match: true });
    at = index + found[0].length;
  }
  if (at < window.length) segments.push({ text: window.slice(at), match: false });
  return segments;
}
