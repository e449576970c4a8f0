/**
 * The build's stages as reusable pieces, shared by the one-shot build (`build.ts`) and the dev
 * server's incremental rebuilds (`dev/session.ts`):
 *   loadConfig → loadTheme → processPostFile (per file: read, front matter, normalise, markdown)
 *   → assembleSite (filter, site model, routes, templates).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { CONFIG_FILES, parseConfig, type Config } from './config.ts';
import { error, hasErrors, warning, type Diagnostic } from './diagnostics.ts';
import type { Fs } from './fs.ts';
import { readSourceFile } from './content/load.ts';
import { parseFrontMatter } from './content/frontmatter.ts';
import { normalisePost } from './content/normalise.ts';
import { dateFromFileName } from './content/dates.ts';
import type { MarkdownRenderer } from './markdown/render.ts';
import { gitFirstCommitDates } from './content/git-dates.ts';
import { buildSite } from './site/build-site.ts';
import { routes } from './render/routes.ts';
import { renderPages, type RenderCache, type Theme } from './render/templates.ts';
import { siteView } from './render/views.ts';
import type { OutputFile, Post, RenderedContent, SitePost } from './model.ts';
import { basePath } from './config.ts';
import { hasAbsoluteBase } from './render/meta.ts';
import { buildFeeds } from './publish/feeds.ts';
import { buildSitemap } from './publish/sitemap.ts';
import { buildSearchIndex, computeBodyWords } from './publish/search.ts';
import { computeTermCounts, relatedPosts } from './publish/related.ts';
import { checkLinks, scanHtml, type LinkScanCache, type LinkSource } from './publish/linkcheck.ts';

/** Everything known about one content file after its per-file stages. */
export interface PostEntry {
  absPath: string;
  /** Digest of the file's text (plus its mtime when the mtime is its date): unchanged → reuse. */
  digest: string;
  /** Null when the file could not become a post (see diagnostics) or was skipped. */
  post: Post | null;
  /** Null when the post was not rendered (a left-out draft) or markdown failed. */
  content: RenderedContent | null;
  diagnostics: Diagnostic[];
}

export interface FileContext {
  fs: Fs;
  config: Config;
  contentDir: string;
  postLayouts: string[];
  display: (abs: string) => string;
  /** The markdown stage (may load it on first use). */
  render: (post: Post) => ReturnType<MarkdownRenderer> | Promise<ReturnType<MarkdownRenderer>>;
  /** First-commit dates from git, asked for once, and only if some post needs them. */
  gitDates: () => Promise<Map<string, number>>;
  /** Whether a post will be published (decides whether its markdown is rendered at all). */
  include: (post: Post) => boolean;
}

/** What a worker thread (or the main thread) needs to build its `FileContext`: plain, cloneable data. */
export interface WorkerInit {
  config: Config;
  contentDir: string;
  postLayouts: string[];
  /** Base for paths shown in diagnostics. */
  cwd: string;
  sel: Selection;
}

export function fileContext(init: WorkerInit, fs: Fs): FileContext {
  return {
    fs,
    config: init.config,
    contentDir: init.contentDir,
    postLayouts: init.postLayouts,
    display: (abs) => displayPath(init.cwd, abs),
    render: lazyRenderer(init.config),
    gitDates: once(() => gitFirstCommitDates(init.contentDir)),
    include: (post) => isIncluded(post, init.sel),
  };
}

/**
 * The markdown stage, loaded on first use: remark, its plugins and the highlighting grammars take
 * about a third of a second to load, which a build whose posts all come from the cache never needs.
 */
export function lazyRenderer(config: Config): FileContext['render'] {
  let renderer: Promise<MarkdownRenderer> | null = null;
  return async (post) => (await (renderer ??= import('./markdown/render.ts').then((m) => m.createMarkdownRenderer(config))))(post);
}

/** A path as the user would type it: relative to where they are, unless that means climbing out twice. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  if (rel.startsWith(`..${path.sep}..`)) return abs;
  return rel || '.';
}

/** Which posts are published: drafts and future posts only when asked for. */
export interface Selection {
  drafts: boolean;
  future: boolean;
  now: number;
}

export function isIncluded(post: Post, sel: Selection): boolean {
  return (!post.draft || sel.drafts) && (post.date.epochMs <= sel.now || sel.future);
}

