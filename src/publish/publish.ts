/**
 * The publish stage: the search index, and feeds and the sitemap when the base URL is absolute, as
 * jobs the build makes (or keeps, when the page cache says their key is unchanged).
 * `feedStylesheet` is the site URL of the theme's feed stylesheet, when it has one.
 */
import { hasAbsoluteBase, type Config } from '../config.ts';
import { warning, type Diagnostic, type Result } from '../diagnostics.ts';
import type { Memo } from '../memo.ts';
import type { OutputFile, PublishJob, Site } from '../model.ts';
import { feedJobs } from './feeds.ts';
import { searchIndexJob } from './search.ts';
import { buildSitemap } from './sitemap.ts';

export function publishFiles(site: Site, pages: OutputFile[], config: Config, memo: Memo, options: { feedStylesheet?: string | null } = {}): Result<PublishJob[]> {
  const diagnostics: Diagnostic[] = [];
  const jobs: PublishJob[] = [searchIndexJob(site)];
  if (hasAbsoluteBase(config)) {
    const feeds = feedJobs(site, { content: config.feeds.content, limit: config.feeds.limit, stylesheet: options.feedStylesheet ?? null }, memo);
    diagnostics.push(...feeds.diagnostics);
    jobs.push(...feeds.value);
    // The sitemap lists every page: made each time (a few milliseconds).
    for (const file of buildSitemap(site, pages.map((f) => f.outPath).filter((p) => p.endsWith('.html')))) jobs.push({ outPath: file.outPath, make: () => file.contents });
  } else {
    diagnostics.push(
      warning('config/relative-base-url', `baseUrl "${config.baseUrl}" is not an absolute URL, so feeds, the sitemap and canonical links are left out`, {
        hint: 'set baseUrl: https://your.domain/ in the config, or pass --base-url',
      }),
    );
  }
  return { value: jobs, diagnostics };
}
