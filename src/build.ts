/**
 * The build, one named and timed stage per line:
 * config → theme → load → front matter + normalise → markdown → site model → routes → templates → write.
 * Content errors are collected across all posts; nothing is written if any error remains.
 */
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { CONFIG_FILES, DEFAULT_CONFIG, parseConfig, type Config } from './config.ts';
import { error, hasErrors, promoteWarnings, sortDiagnostics, warning, type Diagnostic } from './diagnostics.ts';
import { nodeFs, type Fs } from './fs.ts';
import { listPostFiles, readSourceFile, type SourceFile } from './content/load.ts';
import { parseFrontMatter, type FrontMatter } from './content/frontmatter.ts';
import { normalisePost } from './content/normalise.ts';
import { gitFirstCommitDates } from './content/git-dates.ts';
import { createMarkdownRenderer } from './markdown/render.ts';
import { buildSite } from './site/build-site.ts';
import { routes } from './render/routes.ts';
import { loadTheme, renderPages } from './render/templates.ts';
import { siteView } from './render/views.ts';
import { checkOutputDir, writeOutput } from './output/write.ts';
import type { OutputFile, Post, RenderedContent } from './model.ts';

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
  const cwd = options.cwd ?? process.cwd();
  const display = (abs: string) => displayPath(cwd, abs);
  const timings: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  const report = (extra: Partial<BuildReport> = {}): BuildReport => {
    const all = sortDiagnostics(options.strict ? promoteWarnings(diagnostics) : diagnostics);
    return { ok: !hasErrors(all), diagnostics: all, posts: 0, pages: 0, skipped: { drafts: 0, future: 0 }, timings, durationMs: performance.now() - started, files: [], ...extra };
  };
  const stage = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const value = await fn();
    timings[name] = (timings[name] ?? 0) + performance.now() - t;
    return value;
  };

  const config = await stage('config', () => loadConfig(fs, options, display, diagnostics));
  if (!config) return report();
  const theme = await stage('theme', async () => collect(await loadTheme(fs, options.templatesDir, display), diagnostics));
  const sources = await stage('load', () => loadSources(fs, options.contentDir, display, diagnostics));
  const posts = await stage('normalise', () => normaliseAll(sources, options.contentDir, config, theme?.postLayouts ?? ['post'], diagnostics));

  const now = options.now ?? Date.now();
  const skipped = { drafts: 0, future: 0 };
  const published = posts.filter((p) => {
    if (p.draft && !options.drafts) return (skipped.drafts++, false);
    if (p.date.epochMs > now && !options.future) return (skipped.future++, false);
    return true;
  });

  const render = createMarkdownRenderer(config);
  const rendered = await stage('markdown', () => {
    const out: { post: Post; content: RenderedContent }[] = [];
    for (const post of published) {
      const content = collect(render(post), diagnostics);
      if (content) out.push({ post, content });
    }
    return out;
  });
  if (!theme || hasErrors(diagnostics)) return report({ skipped });

  const site = await stage('site', () => collect(buildSite(rendered, config), diagnostics));
  for (const p of site.posts) {
    if (p.post.icon && !theme.icons.has(p.post.icon)) {
      diagnostics.push(
        warning('frontmatter/unknown-icon', `icon "${p.post.icon}" is not in templates/icons/; no icon is shown`, {
          file: p.post.file,
          hint: `icons that exist: ${[...theme.icons.keys()].sort().join(', ')}`,
        }),
      );
    }
  }
  const ctx = { config, site: siteView(config, theme.stylesheetHash), icons: theme.icons };
  const jobs = await stage('routes', () => routes(site, ctx));
  const pages = await stage('templates', () => collect(renderPages(theme, jobs), diagnostics));
  const files = [...pages, ...theme.assets];
  const result = { posts: site.posts.length, pages: pages.length, skipped, files };
  if (hasErrors(options.strict ? promoteWarnings(diagnostics) : diagnostics) || options.write === false) return report(result);

  const writeOptions = { outDir: options.outDir, protectedDirs: [options.root, options.contentDir, options.templatesDir], display };
  const unsafe = await checkOutputDir(fs, writeOptions);
  if (unsafe.length) return (diagnostics.push(...unsafe), report(result));
  await stage('write', async () => collect(await writeOutput(fs, files, writeOptions), diagnostics));
  return report(result);
}

function collect<T>(result: { value: T; diagnostics: Diagnostic[] }, into: Diagnostic[]): T {
  into.push(...result.diagnostics);
  return result.value;
}

async function loadConfig(fs: Fs, options: BuildOptions, display: (p: string) => string, diagnostics: Diagnostic[]): Promise<Config | null> {
  let file = options.configFile;
  if (!file) {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(options.root, name);
      if (await fsp.access(candidate).then(() => true, () => false)) {
        file = candidate;
        break;
      }
    }
  }
  let text = '';
  if (file) {
    try {
      text = (await fs.readFile(file)).toString('utf8');
    } catch (e) {
      diagnostics.push(error('config/unreadable', `cannot read config file: ${(e as Error).message}`, { file: display(file), hint: 'check the --config path' }));
      return null;
    }
  }
  const parsed = file ? parseConfig(text, display(file), options.overrides) : parseConfig('', 'defaults.yml', options.overrides);
  diagnostics.push(...parsed.diagnostics);
  return hasErrors(parsed.diagnostics) ? null : parsed.value ?? DEFAULT_CONFIG;
}

async function loadSources(fs: Fs, contentDir: string, display: (p: string) => string, diagnostics: Diagnostic[]): Promise<SourceFile[]> {
  const files = collect(await listPostFiles(fs, contentDir, display), diagnostics);
  const sources: SourceFile[] = [];
  const results = await mapLimit(files, 32, (abs) => readSourceFile(fs, contentDir, abs, display(abs)));
  for (const r of results) {
    const source = collect(r, diagnostics);
    if (source) sources.push(source);
  }
  return sources;
}

async function normaliseAll(sources: SourceFile[], contentDir: string, config: Config, postLayouts: string[], diagnostics: Diagnostic[]): Promise<Post[]> {
  const parsed: { source: SourceFile; fm: FrontMatter }[] = [];
  for (const source of sources) {
    const fm = collect(parseFrontMatter(source.text, source.displayPath), diagnostics);
    if (fm) parsed.push({ source, fm });
  }
  // Ask git only when some post has no date of its own.
  const needsGit = parsed.some(({ source, fm }) => fm.data.date == null && !/^\d{4}-\d{2}-\d{2}[-_]/.test(path.posix.basename(source.relPath)));
  const gitDates = needsGit ? await gitFirstCommitDates(contentDir) : new Map<string, number>();
  const posts: Post[] = [];
  for (const { source, fm } of parsed) {
    const post = collect(normalisePost(source, fm, { config, postLayouts, gitDate: (rel) => gitDates.get(rel) ?? null }), diagnostics);
    if (post) posts.push(post);
  }
  return posts;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

/** A path as the user would type it: relative to where they are, unless that means climbing out twice. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  if (rel.startsWith(`..${path.sep}..`)) return abs;
  return rel || '.';
}
