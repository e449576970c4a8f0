/**
 * Nothing is written or deleted outside the output folder, whatever symbolic links say (issue:
 * "incremental builds follow symlinks out of the output folder"): paths are checked as the disk
 * resolves them, and the writer never writes or deletes through a link inside the output folder.
 * Also: an output folder that cannot be made is a clear error, and cache files that are folders
 * leave nothing behind. Every case uses real folders and real symbolic links, and compares the
 * folders outside the output before and after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOptions } from '../src/build.ts';
import { nodeFs } from '../src/fs.ts';
import type { OutputFile } from '../src/model.ts';
import { checkOutputDir, MARKER_FILE, writeOutput, type WriteOptions } from '../src/output/write.ts';
import { buildSite, runCli, snapshot, tempDir, TEMPLATES, writeFiles } from './helpers.ts';

/** Everything under `dir`, without following links: path → 'folder', 'link → target' or the file's bytes. */
async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const abs = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, abs);
    if (e.isSymbolicLink()) out.set(rel, `link → ${await readlink(abs)}`);
    else if (e.isDirectory()) out.set(rel, 'folder');
    else out.set(rel, (await readFile(abs)).toString('base64'));
  }
  return out;
}

const post = (title: string, date: string, body: string) => `---\ntitle: ${title}\ndate: ${date}\n---\n\n${body}\n`;
const POSTS = { 'alpha.md': post('Alpha', '2020-01-01', 'Alpha body.'), 'beta.md': post('Beta', '2020-01-02', 'Beta body.'), 'gamma.md': post('Gamma', '2020-01-03', 'Gamma body.') };

/** A project with three posts and the real theme, built once into public/. */
async function builtProject(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t, 'quire-safety-');
  const content = path.join(root, 'content');
  await writeFiles(content, POSTS);
  const out = path.join(root, 'public');
  const build = (outDir = out, extra: Partial<BuildOptions> = {}) => buildSite({ root, outDir, contentDir: content, workers: 1, ...extra });
  const first = await build();
  assert.equal(first.ok, true, JSON.stringify(first.diagnostics));
  return { root, content, out, build };
}

test('an incremental build neither writes nor deletes through a folder inside public/ that was replaced by a symbolic link', async (t) => {
  const p = await builtProject(t);
  const outside = await tempDir(t, 'quire-outside-');
  // The user moved public/posts/ elsewhere and left a link in its place.
  await cp(path.join(p.out, 'posts'), path.join(outside, 'posts'), { recursive: true });
  await rm(path.join(p.out, 'posts'), { recursive: true });
  await symlink(path.join(outside, 'posts'), path.join(p.out, 'posts'), 'dir');
  const before = await tree(outside);

  await writeFile(path.join(p.content, 'alpha.md'), post('Alpha', '2020-01-01', 'Alpha body, edited.')); // posts/alpha/ changes
  await rm(path.join(p.content, 'beta.md')); // posts/beta/ goes
  const r = await p.build();
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));

  assert.deepEqual(await tree(outside), before, 'nothing outside the output folder was written or deleted');
  const posts = await lstat(path.join(p.out, 'posts'));
  assert.equal(posts.isSymbolicLink(), false, 'the link was replaced by a real folder');
  assert.equal(posts.isDirectory(), true);
  const fresh = await p.build(path.join(p.root, 'fresh'), { cache: false });
  assert.equal(fresh.ok, true);
  assert.deepEqual(await snapshot(p.out), await snapshot(path.join(p.root, 'fresh')), 'public/ is what a fresh build makes');
});

test('a page replaced by a symbolic link to a file of the same size is not trusted: an unchanged build rewrites it and leaves the target alone', async (t) => {
  const p = await builtProject(t);
  const outside = await tempDir(t, 'quire-outside-');
  const page = path.join(p.out, 'posts', 'alpha', 'index.html');
  const bytes = await readFile(page);
  await writeFile(path.join(outside, 'other.html'), Buffer.alloc(bytes.length, 'x')); // the size the manifest lists
  await rm(page);
  await symlink(path.join(outside, 'other.html'), page);
  const before = await tree(outside);

  const r = await p.build(); // no input changed
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  assert.notEqual(r.upToDate, true, 'the output no longer holds what the last build wrote');
  assert.equal((await lstat(page)).isFile(), true, 'the page is a real file again');
  assert.deepEqual(await readFile(page), bytes);
  assert.deepEqual(await tree(outside), before);
});

