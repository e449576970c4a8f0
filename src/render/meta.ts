/**
 * What a page tells search engines, social sites and feed readers: canonical URL, Open Graph and
 * Twitter card fields, JSON-LD, and feed autodiscovery. Everything is plain data for base.hbs;
 * the JSON-LD string is made safe to embed in a `<script>` element here.
 */
import { basePath, hasAbsoluteBase, type Config } from '../config.ts';
import { absoluteUrl } from '../site/urls.ts';
import type { SitePost } from '../model.ts';

/** The feed files a site (and each category) has, in autodiscovery order. */
export const FEED_FORMATS = [
  { file: 'feed.xml', type: 'application/atom+xml', label: 'Atom' },
  { file: 'rss.xml', type: 'application/rss+xml', label: 'RSS' },
  { file: 'feed.json', type: 'application/feed+json', label: 'JSON Feed' },
] as const;

export interface FeedLinkView {
  type: string;
  title: string;
  href: string;
}

/** Absolute URL for a site URL, or null when the base URL is only a path. */
export function canonicalUrl(config: Config, url: string): string | null {
  return hasAbsoluteBase(config) ? absoluteUrl(config.baseUrl, basePath(config), url) : null;
}

/** The absolute URL of an image (a cover) for cards and feeds; null when it cannot be absolute (a path-only base URL). */
export function imageUrl(config: Config, url: string): string | null {
  if (/^https?:\/\//i.test(url)) return url;
  return hasAbsoluteBase(config) ? absoluteUrl(config.baseUrl, basePath(config), url) : null;
}

/**
 * JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are written as
 * \u escapes, so no field can close the element (`</script>`) or open a comment.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** schema.org BlogPosting for a post page. */
export function blogPostingJsonLd(p: SitePost, config: Config, description: string): string {
  const url = canonicalUrl(config, p.url);
  const author = p.post.author ?? config.author;
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: p.post.title,
    description,
    datePublished: p.post.date.iso,
    dateModified: (p.post.updated ?? p.post.date).iso,
    inLanguage: config.language,
    wordCount: p.content.wordCount,
  };
  if (url) Object.assign(data, { url, mainEntityOfPage: { '@type': 'WebPage', '@id': url } });
  if (author) data.author = { '@type': 'Person', name: author };
  if (p.categories.length) data.articleSection = p.categories.map((c) => c.name);
  if (p.tags.length) data.keywords = p.tags.map((t) => t.name).join(', ');
  if (config.title) data.publisher = { '@type': 'Organization', name: config.title };
  const image = p.cover && imageUrl(config, p.cover.url);
  if (image) data.image = image;
  return scriptSafeJson(data);
}

/** The theme's stylesheet for feeds opened in a browser (`assets/feed.css`), as a site URL; null when the theme has none. */
export function feedStylesheetUrl(config: Config, assetHashes: Record<string, string>): string | null {
  return 'assets/feed.css' in assetHashes ? basePath(config) + 'assets/feed.css' : null;
}

/** A term page's own Atom feed (categories have feeds, tags do not), or null; none without an absolute base URL. */
export function termFeedUrl(config: Config, term: { kind: string; url: string }): string | null {
  return term.kind === 'category' && hasAbsoluteBase(config) ? term.url + 'feed.xml' : null;
}

/** `<link rel="alternate">` entries for a page: the site's feeds, plus a category's own. */
export function feedLinks(config: Config, category?: { name: string; url: string }): FeedLinkView[] {
  if (!hasAbsoluteBase(config)) return [];
  const base = basePath(config);
  const links: FeedLinkView[] = FEED_FORMATS.map((f) => ({ type: f.type, title: `${config.title} (${f.label})`, href: base + f.file }));
  if (category) for (const f of FEED_FORMATS) links.push({ type: f.type, title: `${config.title}: ${category.name} (${f.label})`, href: category.url + f.file });
  return links;
}
