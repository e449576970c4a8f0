/**
 * The dev server's incremental build. It keeps every post's parsed and rendered form between
 * rebuilds, and the last good output in memory:
 * - config change → everything is reloaded;
 * - template change → the theme is reloaded and pages re-rendered from cached markdown;
 * - asset change → assets reloaded (pages re-rendered only where their view changed);
 * - post change → that file re-read (skipped when its digest is unchanged), then the site model
 *   rebuilt and only pages whose view changed re-rendered.
 * After any sequence of changes the output equals a fresh build of the same files.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.ts';
import { nodeFs, type Fs } from '../fs.ts';
import { listPostFiles } from '../content/load.ts';
import { gitFirstCommitDates } from '../content/git-dates.ts';
import { loadTheme, type Theme } from '../render/templates.ts';
import { displayPath } from '../build.ts';
import { assembleSite, isIncluded, lazyRenderer, loadConfig, mapLimit, once, processPostFile, type FileContext, type PostEntry, type Selection, type SiteCache } from '../pipeline.ts';
import { CONFIG_FILES } from '../config.ts';
import type { OutputFile } from '../model.ts';
import type { Plan } from './changes.ts';

/** How long the site-wide steps wait after early pages were announced (the browser fetches them meanwhile). */
const EARLY_PAGE_GRACE_MS = 40;

export interface SessionOptions {
  root: string;
  contentDir: string;
  templatesDir: string;
  configFile?: string;
  overrides?: Partial<Config>;
  drafts: boolean;
  future: boolean;
  cwd?: string;
  fs?: Fs;
  now?: () => number;
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
  /** Files parsed and rendered again (digest changed or new). */
  reprocessed: number;
  posts: number;
  durationMs: number;
}

export class DevSession {
  /** The last good output: output path → bytes. */
  output = new Map<string, string | Uint8Array>();
  config: Config | null = null;
  private theme: Theme | null = null;
  private entries = new Map<string, PostEntry>();
  private cache: SiteCache = { render: new Map(), linkScans: new Map() };
  private ctx: FileContext | null = null;
  /** Whether the last rebuild succeeded (a no-op rebuild is only safe on top of a good one). */
  private lastOk = false;
  private lastPosts = 0;
  private postUrls = new Map<string, string>();
  private readonly fs: Fs;
  private readonly display: (abs: string) => string;

  constructor(readonly options: SessionOptions) {
    this.fs = options.fs ?? nodeFs;
    this.display = (abs) => displayPath(options.cwd ?? process.cwd(), abs);
  }

  /** Config files whose change means a full rebuild. */
  configFiles(): string[] {
    return this.options.configFile ? [this.options.configFile] : CONFIG_FILES.map((n) => path.join(this.options.root, n));
  }

  private selection(): Selection {
    return { drafts: this.options.drafts, future: this.options.future, now: (this.options.now ?? Date.now)() };
  }