// writeOutput directly: the same for one file, and for removal.
const SITE: OutputFile[] = [
  { outPath: 'index.html', contents: '<h1>Home</h1>' },
  { outPath: 'posts/hello/index.html', contents: '<h1>Hello</h1>' },
  { outPath: 'posts/other/index.html', contents: '<h1>Other</h1>' },
];

async function writerProject(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t, 'quire-safety-');
  for (const d of ['content', 'templates']) await mkdir(path.join(root, d));
  const options = (outDir: string): WriteOptions => ({ outDir, protectedDirs: [root, path.join(root, 'content'), path.join(root, 'templates')], display: (abs) => path.relative(root, abs) });
  const outDir = path.join(root, 'public');
  const first = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(first.diagnostics, []);
  return { root, outDir, options };
}

test('a stale page under a folder replaced by a symbolic link is not deleted through the link', async (t) => {
  const { outDir, options } = await writerProject(t);
  const outside = await tempDir(t, 'quire-outside-');
  await writeFile(path.join(outside, 'index.html'), 'my only copy');
  await rm(path.join(outDir, 'posts', 'hello'), { recursive: true });
  await symlink(outside, path.join(outDir, 'posts', 'hello'), 'dir');
  const before = await tree(outside);

  const r = await writeOutput(nodeFs, SITE.filter((f) => f.outPath !== 'posts/hello/index.html'), options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(await tree(outside), before);
});

test('a page written where the output holds a symbolic link replaces the link; the file it pointed to keeps its bytes', async (t) => {
  const { outDir, options } = await writerProject(t);
  const outside = await tempDir(t, 'quire-outside-');
  await writeFile(path.join(outside, 'target.html'), 'outside');
  await rm(path.join(outDir, 'index.html'));
  await symlink(path.join(outside, 'target.html'), path.join(outDir, 'index.html'));
  const before = await tree(outside);

  const r = await writeOutput(nodeFs, [{ outPath: 'index.html', contents: '<h1>New home</h1>' }, ...SITE.slice(1)], options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.equal((await lstat(path.join(outDir, 'index.html'))).isFile(), true);
  assert.equal(await readFile(path.join(outDir, 'index.html'), 'utf8'), '<h1>New home</h1>');
  assert.deepEqual(await tree(outside), before);
});

test('an --out, --content or --templates reached through a symbolic link is checked where it really is (output/unsafe-dir), and nothing is written there', async (t) => {
  const p = await builtProject(t);
  const theme = path.join(p.root, 'theme');
  await cp(TEMPLATES, theme, { recursive: true });
  await symlink(p.content, path.join(p.root, 'content-link'), 'dir');
  await symlink(theme, path.join(p.root, 'theme-link'), 'dir');
  await symlink(p.root, path.join(p.root, '..', `${path.basename(p.root)}-link`), 'dir');
  t.after(() => rm(path.join(p.root, '..', `${path.basename(p.root)}-link`)));
  const cases: [string, Partial<BuildOptions>][] = [
    [path.join(p.root, 'content-link', 'public'), {}], // --out inside content/, through a link
    [path.join(p.root, 'content-link', 'new', 'public'), {}], // the same, for folders not made yet
    [path.join(p.root, 'theme-link', 'public'), { templatesDir: theme }], // inside the theme
    [path.join(p.content, 'public'), { contentDir: path.join(p.root, 'content-link') }], // --content given as a link
    [path.join(p.root, '..', `${path.basename(p.root)}-link`), {}], // the project root itself
  ];
  const before = { content: await tree(p.content), theme: await tree(theme), root: (await readdir(p.root)).sort() };
  for (const [outDir, extra] of cases) {
    const r = await p.build(outDir, { ...extra, cache: false });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['output/unsafe-dir'], `${outDir} ${JSON.stringify(extra)}`);
  }
  assert.deepEqual(await tree(p.content), before.content);
  assert.deepEqual(await tree(theme), before.theme);
  assert.deepEqual((await readdir(p.root)).sort(), before.root);
});

test('an --out that is a symbolic link to a folder elsewhere is built in that folder and stays a link', async (t) => {
  const p = await builtProject(t);
  const elsewhere = await tempDir(t, 'quire-deploy-');
  const site = path.join(elsewhere, 'site');
  const link = path.join(p.root, 'deploy');
  await symlink(site, link, 'dir');
  await mkdir(site);
  const r = await p.build(link);
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  assert.equal((await lstat(link)).isSymbolicLink(), true, 'the link is still a link');
  assert.deepEqual(await snapshot(site), await snapshot(p.out), 'the site is in the folder the link points to');
  assert.deepEqual((await readdir(elsewhere)).sort(), ['site'], 'no lock or temporary folder left beside it');
  await writeFile(path.join(p.content, 'alpha.md'), post('Alpha', '2020-01-01', 'Edited.'));
  const again = await p.build(link);
  assert.equal(again.ok, true);
  assert.equal(again.output!.written > 0 && again.output!.unchanged > 0, true, 'an incremental build through the link');
  assert.equal((await lstat(link)).isSymbolicLink(), true);
});

test('an --out that is a symbolic link to a missing folder is refused (output/not-a-dir), not replaced', async (t) => {
  const { root, options } = await writerProject(t);
  const link = path.join(root, 'deploy');
  await symlink(path.join(root, 'nowhere', 'site'), link, 'dir');
  const r = await writeOutput(nodeFs, SITE, options(link));
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['output/not-a-dir']);
  assert.equal((await lstat(link)).isSymbolicLink(), true);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'deploy', 'public', 'templates']);
});

