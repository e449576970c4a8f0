/**
 * The data model passed between stages. Stages never hand templates these objects directly:
 * `render/views.ts` turns them into plain view objects.
 */
import { createHash } from 'node:crypto';
import type { Config } from './config.ts';
import type { PostDate } from './content/dates.ts';

/** Where a post's date came from; `git` and `mtime` produce a warning; `none` is a page without a date. */
export type DateSource = 'front-matter' | 'file-name' | 'git' | 'mtime' | 'none';

/** A post after front-matter normalisation: every field has its final type and default. */
export interface Post {
  /** Identity: path inside the content folder, with `/` separators. */
  relPath: string;
  /** `page`: a standalone page (`layout: page`, or under `content/pages/`): not in listings, feeds, search or related posts. */
  kind: 'post' | 'page';
  /** Position in the site header (`menu: 1`), or null. */
  menu: number | null;
  /** `cover:` / `image:` as written (relative to the post, site-absolute or a full URL), or null. */
  cover: string | null;
  /** `permalink:` / `url:` from front matter (tokens allowed), or null for the site's `permalink`. */
  permalink: string | null;
  /** Old URLs that redirect here (`aliases:`, `redirect_from:`), as site paths: `2014/09/15/old.html`, `old/`. */
  aliases: string[];
  /** Path shown in diagnostics. */
  file: string;
  title: string;
  date: PostDate;
  dateSource: DateSource;
  /** `updated` / `lastmod`, or null. */
  updated: PostDate | null;
  /** Display names, trimmed and de-duplicated case-insensitively, in the author's order. */
  categories: string[];
  tags: string[];
  /** `post`, or the name of another file in `templates/layouts/`. */
  layout: string;
  toc: boolean;
  /** `math:` from front matter: TeX math on or off for this post; absent, the site's `math` setting decides. */
  math?: boolean;
  /** Icon name without the `fa-` prefix (e.g. `comment-alt`), or null. */
  icon: string | null;
  draft: boolean;
  /** Author's `slug:` (not yet sanitised), or null to derive it from the title. */
  slug: string | null;
  /** `description` / `summary`, or null. */
  description: string | null;
  author: string | null;
  /** Every front-matter key as written (after parsing), for templates: `{{post.data.whatever}}`. */
  data: Record<string, unknown>;
  /** Markdown after the front matter ('' once rendered: nothing after the markdown stage needs it). */
  body: string;
  /** File line on which `body` starts, to map markdown positions back to the file. */
  bodyLine: number;
}

/** A heading kept for the table of contents. */
export interface TocEntry {
  depth: number;
  text: string;
  id: string;
}

/** What the markdown stage produces for one post. */
export interface RenderedContent {
  html: string;
  toc: TocEntry[];
  /** Plain text of the body, for word counts and search words ('' once `words` is derived from it). */
  text: string;
  wordCount: number;
  /** First paragraph as plain text (used when there is no description). */
  firstParagraph: string;
  /** Plain text before a `<!--more-->` line, or null when the post has none. */
  excerpt: string | null;
  /** Link and image URLs as written in the markdown, with the file line of their first use. */
  links: [url: string, line: number][];
  /** Links written as files or root-relative: (placeholder in `html`, URL as written), resolved by the site stage. */
  localLinks?: [placeholder: string, written: string][];
  /**
   * Word lists derived once per post in the per-file stage (so they are computed in the worker
   * threads and kept in the build cache): the words the search index lists for the post, and
   * its term counts for related posts, and the opening of its text that search results quote.
   * Absent, they are computed when needed. The word lists are held as one string each, the words
   * separated by spaces (see text/words.ts `joinWords`): as arrays, 10,000 posts held 900,000 small
   * strings (30 MB), which the build cache also took a third of its decoding time to make.
   */
  words?: { body: string; terms: { words: string; counts: number[] }; lead: string };
  /** Whether `html` holds an `<img>` (the site stage sizes images; absent: look at the HTML). */
  hasImages?: boolean;
}

/**
 * A digest that changes whenever an object's `html` does, kept on the object (not enumerable, so a
 * copy made with `{ ...content, html }` does not carry it). Contents from the post cache have one
 * (their cache key) and decode their HTML only when it is read; views pass it on, so a page can
 * be fingerprinted without its HTML (see page-cache.ts).
 */
export const HTML_DIGEST: unique symbol = Symbol('quire.htmlDigest');

export function htmlDigestOf(o: object): string | undefined {
  return (o as { [HTML_DIGEST]?: string })[HTML_DIGEST];
}

/** Gives `target` the `html` of `source`, read only when asked for, and its digest (when `source` has one). */
export function lazyHtml<T extends object>(target: T, source: { html: string }): T {
  const digest = htmlDigestOf(source);
  if (digest === undefined) return Object.assign(target, { html: source.html });
  Object.defineProperty(target, HTML_SOURCE, { value: source });
  Object.defineProperty(target, 'html', HTML_FROM_SOURCE);
  Object.defineProperty(target, HTML_DIGEST, { value: digest });
  return target;
}

