/** A build's run: the stage timer, the diagnostics collected so far, and the report it ends with. */
import { hasErrors, promoteWarnings, sortDiagnostics, type Diagnostic, type Result } from '../diagnostics.ts';
import type { BuildReport } from '../build.ts';
import type { BuildState } from './state.ts';

/** One build's timings and diagnostics. */
export class Run {
  readonly diagnostics: Diagnostic[] = [];
  readonly timings: Record<string, number> = {};
  private readonly started = performance.now();
  private readonly deferred: (() => Promise<void>)[] = [];
  constructor(
    private readonly strict = false,
    /** Dev, after showing the edited or open pages: let the server answer between (and during) the site-wide stages. */
    readonly yields = false,
  ) {}

  /** Lets pending I/O (the dev server's requests) run before the next synchronous stage, when this run yields. */
  async breathe(): Promise<void> {
    if (this.yields) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Times a stage that returns `{ value, diagnostics }`, keeps its diagnostics, returns its value. */
  async stage<T>(name: string, fn: () => Result<T> | Promise<Result<T>>): Promise<T> {
    const r = await this.timed(name, fn);
    this.diagnostics.push(...r.diagnostics);
    return r.value;
  }

  /** The same for a synchronous stage. */
  sync<T>(name: string, fn: () => Result<T>): T {
    const t = performance.now();
    const r = fn();
    this.timings[name] = (this.timings[name] ?? 0) + performance.now() - t;
    this.diagnostics.push(...r.diagnostics);
    return r.value;
  }

  async timed<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const t = performance.now();
    const value = await fn();
    this.timings[name] = (this.timings[name] ?? 0) + performance.now() - t;
    return value;
  }

  /** Runs `fn` when the build ends, however it ends (see close). */
  defer(fn: () => Promise<void>): void {
    this.deferred.push(fn);
  }

  /** Called once the build has ended, returned or thrown: runs what was deferred, newest first. */
  async close(): Promise<void> {
    for (const fn of this.deferred.splice(0).reverse()) await fn().catch(() => undefined);
  }

  /** Whether an error with a code under `prefix` occurred. */
  failedIn(prefix: string): boolean {
    return this.diagnostics.some((d) => d.severity === 'error' && d.code.startsWith(prefix));
  }

  /** Whether the build has errors so far (`--strict`: or warnings). */
  failed(): boolean {
    return hasErrors(this.strict ? promoteWarnings(this.diagnostics) : this.diagnostics);
  }

  report(state: BuildState, extra: Partial<BuildReport>): BuildReport {
    const diagnostics = sortDiagnostics(this.strict ? promoteWarnings(extra.diagnostics ?? this.diagnostics) : (extra.diagnostics ?? this.diagnostics));
    state.ok = !hasErrors(diagnostics);
    const base = { posts: 0, pages: 0, skipped: { drafts: 0, future: 0 }, files: [], cache: { hits: 0, misses: 0, rejected: 0, workers: 0 }, processed: 0, rendered: 0, nextChangeAt: null };
    return { ...base, ...extra, ok: state.ok, diagnostics, timings: this.timings, durationMs: performance.now() - this.started, state };
  }
}

