/**
 * Post text → safe HTML. marked renders Markdown (raw HTML in a post passes through it), then
 * DOMPurify removes anything that could run or load: scripts, event-handler attributes, SVG,
 * forms, styles, and every URL scheme but http(s) and mailto (THREATS.md line 35). The CSP in
 * index.html is the second wall: even markup that slipped through could not run inline script.
 *
 * Images are not loaded: a remote image would tell its host who is reading which post, and the
 * community's own files are not shareable yet. Their alt text is shown instead.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { escapeRegExp } from '../community/discussions/highlight';

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    image({ text }: Tokens.Image) {
      return text ? `[image: ${escapeHtml(text)}]` : '';
    },
    // A post's headings sit below the page's and the thread's own (h1, h2).
    heading({ tokens, depth }: Tokens.Heading) {
      const level = Math.min(6, depth + 2);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('rel', 'noopener noreferrer');
    node.setAttribute('target', '_blank');
  }
});

const ALLOWED_TAGS = [
  ...['p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'a'],
  ...['ul', 'ol', 'li', 'h3', 'h4', 'h5', 'h6'],
  ...['table', 'thead', 'tbody', 'tr', 'th', 'td'],
];

function sanitize(html: string): string {
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'start', 'target', 'rel'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  });
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

// A feed re-renders the same posts often; rendering 10,000 KiB-sized posts is not free.
const cache = new Map<string, string>();
const CACHE_ENTRIES = 2_000;

/** `mentioned`: names of members the post mentions, whose `@name` is highlighted. */
export function renderMarkdown(text: string, mentioned: readonly string[] = []): string {
  const key = mentioned.length === 0 ? text : `${text}\u0000${mentioned.join('\u0000')}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = sanitize(marked.parse(text) as string);
    if (mentioned.length > 0) html = markMentions(html, mentioned);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, html);
  }
  return html;
}

/**
 * Wraps each `@name` of a mentioned member in `<mark class="mention">`, in the text of the
 * already sanitised HTML (never in code or links). Working on DOM text nodes, not on the HTML
 * string, a name can never open or close markup. A template's content is inert: parsing it
 * loads and runs nothing.
 */
function markMentions(html: string, names: readonly string[]): string {
  const longestFirst = [...names].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`@(?:${longestFirst.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  const template = document.createElement('template');
  template.innerHTML = html;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement?.closest('code, pre, a')) texts.push(node as Text);
  }
  for (const node of texts) {
    const value = node.data;
    const parts: (string | Node)[] = [];
    let at = 0;
    for (const found of value.matchAll(pattern)) {
      parts.push(value.slice(at, found.index));
      const mark = document.createElement('mark');
      mark.className = 'mention';
      mark.textContent = found[0];
      parts.push(mark);
      at = found.index + found[0].length;
    }
    if (at === 0) continue;
    parts.push(value.slice(at));
    node.replaceWith(...parts);
  }
  return template.innerHTML;
}