test('--out under a regular file is output/not-a-dir (exit 1), never an internal error; nothing is made', async (t) => {
  const p = await builtProject(t);
  const file = path.join(p.root, 'notes.txt');
  await writeFile(file, 'a file');
  const before = (await readdir(p.root)).sort();
  const r = await p.build(path.join(file, 'public'), { cache: false });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['output/not-a-dir']);
  assert.match(r.diagnostics.find((d) => d.code === 'output/not-a-dir')!.message, /notes\.txt/);
  assert.deepEqual((await readdir(p.root)).sort(), before);

  const cli = await runCli(['build', '--content', p.content, '--out', path.join(file, 'public'), '--workers', '1', '--no-cache']);
  assert.equal(cli.code, 1, cli.stderr);
  assert.match(cli.stderr, /\[output\/not-a-dir\]/);
  assert.doesNotMatch(cli.stderr, /internal error/);
});

test('cache files that are folders are left alone, and no temporary file is left beside them', async (t) => {
  const p = await builtProject(t);
  const cache = path.join(p.root, '.cache', 'quire');
  for (const name of ['posts.bin', 'last-build.json', 'pages.bin']) {
    await rm(path.join(cache, name), { force: true });
    await mkdir(path.join(cache, name, 'inside'), { recursive: true });
  }
  for (const body of ['Edited once.', 'Edited twice.']) {
    await writeFile(path.join(p.content, 'alpha.md'), post('Alpha', '2020-01-01', body));
    const r = await p.build();
    assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  }
  assert.deepEqual((await readdir(cache)).sort(), ['last-build.json', 'pages.bin', 'posts.bin'], 'no temporary files');
  for (const name of ['posts.bin', 'pages.bin']) assert.deepEqual(await readdir(path.join(cache, name)), ['inside']);
});

test('the marker only proves a folder is ours when it is a real file', async (t) => {
  const { root, options } = await writerProject(t);
  const out = path.join(root, 'theirs');
  await mkdir(out);
  await writeFile(path.join(out, 'thesis.docx'), 'precious');
  await symlink(path.join(root, 'public', MARKER_FILE), path.join(out, MARKER_FILE));
  assert.deepEqual((await checkOutputDir(nodeFs, options(out))).map((d) => d.code), ['output/not-ours']);
});
