/**
 * Building the entries of the catalogue of bad inputs (test/catalogue.ts) for real, shared by
 * test/catalogue.test.ts (each entry on its own except the heavy ones; the command line) and
 * test/catalogue.slow.test.ts (the heavy entries; every content entry at once).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { cp, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parse, type HTMLElement } from 'node-html-parser';
import { build, type BuildReport } from '../src/build.ts';
import type { Diagnostic } from '../src/diagnostics.ts';
import { nodeFs, type Fs } from '../src/fs.ts';
import type { CatalogueEntry, ExpectedDiagnostic, FileSpec, OutputCheck } from './catalogue.ts';
import { runCli, tempDir, TEMPLATES } from './helpers.ts';
import { get, serveMemory } from './dev-server-raw.ts';

export const BASE_URL = 'https://example.com/';

export interface Project {
  root: string;
  content: string;
  templates: string;
  out: string;
  /** The real file system, except that reads of the entries' `unreadable` paths fail with EACCES. */
  fs: Fs;
}

export async function newProject(t: Parameters<typeof tempDir>[0]): Promise<Project> {
  const root = await tempDir(t, 'quire-catalogue-');
  const content = path.join(root, 'content');
  await mkdir(content, { recursive: true });
  return { root, content, templates: TEMPLATES, out: path.join(root, 'out'), fs: nodeFs };
}

const bytesOf = (spec: FileSpec): string | Uint8Array => (typeof spec === 'function' ? spec() : spec);

export async function put(dir: string, rel: string, spec: FileSpec): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), bytesOf(spec));
}

/** Creates the entries' files, links and broken theme in `p`, and the Fs that denies their unreadable paths. */
export async function addEntries(p: Project, entries: CatalogueEntry[]): Promise<void> {
  const denied = new Set<string>();
  for (const e of entries) {
    for (const [rel, spec] of Object.entries(e.files ?? {})) await put(p.content, rel, spec);
    for (const [rel, spec] of Object.entries(e.outside ?? {})) await put(path.join(p.root, 'outside'), rel, spec);
    for (const [rel, target] of Object.entries(e.symlinks ?? {})) {
      await mkdir(path.dirname(path.join(p.content, rel)), { recursive: true });
      await symlink(target, path.join(p.content, rel));
    }
    for (const rel of e.unreadable ?? []) denied.add(path.join(p.content, rel));
    if (e.template) {
      p.templates = path.join(p.root, 'templates');
      await cp(TEMPLATES, p.templates, { recursive: true });
      const file = path.join(p.templates, e.template.file);
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.splice(e.template.line - 1, 0, e.template.text);
      await writeFile(file, lines.join('\n'));
    }
  }
  const eacces = (p: string) => Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES', errno: -13, path: p });
  p.fs = {
    ...nodeFs,
    readFile: async (file) => (denied.has(file) ? Promise.reject(eacces(file)) : nodeFs.readFile(file)),
    readdir: async (dir) => (denied.has(dir) ? Promise.reject(eacces(dir)) : nodeFs.readdir(dir)),
  };
}

/** Builds `p` with the base URL of the catalogue, or with its config file (which then says the base URL). */
export function buildProject(p: Project, configFile?: string): Promise<BuildReport> {
  const config = configFile ? { configFile: path.join(p.root, configFile) } : { overrides: { baseUrl: BASE_URL } };
  return build({ root: p.root, contentDir: p.content, templatesDir: p.templates, outDir: p.out, cwd: p.root, fs: p.fs, ...config });
}

/** A diagnostic reduced to what the catalogue states: severity, code, file, line, and column when the entry gives one. */
export function shape(d: Diagnostic, withColumn: boolean): ExpectedDiagnostic {
  return { severity: d.severity, code: d.code, file: (d.file ?? '').split(path.sep).join('/'), ...(d.line !== undefined ? { line: d.line } : {}), ...(withColumn && d.column !== undefined ? { column: d.column } : {}) };
}

export const key = (d: ExpectedDiagnostic) => `${d.file}:${d.line ?? ''}:${d.column ?? ''}:${d.severity}:${d.code}`;

/** Asserts that `actual` holds exactly `expected` (columns compared where the catalogue gives them). */
export function assertDiagnostics(actual: Diagnostic[], expected: ExpectedDiagnostic[]): void {
  const withColumn = (d: Diagnostic) => expected.some((e) => e.column !== undefined && e.code === d.code && e.file === (d.file ?? '').split(path.sep).join('/') && e.line === d.line);
  assert.deepEqual(actual.map((d) => key(shape(d, withColumn(d)))).sort(), expected.map(key).sort(), JSON.stringify(actual, null, 1));
}

