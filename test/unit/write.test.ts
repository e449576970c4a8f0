/** Unit tests for src/output/write.ts: the output folder is swapped in whole, or left alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nodeFs, renamesVia, type Fs } from '../../src/fs.ts';
import { contentsOf, KEPT, type OutputFile } from '../../src/model.ts';
import { snapshot } from '../helpers.ts';
import { checkOutputDir, MARKER_FILE, onDisk, openOutput, writeOutput, type WriteOptions, type WriteReport } from '../../src/output/write.ts';

/** A write report without the marker digest. */
const counts = ({ marker: _marker, ...rest }: WriteReport) => rest;

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-write-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A project folder: root with content/ and templates/, and options for writing to `out`. */
async function project(t: { after: (fn: () => Promise<void>) => void }, out = 'public') {
  const root = await tempDir(t);
  await mkdir(path.join(root, 'content'));
  await mkdir(path.join(root, 'templates'));
  const options = (outDir: string): WriteOptions => ({
    outDir,
    protectedDirs: [root, path.join(root, 'content'), path.join(root, 'templates')],
    display: (abs) => path.relative(root, abs),
  });
  return { root, outDir: path.join(root, out), options };
}

const SITE: OutputFile[] = [
  { outPath: 'index.html', contents: '<h1>Home</h1>' },
  { outPath: 'posts/hello/index.html', contents: '<h1>Hello</h1>' },
  { outPath: 'assets/logo.bin', contents: new Uint8Array([0, 1, 2, 255]) },
  { outPath: 'feed.xml', contents: '<feed/>' },
];

