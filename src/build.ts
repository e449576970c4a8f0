/**
 * The one-shot build, one named and timed stage per line:
 * config → theme → content files (read, front matter, normalise, markdown) → site → write.
 * Content errors are collected across all posts; nothing is written if any error remains.
 */
import path from 'node:path';
import type { Config } from './config.ts';
import { hasErrors, promoteWarnings, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { nodeFs, type Fs } from './fs.ts';
import { listPostFiles } from './content/load.ts';
import { loadTheme } from './render/templates.ts';
import { writeOutput, type WriteReport } from './output/write.ts';
import { assembleSite, displayPath, fileContext, isIncluded, loadConfig, mapLimit, processPostFile, type PostEntry, type Selection, type WorkerInit } from './pipeline.ts';
import { contextKey, entryKey, openPostCache, type PostCache } from './cache/post-cache.ts';
import { defaultWorkerCount, MIN_FILES_FOR_WORKERS, processInWorkers } from './parallel/pool.ts';
import type { OutputFile } from './model.ts';

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
  /** Worker threads for the per-file stages (default: one per core; 1 = all on the main thread). */
  workers?: number;
  /** Fewest files to process for worker threads to be started (default MIN_FILES_FOR_WORKERS). */
  minFilesForWorkers?: number;
  /** Use the persistent build cache (default true). */
  cache?: boolean;
  /** Where the cache lives (default `<root>/.cache/quire`). */
  cacheDir?: string;
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
  /** Content files taken from the persistent cache / processed (by how many worker threads). */
  cache: { hits: number; misses: number; rejected: number; workers: number };
}

export async function build(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const fs = options.fs ?? nodeFs;
  const display = (abs: string) => displayPath(options.cwd ?? process.cwd(), abs);
  const timings: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  const finish = (extra: Partial<BuildReport> = {}): BuildReport => {
    const all = sortDiagnostics(options.strict ? promoteWarnings(diagnostics) : diagnostics);
    return { ok: !hasErrors(all), diagnostics: all, posts: 0, pages: 0, skipped: { drafts: 0, future: 0 }, timings, durationMs: performance.now() - started, files: [], cache: cacheReport, ...extra };
  };
  const stage = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const value = await fn();
    timings[name] = (timings[name] ?? 0) + performance.now() - t;
    return value;
  };
  const cacheReport = { hits: 0, misses: 0, rejected: 0, workers: 0 };
  const collect = <T>(r: { value: T; diagnostics: Diagnostic[] }): T => (diagnostics.push(...r.diagnostics), r.value);
  const sel: Selection = { drafts: !!options.drafts, future: !!options.future, now: options.now ?? Date.now() };

  const config = await stage('config', () => loadConfig(fs, options.root, options.configFile, options.overrides ?? {}, display, diagnostics));
  if (!config) return finish();
  const theme = await stage('theme', async () => collect(await loadTheme(fs, options.templatesDir, display)));
  const files = await stage('list', async () => collect(await listPostFiles(fs, options.contentDir, display)));
  const init: WorkerInit = { config, contentDir: options.contentDir, postLayouts: theme?.postLayouts ?? ['post'], cwd: options.cwd ?? process.cwd(), sel };
  const entries = await stage('posts', async () => {
    const cache = options.cache === false ? null : await openPostCache(fs, options.cacheDir ?? path.join(options.root, '.cache', 'quire'));
    const found = await (cache ? fromCache(fs, cache, files, init) : { entries: new Array<PostEntry | undefined>(files.length).fill(undefined), keys: [] });
    const missing = files.filter((_, i) => !found.entries[i]);
    const workers = options.workers ?? defaultWorkerCount();
    const parallel = workers > 1 && fs === nodeFs && missing.length >= (options.minFilesForWorkers ?? MIN_FILES_FOR_WORKERS);
    const ctx = fileContext(init, fs);
    const processed = parallel ? await processInWorkers(missing, init, workers) : await mapLimit(missing, 16, (abs) => processPostFile(ctx, abs));
    let m = 0;
    const all = found.entries.map((hit, i) => {
      if (hit) return hit;
      const entry = processed[m++]!;
      const key = found.keys[i];
      if (cache && key && isStorable(entry)) cache.set(key, entry);
      return entry;
    });
    if (cache) {
      await cache.save().catch(() => undefined); // a cache that cannot be written only costs speed
      Object.assign(cacheReport, cache.stats);
    }
    cacheReport.workers = parallel ? workers : missing.length ? 1 : 0;
    return all;
  });
  for (const e of entries) diagnostics.push(...e.diagnostics);
  if (!theme || hasErrors(diagnostics)) return finish();

  const site = await stage('site', () => assembleSite(entries, config, theme, sel));
  diagnostics.push(...site.diagnostics);
  const result = { posts: site.posts, pages: site.pages, skipped: site.skipped, files: site.files };
  if (hasErrors(options.strict ? promoteWarnings(diagnostics) : diagnostics) || options.write === false) return finish(result);

  const writeOptions = { outDir: options.outDir, protectedDirs: [options.root, options.contentDir, options.templatesDir], display, incremental: options.cache !== false };
  const written = await stage('write', async () => collect(await writeOutput(fs, site.files, writeOptions)));
  return finish({ ...result, output: written });
}

/**
 * Looks every file up in the cache by its key (settings, path and bytes). A hit is used unless its
 * post is now published but was not rendered (a draft, built before without --drafts).
 */
async function fromCache(fs: Fs, cache: PostCache, files: string[], init: WorkerInit) {
  const context = contextKey({ config: init.config, contentDir: init.contentDir, postLayouts: init.postLayouts, cwd: init.cwd });
  const entries = new Array<PostEntry | undefined>(files.length).fill(undefined);
  const keys = new Array<string | undefined>(files.length);
  await mapLimit(files.map((_, i) => i), 32, async (i) => {
    const bytes = await fs.readFile(files[i]!).catch(() => null);
    if (!bytes) return; // processPostFile reports why
    const key = (keys[i] = entryKey(context, files[i]!, bytes));
    const hit = cache.get(key);
    if (hit && !(hit.post && !hit.content && isIncluded(hit.post, init.sel) && !hasErrors(hit.diagnostics))) entries[i] = hit;
  });
  return { entries, keys };
}

/** Entries that depend on more than the file's bytes (a date from git or the mtime, a symlink) are not cached. */
function isStorable(entry: PostEntry): boolean {
  return !entry.digest.includes('@') && entry.post?.dateSource !== 'git' && !entry.diagnostics.some((d) => d.code.startsWith('content/'));
}

export { displayPath };
