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

export function renderMarkdown(text: string): string {
  let html = cache.get(text);
  if (html === undefined) {
    html = sanitize(marked.parse(text) as string);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(text, html);
  }
  return html;
}