test('writeOutput writes every file and the marker into a new output folder', async (t) => {
  const { root, outDir, options } = await project(t);
  const r = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(counts(r.value), { written: 4, unchanged: 0, removed: 0 });
  const files = await snapshot(outDir);
  assert.deepEqual([...files.keys()].sort(), [MARKER_FILE, 'assets/logo.bin', 'feed.xml', 'index.html', 'posts/hello/index.html'].map((p) => p.split('/').join(path.sep)).sort());
  assert.equal(files.get('index.html')!.toString(), '<h1>Home</h1>');
  assert.deepEqual([...files.get(path.join('assets', 'logo.bin'))!], [0, 1, 2, 255]);
  // Nothing left beside it.
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a first build writes into a temporary folder and then swaps it in', async (t) => {
  const { outDir, options } = await project(t);
  await mkdir(outDir);
  await writeFile(path.join(outDir, 'old.html'), 'old');
  await writeFile(path.join(outDir, MARKER_FILE), 'an output folder of an older Quire, without a manifest');
  const writes: string[] = [];
  const renames: [string, string][] = [];
  const spy: Fs = {
    ...nodeFs,
    writeFile: async (p, d) => {
      // While files are written, the old site is still in place.
      assert.equal((await readFile(path.join(outDir, 'old.html'))).toString(), 'old');
      writes.push(p);
      return nodeFs.writeFile(p, d);
    },
    rename: (a, b) => (renames.push([a, b]), nodeFs.rename(a, b)),
  };
  const r = await writeOutput(spy, SITE, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  const tmp = path.dirname(writes[0]!);
  assert.match(path.basename(tmp), /^\.public\.quire-tmp-\d+$/);
  assert.equal(path.dirname(tmp), path.dirname(outDir), 'the temporary folder is beside the output folder');
  assert.ok(writes.every((w) => w.startsWith(tmp + path.sep)));
  assert.deepEqual(renames.at(-1), [tmp, outDir]);
  // The old site is gone, the new one in place.
  const files = await snapshot(outDir);
  assert.equal(files.has('old.html'), false);
  assert.equal(files.get('index.html')!.toString(), '<h1>Home</h1>');
  assert.deepEqual((await readdir(path.dirname(outDir))).sort(), ['content', 'public', 'templates']);
});

test('checkOutputDir accepts a missing folder', async (t) => {
  const { outDir, options } = await project(t);
  assert.deepEqual(await checkOutputDir(nodeFs, options(outDir)), []);
});

test('checkOutputDir accepts an empty folder', async (t) => {
  const { outDir, options } = await project(t);
  await mkdir(outDir);
  assert.deepEqual(await checkOutputDir(nodeFs, options(outDir)), []);
});

test('checkOutputDir accepts a folder with the .quire-output marker', async (t) => {
  const { outDir, options } = await project(t);
  await mkdir(outDir);
  await writeFile(path.join(outDir, MARKER_FILE), 'ours');
  await writeFile(path.join(outDir, 'index.html'), 'old site');
  assert.deepEqual(await checkOutputDir(nodeFs, options(outDir)), []);
});

test('checkOutputDir refuses a non-empty folder without the marker', async (t) => {
  const { outDir, options } = await project(t);
  await mkdir(outDir);
  await writeFile(path.join(outDir, 'thesis.docx'), 'precious');
  const d = await checkOutputDir(nodeFs, options(outDir));
  assert.deepEqual(d.map((x) => [x.code, x.severity]), [['output/not-ours', 'error']]);
});

test('checkOutputDir refuses the project root', async (t) => {
  const { root, options } = await project(t);
  const d = await checkOutputDir(nodeFs, options(root));
  assert.deepEqual(d.map((x) => x.code), ['output/unsafe-dir']);
});

test('checkOutputDir refuses the content folder and folders inside it', async (t) => {
  const { root, options } = await project(t);
  assert.deepEqual((await checkOutputDir(nodeFs, options(path.join(root, 'content')))).map((x) => x.code), ['output/unsafe-dir']);
  assert.deepEqual((await checkOutputDir(nodeFs, options(path.join(root, 'content', 'public')))).map((x) => x.code), ['output/unsafe-dir']);
  assert.deepEqual((await checkOutputDir(nodeFs, options(path.join(root, 'templates')))).map((x) => x.code), ['output/unsafe-dir']);
});

test('checkOutputDir refuses a folder that contains the project', async (t) => {
  const { root, options } = await project(t);
  assert.deepEqual((await checkOutputDir(nodeFs, options(path.dirname(root)))).map((x) => x.code), ['output/unsafe-dir']);
});

test('checkOutputDir refuses the home folder and the file-system root', async (t) => {
  const { options } = await project(t);
  assert.deepEqual((await checkOutputDir(nodeFs, options(os.homedir()))).map((x) => x.code), ['output/unsafe-dir']);
  assert.deepEqual((await checkOutputDir(nodeFs, options(path.parse(os.tmpdir()).root))).map((x) => x.code), ['output/unsafe-dir']);
});

test('checkOutputDir refuses a path written with .. that resolves to the project root', async (t) => {
  const { root, options } = await project(t);
  // Built by hand: path.join would normalise the `..` away before checkOutputDir sees it.
  for (const out of [`${root}${path.sep}public${path.sep}..`, `${root}${path.sep}public${path.sep}..${path.sep}content`]) {
    assert.deepEqual((await checkOutputDir(nodeFs, options(out))).map((x) => x.code), ['output/unsafe-dir'], out);
  }
});

test('checkOutputDir refuses a file', async (t) => {
  const { outDir, options } = await project(t);
  await writeFile(outDir, 'not a folder');
  assert.deepEqual((await checkOutputDir(nodeFs, options(outDir))).map((x) => x.code), ['output/not-a-dir']);
});

test('a failing write leaves the previous output byte-identical and no temporary folder behind', async (t) => {
  const { outDir, options } = await project(t);
  const first = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(first.diagnostics, []);
  const before = await snapshot(outDir);
  const parentBefore = (await readdir(path.dirname(outDir))).sort();

  let calls = 0;
  const failing: Fs = {
    ...nodeFs,
    writeFile: async (p, d) => {
      calls++;
      if (calls === 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return nodeFs.writeFile(p, d);
    },
  };
  const next: OutputFile[] = SITE.map((f) => ({ ...f, contents: 'NEW ' + String(f.contents) }));
  const r = await writeOutput(failing, next, options(outDir));
  assert.ok(calls >= 3, `the failing write was reached (${calls} writes)`); // writes already started may finish
  assert.deepEqual(counts(r.value), { written: 0, unchanged: 0, removed: 0 });
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['output/write-failed', 'error']]);
  assert.deepEqual(await snapshot(outDir), before);
  assert.deepEqual((await readdir(path.dirname(outDir))).sort(), parentBefore);
});

