/**
 * Over 250 lines: three feed formats written side by side, so a change to one is seen against the others.
 *
 * Feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the whole site (at the root) and for each
 * category (in its folder). Pure and deterministic: no build time anywhere (a feed's `updated` is
 * its newest item's), so the same site gives the same bytes on every run.
 *
 * The XML is written here, not with the `feed` package: feed@6 (through xml-js) leaves `<`
 * unescaped in attribute values (a category named `<b>` breaks the document), splits only the
 * first `]]>` in a CDATA section, passes control characters through, marks entry titles as HTML
 * and writes JSON Feed 1.0 only.
 */
import { basePath, hasAbsoluteBase, type Config } from '../config.ts';
import { instantDate, type PostDate } from '../content/dates.ts';
import { warning, type Result } from '../diagnostics.ts';
import { postsKey, sitePostKey, type OutputFile, type PublishJob, type Site, type SitePost } from '../model.ts';
import { absoluteUrl, sitePath, urlOf } from '../site/urls.ts';
import { decodeEntities } from '../text/entities.ts';
import { escapeXml, escapeXmlAttr, xmlSafe } from '../text/xml.ts';
import { escapeAttr, escapeHtml } from '../text/html.ts';
import type { Memo } from '../memo.ts';
import { FEED_FORMATS, imageUrl } from '../render/meta.ts';
import { MAX_TERMS_SHOWN } from '../render/views.ts';

export interface FeedOptions {
  /** `full`: each item carries the post's HTML; `summary`: its plain-text summary. */
  content: 'full' | 'summary';
  /** Items per feed (default {@link DEFAULT_FEED_ITEMS}). */
  limit?: number;
  /**
   * Site URL of a CSS stylesheet for the Atom and RSS files (the theme's `assets/feed.css`), named
   * in an `<?xml-stylesheet?>` processing instruction: a browser that opens a feed shows it as a
   * readable page; feed readers ignore it. Null or absent: none.
   */
  stylesheet?: string | null;
}

/** Items per feed unless `feeds.limit` says otherwise: readers only poll for new posts, and 20 is what peers publish. */
export const DEFAULT_FEED_ITEMS = 20;

/** Atom, RSS 2.0 and JSON Feed 1.1 for the site (feed.xml, rss.xml, feed.json) and each category (categories/<slug>/...). */
export function buildFeeds(site: Site, options: FeedOptions, memo: Memo): Result<OutputFile[]> {
  const jobs = feedJobs(site, options, memo);
  return { value: jobs.value.map((j) => ({ outPath: j.outPath, contents: j.make() })), diagnostics: jobs.diagnostics };
}

/**
 * The feed files as jobs, each made when asked: a feed is made from its channel (title, URLs,
 * settings) and its latest posts as placed in the site (see sitePostKey), which its key says, so
 * a build with one post changed makes again only the feeds that post is in.
 */
export function feedJobs(site: Site, options: FeedOptions, memo: Memo): Result<PublishJob[]> {
  const { config } = site;
  if (!hasAbsoluteBase(config)) {
    const hint = 'set baseUrl to where the site is deployed, e.g. https://example.com/blog/';
    return { value: [], diagnostics: [warning('feeds/no-absolute-base-url', `feeds need absolute URLs, but baseUrl "${config.baseUrl}" is only a path; no feeds were written`, { hint })] };
  }
  const base = basePath(config);
  const abs = (url: string) => absoluteUrl(config.baseUrl, base, url);
  const channels: Channel[] = [
    { dir: '', title: config.title, homeUrl: abs(base), posts: site.posts },
    ...site.categories.map((c) => ({ dir: sitePath('categories', c.slug), title: feedTitle(config.title, c.name), homeUrl: abs(c.url), posts: c.posts })),
  ];
  // A post appears in the site feed and in each of its categories' feeds: build its entry once.
  const entries = new Map<SitePost, Entry>();
  const entryOf = (p: SitePost) => {
    let e = entries.get(p);
    if (!e) entries.set(p, (e = memoEntry(p, config, abs, options, memo)));
    return e;
  };

  const jobs: PublishJob[] = [];
  for (const ch of channels) {
    const posts = ch.posts.slice(0, options.limit ?? DEFAULT_FEED_ITEMS);
    const meta = {
      title: xmlSafe(ch.title),
      description: xmlSafe(config.description),
      language: config.language,
      author: cleanName(config.author),
      homeUrl: ch.homeUrl,
      selfUrls: FEED_FORMATS.map((f) => abs(urlOf(base, ch.dir + f.file))) as [string, string, string],
      timeZone: config.timezone,
      stylesheet: options.stylesheet ?? null,
    };
    const key = postsKey(['feed', meta, options.content, config.author], posts.map(sitePostKey));
    let made: FeedData | undefined;
    const feed = (): FeedData => (made ??= { ...meta, entries: posts.map(entryOf) });
    // Unchanged channel (same metadata, same memoised entries): the same strings as last time (dev).
    const memoKey = () => JSON.stringify([meta.title, meta.description, meta.language, meta.author, meta.homeUrl, meta.selfUrls, meta.timeZone, meta.stylesheet]) + feed().entries.map((e) => memo.id(e)).join(',');
    const job = (file: string, write: (f: FeedData, memo: Memo) => string): PublishJob => ({
      outPath: ch.dir + file,
      ...(key === undefined ? {} : { key }),
      make: () => memo.keyed('feed', ch.dir + file, memoKey(), () => write(feed(), memo)),
    });
    jobs.push(job('feed.xml', atom), job('rss.xml', rss), job('feed.json', jsonFeed));
  }
  return { value: jobs, diagnostics: [] };
}

