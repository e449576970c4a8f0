/**
 * The build: the only place that sequences the stages, one named and timed stage per line.
 *
 *   config → theme files → list files → read (each file once) → [up to date?] → compile the
 *   theme → posts (previous build, cache, workers) → select (drafts, future) → site model →
 *   related posts → routes and views → render pages → publish (search, feeds, sitemap) → link
 *   check → write
 *
 * `npm run build` calls it once. The dev server calls it again with the state the last call
 * returned and what changed; unchanged files are not read, unchanged posts not parsed, unchanged
 * pages not rendered, and the result is the same as a fresh build of the same files.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { basePath, type Config } from './config.ts';
import { displayPath, hasErrors, type Diagnostic, type Result } from './diagnostics.ts';
import { nodeFs, type Fs } from './fs.ts';
import { loadConfig } from './load-config.ts';
import { listSiteFiles, collectSiteFiles } from './build/files.ts';
import { selectPosts, type Selection } from './content/select.ts';
import { compileTheme, readTheme, renderEach, renderPages, type RenderCache, type RenderOptions, type Theme } from './render/templates.ts';
import { ownPages, routes } from './render/routes.ts';
import { outPathOf } from './site/urls.ts';
import { siteView } from './render/views.ts';
import { feedStylesheetUrl } from './render/meta.ts';
import { buildSite } from './site/build-site.ts';
import { addFiles, imageSizes, linkTargets, placeFiles, resolveLocalLinks, type SiteFile } from './site/files.ts';
import { makeVariants } from './site/images.ts';
import { iconWarnings } from './render/checks.ts';
import { relatedByPath, relatedOrKept } from './publish/related.ts';
import { publishFiles } from './publish/publish.ts';
import { buildRedirects } from './publish/redirects.ts';
import { checkLinks, linkSources, scanHtml, scanShare } from './publish/linkcheck.ts';
import { contextKey, openPostCache } from './cache/post-cache.ts';
import { FileHints } from './cache/file-stats.ts';
import { PageCacheRun, pageFingerprinter, readPageCache, writePageCache } from './cache/page-cache.ts';
import { inputsKey, outputMatches, readRecord, removeRecord, writeRecord } from './cache/build-record.ts';
import { defaultWorkerCount, MIN_BYTES_FOR_WORKERS, MIN_FILES_FOR_WORKERS } from './parallel/pool.ts';
import { parseAhead, processPosts, readAssets, readSources } from './build/posts.ts';
import { newState, type BuildState, type Changes } from './build/state.ts';
import { Run } from './build/run.ts';
import { editedSite } from './build/edited.ts';
import { diskWriter, type Writer } from './output/writer.ts';
import { slabEncoder } from './output/slab.ts';
import { entryOf, type OutputSink, type WriteReport } from './output/write.ts';
import { KEPT, type OutputFile, type PublishJob, type RenderJob, type SitePost } from './model.ts';
import type { PostEntry } from './content/process.ts';
import { relativePosix } from './paths.ts';

export type { BuildState, Changes } from './build/state.ts';

/** The page cache's settings: Quire's own code and libraries (see contextKey). */
const PAGE_CONTEXT = contextKey({ cache: 'pages' });

export interface BuildOptions {
  /** Project root: where the config file is looked for; never usable as output. */
  root: string;
  contentDir: string;
  templatesDir: string;
  outDir: string;
  /** Explicit config file; when absent the root is searched for quire.config.{yml,yaml,json,toml}. */
  configFile?: string;
  /** Config values from the command line, e.g. `baseUrl` from `--base-url`. */
  overrides?: Partial<Config>;
  drafts?: boolean;
  future?: boolean;
  strict?: boolean;
  /** "Now", for leaving out future posts (defaults to the clock). */
  now?: number;
  /** Base for paths shown in diagnostics (defaults to the process's working directory). */
  cwd?: string;
  fs?: Fs;
  /** Render but do not write (tests, dry runs). */
  write?: boolean;
  /** Where the site goes (default: the disk writer for `outDir`). */
  writer?: Writer;
  /** Worker threads for the per-file stages (default: one per core; 1 = all on the main thread). */
  workers?: number;
  /** Fewest files to process for worker threads to be started (default MIN_FILES_FOR_WORKERS). */
  minFilesForWorkers?: number;
  /** Use the persistent build cache (default true). */
  cache?: boolean;
  /** Where the cache lives (default `<root>/.cache/quire`). */
  cacheDir?: string;
  /** Files copied verbatim to the output root (default `<root>/static`, when it exists). */
  staticDir?: string;
  /** Keep rendered pages and scans in the returned state, so the next build re-renders only what changed (dev). */
  incremental?: boolean;
  /**
   * Dev: called with the pages that can be shown before the rest is done: after a content change,
   * the edited posts' pages, before related posts, feeds, search, sitemap and the link check are
   * computed (rendered with the previous related-posts lists); after a theme change, the
   * `openPages`, before the rest of the site is rendered.
   */
  onEarlyPages?: (pages: OutputFile[]) => Promise<void>;
  /** Dev: the output paths of the pages open in a browser, shown first after a theme change. */
  openPages?: string[];
}

