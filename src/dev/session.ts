/**
 * The dev server's rebuilds: the one `build()`, given the previous build's state and what changed,
 * writing into memory. A config change reloads everything; a template or asset change reloads the
 * theme; a content change re-reads only the changed files. The served site is what a fresh
 * `npm run build` of the same files would write, because it is made by the same function.
 */
import type { Config } from '../config.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Fs } from '../fs.ts';
import { build, type BuildState, type Changes } from '../build.ts';
import { configCandidates } from '../load-config.ts';
import { MemoryWriter, sameBytes } from '../output/writer.ts';
import type { OutputFile } from '../model.ts';
import { warmUp } from '../content/process.ts';
import type { Plan } from './changes.ts';

/** How long the site-wide steps wait after early pages were announced (the browser fetches them meanwhile). */
const EARLY_PAGE_GRACE_MS = 40;

export interface SessionOptions {
  root: string;
  contentDir: string;
  templatesDir: string;
  /** Files copied verbatim to the output root (default `<root>/static`). */
  staticDir?: string;
  configFile?: string;
  overrides?: Partial<Config>;
  drafts: boolean;
  future: boolean;
  cwd?: string;
  fs?: Fs;
  now?: () => number;
  /** Worker threads for the first build (default: one per core). */
  workers?: number;
  /** Use the persistent build cache for the first build (default true). */
  cache?: boolean;
  cacheDir?: string;
}

export interface RebuildResult {
  ok: boolean;
  plan: Plan;
  /** Every diagnostic of the current state of the files (not only of this rebuild). */
  diagnostics: Diagnostic[];
  /** Output paths whose bytes changed, appeared or disappeared. */
  changed: string[];
  /** Posts whose URL changed (new title, new slug, renamed file): old URL → new URL. */
  moved: Record<string, string>;
  /** True when only stylesheets changed: pages can swap them without reloading. */
  cssOnly: boolean;
  /** Files parsed and rendered again. */
  reprocessed: number;
  posts: number;
  durationMs: number;
  /** When pages were shown before the rebuild finished (the edited posts', the open ones): after how many milliseconds. */
  shownAfterMs: number | null;
  /** The earliest date of a future post left out: the site changes then. */
  nextChangeAt: number | null;
}

/** What the dev server adds to a rebuild. */
export interface RebuildHooks {
  /**
   * Hears first about pages updated before the rest (they are already served): for a content
   * change, the edited posts' pages, before the slower site-wide steps; for a template change,
   * the pages `openPages` names, before the rest of the site is rendered.
   */
  onEarly?: (changed: string[]) => unknown;
  /** The output paths of the pages open in a browser now. */
  openPages?: () => string[];
  /** Only files that existed changed (none added, removed or renamed): the folders are not listed again. */
  sameFiles?: boolean;
}

export class DevSession {
  private state: BuildState | undefined;
  private readonly writer = new MemoryWriter();

  constructor(readonly options: SessionOptions) {}

  /** The site as built from the current files (with errors: every page that could be built): output path → bytes. */
  get output(): Map<string, string | Uint8Array> {
    return this.writer.files;
  }

  get config(): Config | null {
    return this.state?.config ?? null;
  }

  /** Loads the per-file stages and runs them once on a small sample (see `warmUp`): the first save is then as quick as the next. */
  async warmUp(): Promise<void> {
    if (this.state?.config) await warmUp(this.state.config);
  }

  /** Config files whose change means a full rebuild. */
  configFiles(): string[] {
    return configCandidates(this.options.root, this.options.configFile);
  }

  /** Rebuilds according to `plan`; `changedPaths` are the content paths that changed. The result lists what changed (after what `hooks.onEarly` heard). */
  async rebuild(plan: Plan, changedPaths: string[] = [], hooks: RebuildHooks = {}): Promise<RebuildResult> {
    const { onEarly, openPages } = hooks;
    const previous = this.state;
    const started = performance.now();
    let shownAfterMs: number | null = null;
    const same = hooks.sameFiles ? { sameFiles: true } : {};
    const changes: Changes = !previous || plan === 'full' ? { config: true } : plan === 'content' ? { content: changedPaths, ...same } : { theme: true, content: changedPaths, ...same };
    const early = async (pages: OutputFile[]) => {
      const changed = pages.filter((f) => !sameBytes(this.writer.files.get(f.outPath), f.contents));
      if (!changed.length) return;
      for (const f of changed) this.writer.files.set(f.outPath, f.contents);
      shownAfterMs ??= performance.now() - started;
      const answered = onEarly!(changed.map((f) => f.outPath));
      // The rest is synchronous work: let the server answer the browser first (when the caller
      // can tell, until the page was fetched; else for a moment).
      await (answered instanceof Promise ? answered : new Promise((resolve) => setTimeout(resolve, EARLY_PAGE_GRACE_MS)));
    };
    const o = this.options;
    const report = await build(
      {
        root: o.root,
        contentDir: o.contentDir,
        templatesDir: o.templatesDir,
        outDir: o.root, // not written: the memory writer takes the site
        ...(o.configFile ? { configFile: o.configFile } : {}),
        ...(o.staticDir ? { staticDir: o.staticDir } : {}),
        overrides: o.overrides ?? {},
        drafts: o.drafts,
        future: o.future,
        now: (o.now ?? Date.now)(),
        ...(o.cwd ? { cwd: o.cwd } : {}),
        ...(o.fs ? { fs: o.fs } : {}),
        ...(o.workers ? { workers: o.workers } : {}),
        ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
        cache: o.cache ?? true,
        writer: this.writer,
        incremental: true,
        ...((plan === 'content' || plan === 'theme') && onEarly && previous?.ok ? { onEarlyPages: early } : {}),
        ...(plan === 'theme' && openPages ? { openPages: openPages() } : {}),
      },
      previous,
      changes,
    );
    this.state = report.state;
    const changed = report.output?.changed ?? [];
    // Posts whose URL changed while their file stayed (a title or slug edit), for the pages showing them.
    const moved: Record<string, string> = {};
    if (previous) {
      const urlsNow = new Set(report.state.postUrls.values());
      for (const [rel, url] of report.state.postUrls) {
        const old = previous.postUrls.get(rel);
        if (old && old !== url && !urlsNow.has(old)) moved[old] = url;
      }
    }
    const cssOnly = plan === 'assets' && changed.some((o) => o.endsWith('.css')) && changed.every((o) => o.endsWith('.css') || o.endsWith('.html'));
    return { ok: report.ok, plan, diagnostics: report.diagnostics, changed, moved, cssOnly, reprocessed: report.processed, posts: report.posts, durationMs: report.durationMs, shownAfterMs, nextChangeAt: report.nextChangeAt };
  }
}