/**
 * `<link rel="alternate">` entries for a page: the site's feeds, plus the category's on a category
 * page. Hrefs are site URLs (with the base path). Feeds exist only when `baseUrl` is absolute:
 * callers link them only then.
 */
export function feedLinks(site: Site, categorySlug?: string): { type: string; title: string; href: string }[] {
  const { config } = site;
  const base = basePath(config);
  const links = FEED_FORMATS.map((f) => ({ type: f.type, title: `${feedTitle(config.title)} (${f.label})`, href: urlOf(base, f.file) }));
  const term = categorySlug === undefined ? undefined : site.categories.find((c) => c.slug === categorySlug);
  if (term) for (const f of FEED_FORMATS) links.push({ type: f.type, title: `${feedTitle(config.title, term.name)} (${f.label})`, href: term.url + f.file });
  return links;
}

interface Channel {
  /** Site path of the folder the feed files go in: `''` or `categories/<slug>/`. */
  dir: string;
  title: string;
  homeUrl: string;
  posts: SitePost[];
}

interface FeedData {
  title: string;
  description: string;
  language: string;
  author: string | null;
  homeUrl: string;
  /** Absolute URLs of the Atom, RSS and JSON files. */
  selfUrls: [atom: string, rss: string, json: string];
  entries: Entry[];
  timeZone: string;
  /** See {@link FeedOptions.stylesheet}. */
  stylesheet: string | null;
}

interface Entry {
  /** Absolute post URL: the item's link and its id. */
  url: string;
  title: string;
  published: PostDate;
  updated: PostDate;
  author: string | null;
  categories: string[];
  /** Post HTML with absolute links (`full`), or null. */
  html: string | null;
  /** Plain text: the summary in `summary` mode; the description, if any, in `full` mode. */
  summary: string | null;
  /** Absolute URL of the post's cover image (JSON Feed `image`), or null. */
  image: string | null;
}

/**
 * Entries and their serialised forms, kept per rendered-content object (new whenever the post's
 * file changes) and checked against everything else they show: the dev server's rebuilds then
 * escape only the post that changed, not 50 posts × every category × three formats.
 */
function memoEntry(p: SitePost, config: Config, abs: (url: string) => string, options: FeedOptions, memo: Memo): Entry {
  const key = [abs(p.url), p.cover?.url ?? '', p.post.title, p.post.author ?? config.author, config.timezone, options.content, ...p.categories.map((c) => c.name)].join('\0');
  return memo.reuse(p.content, 'feed-entry', key, () => makeEntry(p, config, abs, options));
}

function makeEntry(p: SitePost, config: Config, abs: (url: string) => string, options: FeedOptions): Entry {
  const url = abs(p.url);
  const full = options.content === 'full';
  const summary = full ? p.post.description : (p.post.description ?? p.content.firstParagraph);
  return {
    url,
    title: xmlSafe(p.post.title),
    published: p.post.date,
    updated: p.post.updated ?? p.post.date,
    author: cleanName(p.post.author ?? config.author),
    categories: p.categories.slice(0, MAX_TERMS_SHOWN).map((c) => xmlSafe(c.name)),
    html: full ? xmlSafe(absolutiseLinks(p.content.html, url)) : null,
    summary: summary === null ? null : xmlSafe(summary.replace(/\s+/g, ' ').trim()),
    image: p.cover ? imageUrl(config, p.cover.url) : null,
  };
}

