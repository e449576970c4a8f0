/**
 * The catalogue of bad inputs (test/catalogue.ts), built for real: one test per entry asserting
 * exactly the diagnostics (code, severity, file, line) it produces and, for inputs that build,
 * what its pages show; then every content entry at once beside the sample posts, which must fail
 * in one run with every error and leave the previous output byte-for-byte as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cp, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parse, type HTMLElement } from 'node-html-parser';
import { build, type BuildReport } from '../src/build.ts';
import type { Diagnostic } from '../src/diagnostics.ts';
import { nodeFs, type Fs } from '../src/fs.ts';
import { CATALOGUE, type CatalogueEntry, type ExpectedDiagnostic, type FileSpec, type OutputCheck } from './catalogue.ts';
import { copySamples, runCli, snapshot, tempDir, TEMPLATES } from './helpers.ts';

const BASE_URL = 'https://example.com/';

interface Project {
  root: string;
  content: string;
  templates: string;
  out: string;
  /** The real file system, except that reads of the entries' `unreadable` paths fail with EACCES. */
  fs: Fs;
}

async function newProject(t: Parameters<typeof tempDir>[0]): Promise<Project> {
  const root = await tempDir(t, 'quire-catalogue-');
  const content = path.join(root, 'content');
  await mkdir(content, { recursive: true });
  return { root, content, templates: TEMPLATES, out: path.join(root, 'out'), fs: nodeFs };
}

const bytesOf = (spec: FileSpec): string | Uint8Array => (typeof spec === 'function' ? spec() : spec);

async function put(dir: string, rel: string, spec: FileSpec): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), bytesOf(spec));
}

/** Creates the entries' files, links and broken theme in `p`, and the Fs that denies their unreadable paths. */
async function addEntries(p: Project, entries: CatalogueEntry[]): Promise<void> {
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

function buildProject(p: Project): Promise<BuildReport> {
  return build({ root: p.root, contentDir: p.content, templatesDir: p.templates, outDir: p.out, cwd: p.root, fs: p.fs, overrides: { baseUrl: BASE_URL } });
}

/** A diagnostic reduced to what the catalogue states: severity, code, file, line, and column when the entry gives one. */
function shape(d: Diagnostic, withColumn: boolean): ExpectedDiagnostic {
  return { severity: d.severity, code: d.code, file: (d.file ?? '').split(path.sep).join('/'), ...(d.line !== undefined ? { line: d.line } : {}), ...(withColumn && d.column !== undefined ? { column: d.column } : {}) };
}

const key = (d: ExpectedDiagnostic) => `${d.file}:${d.line ?? ''}:${d.column ?? ''}:${d.severity}:${d.code}`;

/** Asserts that `actual` holds exactly `expected` (columns compared where the catalogue gives them). */
function assertDiagnostics(actual: Diagnostic[], expected: ExpectedDiagnostic[]): void {
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
async function checkSafeOutput(p: Project, report: BuildReport): Promise<void> {
  // Nothing is written beside the inputs and the output folder.
  const top = (await readdir(p.root)).sort();
  for (const name of top) assert.ok(['.cache', 'content', 'out', 'outside', 'templates'].includes(name), `unexpected ${name} in the project folder`);
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

for (const entry of CATALOGUE) {
  test(`catalogue ${entry.id}: ${entry.description}`, async (t) => {
    const p = await newProject(t);
    await addEntries(p, [entry]);
    if (entry.kind === 'template') await put(p.content, 'a.md', '---\ntitle: A post\ndate: 2020-01-01\ncategories: [One]\n---\nBody.\n');
    const report = await buildProject(p);
    assertDiagnostics(report.diagnostics, entry.expect);
    const builds = !entry.expect.some((d) => d.severity === 'error');
    assert.equal(report.ok, builds);
    if (!builds) {
      assert.equal(existsSync(p.out), false, 'a failed build writes nothing');
      return;
    }
    await checkSafeOutput(p, report);
    const parsed = new Map<string, HTMLElement>();
    for (const check of entry.shows ?? []) await checkOutput(p.out, check, parsed);
    for (const file of entry.absent ?? []) assert.equal(existsSync(path.join(p.out, file)), false, `${file} must not exist`);
  });
}

test('the sample posts plus every content catalogue entry: one build fails reporting every error, and leaves the previous output byte-for-byte as it was', async (t) => {
  const p = await newProject(t);
  await copySamples(p.root);
  const first = await buildProject(p);
  assert.equal(first.ok, true, JSON.stringify(first.diagnostics.filter((d) => d.severity === 'error')));
  const before = await snapshot(p.out);
  assert.ok(before.size > 30, `${before.size} files`);

  const entries = CATALOGUE.filter((e) => e.kind === 'content');
  await addEntries(p, entries);
  const report = await buildProject(p);
  assert.equal(report.ok, false);
  const expected = entries.flatMap((e) => e.expect);
  // Errors: exactly the catalogue's, all in this one run.
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  assertDiagnostics(errors, expected.filter((d) => d.severity === 'error'));
  // Warnings of the per-file stages are reported too (site-wide checks such as duplicate slugs run only once the posts are sound).
  const warnings = new Set(report.diagnostics.filter((d) => d.severity === 'warning').map((d) => key(shape(d, false))));
  for (const w of expected.filter((d) => d.severity === 'warning' && !d.code.startsWith('site/'))) assert.ok(warnings.has(key({ ...w, column: undefined })), `missing ${key(w)}`);
  assert.deepEqual(await snapshot(p.out), before, 'the output folder is byte-for-byte what the first build wrote');
});

test('the command line on the sample posts plus the content catalogue prints every error as file:line:column and exits 1, leaving the output as it was', async (t) => {
  // The real process, without the simulated EACCES (those entries are left out) and without the
  // heavy entries, which the test above already builds with everything else.
  const p = await newProject(t);
  await copySamples(p.root);
  await put(p.root, 'outside/quire.config.yml', `baseUrl: ${BASE_URL}\n`);
  const args = ['build', '--content', p.content, '--out', p.out, '--config', path.join(p.root, 'outside/quire.config.yml'), '--no-cache'];
  assert.equal((await runCli(args, { INIT_CWD: p.root })).code, 0);
  const before = await snapshot(p.out);
  const entries = CATALOGUE.filter((e) => e.kind === 'content' && !e.heavy && !e.unreadable);
  await addEntries(p, entries);
  const cli = await runCli(args, { INIT_CWD: p.root });
  assert.equal(cli.code, 1, cli.stderr.slice(-2000));
  const errors = entries.flatMap((e) => e.expect).filter((d) => d.severity === 'error');
  const printed = cli.stderr.split('\n').filter((line) => / error: .* \[[a-z]+\/[a-z0-9-]+\]$/.test(line));
  assert.equal(printed.length, errors.length, printed.join('\n'));
  for (const d of errors) {
    const at = `${d.file}${d.line === undefined ? '' : `:${d.line}:${d.column ?? ''}`}`;
    assert.ok(printed.some((line) => line.startsWith(at) && line.endsWith(`[${d.code}]`)), `the CLI prints ${at}… [${d.code}]`);
  }
  assert.match(cli.stderr, new RegExp(`Build failed: ${errors.length} errors, \\d+ warnings in \\d+ ms; out was not changed`));
  assert.deepEqual(await snapshot(p.out), before, 'the output folder is byte-for-byte what the first build wrote');
});