export interface BuildReport {
  ok: boolean;
  diagnostics: Diagnostic[];
  posts: number;
  pages: number;
  skipped: { drafts: number; future: number };
  /** Stage name → milliseconds. */
  timings: Record<string, number>;
  durationMs: number;
  /** Rendered files (also when `write` is false). */
  files: OutputFile[];
  /** What the write stage did (absent when nothing was written). */
  output?: WriteReport;
  /** True when nothing changed since the last build and its output was still in place: nothing was done. */
  upToDate?: boolean;
  /** Content files taken from the persistent cache / processed, and by how many worker threads (0: on the main thread, or none). */
  cache: { hits: number; misses: number; rejected: number; workers: number };
  /** Files parsed and rendered again by this build. */
  processed: number;
  /** Pages rendered by this build; the others were unchanged since the last (page cache) or the previous dev build. */
  rendered: number;
  /** The earliest date of a future post left out: from then on the site changes. */
  nextChangeAt: number | null;
  /** Pass to the next build in this process (with what changed) to redo only what is needed. */
  state: BuildState;
}

export async function build(options: BuildOptions, previous?: BuildState, changes: Changes = {}): Promise<BuildReport> {
  const run = new Run(options.strict, !!options.onEarlyPages);
  try {
    return await stages(run, options, previous, changes);
  } finally {
    await run.close(); // a write stage an exception left open is discarded: its lock and staging folder go
  }
}