/** Atom 1.0 (RFC 4287). Text constructs are `type="text"`, content is escaped HTML. */
function atom(f: FeedData, memo: Memo): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', ...stylesheetPi(f), `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXmlAttr(f.language)}">`];
  out.push(`  <title type="text">${escapeXml(f.title)}</title>`);
  if (f.description) out.push(`  <subtitle type="text">${escapeXml(f.description)}</subtitle>`);
  out.push(`  <link rel="self" type="application/atom+xml" href="${escapeXmlAttr(f.selfUrls[0])}"/>`);
  out.push(`  <link rel="alternate" type="text/html" href="${escapeXmlAttr(f.homeUrl)}"/>`);
  out.push(`  <id>${escapeXml(f.homeUrl)}</id>`);
  // One post's date is the `updated` of the site feed and of each of its categories' feeds: formatted once.
  const updated = feedUpdated(f);
  out.push(`  <updated>${memo.reuse(updated, 'rfc3339', f.timeZone, () => rfc3339(updated, f.timeZone))}</updated>`);
  if (f.author) out.push(`  <author>`, `    <name>${escapeXml(f.author)}</name>`, `  </author>`);
  for (const e of f.entries) out.push(memo.reuse(e, 'atom', '', () => atomEntry(e, f.timeZone)));
  out.push('</feed>');
  return out.join('\n') + '\n';
}

function atomEntry(e: Entry, timeZone: string): string {
  const out: string[] = [];
  {
    const f = { timeZone };
    out.push('  <entry>');
    out.push(`    <title type="text">${escapeXml(e.title)}</title>`);
    out.push(`    <link rel="alternate" type="text/html" href="${escapeXmlAttr(e.url)}"/>`);
    out.push(`    <id>${escapeXml(e.url)}</id>`);
    out.push(`    <published>${rfc3339(e.published, f.timeZone)}</published>`);
    out.push(`    <updated>${rfc3339(e.updated, f.timeZone)}</updated>`);
    if (e.author) out.push('    <author>', `      <name>${escapeXml(e.author)}</name>`, '    </author>');
    for (const c of e.categories) out.push(`    <category term="${escapeXmlAttr(c)}"/>`);
    if (e.summary !== null) out.push(`    <summary type="text">${escapeXml(e.summary)}</summary>`);
    if (e.html !== null) out.push(`    <content type="html">${escapeXml(e.html)}</content>`);
    out.push('  </entry>');
  }
  return out.join('\n');
}

/** The `<?xml-stylesheet?>` line for a feed with a stylesheet (pseudo-attribute values are escaped like attributes). */
function stylesheetPi(f: FeedData): string[] {
  return f.stylesheet === null ? [] : [`<?xml-stylesheet href="${escapeXmlAttr(f.stylesheet)}" type="text/css"?>`];
}

