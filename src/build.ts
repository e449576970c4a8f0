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
import { gitFirstCommitDates } from './content/git-dates.ts';
import { createMarkdownRenderer } from './markdown/render.ts';
import { loadTheme } from './render/templates.ts';
import { checkOutputDir, writeOutput } from './output/write.ts';
import { assembleSite, isIncluded, loadConfig, mapLimit, once, processPostFile, type Selection } from './pipeline.ts';
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
}

export async function build(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const fs = options.fs ?? nodeFs;
  const display = (abs: string) => displayPath(options.cwd ?? process.cwd(), abs);
  const timings: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  const finish = (extra: Partial<BuildReport> = {}): BuildReport => {
    const all = sortDiagnostics(options.strict ? promoteWarnings(diagnostics) : diagnostics);
    return { ok: !hasErrors(all), diagnostics: all, posts: 0, pages: 0, skipped: { drafts: 0, future: 0 }, timings, durationMs: performance.now() - started, files: [], ...extra };
  };
  const stage = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const value = await fn();
    timings[name] = (timings[name] ?? 0) + performance.now() - t;
    return value;
  };
  const collect = <T>(r: { value: T; diagnostics: Diagnostic[] }): T => (diagnostics.push(...r.diagnostics), r.value);
  const sel: Selection = { drafts: !!options.drafts, future: !!options.future, now: options.now ?? Date.now() };

  const config = await stage('config', () => loadConfig(fs, options.root, options.configFile, options.overrides ?? {}, display, diagnostics));
  if (!config) return finish();
  const theme = await stage('theme', async () => collect(await loadTheme(fs, options.templatesDir, display)));
  const files = await stage('list', async () => collect(await listPostFiles(fs, options.contentDir, display)));
  const ctx = {
    fs,
    config,
    contentDir: options.contentDir,
    postLayouts: theme?.postLayouts ?? ['post'],
    display,
    render: createMarkdownRenderer(config),
    gitDates: once(() => gitFirstCommitDates(options.contentDir)),
    include: (post: Parameters<typeof isIncluded>[0]) => isIncluded(post, sel),
  };
  const entries = await stage('posts', () => mapLimit(files, 16, (abs) => processPostFile(ctx, abs)));
  for (const e of entries) diagnostics.push(...e.diagnostics);
  if (!theme || hasErrors(diagnostics)) return finish();

  const site = await stage('site', () => assembleSite(entries, config, theme, sel));
  diagnostics.push(...site.diagnostics);
  const result = { posts: site.posts, pages: site.pages, skipped: site.skipped, files: site.files };
  if (hasErrors(options.strict ? promoteWarnings(diagnostics) : diagnostics) || options.write === false) return finish(result);

  const writeOptions = { outDir: options.outDir, protectedDirs: [options.root, options.contentDir, options.templatesDir], display };
  const unsafe = await checkOutputDir(fs, writeOptions);
  if (unsafe.length) return (diagnostics.push(...unsafe), finish(result));
  await stage('write', async () => collect(await writeOutput(fs, site.files, writeOptions)));
  return finish(result);
}

/** A path as the user would type it: relative to where they are, unless that means climbing out twice. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  if (rel.startsWith(`..${path.sep}..`)) return abs;
  return rel || '.';
}