test('an output path with .. is refused and nothing is written outside the output folder', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const before = await snapshot(outDir);
  for (const outPath of ['../escape.html', 'posts/../../escape.html', path.join(root, 'escape.html')]) {
    const r = await writeOutput(nodeFs, [{ outPath: 'index.html', contents: 'x' }, { outPath, contents: 'gotcha' }], options(outDir));
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['output/write-failed'], outPath);
    assert.deepEqual(counts(r.value), { written: 0, unchanged: 0, removed: 0 });
  }
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
  assert.deepEqual(await snapshot(outDir), before);
});

test('a .. inside the output folder that stays inside is fine', async (t) => {
  const { outDir, options } = await project(t);
  const r = await writeOutput(nodeFs, [{ outPath: 'posts/../about/index.html', contents: 'about' }], options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.equal((await readFile(path.join(outDir, 'about', 'index.html'))).toString(), 'about');
});

test('a previous site left in a -old folder by a killed build is put back before writing', async (t) => {
  const { root, outDir, options } = await project(t);
  const old = path.join(root, '.public.quire-old-999999');
  await mkdir(old);
  await writeFile(path.join(old, MARKER_FILE), 'ours');
  await writeFile(path.join(old, 'index.html'), 'previous');
  const stray = path.join(root, '.public.quire-tmp-999998');
  await mkdir(stray);
  await writeFile(path.join(stray, MARKER_FILE), 'ours');
  // Same name pattern but not ours: never touched.
  const foreign = path.join(root, '.public.quire-tmp-999997');
  await mkdir(foreign);
  await writeFile(path.join(foreign, 'keep.txt'), 'keep');

  let renamedOldBack = false;
  const spy: Fs = { ...nodeFs, rename: (a, b) => ((renamedOldBack ||= a === old && b === outDir), nodeFs.rename(a, b)) };
  const r = await writeOutput(spy, SITE, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(renamedOldBack, true);
  assert.deepEqual((await readdir(root)).sort(), ['.public.quire-tmp-999997', 'content', 'public', 'templates']);
  assert.equal((await readFile(path.join(foreign, 'keep.txt'))).toString(), 'keep');
  assert.equal((await readFile(path.join(outDir, 'index.html'))).toString(), '<h1>Home</h1>');
});

test('a later build writes only what changed: unchanged files keep their inode and mtime, stale files and their empty folders go', async (t) => {
  const { outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const { stat } = await import('node:fs/promises');
  const before = new Map(await Promise.all(SITE.map(async (f) => [f.outPath, await stat(path.join(outDir, f.outPath))] as const)));
  await new Promise((r) => setTimeout(r, 20)); // so that a rewrite would show in the mtime
  const next: OutputFile[] = [
    { outPath: 'index.html', contents: '<h1>Home, changed</h1>' },
    { outPath: 'assets/logo.bin', contents: new Uint8Array([0, 1, 2, 255]) },
    { outPath: 'feed.xml', contents: '<feed/>' },
    { outPath: 'posts/new/index.html', contents: '<h1>New</h1>' },
  ];
  const r = await writeOutput(nodeFs, next, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(counts(r.value), { written: 2, unchanged: 2, removed: 1 });
  for (const same of ['assets/logo.bin', 'feed.xml']) {
    const now = await stat(path.join(outDir, same));
    assert.equal(now.ino, before.get(same)!.ino, `${same} was not rewritten`);
    assert.equal(now.mtimeMs, before.get(same)!.mtimeMs);
  }
  const files = await snapshot(outDir);
  assert.equal(files.get('index.html')!.toString(), '<h1>Home, changed</h1>');
  assert.equal(files.has(path.join('posts', 'hello', 'index.html')), false);
  assert.deepEqual(await readdir(path.join(outDir, 'posts')), ['new'], 'the emptied posts/hello/ folder is removed');
  assert.deepEqual((await readdir(path.dirname(outDir))).sort(), ['content', 'public', 'templates'], 'no staging folder or lock left');
  // Nothing changed: nothing is written at all.
  const again = await writeOutput(nodeFs, next, options(outDir));
  assert.deepEqual(counts(again.value), { written: 0, unchanged: 4, removed: 0 });
});

test('a file changed by hand to another size is rewritten; --no-cache (incremental: false) rewrites everything', async (t) => {
  const { outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  await writeFile(path.join(outDir, 'feed.xml'), 'edited by hand');
  const r = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(counts(r.value), { written: 1, unchanged: 3, removed: 0 });
  assert.equal((await readFile(path.join(outDir, 'feed.xml'))).toString(), '<feed/>');
  const full = await writeOutput(nodeFs, SITE, { ...options(outDir), incremental: false });
  assert.deepEqual(counts(full.value), { written: 4, unchanged: 0, removed: 0 });
});

test('a build that fails while applying its journal is completed by the next build', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const next: OutputFile[] = SITE.map((f) => ({ ...f, contents: 'NEW ' + String(f.contents) })).filter((f) => f.outPath !== 'feed.xml');
  let moved = 0;
  const rename: Fs['rename'] = async (a, b) => {
    if (b.startsWith(outDir + path.sep) && !b.endsWith('.part') && ++moved === 2) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    return nodeFs.rename(a, b);
  };
  const dying: Fs = { ...nodeFs, rename, renames: renamesVia(rename) };
  const r = await writeOutput(dying, next, options(outDir));
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['output/apply-failed']);
  const stage = (await readdir(root)).filter((n) => n.startsWith('.public.quire-tmp-'));
  assert.equal(stage.length, 1, 'the committed staging folder is kept for the next build');
  // The next build (whatever it writes) first finishes the interrupted one, then does its own work.
  const fixed = await writeOutput(nodeFs, next, options(outDir));
  assert.deepEqual(fixed.diagnostics, []);
  const files = await snapshot(outDir);
  for (const f of next) assert.equal(files.get(f.outPath.split('/').join(path.sep))!.toString(), String(f.contents));
  assert.equal(files.has('feed.xml'), false);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a later build stages its changes flat (no folders to make or remove) and its journal says where each goes', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const next: OutputFile[] = [...SITE.map((f) => ({ ...f, contents: 'NEW ' + String(f.contents) })), { outPath: 'posts/new/deep/index.html', contents: '<h1>New</h1>' }];
  let staged = null as { journal: { writes: [string, string][] }; folders: string[] } | null;
  const watching: Fs = {
    ...nodeFs,
    rename: async (a, b) => {
      if (b.endsWith('.quire-journal.json')) {
        const stage = path.dirname(b);
        await nodeFs.rename(a, b);
        const entries = await readdir(stage, { withFileTypes: true });
        staged = { journal: JSON.parse(await readFile(b, 'utf8')), folders: entries.filter((e) => e.isDirectory()).map((e) => e.name) };
        return;
      }
      return nodeFs.rename(a, b);
    },
  };
  const r = await writeOutput(watching, next, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(counts(r.value), { written: 5, unchanged: 0, removed: 0 });
  assert.ok(staged, 'the journal was committed');
  assert.deepEqual(staged!.folders, [], 'nothing but files in the staging folder');
  assert.deepEqual(staged!.journal.writes.map(([rel]) => rel), next.map((f) => f.outPath).sort());
  assert.ok(staged!.journal.writes.every(([rel, name]) => !name.includes('/') && name !== rel));
  const files = await snapshot(outDir);
  for (const f of next) assert.equal(files.get(f.outPath.split('/').join(path.sep))!.toString(), String(f.contents));
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a journal left by an older Quire (each file staged at its own path) is still completed', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const stage = path.join(root, '.public.quire-tmp-999990');
  await mkdir(path.join(stage, 'posts', 'hello'), { recursive: true });
  await writeFile(path.join(stage, MARKER_FILE), 'ours');
  await writeFile(path.join(stage, 'posts', 'hello', 'index.html'), '<h1>Hi!!</h1>');
  const manifest = [['posts/hello/index.html', { hash: '0'.repeat(40), size: 13 }]];
  await writeFile(path.join(stage, '.quire-journal.json'), JSON.stringify({ writes: ['posts/hello/index.html'], removes: ['feed.xml'], manifest }));
  const r = await writeOutput(nodeFs, [SITE[1]!], options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(await readFile(path.join(outDir, 'posts', 'hello', 'index.html'), 'utf8'), '<h1>Hello</h1>', 'completed, then this build wrote its own bytes');
  const left = await readdir(outDir);
  assert.equal(left.includes('feed.xml'), false, 'the journal removed it');
  assert.equal(left.includes('index.html'), true, 'applied, not rewritten whole (which would keep only this build\'s one file)');
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a journal whose staged name leaves the staging folder is never applied', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  await writeFile(path.join(root, 'content', 'secret.md'), 'secret');
  const stage = path.join(root, '.public.quire-tmp-999990');
  await mkdir(stage);
  await writeFile(path.join(stage, MARKER_FILE), 'ours');
  await writeFile(path.join(stage, '.quire-journal.json'), JSON.stringify({ writes: [['stolen.md', '../content/secret.md']], removes: [], manifest: [] }));
  const r = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(await readFile(path.join(root, 'content', 'secret.md'), 'utf8'), 'secret', 'not moved');
  assert.equal((await readdir(outDir)).includes('stolen.md'), false);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a staging folder without a journal (a build killed while writing) is removed and the output was never touched', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const before = await snapshot(outDir);
  const stage = path.join(root, '.public.quire-tmp-999990');
  await mkdir(path.join(stage, 'posts'), { recursive: true });
  await writeFile(path.join(stage, MARKER_FILE), 'ours');
  await writeFile(path.join(stage, 'index.html'), 'half-written');
  const r = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(counts(r.value), { written: 0, unchanged: 4, removed: 0 });
  assert.deepEqual(await snapshot(outDir), before);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a second build while another live process holds the lock fails with output/locked and writes nothing; a stale lock is taken over', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const before = await snapshot(outDir);
  const lock = path.join(root, '.public.quire-lock');
  await writeFile(lock, `${process.ppid}\n`); // a process that is certainly alive, and not us
  const r = await writeOutput(nodeFs, SITE.map((f) => ({ ...f, contents: 'other' })), options(outDir));
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['output/locked', 'error']]);
  assert.match(r.diagnostics[0]!.message, new RegExp(`process ${process.ppid}`));
  assert.match(r.diagnostics[0]!.hint!, /\.public\.quire-lock/);
  assert.deepEqual(await snapshot(outDir), before);
  assert.equal((await readFile(lock)).toString(), `${process.ppid}\n`, 'the other build\'s lock is left alone');

  await writeFile(lock, '2147483646\n'); // no such process: a killed build's lock
  const taken = await writeOutput(nodeFs, SITE.map((f) => ({ ...f, contents: 'other' })), options(outDir));
  assert.deepEqual(taken.diagnostics, []);
  assert.equal((await readFile(path.join(outDir, 'index.html'))).toString(), 'other');
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('the report names the digest of the marker the output folder now holds', async (t) => {
  const { outDir, options } = await project(t);
  const { createHash } = await import('node:crypto');
  const markerDigest = async () => createHash('sha1').update(await readFile(path.join(outDir, MARKER_FILE), 'utf8')).digest('hex');
  const first = await writeOutput(nodeFs, SITE, options(outDir));
  assert.equal(first.value.marker, await markerDigest());
  const same = await writeOutput(nodeFs, SITE, options(outDir));
  assert.equal(same.value.marker, first.value.marker);
  const changed = await writeOutput(nodeFs, SITE.slice(1), options(outDir));
  assert.equal(changed.value.marker, await markerDigest());
  assert.notEqual(changed.value.marker, first.value.marker);
});

test('a marker edited to list a path outside the output folder deletes nothing there: the manifest is not used', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const victim = path.join(root, 'content', 'precious.md');
  await writeFile(victim, 'my only copy');
  const marker = path.join(outDir, MARKER_FILE);
  await writeFile(marker, (await readFile(marker, 'utf8')) + `${'0'.repeat(40)} 12 ../content/precious.md\n`);
  const r = await writeOutput(nodeFs, SITE.slice(1), options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.equal((await readFile(victim)).toString(), 'my only copy');
  assert.deepEqual(counts(r.value), { written: 3, unchanged: 0, removed: 0 }, 'written whole, as without a manifest');
  assert.equal((await readdir(outDir)).includes('index.html'), false);
});

/**
 * nodeFs, refusing to rename or write into a folder without write permission as the kernel does
 * for anyone but root (the tests may run as root, which ignores the mode bits).
 */
const permissionsEnforced: Fs = (() => {
  const writable = async (dir: string) => {
    const { stat } = await import('node:fs/promises');
    const st = await stat(dir).catch(() => null);
    if (st && !(st.mode & 0o200)) throw Object.assign(new Error(`EACCES: permission denied, '${dir}'`), { code: 'EACCES' });
  };
  const rename: Fs['rename'] = async (a, b) => (await writable(path.dirname(a)), await writable(path.dirname(b)), nodeFs.rename(a, b));
  return {
    ...nodeFs,
    rename,
    renames: renamesVia(rename),
    writeFile: async (p, d) => (await writable(path.dirname(p)), nodeFs.writeFile(p, d)),
  };
})();

test('an apply that fails on an unwritable sub-folder says the output is partly updated; while the cause persists the next build says so again and writes nothing new; once fixed, it completes', async (t) => {
  const { chmod } = await import('node:fs/promises');
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const locked = path.join(outDir, 'posts', 'hello');
  await chmod(locked, 0o555);
  t.after(() => chmod(locked, 0o755).catch(() => undefined));
  const next: OutputFile[] = SITE.map((f) => ({ ...f, contents: 'NEW ' + String(f.contents) })).filter((f) => f.outPath !== 'feed.xml');

  const r = await writeOutput(permissionsEnforced, next, options(outDir));
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['output/apply-failed', 'error']]);
  assert.match(r.diagnostics[0]!.message, /EACCES.*public is partly updated/);
  assert.match(r.diagnostics[0]!.hint!, /the next build completes the update/);
  assert.equal(r.value.partial, true);
  assert.equal(await readFile(path.join(outDir, 'index.html'), 'utf8'), 'NEW <h1>Home</h1>', 'moved before the failure: the site is half-updated');

  const stages = async () => (await readdir(root)).filter((n) => n.startsWith('.public.quire-'));
  const again = await writeOutput(permissionsEnforced, next, options(outDir));
  assert.deepEqual(again.diagnostics.map((d) => d.code), ['output/apply-failed']);
  assert.match(again.diagnostics[0]!.message, /an earlier build started.*EACCES.*public is partly updated/);
  assert.equal(again.value.partial, true);
  assert.equal((await stages()).length, 1, 'one staging folder: nothing new was staged on top of the unfinished one');

  await chmod(locked, 0o755);
  const fixed = await writeOutput(permissionsEnforced, next, options(outDir));
  assert.deepEqual(fixed.diagnostics, []);
  assert.equal(fixed.value.partial, undefined);
  const files = await snapshot(outDir);
  for (const f of next) assert.equal(files.get(f.outPath.split('/').join(path.sep))!.toString(), String(f.contents));
  assert.equal(files.has('feed.xml'), false);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a journal that cannot be read is not applied: its staging folder is removed and the output is rewritten whole', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const stage = path.join(root, '.public.quire-tmp-999990');
  await mkdir(stage);
  await writeFile(path.join(stage, MARKER_FILE), 'ours');
  await writeFile(path.join(stage, '.quire-journal.json'), '{"writes": ["index.html"], "removes": ["../content"'); // cut off
  await writeFile(path.join(outDir, 'index.html'), '<h1>Half</h1>'); // the same size as the manifest says
  const r = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(counts(r.value), { written: 4, unchanged: 0, removed: 0 }, 'written whole');
  assert.equal(await readFile(path.join(outDir, 'index.html'), 'utf8'), '<h1>Home</h1>');
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a committed journal whose output folder was deleted since is dropped, and the site is written whole', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const stage = path.join(root, '.public.quire-tmp-999990');
  await mkdir(stage);
  await writeFile(path.join(stage, MARKER_FILE), 'ours');
  await writeFile(path.join(stage, '.quire-journal.json'), JSON.stringify({ writes: [], removes: ['feed.xml'], manifest: [] }));
  await rm(outDir, { recursive: true });
  const r = await writeOutput(nodeFs, SITE, options(outDir));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(counts(r.value), { written: 4, unchanged: 0, removed: 0 });
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('files put while the site renders go to the staging folder at once and reach the output folder only at finish; the list keeps them without their bytes', async (t) => {
  const { root, outDir, options } = await project(t);
  const { sink, diagnostics } = await openOutput(nodeFs, options(outDir));
  assert.deepEqual(diagnostics, []);
  const taken = SITE.slice(0, 2).map((f) => sink!.put(f, () => f.contents));
  await sink!.settled();
  const stage = (await readdir(root)).find((n) => n.startsWith('.public.quire-tmp-'));
  assert.ok(stage, 'a staging folder beside the output folder');
  assert.equal((await readFile(path.join(root, stage, 'posts/hello/index.html'), 'utf8')), '<h1>Hello</h1>');
  assert.deepEqual((await readdir(root)).includes('public'), false, 'nothing in the output folder yet');
  for (const [i, f] of taken.entries()) {
    assert.equal(f.contents, KEPT);
    assert.equal(contentsOf(f), SITE[i]!.contents, 'made again on request');
  }
  const r = await sink!.finish([...taken, ...SITE.slice(2)]);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(counts(r.value), { written: 4, unchanged: 0, removed: 0 });
  const files = await snapshot(outDir);
  assert.equal(files.get('index.html')!.toString(), '<h1>Home</h1>');
  assert.deepEqual([...files.get(path.join('assets', 'logo.bin'))!], [0, 1, 2, 255]);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates'], 'no staging folder or lock left');
});

test('a build that fails after its pages were put discards them: the output folder is byte-identical, no staging folder or lock is left', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const before = await snapshot(outDir);
  const { sink } = await openOutput(nodeFs, options(outDir));
  sink!.put({ outPath: 'index.html', contents: '<h1>Half a build</h1>' }, () => '');
  sink!.put({ outPath: 'posts/new/index.html', contents: '<h1>New</h1>' }, () => '');
  await sink!.discard();
  assert.deepEqual(await snapshot(outDir), before);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
  const again = await writeOutput(nodeFs, SITE, options(outDir)); // the lock was released
  assert.deepEqual(again.diagnostics, []);
});

test('a later build: a page put with the bytes the output holds is not written again, and a file listed at a taken page path replaces it', async (t) => {
  const { outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const { stat } = await import('node:fs/promises');
  const inode = (await stat(path.join(outDir, 'index.html'))).ino;
  const { sink } = await openOutput(nodeFs, options(outDir));
  const home = sink!.put(SITE[0]!, () => SITE[0]!.contents);
  sink!.put({ outPath: 'posts/hello/index.html', contents: '<h1>Hello, as rendered</h1>' }, () => '');
  await sink!.settled();
  const r = await sink!.finish([home, { outPath: 'posts/hello/index.html', contents: '<h1>Hello, from static/</h1>' }, ...SITE.slice(2)]);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(counts(r.value), { written: 1, unchanged: 3, removed: 0 });
  assert.equal((await stat(path.join(outDir, 'index.html'))).ino, inode, 'index.html was not rewritten');
  assert.equal(await readFile(path.join(outDir, 'posts/hello/index.html'), 'utf8'), '<h1>Hello, from static/</h1>');
});

test('a page put at a path that leaves the output folder is not taken, and finish writes nothing', async (t) => {
  const { root, outDir, options } = await project(t);
  const { sink } = await openOutput(nodeFs, options(outDir));
  const evil: OutputFile = { outPath: '../evil.html', contents: 'x' };
  assert.equal(sink!.put(evil, () => 'x'), evil);
  const r = await sink!.finish([...SITE, evil]);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['output/write-failed']);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'templates']);
});

test('discarding a write stage that has finished does nothing: the lock another build took since stays its own', async (t) => {
  const { root, outDir, options } = await project(t);
  const first = (await openOutput(nodeFs, options(outDir))).sink!;
  assert.deepEqual((await first.finish(SITE)).diagnostics, []);
  const second = (await openOutput(nodeFs, options(outDir))).sink!;
  await first.discard(); // what the build's clean-up does after a finish
  const lock = path.join(root, '.public.quire-lock');
  assert.equal(await readFile(lock, 'utf8'), `${process.pid}\n`, 'the second stage still holds its lock');
  assert.ok((await readdir(root)).some((n) => n.startsWith('.public.quire-tmp-')), 'and its staging folder');
  assert.deepEqual((await second.finish(SITE)).diagnostics, []);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});

test('a folder listed under another spelling of its name (a file system that ignores case or Unicode form) still counts as there; a link or a missing folder does not', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-ondisk-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'public');
  await mkdir(path.join(out, 'images'), { recursive: true });
  await writeFile(path.join(out, 'images/a.png'), 'png');
  await mkdir(path.join(dir, 'elsewhere'));
  await writeFile(path.join(dir, 'elsewhere/b.png'), 'png');
  await symlink(path.join(dir, 'elsewhere'), path.join(out, 'linked'));
  // As macOS lists a folder made as `Images` and asked for as `images`.
  const listsOtherCase: Fs = { ...nodeFs, readdir: async (p) => (await nodeFs.readdir(p)).map((e) => (e.name === 'images' ? Object.assign(Object.create(Object.getPrototypeOf(e) as object) as typeof e, e, { name: 'Images' }) : e)) };
  const entry = { hash: 'x', size: 3 };
  assert.deepEqual(await onDisk(listsOtherCase, out, [['images/a.png', entry], ['linked/b.png', entry], ['gone/c.png', entry]]), [true, false, false]);
  assert.deepEqual(await onDisk(nodeFs, out, [['images/a.png', entry], ['images/a.png', { hash: 'x', size: 4 }]]), [true, false], 'the size counts');
});

