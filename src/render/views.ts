/**
 * Plain view objects for templates, built from the site model. Templates only ever see these:
 * strings, numbers, booleans, arrays and plain objects, every key always present (templates are
 * compiled in strict mode, so a typo in a template is an error, not an empty string).
 */
import { basePath, hasAbsoluteBase, type Config } from '../config.ts';
import { formatDate, type PostDate } from '../content/dates.ts';
import { lazyHtml, type SitePost, type Term, type TocEntry } from '../model.ts';
import type { PageOf } from '../site/paginate.ts';
import type { FeedLinkView } from './meta.ts';
import { urlOf } from '../site/urls.ts';
import type { Memo } from '../memo.ts';

export interface SiteView {
  title: string;
  description: string;
  author: string;
  language: string;
  /** `/` or `/blog/`: prefix for links written by hand in templates. */
  basePath: string;
  homeUrl: string;
  categoriesUrl: string;
  tagsUrl: string;
  archiveUrl: string;
  searchUrl: string;
  /** The search page's index and script (with a content hash). */
  searchIndexUrl: string;
  searchScriptUrl: string;
  /** Stylesheet URL with a content hash, so browsers never keep a stale one. */
  stylesheetUrl: string;
  /** The theme's script (theme switch, copy buttons), with a content hash. */
  themeScriptUrl: string;
  /** The site's Atom feed, or null when there are no feeds (a path-only base URL). */
  feedUrl: string | null;
  /** All posts, newest first (`posts/`). */
  postsUrl: string;
  /** Pages with `menu:` for the site header, in menu order. */
  menu: { title: string; url: string }[];
}

export interface DateView {
  /** For `<time datetime>`. */
  iso: string;
  /** As configured by `dateFormat`, e.g. "June 26, 2019". */
  display: string;
}

export interface TermLinkView {
  name: string;
  url: string;
}

export interface PostSummaryView {
  title: string;
  url: string;
  date: DateView;
  updated: DateView | null;
  categories: TermLinkView[];
  tags: TermLinkView[];
  readingMinutes: number;
  wordCount: number;
  /** Plain text: description, else the first paragraph (shortened). */
  summary: string;
  /** Inline SVG markup for the post's icon, or null. */
  icon: string | null;
  draft: boolean;
  /** The cover image (`cover:` / `image:`): URL, and width and height when known; or null. */
  cover: { url: string; width: number | null; height: number | null } | null;
}

export interface TocNodeView {
  text: string;
  id: string;
  children: TocNodeView[];
}

export interface PostView extends PostSummaryView {
  /** Rendered markdown (already sanitised). */
  html: string;
  toc: TocNodeView[];
  hasToc: boolean;
  author: string;
  description: string;
  newer: { title: string; url: string } | null;
  older: { title: string; url: string } | null;
  /** Posts sharing categories, tags or words with this one. */
  related: { title: string; url: string }[];
  /** Every front-matter key, including ones this generator does not know. */
  data: Record<string, unknown>;
}

export interface PaginationView {
  number: number;
  total: number;
  prevUrl: string | null;
  nextUrl: string | null;
  /** True when there is more than one page (templates show the nav only then). */
  show: boolean;
}

/** The part of every page's view that `base.hbs` uses. */
export interface PageMetaView {
  /** Text for `<title>` (the site title is appended by the base layout). */
  title: string;
  description: string;
  url: string;
  /** `home`, `post`, `category`, `tag`, `categories`, `tags`, `archive`, `search` or `404`. */
  kind: string;
  /** Absolute URL of the page, or null when the base URL is only a path. */
  canonical: string | null;
  /** Open Graph type: `article` for posts, else `website`. */
  ogType: string;
  /** For `article:published_time` / `article:modified_time` (posts only). */
  published: string | null;
  modified: string | null;
  /** JSON-LD, already safe inside `<script>` (use triple braces), or null. */
  jsonLd: string | null;
  /** Feed autodiscovery links: the site's feeds, plus a category page's own. */
  feeds: FeedLinkView[];
  /** Absolute URL of the page's image (a post's cover) for Open Graph and Twitter cards, or null. */
  image: string | null;
}

export interface ViewContext {
  config: Config;
  site: SiteView;
  icons: Map<string, string>;
  /** Related posts of each post (empty when not computed). */
  related: Map<SitePost, SitePost[]>;
  /** The build state's memo tables: views of unchanged posts are reused between dev rebuilds. */
  memo: Memo;
}

export function siteView(config: Config, assetHashes: Record<string, string>, pages: SitePost[] = []): SiteView {
  const base = basePath(config);
  const asset = (name: string) => urlOf(base, `assets/${name}?v=${assetHashes[`assets/${name}`] ?? '0'}`);
  return {
    title: config.title,
    description: config.description,
    author: config.author,
    language: config.language,
    basePath: base,
    homeUrl: base,
    categoriesUrl: urlOf(base, 'categories/'),
    tagsUrl: urlOf(base, 'tags/'),
    archiveUrl: urlOf(base, 'archive/'),
    searchUrl: urlOf(base, 'search/'),
    searchIndexUrl: urlOf(base, 'search-index.json'),
    searchScriptUrl: asset('search.js'),
    stylesheetUrl: asset('style.css'),
    themeScriptUrl: asset('theme.js'),
    feedUrl: hasAbsoluteBase(config) ? urlOf(base, 'feed.xml') : null,
    postsUrl: urlOf(base, 'posts/'),
    menu: pages.filter((p) => p.post.menu !== null).map((p) => ({ title: p.post.title, url: p.url })),
  };
}

