/**
 * The publish stage: the search index, and feeds and the sitemap when the base URL is absolute.
 * `feedStylesheet` is the site URL of the theme's feed stylesheet, when it has one.
 */
import { hasAbsoluteBase, type Config } from '../config.ts';
import { warning, type Diagnostic, type Result } from '../diagnostics.ts';
import type { Memo } from '../memo.ts';
import type { OutputFile, Site } from '../model.ts';
import { buildFeeds } from './feeds.ts';
import { buildSearchIndex } from './search.ts';
import { buildSitemap } from './sitemap.ts';

export function publishFiles(site: Site, pages: OutputFile[], config: Config, memo: Memo, options: { feedStylesheet?: string | null } = {}): Result<OutputFile[]> {
  const diagnostics: Diagnostic[] = [];
  const files: OutputFile[] = [buildSearchIndex(site)];
  if (hasAbsoluteBase(config)) {
    const feeds = buildFeeds(site, { content: config.feeds.content, limit: config.feeds.limit, stylesheet: options.feedStylesheet ?? null }, memo);
    diagnostics.push(...feeds.diagnostics);
    files.push(...feeds.value, ...buildSitemap(site, pages.map((f) => f.outPath).filter((p) => p.endsWith('.html'))));
  } else {
    diagnostics.push(
      warning('config/relative-base-url', `baseUrl "${config.baseUrl}" is not an absolute URL, so feeds, the sitemap and canonical links are left out`, {
        hint: 'set baseUrl: https://your.domain/ in the config, or pass --base-url',
      }),
    );
  }
  return { value: files, diagnostics };
}
