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
import { contextKey, entryKey, openPostCache } from './cache/post-cache.ts';
import { inputsKey, outputMatches, readRecord, removeRecord, writeRecord } from './cache/build-record.ts';
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
  /** True when nothing changed since the last build and its output was still in place: nothing was done. */
  upToDate?: boolean;
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
  const cacheDir = options.cacheDir ?? path.join(options.root, '.cache', 'quire');
  const useCache = options.cache !== false;
  const keys = useCache ? await stage('read', () => fileKeys(fs, files, init)) : [];
  // Nothing changed since the last build, whose output is still in place: report it again.
  const recordKey = useCache && theme && options.write !== false ? inputsKey([theme.id, sel.drafts, sel.future, !!options.strict, path.resolve(options.outDir), options.root, options.templatesDir, diagnostics], keys) : null;
  if (recordKey) {
    const last = await readRecord(fs, cacheDir);
    const unchanged = last && last.key === recordKey && (last.nextChangeAt === null || sel.now < last.nextChangeAt) ? await outputMatches(fs, options.outDir, last) : null;
    if (last && unchanged !== null) {
      diagnostics.length = 0;
      diagnostics.push(...last.diagnostics);
      return finish({ posts: last.posts, pages: last.pages, skipped: last.skipped, output: { written: 0, unchanged, removed: 0, marker: last.marker }, upToDate: true });
    }
  }
  let volatile = false;
  const entries = await stage('posts', async () => {
    const cache = useCache ? await openPostCache(fs, cacheDir) : null;
    const found = files.map((_, i) => {
      const hit = cache && keys[i] ? cache.get(keys[i]) : undefined;
      // A hit is used unless its post is now published but was not rendered (a draft, built before without --drafts).
      return hit && !(hit.post && !hit.content && isIncluded(hit.post, sel) && !hasErrors(hit.diagnostics)) ? hit : undefined;
    });
    const missing = files.filter((_, i) => !found[i]);
    const workers = options.workers ?? defaultWorkerCount();
    const parallel = workers > 1 && fs === nodeFs && missing.length >= (options.minFilesForWorkers ?? MIN_FILES_FOR_WORKERS);
    const ctx = fileContext(init, fs);
    const processed = parallel ? await processInWorkers(missing, init, workers) : await mapLimit(missing, 16, (abs) => processPostFile(ctx, abs));
    let m = 0;
    const all = found.map((hit, i) => {
      if (hit) return hit;
      const entry = processed[m++]!;
      if (!isStorable(entry)) volatile = true;
      else if (cache && keys[i]) cache.set(keys[i], entry);
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

  // Pages are encoded as they are rendered (write: false keeps strings, for tests and callers that read them).
  const site = await stage('site', () => assembleSite(entries, config, theme, sel, undefined, { encode: options.write !== false }));
  diagnostics.push(...site.diagnostics);
  const result = { posts: site.posts, pages: site.pages, skipped: site.skipped, files: site.files };
  if (hasErrors(options.strict ? promoteWarnings(diagnostics) : diagnostics) || options.write === false) return finish(result);

  const writeOptions = { outDir: options.outDir, protectedDirs: [options.root, options.contentDir, options.templatesDir], display, incremental: useCache };
  const written = await stage('write', async () => collect(await writeOutput(fs, site.files, writeOptions)));
  const report = finish({ ...result, output: written });
  if (recordKey && report.ok && !volatile) {
    let nextChangeAt: number | null = null; // the first future post's date: then the site changes
    for (const e of entries) {
      const at = e.post && (!e.post.draft || sel.drafts) && !sel.future && e.post.date.epochMs > sel.now ? e.post.date.epochMs : null;
      if (at !== null && (nextChangeAt === null || at < nextChangeAt)) nextChangeAt = at;
    }
    const record = { key: recordKey, marker: written.marker, nextChangeAt, posts: report.posts, pages: report.pages, skipped: report.skipped, diagnostics: report.diagnostics };
    await writeRecord(fs, cacheDir, record).catch(() => undefined);
  } else if (useCache) {
    await removeRecord(fs, cacheDir);
  }
  return report;
}

/** Each file's cache key (settings, path and bytes); undefined for a file that cannot be read (processPostFile reports why). */
async function fileKeys(fs: Fs, files: string[], init: WorkerInit): Promise<(string | undefined)[]> {
  const context = contextKey({ config: init.config, contentDir: init.contentDir, postLayouts: init.postLayouts, cwd: init.cwd });
  return mapLimit(files, 32, async (file) => {
    const bytes = await fs.readFile(file).catch(() => null);
    return bytes ? entryKey(context, file, bytes) : undefined;
  });
}

/** Entries that depend on more than the file's bytes (a date from git or the mtime, a symlink) are not cached. */
function isStorable(entry: PostEntry): boolean {
  return !entry.digest.includes('@') && entry.post?.dateSource !== 'git' && !entry.diagnostics.some((d) => d.code.startsWith('content/'));
}

export { displayPath };
