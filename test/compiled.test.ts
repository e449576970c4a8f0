/**
 * Quire runs as JavaScript compiled from src/ into dist/ (scripts/dist.js, bin/quire.js): with
 * plain node, no TypeScript loader, in the main thread and in the worker threads; and a dist/ that
 * is missing or out of date with src/ is compiled again before anything runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { v8FlagsFor } from '../scripts/v8-flags.js';
import { BUNDLE, sourceDigest } from '../scripts/dist.js';
import { BIN, buildSite, ROOT, runCli, runProcess, SAMPLE_CONTENT, snapshot, tempDir, TEMPLATES } from './helpers.ts';

const FORBID_TSX = path.join(ROOT, 'test/fixtures/no-tsx/forbid.mjs');

test('npm run build, dev and new run bin/quire.js with plain node', async () => {
  const { scripts } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const name of ['build', 'dev', 'new']) assert.equal(scripts[name], `node bin/quire.js ${name}`);
  assert.equal(scripts.prepare, 'node scripts/dist.js', 'npm install and npm ci compile dist/');
});

test('quire build runs without V8 concurrent marking (it competed with the workers for the cores); dev and new keep it', () => {
  assert.deepEqual(v8FlagsFor('build'), ['--no-concurrent-marking']);
  for (const command of ['dev', 'new', 'help', undefined]) assert.deepEqual(v8FlagsFor(command), []);
});

test('the CLI builds the sample blog without loading tsx or any .ts file', async (t) => {
  assert.equal((await runCli(['help'])).code, 0); // dist/ compiled if src/ changed, before the forbidding run
  const dir = await tempDir(t);
  const r = await runProcess(process.execPath, ['--import', FORBID_TSX, BIN, 'build', '--out', path.join(dir, 'public'), '--no-cache'], ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Built 5 posts/m);
  const fromSource = await buildSite({ root: ROOT, outDir: path.join(dir, 'source'), cwd: ROOT, cache: false }); // the project's config, as the CLI
  assert.ok(fromSource.ok);
  assert.deepEqual(await snapshot(path.join(dir, 'public')), await snapshot(path.join(dir, 'source')), 'the compiled build writes what the sources write');
});

test('the compiled worker threads need no TypeScript loader and give the same site; Handlebars, yaml, gray-matter and lowlight load from their one-file bundles', async (t) => {
  assert.equal((await runCli(['help'])).code, 0);
  const dir = await tempDir(t);
  // The compiled build(), with two worker threads even for five posts, in a process that fails on any .ts or tsx load.
  // Each worker's module is recorded: Worker is replaced before dist/ is imported (ES imports of a built-in see the change once synced).
  const script = `
    const threads = (await import('node:module')).createRequire(import.meta.url)('node:worker_threads');
    const started = [];
    threads.Worker = class extends threads.Worker { constructor(file, options) { started.push(String(file)); super(file, options); } };
    (await import('node:module')).syncBuiltinESMExports();
    const { build } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', BUNDLE, 'build.js')).href)});
    const { createHash } = await import('node:crypto');
    const r = await build({ root: ${JSON.stringify(dir)}, contentDir: ${JSON.stringify(SAMPLE_CONTENT)}, templatesDir: ${JSON.stringify(TEMPLATES)}, outDir: ${JSON.stringify(path.join(dir, 'public'))}, cwd: ${JSON.stringify(ROOT)}, write: false, cache: false, workers: 2, minFilesForWorkers: 0 });
    // On this thread: a site with a YAML config, YAML front matter and a highlighted code block.
    const one = await build({ root: ${JSON.stringify(path.join(dir, 'small'))}, contentDir: ${JSON.stringify(path.join(dir, 'small', 'content'))}, templatesDir: ${JSON.stringify(TEMPLATES)}, outDir: ${JSON.stringify(path.join(dir, 'small', 'public'))}, cwd: ${JSON.stringify(ROOT)}, write: false, cache: false, workers: 1 });
    const highlighted = one.files.some((f) => /<span class="hljs-keyword">const<\\/span>/.test(Buffer.from(f.contents).toString()));
    const loaded = Object.keys((await import('node:module')).createRequire(import.meta.url).cache).filter((file) => /handlebars|yaml|gray-matter|lowlight|highlight\\.js/.test(file));
    console.log(JSON.stringify({ ok: r.ok && one.ok, highlighted, workers: r.cache.workers, started, loaded, files: r.files.map((f) => [f.outPath, createHash('sha1').update(f.contents).digest('hex')]) }));`;
  await mkdir(path.join(dir, 'small', 'content', 'posts'), { recursive: true });
  await writeFile(path.join(dir, 'small', 'quire.config.yml'), 'title: Small\n');
  await writeFile(path.join(dir, 'small', 'content', 'posts', 'code.md'), '---\ntitle: Code\ndate: 2024-01-02\n---\n\n```js\nconst a = 1;\n```\n');
  await writeFile(path.join(dir, 'build.mjs'), script);
  const r = await runProcess(process.execPath, ['--import', FORBID_TSX, path.join(dir, 'build.mjs')], ROOT);
  assert.equal(r.code, 0, r.stderr);
  const compiled = JSON.parse(r.stdout) as { ok: boolean; highlighted: boolean; workers: number; started: string[]; loaded: string[]; files: [string, string][] };
  assert.equal(compiled.ok, true);
  assert.equal(compiled.highlighted, true, 'the code block was highlighted');
  assert.equal(compiled.workers, 2, 'the posts really went through two worker threads');
  const bundle = pathToFileURL(path.join(ROOT, 'dist', BUNDLE, 'post-worker.js')).href;
  assert.deepEqual(compiled.started, [bundle, bundle], 'each worker runs the one-file bundle scripts/dist.js made');
  // js-yaml, which gray-matter loads, still loads the optional esprima from node_modules (its require is hidden from bundlers).
  const bundles = ['gray-matter', 'handlebars', 'lowlight', 'yaml'].map((id) => path.join(ROOT, 'dist', BUNDLE, `${id}.cjs`));
  assert.deepEqual(compiled.loaded.sort(), bundles, 'each package loads as one file, not its modules in node_modules');
  const fromSource = await buildSite({ outDir: path.join(dir, 'public'), cwd: ROOT, write: false, cache: false, workers: 1 });
  const digest = (contents: string | Uint8Array) => createHash('sha1').update(contents).digest('hex');
  assert.deepEqual(compiled.files, fromSource.files.map((f) => [f.outPath, digest(f.contents)]));
});

test('bin/quire.js compiles a missing dist/, and compiles it again when the contents of src/ changed, whatever the mtimes', async (t) => {
  // A copy of the project's code in a temporary folder, so its src/ can be edited.
  const project = await tempDir(t);
  for (const name of ['src', 'bin', 'scripts']) await cp(path.join(ROOT, name), path.join(project, name), { recursive: true });
  for (const name of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) await cp(path.join(ROOT, name), path.join(project, name));
  await symlink(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  const quire = (...args: string[]) => runProcess(process.execPath, [path.join(project, 'bin/quire.js'), ...args], project);

  const first = await quire('help', 'build');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^quire: dist\/ is missing: compiling it/m);
  assert.match(first.stdout, /Usage: quire build/);

  const again = await quire('help', 'build');
  assert.equal(again.stderr, '', 'a fresh dist/ is not compiled again');

  // A touched file (a checkout, a copy) with the same contents is not an edit.
  const args = path.join(project, 'src/cli/args.ts');
  const soon = new Date(Date.now() + 60_000);
  await utimes(args, soon, soon);
  const touched = await quire('help', 'build');
  assert.equal(touched.code, 0, touched.stderr);
  assert.equal(touched.stderr, '', 'same contents, nothing compiled');

  // An edit whose file keeps an old mtime (a restored archive, a checkout tool) is still seen.
  await writeFile(args, (await readFile(args, 'utf8')).replace('`Usage: ${', '`Usage (edited): ${'));
  const past = new Date('2001-01-01T00:00:00Z');
  await utimes(args, past, past);
  const edited = await quire('help', 'build');
  assert.equal(edited.code, 0, edited.stderr);
  assert.match(edited.stderr, /^quire: src\/ changed since dist\/ was compiled: compiling it/m);
  assert.match(edited.stdout, /Usage \(edited\): quire build/, 'the edited code runs, not the stale dist/');

  const left = (await readdir(project)).filter((n) => n.startsWith('.dist')).sort();
  assert.deepEqual(left, [], 'no temporary folder or lock is left');
});

test('dist/ counts as stale when the installed packages change (its worker bundle holds copies of them)', async (t) => {
  const project = await tempDir(t);
  await mkdir(path.join(project, 'src'));
  await mkdir(path.join(project, 'node_modules'));
  await writeFile(path.join(project, 'src/a.ts'), 'export const a = 1;\n');
  const installed = path.join(project, 'node_modules/.package-lock.json');
  await writeFile(installed, JSON.stringify({ packages: { 'node_modules/remark': { version: '15.0.1' } } }));
  const before = sourceDigest(project);
  assert.equal(sourceDigest(project), before, 'the same files, the same digest');
  await writeFile(installed, JSON.stringify({ packages: { 'node_modules/remark': { version: '15.0.2' } } }));
  assert.notEqual(sourceDigest(project), before);
});

test('where esbuild cannot run, dist/ is compiled unbundled, says so once, and builds the same site', async (t) => {
  // A copy of the project whose node_modules holds every package but esbuild.
  const project = await tempDir(t);
  for (const name of ['src', 'bin', 'scripts']) await cp(path.join(ROOT, name), path.join(project, name), { recursive: true });
  for (const name of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) await cp(path.join(ROOT, name), path.join(project, name));
  await mkdir(path.join(project, 'node_modules'));
  for (const name of await readdir(path.join(ROOT, 'node_modules'))) {
    if (name !== 'esbuild' && name !== '@esbuild') await symlink(path.join(ROOT, 'node_modules', name), path.join(project, 'node_modules', name));
  }
  const quire = (...args: string[]) => runProcess(process.execPath, [path.join(project, 'bin/quire.js'), ...args], project);

  const first = await quire('build', '--content', SAMPLE_CONTENT, '--templates', TEMPLATES, '--out', path.join(project, 'public'), '--no-cache', '--workers', '2');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^quire: cannot bundle dist\/: esbuild is not installed here \(npm install installs it\); Quire runs unbundled/m);
  assert.match(first.stdout, /^Built 5 posts/m);
  assert.deepEqual((await readdir(path.join(project, 'dist'))).filter((n) => n === BUNDLE), [], 'no partial bundle is left');
  const again = await quire('help');
  assert.equal(again.stderr, '', 'said once, when compiling; later commands run the unbundled dist/ quietly');

  const fromSource = await buildSite({ root: project, outDir: path.join(project, 'source'), contentDir: SAMPLE_CONTENT, templatesDir: TEMPLATES, cwd: project, cache: false });
  assert.ok(fromSource.ok);
  assert.deepEqual(await snapshot(path.join(project, 'public')), await snapshot(path.join(project, 'source')));
});
