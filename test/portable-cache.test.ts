/**
 * Issue 15, deploys build warm: the build cache is portable. A project built in one folder and then
 * copied with its `.cache/` into another (a deploy restoring `.cache/quire` into a fresh checkout),
 * or moved whole, builds from its cache there: no post is parsed again, and the site is
 * byte-identical. Run through the CLI, as a deploy runs it, from the project folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN, copyJekyllPosts, runProcess, snapshot, tempDir, TEMPLATES } from './helpers.ts';

const quire = (project: string) => runProcess(process.execPath, [BIN, 'build', '--verbose'], project);
/** The `--verbose` cache line: hits, misses, and posts parsed. */
const cacheLine = (stderr: string) => /^ {2}cache: (\d+) hits, (\d+) misses; (\d+) parsed/m.exec(stderr)?.slice(1).map(Number);

test('a project copied or moved to another folder with its cache builds from it: nothing parsed, the same bytes', async (t) => {
  const dir = await tempDir(t);
  const a = path.join(dir, 'a');
  const posts = await copyJekyllPosts(path.join(a, 'content/posts'));
  await cp(TEMPLATES, path.join(a, 'templates'), { recursive: true });
  await writeFile(path.join(a, 'quire.config.yml'), 'title: Portable\nbaseUrl: https://example.com/blog/\n');

  const first = await quire(a);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(cacheLine(first.stderr), [0, posts.length, posts.length], first.stderr);
  const site = await snapshot(path.join(a, 'public'));

  // Nothing the build keeps names the folder it ran in: not the cache, not public/'s manifest.
  for (const kept of ['.cache/quire', 'public']) {
    for (const [rel, bytes] of await snapshot(path.join(a, kept))) assert.equal(bytes.includes(a), false, `${kept}/${rel} names ${a}`);
  }
  assert.ok((await readdir(path.join(a, '.cache/quire'))).includes('posts.bin'));

  // A deploy: a fresh checkout elsewhere (no public/), every file with another mtime, .cache/ restored.
  const b = path.join(dir, 'b');
  await cp(a, b, { recursive: true, filter: (from) => from !== path.join(a, 'public') });
  const later = new Date('2030-01-01T00:00:00Z');
  for (const name of posts) await utimes(path.join(b, 'content/posts', name), later, later);
  const deploy = await quire(b);
  assert.equal(deploy.code, 0, deploy.stderr);
  assert.deepEqual(cacheLine(deploy.stderr), [posts.length, 0, 0], `every post from the cache:\n${deploy.stderr}`);
  assert.deepEqual(await snapshot(path.join(b, 'public')), site, 'byte-identical to the site built in the first folder');

  // The whole folder moved, public/ included: nothing changed, nothing is written.
  const c = path.join(dir, 'c');
  await rename(a, c);
  const moved = await quire(c);
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /nothing changed since the last build, nothing written/);
  assert.deepEqual(await snapshot(path.join(c, 'public')), site);

  // And the build record written after the deploy build is the same as the first folder's.
  assert.equal(await readFile(path.join(b, '.cache/quire/last-build.json'), 'utf8'), await readFile(path.join(c, '.cache/quire/last-build.json'), 'utf8'));
});