async function stages(run: Run, options: BuildOptions, previous: BuildState | undefined, changes: Changes): Promise<BuildReport> {
  const fs = options.fs ?? nodeFs;
  const cwd = options.cwd ?? process.cwd();
  const display = (abs: string) => displayPath(cwd, abs);
  const sel: Selection = { drafts: !!options.drafts, future: !!options.future, now: options.now ?? Date.now() };
  const state = newState(previous, options.incremental);
  const report = (extra: Partial<BuildReport> = {}) => run.report(state, extra);

  // Dev (incremental) keeps the last good config and theme when the new ones have errors: the
  // errors are shown while the site stays up.
  const lastGood = <T>(loaded: T | null, last: T | null | undefined): T | null => loaded ?? (options.incremental ? (last ?? null) : null);
  const config = lastGood(await run.stage('config', () => (previous?.config && !changes.config ? ok(previous.config) : loadConfig(fs, options.root, options.configFile, options.overrides ?? {}, display))), previous?.config);
  state.config = config;
  if (!config) return report();
  // The theme's files are read now (their digest is an input); they are compiled only when there is work to do.
  const themeFiles = lastGood(await run.stage('theme', () => (previous?.theme && !changes.config && !changes.theme ? ok(previous.theme) : readTheme(fs, options.templatesDir, display))), previous?.theme);
  const staticDir = options.staticDir ?? path.join(options.root, 'static');
  // Dev: when only files that were there changed (none added, removed or renamed), the folders are not listed again.
  const sameListing = !!changes.sameFiles && !!previous?.listing && !!changes.content?.every((p) => previous.files.has(path.resolve(p)) || previous.assets.has(path.resolve(p)));
  state.listing = sameListing ? previous!.listing! : await run.timed('list', () => listSiteFiles(fs, options.contentDir, staticDir, display));
  const listed = run.sync('list', () => state.listing!);
  const files = listed.posts;
  const init = { config, contentDir: options.contentDir, postLayouts: themeFiles?.postLayouts ?? ['post'], cwd, sel };
  // Cache keys hold no absolute path (a cache restored into another folder still serves); entries
  // kept in this process are also tied to where the content is and where paths are shown from.
  const context = contextKey({ config: init.config, postLayouts: init.postLayouts });
  const here = `${context}\0${init.contentDir}\0${cwd}`;
  const known = previous?.context === here ? previous.files : new Map();
  const changed = previous && changes.content ? new Set(changes.content.map((p) => path.resolve(p))) : undefined;
  const previousAssets = previous?.assets ?? new Map<string, Uint8Array>();
  const cacheDir = options.cacheDir ?? path.join(options.root, '.cache', 'quire');
  const useCache = options.cache !== false;
  // A one-shot build stats each post, and reads only those whose stat changed since the last build.
  const hints = useCache && !previous ? await run.timed('read', () => FileHints.read(fs, cacheDir, Date.now())) : undefined;
  const sources = await run.timed('read', () => readSources(files, { fs, context, display, init, previous: known, previousAssets, changed, hints }));
  if (hints) await hints.save(fs, cacheDir).catch(() => undefined); // hints that cannot be saved only cost speed
  const assets = await run.timed('read', () => readAssets(listed.files, { fs, display, previousAssets, changed }));
  state.context = here;
  const siteFiles = run.sync('read', () => collectSiteFiles(sources, assets, options.contentDir, staticDir, display, state.assets));

  const writer = options.write === false ? null : (options.writer ?? diskWriter(fs, { outDir: options.outDir, protectedDirs: [options.root, options.contentDir, options.templatesDir], display, incremental: useCache, offThread: fs === nodeFs }));
  // Nothing changed since the last build, whose output is still in place: report it again.
  // The key covers every post (its cache key) and every other file of the site (its path and bytes);
  // folders count by where they are in the project, so a moved project still matches.
  const inputs = [...sources.flatMap((r) => (r.asset ? [] : [r.key])), ...siteFiles.map((f) => fileKey(f))];
  const inProject = (dir: string) => relativePosix(options.root, path.resolve(dir));
  const recordKey = useCache && themeFiles && writer?.persistent ? inputsKey([themeFiles.id, sel.drafts, sel.future, !!options.strict, inProject(options.outDir), inProject(options.templatesDir), run.diagnostics], inputs) : null;
  const last = recordKey ? await run.timed('up-to-date', () => upToDate(fs, cacheDir, options.outDir, recordKey, sel.now)) : null;
  if (last) return report(last);
  // One-shot: the few posts to parse start on a worker thread now, while this thread compiles the theme and takes the rest from the cache.
  const workers = fs === nodeFs ? (options.workers ?? defaultWorkerCount()) : 1;
  const postOptions = { fs, display, init, workers, minFiles: options.minFilesForWorkers ?? MIN_FILES_FOR_WORKERS, minBytes: MIN_BYTES_FOR_WORKERS };
  const reads = sources.filter((r) => !r.asset);
  const ahead = useCache && !previous && themeFiles ? parseAhead(reads, postOptions) : null;
  // The same files as the previous build's theme (dev: a template saved unchanged, or the re-check after a save) need no compiling.
  const same = previous?.theme && themeFiles?.id === previous.theme.id ? previous.theme : null;
  const theme = themeFiles && (same ?? lastGood(run.sync('theme', () => compileTheme(themeFiles, options.templatesDir, display)), previous?.theme));
  state.theme = theme;

  // The posts' keys are known: their records are decoded as the cache file is read.
  const cache = useCache && !previous ? await run.timed('posts', () => openPostCache(fs, cacheDir, { wanted: new Set(reads.flatMap((r) => (r.key ? [r.key] : []))) })) : null;
  if (cache) run.defer(() => cache.discard()); // a new cache file begun by a build that throws before saving it
  // Posts parsed ahead: the page cache is read (and decoded) while the posts stage waits for them.
  const pagesRead = ahead && writer?.persistent ? readPageCache(fs, cacheDir, PAGE_CONTEXT) : null;
  const posts = await run.timed('posts', () => processPosts(reads, { ...postOptions, cache }, ahead));
  if (cache) await cache.save().catch(() => undefined); // a cache that cannot be written only costs speed
  state.files = posts.known;
  for (const e of posts.entries) run.diagnostics.push(...e.diagnostics);
  const counts = { cache: { ...(cache?.stats ?? { hits: 0, misses: 0, rejected: 0 }), workers: posts.workers }, processed: posts.processed };
  if (!theme) return report(counts);
  if (previous && !run.failed() && sameAsBefore(previous, state, posts.entries, files, sel)) return report({ ...counts, ...previous.last!, output: { written: 0, unchanged: 0, removed: 0, marker: '', changed: [] } });

  // Dev: posts edited without touching their front matter are shown first, from the last build's site.
  const shownEarly = new Set<string>();
  const lastSite = previous?.ok ? previous.caches.site : undefined;
  if (options.onEarlyPages && lastSite && state.caches.related && changed && !changes.theme && !run.failed()) {
    const edited = editedSite(lastSite, [...changed].map((abs) => ({ before: previous!.files.get(abs)?.entry, after: posts.known.get(abs)?.entry })), state.caches.memo);
    if (edited) {
      const ctx = { config, site: lastSite.siteView, icons: theme.icons, related: new Map<SitePost, SitePost[]>(), memo: state.caches.memo };
      await run.timed('early', () => earlyPages(edited.site, ctx, theme, state, (p) => edited.posts.has(p), shownEarly, options.onEarlyPages!));
    }
  }

  const selected = run.sync('select', () => ok(selectPosts(posts.entries, sel)));
  const published = selected.published.flatMap((e) => (e.content ? [{ post: e.post, content: e.content }] : []));
  const site = run.sync('site', () => buildSite(published, config, state.caches.memo));
  const base = basePath(config);
  const placed = run.sync('files', () => placeFiles(siteFiles, [...site.posts, ...site.pages], base));
  const imageSize = placed.files.length ? (await import('image-size')).imageSize : null; // ~60 ms to load: only for sites with files
  const sizeOf = imageSizes(placed, base, state.caches.memo, imageSize);
  const variants = await run.timed('images', () => makeVariants(placed.files, base, sizeOf, fs, useCache ? cacheDir : null));
  run.diagnostics.push(...variants.diagnostics);
  const links = { targets: linkTargets([...site.posts, ...site.pages], placed), base, sizeOf, srcsets: variants.srcsets };
  resolveLocalLinks([...site.posts, ...site.pages], links, state.caches.memo);
  run.diagnostics.push(...iconWarnings([...site.posts, ...site.pages], theme.icons));
  const viewCtx = { config, site: siteView(config, theme.assetHashes, site.pages), icons: theme.icons, related: new Map<SitePost, SitePost[]>(), memo: state.caches.memo };
  if (options.incremental) state.caches.site = { site, siteView: viewCtx.site, links };
  // Dev: the edited posts' pages (unless shown above), and after a theme change the open pages, are shown first.
  const open = new Set(changes.theme ? (options.openPages ?? []) : []);
  if (options.onEarlyPages && state.caches.related && ((changed && !shownEarly.size) || open.size) && !run.failed()) {
    const edited = new Set([...(changed ?? [])].map((abs) => relativePosix(options.contentDir, abs)));
    const first = (p: SitePost) => edited.has(p.post.relPath) || open.has(outPathOf(p.path));
    await run.timed('early', () => earlyPages(site, viewCtx, theme, state, first, shownEarly, options.onEarlyPages!));
  }
  await run.breathe(); // dev: the edited pages are served; answer their requests between the stages below
  // Pages for disk are encoded to bytes as they render, and scanned for the link check while their HTML is at hand.
  const encode = writer?.persistent ? slabEncoder() : undefined;
  // On disk, pages made from the same inputs as in the last build are kept, not rendered (the writer
  // checks that the output folder still holds them); their links were scanned then. So are related posts.
  const pageCache = encode && useCache ? new PageCacheRun(await run.timed('related', () => pagesRead ?? readPageCache(fs, cacheDir, PAGE_CONTEXT)), pageFingerprinter(state.caches.memo, (layout) => theme.layoutIds.get(layout) ?? theme.id)) : null;
  viewCtx.related = run.sync('related', () => ok(config.relatedPosts > 0 ? relatedOrKept(site, config.relatedPosts, pageCache ? (key, make) => pageCache.related(key, make) : undefined) : new Map<SitePost, SitePost[]>()));
  if (options.incremental) state.caches.related = relatedByPath(viewCtx.related);
  await run.breathe();
  const jobs = run.sync('routes', () => ok(routes(site, viewCtx, new Set(theme.layouts.keys()))));
  if (options.onEarlyPages && open.size > shownEarly.size && !run.failed()) {
    // Open pages that are not a post's (the home page, a listing): shown once the routes are made.
    await run.timed('early', () => showEarly(theme, jobs.filter((j) => open.has(j.outPath) && !shownEarly.has(j.outPath)), state, shownEarly, options.onEarlyPages!));
  }
  const scans = state.caches.linkScans ?? new Map();
  // On disk, each page goes to the writer's staging folder as it renders: the site is never all in memory.
  const sink = encode && writer?.open && !run.failed() ? await run.timed('render', () => writer.open!()) : null;
  if (sink) run.defer(() => sink.discard());
  const share = scanShare();
  let rendered = 0;
  const onPage = (outPath: string, html: string, contents: string | Uint8Array, rebuild: () => string | Uint8Array) => {
    rendered++;
    if (!encode) return; // in memory, pages are scanned when the link check asks
    const scan = scanHtml(html, share);
    const entry = entryOf(contents); // its digest and size: for the writer and the page cache alike
    // Bytes the sink takes are given back to the encoder once written (the slab is used again).
    const file = sink?.put({ outPath, contents }, rebuild, entry, typeof contents === 'string' ? undefined : () => encode.release(contents));
    scans.set(outPath, { contents: file?.contents ?? contents, scan });
    pageCache?.rendered(outPath, entry, scan);
    return file;
  };
  const keep = (job: RenderJob) => {
    const was = pageCache?.unchanged(job);
    if (was) scans.set(job.outPath, { contents: KEPT, scan: was.scan });
    return was;
  };
  await run.breathe();
  const pages = await run.stage('render', () => renderPaced(theme, jobs, state.caches.render, { encode, onPage, keep }, sink, run));
  await run.breathe();
  const extra = run.sync('publish', () => {
    const jobs = publishFiles(site, pages, config, state.caches.memo, { feedStylesheet: feedStylesheetUrl(config, theme.assetHashes) });
    return { value: jobs.value.map((job) => keptOrMade(job, pageCache, encode)), diagnostics: jobs.diagnostics };
  });
  const generated = [...pages, ...theme.assets, ...extra];
  const redirects = run.sync('publish', () => buildRedirects([...site.posts, ...site.pages], config, new Set(generated.map((f) => f.outPath))));
  const out = run.sync('files', () => addFiles([...generated, ...(encode ? redirects.map((f) => toBytes(f, encode)) : redirects)], [...placed.files, ...variants.files]));
  // Every link is checked, also when a post could not be read (so one run reports every problem),
  // unless pages failed to render: links to them would only repeat the template's error.
  await run.breathe();
  if (!run.failedIn('template/')) run.sync('links', () => ({ value: null, diagnostics: checkLinks(out, base, linkSources(jobs, theme), scans, { severity: config.links }) }));
  state.postUrls = new Map(site.posts.map((p) => [p.post.relPath, p.url]));
  const result = { ...counts, rendered, posts: site.posts.length, pages: pages.length, skipped: selected.skipped, nextChangeAt: selected.nextChangeAt, files: out };
  // On disk, a build with errors writes nothing (the last good site stays); dev serves what it could build.
  if (!writer || (writer.persistent && run.failed())) return (await sink?.discard(), report(result));

  const written = await run.stage('write', () => (sink ? sink.finish(out) : writer.write(out)));
  const done = report({ ...result, output: written });
  state.last = { posts: done.posts, pages: done.pages, skipped: done.skipped, nextChangeAt: done.nextChangeAt, diagnostics: done.diagnostics, drafts: sel.drafts, future: sel.future };
  if (pageCache && done.ok) await writePageCache(fs, cacheDir, PAGE_CONTEXT, pageCache.next).catch(() => undefined);
  if (recordKey && done.ok && !posts.volatile) {
    const record = { key: recordKey, marker: written.marker, nextChangeAt: selected.nextChangeAt, posts: done.posts, pages: done.pages, skipped: done.skipped, diagnostics: done.diagnostics };
    await writeRecord(fs, cacheDir, record).catch(() => undefined);
  } else if (useCache && writer.persistent) {
    await removeRecord(fs, cacheDir);
  }
  return done;
}

