/**
 * URLs and output paths. Every internal link is `basePath` + a path made of slugs, so the site
 * works at `/` and under a sub-path like `/blog/`. Output paths are the same paths without the base.
 */

/** Site-relative path for segments: `['posts', 'hello']` → `posts/hello/` (`''` for the home page). */
export function sitePath(...segments: string[]): string {
  const parts = segments.filter(Boolean);
  return parts.length ? parts.join('/') + '/' : '';
}

/** The public URL of a site path, e.g. `/blog/posts/hello/`. */
export function urlOf(basePath: string, sitePathValue: string): string {
  return basePath + sitePathValue;
}

/** Where a pretty URL's page is written: `posts/hello/` → `posts/hello/index.html`. */
export function outPathOf(sitePathValue: string): string {
  return sitePathValue + 'index.html';
}

/** Absolute URL for feeds and canonical links; a path-only base URL yields a root-relative URL. */
export function absoluteUrl(baseUrl: string, basePath: string, url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl)) return url;
  const origin = new URL(baseUrl).origin;
  return origin + (url.startsWith(basePath) ? url : basePath + url.replace(/^\//, ''));
}
