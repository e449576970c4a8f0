/**
 * URLs and output paths. Every internal link is `basePath` + a path made of slugs, so the site
 * works at `/` and under a sub-path like `/blog/`. Output paths are the same paths without the base.
 * The base path is percent-encoded (`/bl%C3%B6g/`, see `canonicalPath`); site paths are not.
 */

/** Site-relative path for segments: `['posts', 'hello']` → `posts/hello/` (`''` for the home page). */
export function sitePath(...segments: string[]): string {
  const parts = segments.filter(Boolean);
  return parts.length ? parts.join('/') + '/' : '';
}

/** The public URL of a site path, e.g. `/blog/posts/hello/` (`basePath` as `basePath()` gives it: encoded). */
export function urlOf(basePath: string, sitePathValue: string): string {
  return basePath + sitePathValue;
}

/** Where a page is written: `posts/hello/` → `posts/hello/index.html`; `2014/hello.html` as it is. */
export function outPathOf(sitePathValue: string): string {
  return sitePathValue === '' || sitePathValue.endsWith('/') ? sitePathValue + 'index.html' : sitePathValue;
}

/** Absolute URL for feeds and canonical links; a path-only base URL yields a root-relative URL. */
export function absoluteUrl(baseUrl: string, basePath: string, url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl)) return url;
  const origin = new URL(baseUrl).origin;
  return origin + (url.startsWith(basePath) ? url : basePath + url.replace(/^\//, ''));
}

/**
 * A URL path in one spelling, so that two spellings of one path compare equal as strings:
 * percent-escapes in upper case, and letters, digits and `-._~` unescaped (RFC 3986 §6.2.2).
 * Give it a path as `new URL()` returns it (spaces and non-ASCII already escaped): then
 * `/blög/`, `/bl%c3%b6g/` and `/bl%C3%B6g/` all become `/bl%C3%B6g/`.
 */
export function canonicalPath(pathname: string): string {
  if (!pathname.includes('%')) return pathname;
  return pathname.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + hex.toUpperCase();
  });
}

/**
 * The site path a URL path leads to under `basePath` (decoded: `posts/σας/`), or null when it is
 * outside the site. `pathname` is a path as `new URL()` returns it; the base is compared in its
 * encoded form, so a base path with spaces, non-ASCII or `%` escapes works like any other.
 */
export function sitePathOf(pathname: string, basePath: string): string | null {
  const p = canonicalPath(pathname);
  if (p.startsWith(basePath)) return decodePath(p.slice(basePath.length));
  if (p + '/' === basePath) return '';
  return null;
}

/** Decodes percent-escapes, leaving malformed ones (`%zz`, a lone `%E9`) as written. */
export function decodePath(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