/** Dev: nothing changed since the previous good build in this process (a repeated save): its output stands. */
function sameAsBefore(previous: BuildState, state: BuildState, entries: PostEntry[], files: string[], sel: Selection): boolean {
  const last = previous.last;
  if (!previous.ok || !last || state.config !== previous.config || state.theme?.id !== previous.theme?.id) return false;
  if (last.drafts !== sel.drafts || last.future !== sel.future || (last.nextChangeAt !== null && sel.now >= last.nextChangeAt)) return false;
  const sameAssets = state.assets.size === previous.assets.size && [...state.assets].every(([abs, bytes]) => previous.assets.get(abs) === bytes);
  return sameAssets && files.length === previous.files.size && entries.every((e) => previous.files.get(e.absPath)?.entry === e);
}

/** The last build's report when nothing changed since and its output is still in place; else null. */
async function upToDate(fs: Fs, cacheDir: string, outDir: string, key: string, now: number): Promise<Partial<BuildReport> | null> {
  const last = await readRecord(fs, cacheDir);
  if (!last || last.key !== key || (last.nextChangeAt !== null && now >= last.nextChangeAt)) return null;
  const unchanged = await outputMatches(fs, outDir, last);
  if (unchanged === null) return null;
  return { diagnostics: last.diagnostics, posts: last.posts, pages: last.pages, skipped: last.skipped, nextChangeAt: last.nextChangeAt, output: { written: 0, unchanged, removed: 0, marker: last.marker }, upToDate: true };
}

