/**
 * Redirect pages for old URLs (`aliases:` in Hugo, `redirect_from:` in Jekyll): a tiny HTML page
 * at the old path with a meta refresh, a canonical link and a plain link, so it works with
 * JavaScript off and on any static host. An old path the site itself uses is left alone.
 */
import { warning, type Diagnostic, type Result } from '../diagnostics.ts';
import type { OutputFile, SitePost } from '../model.ts';
import { canonicalUrl } from '../render/meta.ts';
import type { Config } from '../config.ts';
import { escapeHtml } from '../text/html.ts';

export function buildRedirects(posts: SitePost[], config: Config, generated: Set<string>): Result<OutputFile[]> {
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, OutputFile>();
  for (const p of posts) {
    for (const alias of p.post.aliases) {
      const outPath = alias.endsWith('/') ? alias + 'index.html' : alias;
      if (generated.has(outPath) || files.has(outPath)) {
        diagnostics.push(warning('site/alias-conflict', `the old URL ${alias} is already a page of this site; no redirect is written there`, { file: p.post.file, hint: 'remove it from aliases / redirect_from' }));
        continue;
      }
      files.set(outPath, { outPath, contents: redirectPage(p.url, canonicalUrl(config, p.url) ?? p.url, config.language) });
    }
  }
  return { value: [...files.values()], diagnostics };
}

function redirectPage(url: string, canonical: string, language: string): string {
  const u = escapeHtml(url);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<title>Moved</title>
<link rel="canonical" href="${escapeHtml(canonical)}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${u}">
</head>
<body>
<p>This page has moved to <a href="${u}">${u}</a>.</p>
</body>
</html>
`;
}