/** A site of `n` pages (past the point where the writing thread starts), some in shared memory as the slab encoder makes them. */
function manyPages(n: number, version: string): OutputFile[] {
  const slab = Buffer.from(new SharedArrayBuffer(64 * n));
  return Array.from({ length: n }, (_, i) => {
    const outPath = i % 3 === 0 ? `posts/p${i}/index.html` : `page-${i}.html`;
    if (i % 2 === 0) return { outPath, contents: `<p>${version} ${i} é</p>` };
    const text = `<p>${version} ${i} shared</p>`;
    const at = slab.write(text, 64 * i);
    return { outPath, contents: slab.subarray(64 * i, 64 * i + at) };
  });
}

test('written from a worker thread (offThread), many files give the same output folder as written on this thread, first build and changes alike', async (t) => {
  const { root, options } = await project(t);
  const onThread = path.join(root, 'a');
  const offThread = path.join(root, 'b');
  for (const version of ['v1', 'v2']) {
    const site = manyPages(300, version);
    site.push(...manyPages(40, 'same').map((f) => ({ ...f, outPath: `kept/${f.outPath}` }))); // unchanged in v2
    const a = await writeOutput(nodeFs, site, options(onThread));
    const b = await writeOutput(nodeFs, site, { ...options(offThread), offThread: true });
    assert.deepEqual(b.diagnostics, []);
    assert.deepEqual(counts(b.value), counts(a.value));
    assert.deepEqual(await snapshot(offThread), await snapshot(onThread), version);
  }
  assert.deepEqual((await readdir(root)).sort(), ['a', 'b', 'content', 'templates'], 'no staging folder left');
});

test('a write that fails on the writing thread is reported, and leaves the previous output byte-identical and no staging folder', async (t) => {
  const { root, outDir, options } = await project(t);
  await writeOutput(nodeFs, SITE, options(outDir));
  const before = await snapshot(outDir);
  // Written whole (no manifest used), each file under its own name: one too long for the disk, after the thread has started.
  const site = [...manyPages(200, 'next'), { outPath: `${'x'.repeat(300)}.html`, contents: 'too long a name' }];
  const r = await writeOutput(nodeFs, site, { ...options(outDir), incremental: false, offThread: true });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['output/write-failed']);
  assert.match(r.diagnostics[0]!.message, /ENAMETOOLONG|name too long/i);
  assert.deepEqual(await snapshot(outDir), before);
  assert.deepEqual((await readdir(root)).sort(), ['content', 'public', 'templates']);
});