/**
 * Dev: these posts' own pages (the edited ones; the open ones after a theme change), rendered with
 * the previous related-posts lists and shown before the listings and the site-wide steps (related
 * posts, feeds, search, link check) are redone.
 */
async function earlyPages(site: ReturnType<typeof buildSite>['value'], viewCtx: Parameters<typeof routes>[1], theme: Theme, state: BuildState, which: (p: SitePost) => boolean, shown: Set<string>, hook: (pages: OutputFile[]) => Promise<void>): Promise<void> {
  const byPath = new Map(site.posts.map((p) => [p.post.relPath, p]));
  const first = site.posts.filter(which);
  const related = new Map(first.map((p) => [p, (state.caches.related!.get(p.post.relPath) ?? []).flatMap((r) => byPath.get(r) ?? [])]));
  await showEarly(theme, ownPages(site, { ...viewCtx, related }, which), state, shown, hook);
}

/** Dev: renders these pages now (the render cache keeps them for the full render) and shows them; `shown` gets their paths. */
async function showEarly(theme: Theme, jobs: RenderJob[], state: BuildState, shown: Set<string>, hook: (pages: OutputFile[]) => Promise<void>): Promise<void> {
  if (!jobs.length) return;
  const early = renderPages(theme, jobs, state.caches.render);
  if (hasErrors(early.diagnostics)) return;
  for (const j of jobs) shown.add(j.outPath);
  await hook(early.value);
}