/** Every file under `dir`, as `/`-separated relative paths, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

async function checkOutput(out: string, check: OutputCheck, parsed: Map<string, HTMLElement>): Promise<void> {
  const where = `${check.file}${check.selector ? ` ${check.selector}` : ''}`;
  const text = await readFile(path.join(out, check.file), 'utf8');
  let subject = text;
  if (check.selector) {
    let doc = parsed.get(check.file);
    if (!doc) parsed.set(check.file, (doc = parse(text)));
    const matches = doc.querySelectorAll(check.selector);
    if (check.count !== undefined) assert.equal(matches.length, check.count, `${where}: number of matches`);
    assert.ok(matches.length > 0, `${where}: nothing matches`);
    subject = collapse(matches[0]!.textContent);
  }
  if (typeof check.text === 'string') assert.equal(subject, check.text, where);
  else if (check.text) assert.match(subject, check.text, where);
  if (check.minLength !== undefined) assert.ok(subject.length >= check.minLength, `${where}: ${subject.length} characters`);
}

const DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** What every successful build of a bad input must also be: confined, safe names, no collisions, no control characters. */
async function checkSafeOutput(p: Project, report: BuildReport, configFile?: string): Promise<void> {
  // Nothing is written beside the inputs and the output folder.
  const top = (await readdir(p.root)).sort();
  for (const name of top) assert.ok(['.cache', 'content', 'out', 'outside', 'templates', configFile].includes(name), `unexpected ${name} in the project folder`);
  const written = await filesUnder(p.out);
  assert.deepEqual(written.filter((f) => f !== '.quire-output'), report.files.map((f) => f.outPath).sort(), 'the output folder holds exactly the rendered files');
  const folded = new Map<string, string>();
  for (const file of written) {
    for (const segment of file.split('/')) {
      assert.ok(segment !== '' && segment !== '.' && segment !== '..', `${file}: bad segment`);
      assert.doesNotMatch(segment, /[\\%\u0000-\u001f\u007f]/, `${file}: unsafe character`);
      assert.doesNotMatch(segment, DEVICE_NAMES, `${file}: Windows device name`);
    }
    const key = file.toUpperCase();
    assert.equal(folded.get(key), undefined, `${file} and ${folded.get(key)} are one file on macOS and Windows`);
    folded.set(key, file);
    if (/\.(html|xml|json|txt|css|js)$/.test(file)) {
      assert.doesNotMatch(await readFile(path.join(p.out, file), 'utf8'), /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufffe\uffff]/, `${file}: control character`);
    }
  }
}

/** Builds `entry` on its own: exactly its diagnostics; when it builds, safe output showing what it must. */
export async function checkEntry(t: Parameters<typeof tempDir>[0], entry: CatalogueEntry): Promise<void> {
  if (entry.kind === 'cli') return checkCommandLine(t, entry);
  if (entry.kind === 'request') return checkRequest(t, entry);
  const p = await newProject(t);
  await addEntries(p, [entry]);
  if (entry.kind !== 'content' && !entry.files) await put(p.content, 'a.md', '---\ntitle: A\ndate: 2020-01-01\ncategories: [One]\n---\nBody.\n');
  const configFile = entry.config?.name;
  if (entry.config) await put(p.root, entry.config.name, entry.config.text);
  if (entry.between) {
    // A good build first, then the change, then the build under test.
    const first = await buildProject(p, configFile);
    assert.equal(first.ok, true, JSON.stringify(first.diagnostics));
    await entry.between(p);
  }
  const reads: string[] = [];
  const fs = p.fs;
  if (entry.neverRead) p.fs = { ...fs, readFile: (file) => (reads.push(path.relative(p.root, file).split(path.sep).join('/')), fs.readFile(file)) };
  const report = await buildProject(p, configFile);
  p.fs = fs;
  for (const file of entry.neverRead ?? []) assert.ok(!reads.includes(file), `${file} was read whole`);
  assertDiagnostics(report.diagnostics, entry.expect);
  const builds = !entry.expect.some((d) => d.severity === 'error');
  assert.equal(report.ok, builds);
  if (!builds) {
    assert.equal(existsSync(p.out), false, 'a failed build writes nothing');
    return;
  }
  await entry.verify?.(p);
  await checkSafeOutput(p, report, configFile);
  const parsed = new Map<string, HTMLElement>();
  for (const check of entry.shows ?? []) await checkOutput(p.out, check, parsed);
  for (const file of entry.absent ?? []) assert.equal(existsSync(path.join(p.out, file)), false, `${file} must not exist`);
}

/** A `cli` entry: the real command line, its exit code and message, and never an internal error. */
async function checkCommandLine(t: Parameters<typeof tempDir>[0], entry: CatalogueEntry): Promise<void> {
  const p = await newProject(t);
  await addEntries(p, [entry]);
  await put(p.content, 'a.md', '---\ntitle: A\ndate: 2020-01-01\n---\nBody.\n');
  await entry.between?.(p);
  const { args, exit, says } = entry.cli!;
  const fill = (arg: string) => arg.replace('{root}', p.root).replace('{content}', p.content).replace('{out}', p.out);
  const r = await runCli(args.map(fill), { INIT_CWD: p.root });
  assert.equal(r.code, exit, r.stdout + r.stderr);
  assert.match(exit === 0 ? r.stdout : r.stderr, says);
  await entry.verify?.(p);
}

/** A small site the dev server serves for `request` entries: a CJK and a Latin-1 slug. */
const SITE = {
  'index.html': '<!doctype html><title>Home</title><h1>Home</h1>',
  '404.html': '<!doctype html><title>Not found</title>',
  'posts/日本語/index.html': '<!doctype html><title>日本語</title><h1>日本語 post</h1>',
  'posts/café/index.html': '<!doctype html><title>Café</title><h1>Café post</h1>',
};

/** A `request` entry: the answer, then the server still answering the home page. */
async function checkRequest(t: Parameters<typeof tempDir>[0], entry: CatalogueEntry): Promise<void> {
  const { port, logged } = await serveMemory(t, SITE);
  const { target, host, status, location, body } = entry.request!;
  const r = await get(port, target, host ?? `127.0.0.1:${port}`);
  assert.equal(r?.status, status, `${target}: ${r?.body.toString()}`);
  if (location !== undefined) assert.equal(r.headers.location, location);
  if (body) assert.match(r.body.toString('utf8'), body);
  if (location !== undefined) assert.equal((await get(port, location))?.status, 200, 'the redirect leads to the page');
  assert.equal((await get(port, '/'))?.status, 200, 'the server goes on serving');
  assert.deepEqual(logged, [], 'no request failed inside the server');
}
