/**
 * sitemap.xml (https://www.sitemaps.org/protocol.html) listing every public page, and a robots.txt
 * that points at it. Pure and deterministic: URLs are sorted, and `lastmod` comes from post dates,
 * never from the build time.
 */
import { basePath, hasAbsoluteBase } from '../config.ts';
import type { PostDate } from '../content/dates.ts';
import type { OutputFile, Site, SitePost } from '../model.ts';
import { absoluteUrl, urlOf } from '../site/urls.ts';
import { escapeXml } from '../text/xml.ts';
import { compareText } from '../text/compare.ts';

/** Pages that are not content: the not-found page is served for missing URLs, never linked. */
const EXCLUDED = new Set(['404.html']);

/**
 * sitemap.xml listing every public page (pass the HTML output paths) and robots.txt pointing at
 * it. Sitemaps list absolute URLs, so a site whose baseUrl is only a path gets neither file.
 * (One sitemap holds up to 50,000 URLs; a blog stays far below that, so no sitemap index.)
 */
export function buildSitemap(site: Site, htmlOutPaths: string[]): OutputFile[] {
  const { config } = site;
  if (!hasAbsoluteBase(config)) return [];
  const base = basePath(config);
  const abs = (sitePathValue: string) => absoluteUrl(config.baseUrl, base, urlOf(base, sitePathValue));
  const lastmods = lastmodsByUrl(site);

  const urls = [...new Set(htmlOutPaths.filter((p) => !EXCLUDED.has(p)).map(prettyPath))]
    .map((p) => ({ loc: abs(p), lastmod: lastmods.get(urlOf(base, p)) }))
    .sort((a, b) => compareText(a.loc, b.loc));

  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const u of urls) {
    lines.push('  <url>', `    <loc>${escapeXml(u.loc)}</loc>`);
    // PostDate.iso is already a W3C datetime: `2019-06-26` for a date-only value, else date-time and offset.
    if (u.lastmod) lines.push(`    <lastmod>${u.lastmod.iso}</lastmod>`);
    lines.push('  </url>');
  }
  lines.push('</urlset>');

  // Crawlers read robots.txt only at a domain's root, so under a sub-path base (/blog/) this file
  // does nothing until the host serves it at /robots.txt; it is written at the output root anyway.
  const robots = `User-agent: *\nAllow: /\nSitemap: ${abs('sitemap.xml')}\n`;
  return [
    { outPath: 'sitemap.xml', contents: lines.join('\n') + '\n' },
    { outPath: 'robots.txt', contents: robots },
  ];
}

/** `posts/x/index.html` → `posts/x/`, `index.html` → `` (the home page); other files stay as they are. */
function prettyPath(outPath: string): string {
  return outPath === 'index.html' ? '' : outPath.replace(/\/index\.html$/, '/');
}

/**
 * When pages last changed, by site URL: a post page its post's `updated` or date; the home page
 * and each category and tag page the latest of their posts. Other pages (archive, later pages of
 * a listing...) get none: a wrong lastmod is worse than none.
 */
function lastmodsByUrl(site: Site): Map<string, PostDate> {
  const map = new Map<string, PostDate>();
  const latest = (posts: SitePost[]) => {
    let best: PostDate | undefined;
    for (const p of posts) {
      const d = p.post.updated ?? p.post.date;
      if (!best || d.epochMs > best.epochMs) best = d;
    }
    return best;
  };
  for (const p of site.posts) map.set(p.url, p.post.updated ?? p.post.date);
  for (const term of [...site.categories, ...site.tags]) {
    const d = latest(term.posts);
    if (d) map.set(term.url, d);
  }
  const home = latest(site.posts);
  if (home) map.set(basePath(site.config), home);
  return map;
}

