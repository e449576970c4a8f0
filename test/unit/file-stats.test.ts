/**
 * Unit tests for src/cache/file-stats.ts: a one-shot build reads only the content files whose stat
 * changed since the last build, and never trusts a stat that could hide a change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeFs, type Fs } from '../../src/fs.ts';
import { FileHints } from '../../src/cache/file-stats.ts';
import { build } from '../../src/build.ts';
import { snapshot, tempDir, TEMPLATES } from '../helpers.ts';

const LATER = () => Date.now() + 60_000; // a read "a minute from now": every file is old enough to be recorded

test('a recorded stat gives the digest back; any change of size, times or inode does not', async (t) => {
  const dir = await tempDir(t, 'quire-hints-');
  const file = path.join(dir, 'a.md');
  await writeFile(file, 'one');
  const hints = await FileHints.read(nodeFs, dir, LATER());
  hints.record('a.md', await stat(file), 'd1');
  await hints.save(nodeFs, dir);

  const again = await FileHints.read(nodeFs, dir, LATER());
  assert.equal(again.digest('a.md', await stat(file)), 'd1');
  assert.equal(again.digest('b.md', await stat(file)), undefined, 'another path');
  await writeFile(file, 'two'); // same size, new bytes: mtime and ctime move
  assert.equal(again.digest('a.md', await stat(file)), undefined);
});

test('a file changed within two seconds before the read is not recorded (racily clean)', async (t) => {
  const dir = await tempDir(t, 'quire-hints-');
  const file = path.join(dir, 'a.md');
  await writeFile(file, 'one');
  const hints = await FileHints.read(nodeFs, dir, Date.now());
  hints.record('a.md', await stat(file), 'd1');
  await hints.save(nodeFs, dir);
  assert.equal((await FileHints.read(nodeFs, dir, LATER())).digest('a.md', await stat(file)), undefined);
});

test('a damaged, foreign or oversized files.json gives no hints and is replaced by the next save', async (t) => {
  const dir = await tempDir(t, 'quire-hints-');
  const file = path.join(dir, 'a.md');
  await writeFile(file, 'one');
  for (const text of ['{"version":1,"files":{"a.md":[1,2,3]}}', '{not json', '{"version":99,"files":{}}']) {
    await writeFile(path.join(dir, 'files.json'), text);
    const hints = await FileHints.read(nodeFs, dir, LATER());
    assert.equal(hints.digest('a.md', await stat(file)), undefined, text);
    await hints.save(nodeFs, dir);
    assert.deepEqual(JSON.parse(await readFile(path.join(dir, 'files.json'), 'utf8')), { version: 1, files: {} }, text);
  }
});

/** nodeFs, recording the content files read whole. */
function readsOf(into: string[]): Fs {
  return { ...nodeFs, readFile: (p) => (p.endsWith('.md') && into.push(path.basename(p)), nodeFs.readFile(p)) };
}

test('npm run build reads only the posts whose stat changed, and builds the same site as without hints', async (t) => {
  const root = await tempDir(t, 'quire-hints-');
  await mkdir(path.join(root, 'content/posts'), { recursive: true });
  await cp(TEMPLATES, path.join(root, 'templates'), { recursive: true });
  for (let i = 1; i <= 5; i++) await writeFile(path.join(root, `content/posts/p${i}.md`), `---\ntitle: Post ${i}\nslug: p${i}\ndate: 2024-01-0${i}\n---\nBody ${i}.\n`);
  const options = (fs: Fs) => ({ root, contentDir: path.join(root, 'content'), templatesDir: path.join(root, 'templates'), outDir: path.join(root, 'public'), fs, workers: 1, cwd: root });
  await sleep(2100); // the posts are now older than the racy window
  const first: string[] = [];
  assert.equal((await build(options(readsOf(first)))).ok, true);
  assert.equal(first.length, 5, 'the first build reads every post');

  await writeFile(path.join(root, 'content/posts/p3.md'), `---\ntitle: Post 3, changed\nslug: p3\ndate: 2024-01-03\n---\nBody 3.\n`);
  const second: string[] = [];
  const report = await build(options(readsOf(second)));
  assert.equal(report.ok, true);
  assert.deepEqual(second, ['p3.md'], 'only the changed post is read');
  assert.match(await readFile(path.join(root, 'public/posts/p3/index.html'), 'utf8'), /Post 3, changed/);

  // The same content built with no cache at all gives the same bytes.
  const site = await snapshot(path.join(root, 'public'));
  const fresh = await build({ ...options(nodeFs), outDir: path.join(root, 'fresh'), cache: false });
  assert.equal(fresh.ok, true);
  const other = await snapshot(path.join(root, 'fresh'));
  site.delete('.quire-output');
  other.delete('.quire-output');
  assert.deepEqual(other, site);
});

test('content changed with its size and mtime put back (cp -p, rsync -t) is caught by the change time', async (t) => {
  const dir = await tempDir(t, 'quire-hints-');
  const file = path.join(dir, 'a.md');
  const then = new Date('2020-01-01T00:00:00Z'); // whole seconds: set back exactly
  await writeFile(file, 'one');
  await utimes(file, then, then);
  const before = await stat(file);
  const hints = await FileHints.read(nodeFs, dir, LATER());
  hints.record('a.md', before, 'd1');
  await hints.save(nodeFs, dir);
  await sleep(20);
  await writeFile(file, 'two');
  await utimes(file, then, then); // size and mtime as recorded
  const after = await stat(file);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.equal((await FileHints.read(nodeFs, dir, LATER())).digest('a.md', after), undefined, 'the change time moved: the file is read');
});
