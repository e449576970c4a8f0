/** Shared helpers for tests that build real sites and read the pages back. */
import { mkdtemp, readdir, readFile, rm, cp, mkdir, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type HTMLElement } from 'node-html-parser';
import { build, type BuildOptions, type BuildReport } from '../src/build.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_CONTENT = path.join(ROOT, 'content');
export const TEMPLATES = path.join(ROOT, 'templates');
/** The 102 posts of Jekyll's own blog, vendored with their MIT licence (see its README.md). */
export const JEKYLL_POSTS = path.join(ROOT, 'test', 'fixtures', 'jekyll-posts');

/** True for the post files of JEKYLL_POSTS (dated names), false for its README.md and LICENSE. */
export function isJekyllPost(name: string): boolean {
  return /^\d{4}-\d{2}-\d{2}-.+\.(md|markdown)$/.test(name);
}

/** Copies the Jekyll posts, and nothing else of their folder, into `dir` (created if missing). */
export async function copyJekyllPosts(dir: string): Promise<string[]> {
  const names = (await readdir(JEKYLL_POSTS)).filter(isJekyllPost).sort();
  await mkdir(dir, { recursive: true });
  for (const name of names) await cp(path.join(JEKYLL_POSTS, name), path.join(dir, name));
  return names;
}

/** A fresh temporary folder, removed after the test. */
export async function tempDir(t: { after: (fn: () => Promise<void>) => void }, prefix = 'quire-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds with the real theme; `root` is a temp folder so no project config is picked up. */
export async function buildSite(options: Partial<BuildOptions> & { outDir: string; contentDir?: string }): Promise<BuildReport> {
  return build({
    root: options.root ?? path.dirname(options.outDir),
    contentDir: options.contentDir ?? SAMPLE_CONTENT,
    templatesDir: options.templatesDir ?? TEMPLATES,
    cwd: ROOT,
    ...options,
  });
}

/** Parses the page written for a site path such as `posts/hello/` or `404.html`. */
export async function page(outDir: string, sitePath: string): Promise<HTMLElement> {
  const file = sitePath.endsWith('.html') ? sitePath : path.posix.join(sitePath, 'index.html');
  return parse(await readFile(path.join(outDir, file), 'utf8'));
}

/** Every file under `dir`: its path relative to `dir` → its bytes (compare two with deepEqual). */
export async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(path.relative(dir, path.join(entry.parentPath, entry.name)), await readFile(path.join(entry.parentPath, entry.name)));
  }
  return out;
}

/** Writes `files` (relative path → text) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

/** Copies the sample posts into `dir`/content/posts. */
export async function copySamples(dir: string): Promise<string> {
  const content = path.join(dir, 'content');
  await cp(SAMPLE_CONTENT, content, { recursive: true });
  return content;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `quire` as users run it (`npm run build`, `npx quire`): bin/quire.js with plain node, running the
 * JavaScript compiled into dist/ (compiled first when src/ changed). Tests that spawn the CLI
 * exercise this, not the TypeScript sources that in-process tests run through tsx.
 */
export const BIN = path.join(ROOT, 'bin/quire.js');

export interface RunOptions {
  /** The test is about an internal error: exit 70 or a stack trace is what it expects, not a failure. */
  internalError?: boolean;
}

/** A line of a V8 stack trace (`    at fn (file:///…/x.ts:12:3)`, `    at node:internal/…:1:2`). */
const STACK_FRAME = /^\s+at (?:.+ \()?(?:file:\/\/|node:|\/|[A-Za-z]:\\)\S*:\d+:\d+\)?$/m;

/**
 * Throws when a run ended in an internal error: exit 70, or a stack trace in its output (issue 13:
 * "no input, config or request anywhere in the test suite yields exit code 70 or a stack trace").
 * Every process the tests start is checked, so any test that provokes one fails, whatever it asserts.
 */
export function assertNoInternalError(what: string, r: { code: number | null; output: string }, options: RunOptions = {}): void {
  if (options.internalError) return;
  if (r.code === 70 || STACK_FRAME.test(r.output)) {
    throw new Error(`${what} ended in an internal error (exit ${r.code}${STACK_FRAME.test(r.output) ? ', with a stack trace' : ''}); every input must get a diagnostic, not a crash:\n${r.output.slice(-4000)}`);
  }
}

/** Runs the real CLI (`node bin/quire.js ...`) from the project root; an internal error fails the test. */
export function runCli(args: string[], env: Record<string, string> = {}, options: RunOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], ROOT, env, options);
}

/**
 * Runs `command` in `cwd` as a user would (npm's INIT_CWD set to it) and collects its output. An
 * exit code of 70 or a stack trace in the output fails the test (see assertNoInternalError).
 */
export async function runProcess(command: string, args: string[], cwd: string, env: Record<string, string> = {}, options: RunOptions = {}): Promise<CliResult> {
  const r = await new Promise<CliResult>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, INIT_CWD: cwd, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assertNoInternalError(`${path.basename(command)} ${args.join(' ')}`, { code: r.code, output: r.stdout + r.stderr }, options);
  return r;
}

/**
 * The text of the theme's one inline script (base.hbs: it applies the reader's colour scheme
 * before the first paint). Tests that allow no script but JSON-LD and the theme's own use it.
 */
export async function themeInlineScript(): Promise<string> {
  const m = /<script>([^<]*)<\/script>/.exec(await readFile(path.join(TEMPLATES, 'layouts/base.hbs'), 'utf8'));
  if (!m) throw new Error('templates/layouts/base.hbs has no inline <script>');
  return m[1]!;
}

/** Text content with whitespace collapsed. */
export function text(el: HTMLElement | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export interface DevProcess {
  url: string;
  output: () => string;
  /** Resolves when the dev server prints a line matching `re` (after `from` characters of output). */
  waitFor: (re: RegExp, from?: number) => Promise<string>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts `quire dev` with `args` and waits until it serves. Stopped after the test. */
export async function startDevProcess(t: { after: (fn: () => Promise<void>) => void }, args: string[], options: RunOptions & { onOutput?: (output: string) => void } = {}): Promise<DevProcess> {
  const child = spawn(process.execPath, [BIN, 'dev', ...args], {
    cwd: ROOT,
    env: { ...process.env, INIT_CWD: ROOT },
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d;
    options.onOutput?.(out);
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = (re: RegExp, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => (listeners.delete(check), reject(new Error(`timed out waiting for ${re}; output:\n${out}`))), 20_000);
      const check = () => {
        const m = re.exec(out.slice(from));
        if (m) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(m[0]);
        }
      };
      listeners.add(check);
      check();
    });
  const stop = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  // Whatever the test did to it, the dev process never crashed or printed a stack trace.
  t.after(async () => assertNoInternalError(`quire dev ${args.join(' ')}`, { code: await stop('SIGKILL'), output: out }, options));
  const line = await waitFor(/Serving (http:\/\/\S+)/);
  return { url: line.replace('Serving ', ''), output: () => out, waitFor, stop };
}