export function dateView(date: PostDate, config: Config): DateView {
  return { iso: date.iso, display: formatDate(date, config.dateFormat, config.language) };
}

/**
 * Categories or tags a post shows (its first {@link MAX_TERMS_SHOWN}): a post with thousands of
 * terms would otherwise repeat them on each of those terms' pages, and the output would grow with
 * the square of the input (regression: 1,000 categories on one post made 169 MB).
 */
export const MAX_TERMS_SHOWN = 20;

function termLinks(terms: Term[]): TermLinkView[] {
  return terms.slice(0, MAX_TERMS_SHOWN).map((t) => ({ name: t.name, url: t.url }));
}

export function postSummaryView(p: SitePost, ctx: ViewContext): PostSummaryView {
  return reuseView(ctx, p.content, 'summary', `${viewKey(p, ctx)}`, false, () => {
    const { config } = ctx;
    return {
      title: p.post.title,
      url: p.url,
      date: dateView(p.post.date, config),
      updated: p.post.updated ? dateView(p.post.updated, config) : null,
      categories: termLinks(p.categories),
      tags: termLinks(p.tags),
      readingMinutes: Math.max(1, Math.round(p.content.wordCount / config.wordsPerMinute)),
      wordCount: p.content.wordCount,
      // `<!--more-->`, else the description, else the first paragraph.
      summary: summarise(p.content.excerpt ?? p.post.description ?? p.content.firstParagraph, p.content.excerpt ? 2000 : 280),
      icon: p.post.icon ? (ctx.icons.get(p.post.icon) ?? null) : null,
      draft: p.post.draft,
      cover: p.cover ? { url: p.cover.url, width: p.cover.width ?? null, height: p.cover.height ?? null } : null,
    };
  });
}

export function postView(p: SitePost, ctx: ViewContext): PostView {
  const link = (n: SitePost | null) => (n ? { title: n.post.title, url: n.url } : null);
  const related = ctx.related.get(p) ?? [];
  const neighbours = [p.newer, p.older, ...related].map((n) => `${n?.url}\u0001${n?.post.title}`).join('\0');
  // Made once per build (its page's): kept only for the next build (see Memo).
  return reuseView(ctx, p.content, 'post', `${viewKey(p, ctx)}\0${neighbours}`, true, () => {
    const toc = p.post.toc ? tocTree(p.content.toc) : [];
    // The HTML is read when the page renders, not when it is fingerprinted (an unchanged page is not).
    const view: Omit<PostView, 'html'> = {
      ...postSummaryView(p, ctx),
      toc,
      hasToc: toc.length > 0,
      author: p.post.author ?? ctx.config.author,
      description: p.post.description ?? summarise(p.content.firstParagraph, 160),
      newer: link(p.newer),
      older: link(p.older),
      related: related.map((r) => link(r)!),
      data: p.post.data,
    };
    return lazyHtml(view, p.content) as PostView;
  });
}

/**
 * View reuse for the dev server. A post's views depend on its file (the rendered content object
 * is new whenever the file changed), the config and icons, its URL, its terms and neighbours.
 * While all of those are the same, the same view object comes back, marked in the memo, so
 * fingerprinting a page need not serialise it again.
 */
function reuseView<T extends object>(ctx: ViewContext, owner: object, kind: string, key: string, nextBuildOnly: boolean, make: () => T): T {
  return ctx.memo.reuse(owner, kind, key, () => ctx.memo.markView(make()), nextBuildOnly);
}

/** Everything besides the post's own file that its summary shows. */
function viewKey(p: SitePost, ctx: ViewContext): string {
  const terms = (ts: Term[]) => ts.map((t) => `${t.name}\u0001${t.url}`).join('\u0002');
  return `${ctx.memo.id(ctx.config)}\0${ctx.memo.id(ctx.icons)}\0${ctx.memo.id(p.post)}\0${JSON.stringify(p.cover)}\0${p.url}\0${terms(p.categories)}\0${terms(p.tags)}`;
}

export function paginationView(page: PageOf<unknown>, base: string): PaginationView {
  return {
    number: page.number,
    total: page.total,
    prevUrl: page.prevPath === null ? null : urlOf(base, page.prevPath),
    nextUrl: page.nextPath === null ? null : urlOf(base, page.nextPath),
    show: page.total > 1,
  };
}

/** Nests h2–h4 entries under each other; deeper headings are left out of the contents. */
export function tocTree(entries: TocEntry[]): TocNodeView[] {
  const shallowest = Math.min(...entries.map((e) => e.depth));
  const root: TocNodeView[] = [];
  const stack: { depth: number; children: TocNodeView[] }[] = [{ depth: shallowest - 1, children: root }];
  for (const e of entries) {
    if (e.depth > shallowest + 2) continue;
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= e.depth) stack.pop();
    const node: TocNodeView = { text: e.text, id: e.id, children: [] };
    stack[stack.length - 1]!.children.push(node);
    stack.push({ depth: e.depth, children: node.children });
  }
  return root;
}

/** Shortens plain text at a word boundary, adding an ellipsis. */
export function summarise(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.!?-]+$/, '') + '…';
}
