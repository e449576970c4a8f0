/**
 * `quire dev`: build once, serve from memory, watch content, templates and config, rebuild
 * what changed, and tell open pages. Mistakes never stop it: errors go to the terminal and to an
 * overlay in the browser while the last good pages stay up.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { basePath } from '../config.ts';
import { decodePath } from '../site/urls.ts';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.ts';
import { isIgnoredName } from '../content/load.ts';
import { classify, planFor, type ChangeKind, type WatchedPaths } from './changes.ts';
import { DevSession, type SessionOptions } from './session.ts';
import { startServer, type DevServer } from './server.ts';

/** How long dev waits for the watcher to be ready before its first build. */
const WATCH_READY_MS = 20_000;

/** How long a rebuild waits, after announcing an edited page, for an open browser to fetch it. */
const EARLY_ANSWER_MS = 150;

export interface DevOptions extends SessionOptions {
  host: string;
  port: number;
  /** Milliseconds of quiet before a batch of changes is rebuilt. */
  debounceMs?: number;
  log: (line: string) => void;
}

export interface DevHandle {
  url: string;
  session: DevSession;
  close(): Promise<void>;
  /** Resolves after the next rebuild finishes (for tests and benchmarks). */
  nextRebuild(): Promise<void>;
}

export async function startDev(options: DevOptions): Promise<DevHandle> {
  const session = new DevSession(options);
  let errors: string[] = [];
  let version = 1;
  const report = (diagnostics: Diagnostic[], ok: boolean) => {
    const next = ok ? [] : diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    if (next.join('\n') !== errors.join('\n')) for (const e of next) options.log(e); // say each new error once
    errors = next;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    return warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : '';
  };

  // A post scheduled for later is published when its time comes, as a fresh build would then do.
  let dueTimer: NodeJS.Timeout | null = null;
  const scheduleDue = (at: number | null) => {
    if (dueTimer) clearTimeout(dueTimer);
    dueTimer = null;
    if (at === null) return;
    dueTimer = setTimeout(() => ((fromWatcher = true), schedule(0)), Math.min(Math.max(0, at - Date.now()) + 5, 2 ** 31 - 1));
    dueTimer.unref();
  };

  const staticDir = options.staticDir ?? path.join(options.root, 'static');
  const paths: WatchedPaths = { contentDir: options.contentDir, templatesDir: options.templatesDir, staticDir, configFiles: session.configFiles() };
  // The watcher is set up before the first build reads anything (a watch per file: 0.6 s for
  // 4,000 posts), so a file saved while that build runs is rebuilt as soon as the site is served.
  // (Setting it up during the build instead took as long in all: both want the main thread.)
  // chokidar 5 counts a path that does not exist twice towards 'ready' (once where it fails to
  // stat it, once more in `add`), so with a missing static/ or config file 'ready' came before
  // the folders that exist were watched, and a save right after it was never seen. The paths that
  // exist are watched first and awaited; the others are added after (chokidar then watches their
  // parent folder for them to appear).
  const watched = [options.contentDir, options.templatesDir, staticDir, ...paths.configFiles];
  const present = watched.filter((p) => existsSync(p));
  const absent = watched.filter((p) => !present.includes(p));
  const watcher: FSWatcher = watch(present, {
    ignoreInitial: true,
    ignored: (p) => isIgnoredName(path.basename(p)) && p !== options.contentDir && p !== options.templatesDir,
  });
  const ready = present.length ? new Promise<void>((resolve) => watcher.once('ready', () => resolve())) : Promise.resolve();

  const pending = new Map<string, ChangeKind>();
  /** Whether the queued batch holds events from the watcher (rechecks do not schedule rechecks). */
  let fromWatcher = false;
  /** Whether the queued batch added, removed or renamed a file or folder (else the folders need no listing). */
  let added = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), ms);
  };
  let running: Promise<void> | null = null;
  let waiters: (() => void)[] = [];
  /** The server, once the first build is served: saves before that wait for it. */
  let server: DevServer | null = null;
  const flush = async () => {
    timer = null;
    if (running || !server) return; // the running rebuild (or the first) picks the queue up when it ends
    const live = server;
    const batch = new Map(pending);
    const recheck = fromWatcher;
    const sameFiles = !added;
    pending.clear();
    fromWatcher = false;
    added = false;
    // A batch from the due-post timer has no paths: the posts that came due are rendered.
    const plan = batch.size ? planFor(batch.values()) : 'content';
    if (plan === 'none') return;
    if (process.env.QT) options.log(`T flush ${Date.now() % 100000}`);
    running = (async () => {
      // Decoded, as the live-reload client compares them with `decodeURI(location.pathname)`.
      const toUrl = (o: string) => decodePath(base()) + (o.endsWith('index.html') ? o.slice(0, -'index.html'.length) : o);
      // Pages that can be shown before the rest is done (an edited post, an open page after a
      // template change): tell them now. A page showing one gets it with the event, so the rest
      // of the rebuild goes on at once, unless an open page that did not say which it is may ask.
      const onEarly = (changed: string[]) => {
        live.reload({ version: ++version, urls: changed.map(toUrl), moved: {} }, changed);
        if (process.env.QT) options.log(`T early ${Date.now() % 100000}`);
        return live.answered(changed, EARLY_ANSWER_MS);
      };
      const result = await session.rebuild(plan, [...batch].filter(([, k]) => k === 'content').map(([p]) => p), { onEarly, openPages: () => live.openPages(), sameFiles });
      scheduleDue(result.nextChangeAt);
      const warnings = report(result.diagnostics, result.ok);
      if (result.changed.length) version++;
      live.send('state', { errors });
      // With errors too: the pages that could be built are served, and open ones follow them.
      const urls = result.changed.map(toUrl);
      if (result.cssOnly) live.send('css', { version, stylesheets: result.changed.filter((o) => o.endsWith('.css')).map((o) => `${base()}${o}?v=${Date.now()}`) });
      else if (urls.length) live.reload({ version, urls, moved: result.moved }, result.changed);
      if (process.env.QT) options.log(`T sent ${Date.now() % 100000}`);
      const what = `${result.changed.length} file${result.changed.length === 1 ? '' : 's'} changed${warnings}`;
      const early = result.shownAfterMs === null ? '' : ` (${plan === 'content' ? 'edited' : 'open'} pages shown after ${Math.round(result.shownAfterMs)} ms)`;
      if (result.ok && (result.changed.length || recheck)) options.log(`Rebuilt (${plan}) in ${Math.round(result.durationMs)} ms${early}: ${what}.`);
      else if (!result.ok && recheck) options.log(`Rebuilt (${plan}) with errors: ${what}; the pages that could be built are served.`);
    })();
    await running;
    running = null;
    // chokidar drops a second write to a file within ~50 ms of the first: look at the batch once
    // more a moment later. Unchanged files are skipped by their digest, so this costs little.
    if (recheck) {
      setTimeout(() => {
        for (const [p, kind] of batch) if (kind !== 'config' && !pending.has(p)) pending.set(p, kind);
        if (pending.size) schedule(0);
      }, 150).unref();
    }
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
    if (pending.size) void flush();
  };
  const onEvent = (p: string, event: string) => {
    if (process.env.QT) options.log(`T event ${Date.now() % 100000}`);
    if (event !== 'change') added = true;
    const kind = classify(p, paths);
    if (kind === 'ignored') return;
    const previous = pending.get(p);
    if (!previous || kind === 'config') pending.set(p, kind);
    fromWatcher = true;
    schedule(options.debounceMs ?? 15);
  };
  for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) watcher.on(event, (p: string) => onEvent(p, event));
  watcher.on('error', (e) => options.log(`watch error: ${(e as Error).message}`));

  const base = () => (session.config ? basePath(session.config) : '/');
  let started: DevServer;
  try {
    // Bounded: a folder chokidar cannot finish listing must not keep dev from starting.
    const watching = await Promise.race([ready.then(() => true), new Promise<false>((resolve) => setTimeout(resolve, WATCH_READY_MS, false).unref())]);
    if (!watching) options.log(`The watcher is still listing the folders after ${WATCH_READY_MS / 1000} s; saves to files it has not reached yet may be missed until it has.`);
    if (absent.length) watcher.add(absent);
    const first = await session.rebuild('full');
    scheduleDue(first.nextChangeAt);
    if (first.ok) for (const d of first.diagnostics) options.log(formatDiagnostic(d));
    const firstWarnings = report(first.diagnostics, first.ok);
    options.log(first.ok ? `Built ${first.posts} posts in ${Math.round(first.durationMs)} ms${firstWarnings}.` : `Built ${first.posts} posts with errors: fix them (above, and in the browser); the pages that could be built are served.`);

    started = await startServer({ host: options.host, port: options.port, basePath: base, output: () => session.output, errors: () => errors, version: () => version, log: options.log });
  } catch (e) {
    await watcher.close(); // else it would keep the process alive
    throw e;
  }
  server = started;
  // Every save since the watcher was ready is seen: those made during the first build are rebuilt now.
  options.log(`Serving ${started.url}${options.drafts ? ' (drafts shown; --no-drafts hides them)' : ''} — press Ctrl-C to stop.`);
  // While the browser opens: the markdown stage is loaded now rather than by the first save.
  setTimeout(() => void session.warmUp().catch(() => undefined), 0).unref();
  if (pending.size) schedule(0); // saved during the first build

  return {
    url: started.url,
    session,
    nextRebuild: () => new Promise((resolve) => waiters.push(resolve)),
    async close() {
      if (timer) clearTimeout(timer);
      if (dueTimer) clearTimeout(dueTimer);
      await watcher.close();
      await started.close();
    },
  };
}
