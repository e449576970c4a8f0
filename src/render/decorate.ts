/**
 * A post's HTML as the default theme shows it (its `decorate` template helper):
 *
 * - each code block (`<pre><code>`) is wrapped in `<div class="code-block">` with a bar above it
 *   naming its language, taken from the `language-…` class the markdown stage gives a fenced
 *   block; the theme's script adds a copy button to the bar (without JavaScript the bar shows only
 *   the language, and a block without one shows no bar);
 * - each table is wrapped in `<div class="table-scroll">`, a box that scrolls sideways, so a wide
 *   table keeps its columns instead of squeezing every cell (a `display: block` table shrinks its
 *   columns to the screen); a column's alignment (GFM's `align="right"`, obsolete in HTML and an
 *   error for the W3C checker) becomes a class, `align-right`;
 * - boxes that scroll sideways (the `<pre>`, the table's box) take keyboard focus (`tabindex="0"`),
 *   so they can be scrolled without a mouse (axe: scrollable-region-focusable);
 * - a task list's checkbox is named "Done" or "To do" (GFM writes it without a label).
 *
 * Feeds, and themes that do not call the helper, keep the plain markup.
 */
import { decodeEntities } from '../text/entities.ts';
import { escapeHtml } from '../text/html.ts';

/**
 * A whole code block. `</pre>` cannot occur inside one (text has `<` escaped), so the first
 * `</code></pre>` closes it; a block in raw HTML without this exact shape is left as it is.
 */
const CODE_BLOCK = /<pre><code((?:\s+[a-z-]+="[^"]*")*)>[\s\S]*?<\/code><\/pre>/g;
const LANGUAGE = /\sclass="(?:[^"]*\s)?language-([^"\s]+)/;
/** A task list item's checkbox exactly as remark-gfm writes it (tight or loose list). */
const TASK_BOX = /(<li class="task-list-item">(?:<p>)?)<input type="checkbox" (checked )?disabled>/g;
const TABLE_TAG = /<(\/?)table\b[^>]*>/gi;
/** A cell exactly as remark-gfm writes an aligned one; cells written in raw HTML are left alone. */
const ALIGNED_CELL = /<(t[hd]) align="(left|center|right)">/g;

/** The post HTML with code blocks labelled, tables framed and task boxes named (see the module comment). */
export function decoratePostHtml(html: string): string {
  return nameTaskBoxes(wrapTables(labelCodeBlocks(html)));
}

/** Names each task list checkbox by its state. */
export function nameTaskBoxes(html: string): string {
  if (!html.includes('task-list-item')) return html;
  return html.replace(TASK_BOX, (_m, before: string, checked: string | undefined) => `${before}<input type="checkbox" ${checked ?? ''}disabled aria-label="${checked ? 'Done' : 'To do'}">`);
}

/** Wraps each code block with a bar naming its language. */
export function labelCodeBlocks(html: string): string {
  if (!html.includes('<pre><code')) return html;
  return html.replace(CODE_BLOCK, (block: string, attrs: string) => {
    const lang = LANGUAGE.exec(attrs)?.[1];
    const label = lang ? `<span class="code-lang">${escapeHtml(decodeEntities(lang))}</span>` : '';
    return `<div class="code-block"><div class="code-bar">${label}</div><pre tabindex="0">${block.slice('<pre>'.length)}</div>`;
  });
}

/**
 * Wraps each outermost table in a scrolling box. A table nested in another (raw HTML) stays in
 * its parent's box; when the tags do not pair up (raw HTML again), the HTML is left as it is.
 */
export function wrapTables(html: string): string {
  if (!html.includes('<table')) return html;
  const spans: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (const m of html.matchAll(TABLE_TAG)) {
    if (!m[1]) {
      if (depth++ === 0) start = m.index;
    } else {
      if (depth === 0) return html;
      if (--depth === 0) spans.push([start, m.index + m[0].length]);
    }
  }
  if (depth !== 0) return html;
  let out = '';
  let at = 0;
  for (const [from, to] of spans) out += `${html.slice(at, from)}<div class="table-scroll" tabindex="0">${html.slice(from, to).replace(ALIGNED_CELL, '<$1 class="align-$2">')}</div>`, (at = to);
  return out + html.slice(at);
}