/**
 * Renders every page, pausing every 16 pages: on disk, for the writer to catch up (it writes each
 * page as it comes); in dev, after the edited or open pages were shown, for the server to answer
 * the browser (the page's images and styles) while the rest of the site renders.
 */
async function renderPaced(theme: Theme, jobs: RenderJob[], cache: RenderCache | undefined, options: RenderOptions, sink: OutputSink | null, run: Run): Promise<Result<OutputFile[]>> {
  if (!sink && !run.yields) return renderPages(theme, jobs, cache, options);
  const files: OutputFile[] = [];
  const each = renderEach(theme, jobs, cache, options);
  for (let r = each.next(); ; r = each.next()) {
    if (r.done) return { value: files, diagnostics: r.value };
    files.push(r.value);
    if (files.length % 16 === 0) {
      await sink?.ready();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** A file of the site (not a post) as an input of the build: where it comes from and its bytes. */
function fileKey(f: SiteFile): string {
  return createHash('sha1').update(`${f.from}\0${f.relPath}\0`).update(f.contents).digest('hex');
}

function ok<T>(value: T): Result<T> {
  return { value, diagnostics: [] };
}

/** A feed or the search index: kept when the page cache has it from the same key (see PublishJob), else made now. */
function keptOrMade(job: PublishJob, pageCache: PageCacheRun | null, encode?: (text: string) => Uint8Array): OutputFile {
  const contents = () => {
    const made = job.make();
    return encode && typeof made === 'string' ? encode(made) : made;
  };
  const was = job.key === undefined ? undefined : pageCache?.unchangedFile(job.outPath, job.key);
  if (was) return { outPath: job.outPath, contents: KEPT, kept: { hash: was.hash, size: was.size, render: contents } };
  const file = { outPath: job.outPath, contents: contents() };
  if (job.key !== undefined) pageCache?.rendered(job.outPath, entryOf(file.contents), NO_LINKS);
  return file;
}

/** The scan of a file that is not HTML. */
const NO_LINKS = { refs: [], ids: new Set<string>() };

function toBytes(f: OutputFile, encode: (text: string) => Uint8Array): OutputFile {
  return typeof f.contents === 'string' ? { outPath: f.outPath, contents: encode(f.contents) } : f;
}

export { displayPath };