  /**
   * Rebuilds according to `plan`; `changedPaths` are the content paths that changed. For a
   * content change, `onEarly` hears first about pages that could be updated before the slower
   * site-wide steps (they are already served); the result lists what changed after that.
   */
  async rebuild(plan: Plan, changedPaths: string[] = [], onEarly?: (changed: string[]) => void): Promise<RebuildResult> {
    const started = performance.now();
    const diagnostics: Diagnostic[] = [];
    let reprocessed = 0;
    const fail = (): RebuildResult => ((this.lastOk = false), { ok: false, plan, diagnostics: sortDiagnostics(diagnostics), changed: [], moved: {}, cssOnly: false, reprocessed, posts: 0, durationMs: performance.now() - started });
    const unchanged = (): RebuildResult => ({ ok: true, plan, diagnostics: sortDiagnostics(diagnostics), changed: [], moved: {}, cssOnly: false, reprocessed, posts: this.lastPosts, durationMs: performance.now() - started });

    if (plan === 'full' || !this.config) {
      this.config = await loadConfig(this.fs, this.options.root, this.options.configFile, this.options.overrides ?? {}, this.display, diagnostics);
      if (!this.config) return fail();
      this.entries.clear();
      this.cache = { render: new Map(), linkScans: new Map() };
      this.theme = null;
    }
    const config = this.config;
    if (plan === 'full' || plan === 'theme' || plan === 'assets' || !this.theme) {
      const loaded = await loadTheme(this.fs, this.options.templatesDir, this.display);
      diagnostics.push(...loaded.diagnostics);
      if (!loaded.value) {
        this.theme = null;
        return fail();
      }
      // The same theme again (a repeated save) and no content in the batch: nothing to do.
      if (plan !== 'full' && changedPaths.length === 0 && this.lastOk && this.theme?.id === loaded.value.id && loaded.value.assets.every((a, i) => sameBytes(this.theme!.assets[i]?.contents, a.contents))) {
        return unchanged();
      }
      // A new post layout (or a removed one) changes how posts resolve `type:`: re-read them all.
      if (this.theme && this.theme.postLayouts.join() !== loaded.value.postLayouts.join()) this.entries.clear();
      this.theme = loaded.value;
    }
    const theme = this.theme;
    if (!this.ctx || this.ctx.config !== config || this.ctx.postLayouts !== theme.postLayouts) {
      const sel = this.selection();
      this.ctx = {
        fs: this.fs,
        config,
        contentDir: this.options.contentDir,
        postLayouts: theme.postLayouts,
        display: this.display,
        render: lazyRenderer(config),
        gitDates: once(() => gitFirstCommitDates(this.options.contentDir)),
        include: (post) => isIncluded(post, { ...sel, now: (this.options.now ?? Date.now)() }),
      };
    }

    // Content: list the folder (cheap), re-process changed and new files, forget removed ones.
    const listed = await listPostFiles(this.fs, this.options.contentDir, this.display);
    diagnostics.push(...listed.diagnostics);
    const present = new Set(listed.value);
    let structureChanged = listed.value.length !== this.entries.size;
    for (const abs of [...this.entries.keys()]) if (!present.has(abs)) (this.entries.delete(abs), (structureChanged = true));
    const changed = new Set(changedPaths.map((p) => path.resolve(p)));
    const todo = listed.value.filter((abs) => !this.entries.has(abs) || changed.has(abs) || plan === 'full');
    const ctx = this.ctx;
    const results = await mapLimit(todo, 16, (abs) => processPostFile(ctx, abs, this.entries.get(abs)));
    results.forEach((entry, i) => {
      if (entry !== this.entries.get(todo[i]!)) reprocessed++;
      this.entries.set(todo[i]!, entry);
    });
    // Entries in listing order, so the result does not depend on the order of edits.
    const entries = listed.value.map((abs) => this.entries.get(abs)!);
    for (const e of entries) diagnostics.push(...e.diagnostics);
    if (hasErrors(diagnostics)) return fail();
    if (plan === 'content' && this.lastOk && reprocessed === 0 && !structureChanged) return unchanged();

    const early = async (pages: OutputFile[]) => {
      const changed = pages.filter((f) => !sameBytes(this.output.get(f.outPath), f.contents));
      if (!changed.length) return;
      for (const f of changed) this.output.set(f.outPath, f.contents);
      onEarly!(changed.map((f) => f.outPath));
      // The rest is synchronous work: give the server a moment to answer the browser first.
      await new Promise((resolve) => setTimeout(resolve, EARLY_PAGE_GRACE_MS));
    };
    this.cache.onEarlyPages = plan === 'content' && onEarly && this.lastOk ? early : undefined;
    const site = await assembleSite(entries, config, theme, this.selection(), this.cache);
    this.cache.onEarlyPages = undefined;
    diagnostics.push(...site.diagnostics);
    if (hasErrors(diagnostics)) return fail();

    const next = new Map(site.files.map((f) => [f.outPath, f.contents]));
    const changedOut: string[] = [];
    for (const [out, contents] of next) if (!sameBytes(this.output.get(out), contents)) changedOut.push(out);
    for (const out of this.output.keys()) if (!next.has(out)) changedOut.push(out);
    for (const out of this.cache.render.keys()) if (!next.has(out)) this.cache.render.delete(out);
    // Posts whose URL changed while their file stayed (a title or slug edit), for the pages showing them.
    const moved: Record<string, string> = {};
    const urlsNow = new Set(site.postUrls.values());
    for (const [rel, url] of site.postUrls) {
      const old = this.postUrls.get(rel);
      if (old && old !== url && !urlsNow.has(old)) moved[old] = url;
    }
    this.postUrls = site.postUrls;
    this.output = next;
    this.lastOk = true;
    this.lastPosts = site.posts;
    changedOut.sort();
    const cssOnly = plan === 'assets' && changedOut.some((o) => o.endsWith('.css')) && changedOut.every((o) => o.endsWith('.css') || o.endsWith('.html'));
    return { ok: true, plan, diagnostics: sortDiagnostics(diagnostics), changed: changedOut, moved, cssOnly, reprocessed, posts: site.posts, durationMs: performance.now() - started };
  }
}

function sameBytes(a: string | Uint8Array | undefined, b: string | Uint8Array): boolean {
  if (a === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
