/** Unit tests for src/fs.ts: the batch operations answer for each path, in order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
