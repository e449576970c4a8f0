/** Unit tests for src/fs.ts: the batch operations answer for each path, in order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { lstatSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isErrno, memoryFs, nodeFs } from '../../src/fs.ts';

test('renames moves each pair in order and gives each its own error, without stopping at one', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-fs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'to'));
  for (const name of ['a', 'b', 'c']) await writeFile(path.join(dir, name), name);
  const errors = await nodeFs.renames([
    [path.join(dir, 'a'), path.join(dir, 'to', 'a')],
    [path.join(dir, 'gone'), path.join(dir, 'to', 'gone')],
    [path.join(dir, 'b'), path.join(dir, 'no-such-folder', 'b')],
    [path.join(dir, 'c'), path.join(dir, 'to', 'a')], // replaces the file moved first: order kept
  ]);
  assert.equal(errors[0], null);
  assert.ok(isErrno(errors[1], 'ENOENT'));
  assert.ok(isErrno(errors[2], 'ENOENT'));
  assert.equal(errors[3], null);
  assert.deepEqual(await readdir(path.join(dir, 'to')), ['a']);
  assert.equal(await readFile(path.join(dir, 'to', 'a'), 'utf8'), 'c');
  assert.deepEqual((await readdir(dir)).sort(), ['b', 'to']);
});

test('renames with clearTargets: the file in the way is removed first, a link at a target is removed and never followed, a folder at a target is an error and is left as it was', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-fs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'out', 'folder'), { recursive: true });
  await writeFile(path.join(dir, 'out', 'folder', 'kept'), 'kept');
  await writeFile(path.join(dir, 'out', 'page'), 'old page');
  await writeFile(path.join(dir, 'elsewhere'), 'not ours');
  await symlink(path.join(dir, 'elsewhere'), path.join(dir, 'out', 'link'));
  for (const name of ['1', '2', '3', '4']) await writeFile(path.join(dir, name), `new ${name}`);
  const errors = await nodeFs.renames(
    [
      [path.join(dir, '1'), path.join(dir, 'out', 'page')],
      [path.join(dir, '2'), path.join(dir, 'out', 'link')],
      [path.join(dir, '3'), path.join(dir, 'out', 'folder')],
      [path.join(dir, '4'), path.join(dir, 'out', 'new')],
    ],
    { clearTargets: true },
  );
  assert.equal(errors[0], null);
  assert.equal(errors[1], null);
  assert.ok(errors[2] && ['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes((errors[2] as NodeJS.ErrnoException).code!), String(errors[2]));
  assert.equal(errors[3], null);
  assert.equal(await readFile(path.join(dir, 'out', 'page'), 'utf8'), 'new 1');
  assert.equal(await readFile(path.join(dir, 'out', 'link'), 'utf8'), 'new 2');
  assert.equal((await lstat(path.join(dir, 'out', 'link'))).isSymbolicLink(), false);
  assert.equal(await readFile(path.join(dir, 'elsewhere'), 'utf8'), 'not ours', 'what the link pointed to is untouched');
  assert.deepEqual(await readdir(path.join(dir, 'out', 'folder')), ['kept']);
  assert.equal(await readFile(path.join(dir, '3'), 'utf8'), 'new 3', 'the source of a failed rename stays');
  assert.equal(await readFile(path.join(dir, 'out', 'new'), 'utf8'), 'new 4');
});

test('stats gives each path its kind, size, times and inode as Node\'s stat does, following links or not; null for a path that is not there', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-fs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'file'), 'twelve bytes');
  await mkdir(path.join(dir, 'folder'));
  await symlink(path.join(dir, 'file'), path.join(dir, 'link'));
  const paths = ['file', 'folder', 'link', 'gone'].map((n) => path.join(dir, n));
  for (const follow of [false, true]) {
    const got = await nodeFs.stats(paths, follow);
    assert.equal(got[3], null);
    for (const [i, p] of paths.slice(0, 3).entries()) {
      const want = follow ? statSync(p) : lstatSync(p);
      const st = got[i]!;
      assert.deepEqual(
        { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, file: st.isFile(), folder: st.isDirectory() },
        { size: want.size, mtimeMs: want.mtimeMs, ctimeMs: want.ctimeMs, ino: want.ino, file: want.isFile(), folder: want.isDirectory() },
        `${p}, follow: ${follow}`,
      );
    }
    assert.equal(got[2]!.isFile(), follow, 'a link is a file only when followed');
  }
});

test('the in-memory file system renames the same way', async () => {
  const fs = memoryFs({ '/x/a': 'a', '/x/c': 'c' });
  const errors = await fs.renames([
    ['/x/a', '/y/a'],
    ['/x/gone', '/y/gone'],
    ['/x/c', '/y/a'],
  ]);
  assert.deepEqual(errors.map((e) => (e ? (e as NodeJS.ErrnoException).code : null)), [null, 'ENOENT', null]);
  assert.equal((await fs.readFile('/y/a')).toString(), 'c');
});

test('a file given as pieces made one at a time is written whole, on disk and in memory', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-fs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  function* pieces() {
    for (const word of ['one ', 'two ', 'three']) yield Buffer.from(word);
  }
  await nodeFs.writeFile(path.join(dir, 'f'), pieces());
  assert.equal(await readFile(path.join(dir, 'f'), 'utf8'), 'one two three');
  const fs = memoryFs({});
  await fs.writeFile('/m/f', pieces());
  assert.equal(Buffer.from(await fs.readFile('/m/f')).toString('utf8'), 'one two three');
});