/** Reads the config file (or the defaults) with command-line overrides; null on errors. */
export async function loadConfig(
  fs: Fs,
  root: string,
  configFile: string | undefined,
  overrides: Partial<Config>,
  display: (p: string) => string,
  diagnostics: Diagnostic[],
): Promise<Config | null> {
  const file = configFile ?? (await findConfigFile(fs, root));
  let text = '';
  if (file) {
    try {
      text = (await fs.readFile(file)).toString('utf8');
    } catch (e) {
      diagnostics.push(error('config/unreadable', `cannot read config file: ${(e as Error).message}`, { file: display(file), hint: 'check the --config path' }));
      return null;
    }
  }
  const parsed = parseConfig(text, file ? display(file) : 'defaults.yml', overrides);
  diagnostics.push(...parsed.diagnostics);
  return hasErrors(parsed.diagnostics) ? null : parsed.value;
}

/** The first of quire.config.{yml,yaml,json,toml} that exists at the project root. */
async function findConfigFile(fs: Fs, root: string): Promise<string | undefined> {
  for (const name of CONFIG_FILES) {
    const candidate = path.join(root, name);
    if (await fs.stat(candidate).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

/**
 * Per-file stages for one post file. Pure apart from reading the file (and git, lazily).
 * With `previous`, a file whose digest is unchanged is not parsed or rendered again.
 */
export async function processPostFile(ctx: FileContext, absPath: string, previous?: PostEntry): Promise<PostEntry> {
  const diagnostics: Diagnostic[] = [];
  const read = await readSourceFile(ctx.fs, ctx.contentDir, absPath, ctx.display(absPath));
  diagnostics.push(...read.diagnostics);
  const source = read.value;
  if (!source) return { absPath, digest: '', post: null, content: null, diagnostics };
  let digest = createHash('sha1').update(source.text).digest('hex');
  if (previous && (previous.digest === digest || previous.digest === `${digest}@${source.mtimeMs}`)) return previous;
  const fm = parseFrontMatter(source.text, source.displayPath);
  diagnostics.push(...fm.diagnostics);
  if (!fm.value) return { absPath, digest, post: null, content: null, diagnostics };
  const date = fm.value.data.date;
  const undated = (date === undefined || date === null || date === '') && !dateFromFileName(path.basename(absPath), ctx.config.timezone);
  const gitDates = undated ? await ctx.gitDates() : new Map<string, number>();
  const normalised = normalisePost(source, fm.value, { config: ctx.config, postLayouts: ctx.postLayouts, gitDate: (rel) => gitDates.get(rel) ?? null });
  diagnostics.push(...normalised.diagnostics);
  const post = normalised.value;
  if (post?.dateSource === 'mtime') digest += `@${source.mtimeMs}`;
  if (!post || !ctx.include(post)) return { absPath, digest, post, content: null, diagnostics };
  const rendered = await ctx.render(post);
  diagnostics.push(...rendered.diagnostics);
  // Everything later stages need from the plain text is derived here; like the markdown, the text
  // is then dropped, which keeps big sites' memory (and the cache) smaller.
  const words = rendered.value && { body: computeBodyWords(rendered.value), terms: computeTermCounts(post.title, rendered.value) };
  const content = rendered.value && words && { ...rendered.value, text: '', words };
  return { absPath, digest, post: { ...post, body: '' }, content, diagnostics };
}

export interface Assembled {
  files: OutputFile[];
  posts: number;
  pages: number;
  skipped: { drafts: number; future: number };
  /** Each published post's URL by its path in the content folder. */
  postUrls: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** Site-wide stages: selection, site model, routes and templates, for entries in any order. */
/** What the dev server keeps between rebuilds so unchanged pages cost little. */
export interface SiteCache {
  render: RenderCache;
  linkScans: LinkScanCache;
  /** Related posts of the last assembly, by content path (for early pages). */
  related?: Map<string, string[]>;
  /**
   * Called with the pages rendered with the previous related-posts lists, before related posts,
   * feeds, search, sitemap and the link check are computed: the dev server shows an edited post
   * at once, and the complete result follows (it differs only where related lists changed).
   */
  onEarlyPages?: (pages: OutputFile[]) => Promise<void>;
}

export async function assembleSite(entries: PostEntry[], config: Config, theme: Theme, sel: Selection, cache?: SiteCache, options: { encode?: boolean } = {}): Promise<Assembled> {
  const diagnostics: Diagnostic[] = [];
  const skipped = { drafts: 0, future: 0 };
  const published: { post: Post; content: RenderedContent }[] = [];
  for (const e of entries) {
    if (!e.post) continue;
    if (e.post.draft && !sel.drafts) skipped.drafts++;
    else if (e.post.date.epochMs > sel.now && !sel.future) skipped.future++;
    else if (e.content) published.push({ post: e.post, content: e.content });
  }
  const site = buildSite(published, config);
  diagnostics.push(...site.diagnostics);
  for (const p of site.value.posts) {
    if (p.post.icon && !theme.icons.has(p.post.icon)) {
      diagnostics.push(
        warning('frontmatter/unknown-icon', `icon "${p.post.icon}" is not in templates/icons/; no icon is shown`, {
          file: p.post.file,
          hint: `icons that exist: ${[...theme.icons.keys()].sort().join(', ')}`,
        }),
      );
    }
  }
  const view = siteView(config, theme.assetHashes);
  if (cache?.onEarlyPages && cache.related && !hasErrors(diagnostics)) {
    const byPath = new Map(site.value.posts.map((p) => [p.post.relPath, p]));
    const previous = new Map(site.value.posts.map((p) => [p, (cache.related!.get(p.post.relPath) ?? []).flatMap((r) => byPath.get(r) ?? [])]));
    const early = renderPages(theme, routes(site.value, { config, site: view, icons: theme.icons, related: previous }), cache.render);
    if (!hasErrors(early.diagnostics)) await cache.onEarlyPages(early.value);
  }
  const related = config.relatedPosts > 0 ? relatedPosts(site.value, config.relatedPosts) : new Map<SitePost, SitePost[]>();
  if (cache) cache.related = new Map([...related].map(([p, rs]) => [p.post.relPath, rs.map((r) => r.post.relPath)]));
  const jobs = routes(site.value, { config, site: view, icons: theme.icons, related });
  // Encoded pages are scanned for the link checker while their HTML is at hand (no decoding later).
  const linkScans: LinkScanCache | undefined = cache?.linkScans ?? (options.encode ? new Map() : undefined);
  const onPage = options.encode && linkScans ? (outPath: string, html: string, contents: string | Uint8Array) => void linkScans.set(outPath, { contents, scan: scanHtml(html) }) : undefined;
  const pages = renderPages(theme, jobs, cache?.render, { ...options, ...(onPage ? { onPage } : {}) });
  diagnostics.push(...pages.diagnostics);

  // Publishing: search index always; feeds and sitemap need absolute URLs.
  const files: OutputFile[] = [...pages.value, ...theme.assets, buildSearchIndex(site.value)];
  if (hasAbsoluteBase(config)) {
    const feeds = buildFeeds(site.value, { content: config.feeds.content });
    diagnostics.push(...feeds.diagnostics);
    files.push(...feeds.value, ...buildSitemap(site.value, pages.value.map((f) => f.outPath).filter((p) => p.endsWith('.html'))));
  } else {
    diagnostics.push(
      warning('config/relative-base-url', `baseUrl "${config.baseUrl}" is not an absolute URL, so feeds, the sitemap and canonical links are left out`, {
        hint: 'set baseUrl: https://your.domain/ in the config, or pass --base-url',
      }),
    );
  }

  // The built-in link checker: every internal link, anchor and asset of every page must resolve.
  if (!hasErrors(diagnostics)) {
    const sources = new Map<string, LinkSource>();
    for (const job of jobs) {
      sources.set(job.outPath, {
        outPath: job.outPath,
        file: job.source?.file ?? theme.layoutFiles.get(job.layout) ?? job.layout,
        ...(job.source ? { markdownLines: new Map(job.source.links) } : {}),
      });
    }
    diagnostics.push(...checkLinks(files, basePath(config), sources, linkScans));
  }
  const postUrls = new Map(site.value.posts.map((p) => [p.post.relPath, p.url]));
  // Feeds and the search index are large strings too: as bytes they take half the memory, or less.
  const out = options.encode ? files.map((f) => (typeof f.contents === 'string' ? { outPath: f.outPath, contents: Buffer.from(f.contents) } : f)) : files;
  return { files: out, posts: site.value.posts.length, pages: pages.value.length, skipped, postUrls, diagnostics };
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Memoises an async function of no arguments. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= fn());
}