/** RSS 2.0. `<description>` holds escaped HTML (the post, or its summary as HTML text); authors are `dc:creator` because RSS's `<author>` must be an email address. */
function rss(f: FeedData, memo: Memo): string {
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    ...stylesheetPi(f),
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${escapeXml(f.title)}</title>`,
    `    <link>${escapeXml(f.homeUrl)}</link>`,
    // RSS requires a description; the title stands in when the site has none.
    `    <description>${escapeXml(f.description || f.title)}</description>`,
    `    <language>${escapeXml(f.language)}</language>`,
  ];
  if (f.entries.length) out.push(`    <lastBuildDate>${rfc822(feedUpdated(f))}</lastBuildDate>`);
  out.push(`    <atom:link href="${escapeXmlAttr(f.selfUrls[1])}" rel="self" type="application/rss+xml"/>`);
  for (const e of f.entries) out.push(memo.reuse(e, 'rss', '', () => rssItem(e)));
  out.push('  </channel>', '</rss>');
  return out.join('\n') + '\n';
}

function rssItem(e: Entry): string {
  const out: string[] = [];
  {
    out.push('    <item>');
    out.push(`      <title>${escapeXml(e.title)}</title>`);
    out.push(`      <link>${escapeXml(e.url)}</link>`);
    out.push(`      <guid isPermaLink="true">${escapeXml(e.url)}</guid>`);
    out.push(`      <pubDate>${rfc822(e.published)}</pubDate>`);
    if (e.author) out.push(`      <dc:creator>${escapeXml(e.author)}</dc:creator>`);
    for (const c of e.categories) out.push(`      <category>${escapeXml(c)}</category>`);
    const description = e.html ?? (e.summary === null ? null : escapeHtml(e.summary));
    if (description !== null) out.push(`      <description>${escapeXml(description)}</description>`);
    out.push('    </item>');
  }
  return out.join('\n');
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
function jsonFeed(f: FeedData, memo: Memo): string {
  const authors = (name: string | null) => (name ? { authors: [{ name }] } : {});
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: f.title,
    home_page_url: f.homeUrl,
    feed_url: f.selfUrls[2],
    ...(f.description ? { description: f.description } : {}),
    language: f.language,
    ...authors(f.author),
    items: [] as unknown[],
  };
  // Items are serialised once per entry and spliced in: the same text JSON.stringify(feed, null, 2) gives.
  const items = f.entries.map((e) => memo.reuse(e, 'json', '', () => JSON.stringify(jsonItem(e, f.timeZone), null, 2).replace(/\n/g, '\n    ')));
  const head = JSON.stringify(feed, null, 2);
  if (!items.length) return head + '\n';
  return head.replace(/"items": \[\]\n\}$/, `"items": [\n    ${items.join(',\n    ')}\n  ]\n}`) + '\n';
}

function jsonItem(e: Entry, timeZone: string): Record<string, unknown> {
  const authors = (name: string | null) => (name ? { authors: [{ name }] } : {});
  const f = { timeZone };
  return {
      id: e.url,
      url: e.url,
      title: e.title,
      ...(e.html !== null ? { content_html: e.html } : { content_text: e.summary ?? '' }),
      ...(e.html !== null && e.summary !== null ? { summary: e.summary } : {}),
      date_published: rfc3339(e.published, f.timeZone),
      date_modified: rfc3339(e.updated, f.timeZone),
      ...authors(e.author),
      ...(e.categories.length ? { tags: e.categories } : {}),
      ...(e.image ? { image: e.image } : {}),
  };
}

/** The latest `updated` (else date) among the items; the Unix epoch for an empty feed, never the build time. */
function feedUpdated(f: FeedData): PostDate {
  let newest: PostDate | null = null;
  for (const e of f.entries) if (!newest || e.updated.epochMs > newest.epochMs) newest = e.updated;
  return newest ?? instantDate(0, 'UTC');
}

/** RFC 3339 date-time in the site's zone; a date-only value is midnight there. */
function rfc3339(d: PostDate, timeZone: string): string {
  return instantDate(d.epochMs, timeZone).iso;
}

/** RFC 822 date for RSS, e.g. `Wed, 26 Jun 2019 00:00:00 GMT`. */
function rfc822(d: PostDate): string {
  return new Date(d.epochMs).toUTCString();
}

function feedTitle(siteTitle: string, name?: string): string {
  return [siteTitle, name].filter(Boolean).join(': ');
}

function cleanName(name: string): string | null {
  return xmlSafe(name).trim() || null;
}

/**
 * Makes every relative `href`/`src` in post HTML absolute, resolved against the post's URL as a
 * browser would on the page: `/img/a.png` → `https://host/img/a.png`, `#intro` → `<post>#intro`.
 * Feed readers show items out of context, so a relative link would point nowhere. Only real tags
 * are rewritten (text cannot contain `<`), so a code sample showing `href="/x"` stays as written.
 */
export function absolutiseLinks(html: string, pageUrl: string): string {
  return html.replace(TAG, (tag) =>
    tag.replace(ATTRIBUTE, (attr, lead: string, name: string, eq: string | undefined, value: string | undefined) => {
      if (!eq || value === undefined || !/^(?:href|src)$/i.test(name)) return attr;
      const raw = decodeEntities(/^["']/.test(value) ? value.slice(1, -1) : value);
      if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) return attr; // already absolute (https:, mailto:, data:...)
      let resolved: string;
      try {
        resolved = new URL(raw, pageUrl).href;
      } catch {
        return attr;
      }
      return `${lead}${name}="${escapeAttr(resolved)}"`;
    }),
  );
}

const TAG = /<[A-Za-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/g;
const ATTRIBUTE = /(\s+)([^\s"'>/=]+)(\s*=\s*)?("[^"]*"|'[^']*'|[^\s"'=<>`]+)?/g;