/**
 * Where a lazy `html` is read from: one getter shared by every object (a getter made for each, a
 * closure, gives each object a hidden class of its own), and the source under a key no copy carries.
 */
const HTML_SOURCE: unique symbol = Symbol('quire.htmlSource');
const HTML_FROM_SOURCE: PropertyDescriptor = {
  get(this: { [HTML_SOURCE]: { html: string } }) {
    return this[HTML_SOURCE].html;
  },
  enumerable: true,
  configurable: true,
};

/** A taxonomy term with every (published) post that carries it, newest first. */
export interface Term {
  kind: 'category' | 'tag';
  name: string;
  slug: string;
  url: string;
  posts: SitePost[];
}

/** A post placed in the site: its final slug, URL, neighbours and terms. */
export interface SitePost {
  post: Post;
  content: RenderedContent;
  slug: string;
  /** Site path of its page: `posts/hello/` (a folder with index.html) or `2014/09/15/hello.html`. */
  path: string;
  url: string;
  /** The cover image's URL (and size, when it is a file of the site), or null. */
  cover: { url: string; width?: number; height?: number } | null;
  categories: Term[];
  tags: Term[];
  /** Newer and older neighbours in date order. */
  newer: SitePost | null;
  older: SitePost | null;
}

/** The whole site, ready for routing: everything sorted deterministically. */
export interface Site {
  config: Config;
  /** Newest first, then title, then path. */
  posts: SitePost[];
  /** Standalone pages, by menu position, then title. */
  pages: SitePost[];
  categories: Term[];
  tags: Term[];
}

/** One output page to render. */
export interface RenderJob {
  /** Output path inside the output folder, e.g. `posts/hello/index.html`. */
  outPath: string;
  /** Layout that renders the page's main content (wrapped in `base`). */
  layout: string;
  /** The page's view object (see render/views.ts); a post's page or a listing makes it when first asked for. */
  view: Record<string, unknown>;
  /**
   * A digest of everything the view is made from, when that is known without making it (a post's
   * page or a listing, see render/routes.ts `pageKeys`): the page cache then tells an unchanged
   * page by it, and never makes its view.
   */
  key?: string;
  /** For a post page: its content file and the lines of its markdown links (for the link checker). */
  source?: { file: string; links: [string, number][] };
  /**
   * Called once the page is rendered (or kept): a view made when first asked for is dropped, and
   * made again if asked for again, so a build does not hold every page's view until it ends.
   */
  release?(): void;
}

/**
 * What a post is as placed in the site, as a digest, told without reading its HTML: its content's
 * digest (see HTML_DIGEST: the cache key of its file, the settings, its path and its bytes, which
 * fix its front matter, HTML, contents and text) and where the site put it (path, URL, terms,
 * cover). Undefined when its content has no digest: what shows the post is then made to be known.
 * A digest, not the text: listings join thousands of them.
 */
export function sitePostKey(p: SitePost): string | undefined {
  const content = htmlDigestOf(p.content);
  if (content === undefined) return undefined;
  const terms = (ts: Term[]) => ts.map((t) => [t.name, t.url]);
  return createHash('sha1').update(JSON.stringify([content, p.path, p.url, terms(p.categories), terms(p.tags), p.cover])).digest('base64');
}

/**
 * The key of something made from these posts (their `sitePostKey`s, in order) and from `rest`
 * (plain data, as JSON): undefined when a post has no key, so that it is made each time.
 */
export function postsKey(rest: unknown, keys: (string | undefined)[]): string | undefined {
  if (keys.includes(undefined)) return undefined;
  return createHash('sha1').update(JSON.stringify(rest)).update('\0').update(keys.join('\0')).digest('base64');
}

/** A file made from the site model (a feed, the search index): made only when needed. */
export interface PublishJob {
  outPath: string;
  /** Everything it is made from (see RenderJob.key): the page cache keeps it while this is the same. Undefined: it is always made. */
  key?: string;
  make: () => string | Uint8Array;
}

/** One file to write. */
export interface OutputFile {
  outPath: string;
  contents: string | Uint8Array;
  /**
   * A page the persistent page cache says is already in the output folder (its fingerprint is
   * unchanged): `contents` is empty, and the writer keeps the file when the folder still holds
   * these bytes, or calls `render` for them when it does not.
   */
  kept?: { hash: string; size: number; render: () => string | Uint8Array };
}

/** The `contents` of every kept page. */
export const KEPT = new Uint8Array(0);

/** A file's bytes, rendering a kept page that the output folder no longer holds. */
export function contentsOf(file: OutputFile): string | Uint8Array {
  return file.kept ? file.kept.render() : file.contents;
}
