/**
 * Unit tests for the cache files (src/cache/post-cache.ts, and the last-build record beside it):
 * a file too large to be ours is rejected by its size without being read, a folder in a cache
 * file's place is left alone, and saving never leaves a temporary file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nodeFs, type Fs } from '../../src/fs.ts';
import type { PostEntry } from '../../src/content/process.ts';
import { openPostCache } from '../../src/cache/post-cache.ts';
import { readRecord, removeRecord, writeRecord } from '../../src/cache/build-record.ts';
import { tempDir } from '../helpers.ts';

const ENTRY = { absPath: '/site/content/a.md', digest: 'd', post: null, content: null, diagnostics: [] } as PostEntry;
const RECORD = { key: 'k', marker: 'm', nextChangeAt: null, posts: 1, pages: 2, skipped: { drafts: 0, future: 0 }, diagnostics: [] };

/** nodeFs, counting the files read whole. */
function countingFs(): Fs & { reads: string[] } {
  const reads: string[] = [];
  return { ...nodeFs, reads, readFile: (p) => (reads.push(path.basename(p)), nodeFs.readFile(p)) };
}

test('a cache file larger than the limit is rejected by its size, without being read', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const file = path.join(dir, 'posts.bin');
  await writeFile(file, 'QUIRE-CACHE posts 2\n'); // our header...
  await truncate(file, 4096); // ...and more than the 1,000 bytes this cache may hold
  const fs = countingFs();
  const cache = await openPostCache(fs, dir, 1000);
  assert.deepEqual(fs.reads, []);
  assert.equal(cache.stats.rejected, 1);
  assert.equal(cache.get('anything'), undefined);
});

test('a last-build record larger than 64 MB is not read', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  await writeFile(path.join(dir, 'last-build.json'), JSON.stringify({ version: 1, ...RECORD }));
  await truncate(path.join(dir, 'last-build.json'), 100 * 1024 * 1024); // sparse: no real disk used
  const fs = countingFs();
  assert.equal(await readRecord(fs, dir), null);
  assert.deepEqual(fs.reads, []);
});

test('a folder where posts.bin should be is rejected and left alone; saving leaves no temporary file', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  await mkdir(path.join(dir, 'posts.bin', 'inside'), { recursive: true });
  const cache = await openPostCache(nodeFs, dir);
  assert.equal(cache.stats.rejected, 1);
  cache.set('k', ENTRY);
  await assert.rejects(cache.save(), /folder/);
  assert.deepEqual(await readdir(dir), ['posts.bin']);
  assert.deepEqual(await readdir(path.join(dir, 'posts.bin')), ['inside']);
});

test('a folder where last-build.json should be is left alone by writing and removing the record; no temporary file', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  await mkdir(path.join(dir, 'last-build.json', 'inside'), { recursive: true });
  assert.equal(await readRecord(nodeFs, dir), null);
  await assert.rejects(writeRecord(nodeFs, dir, RECORD), /folder/);
  await removeRecord(nodeFs, dir);
  assert.deepEqual(await readdir(dir), ['last-build.json']);
  assert.deepEqual(await readdir(path.join(dir, 'last-build.json')), ['inside']);
});

test('a save that fails removes its temporary file', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const failing: Fs = { ...nodeFs, rename: async () => Promise.reject(Object.assign(new Error('EXDEV: cross-device link'), { code: 'EXDEV' })) };
  const cache = await openPostCache(failing, dir);
  cache.set('k', ENTRY);
  await assert.rejects(cache.save(), /EXDEV/);
  await assert.rejects(writeRecord(failing, dir, RECORD), /EXDEV/);
  assert.deepEqual(await readdir(dir), []);
});

test('temporary files left by killed processes are removed by the next save; a live process\'s is kept', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  for (const name of ['posts.bin.2147483646.tmp', 'last-build.json.2147483645.tmp', `posts.bin.${process.ppid}.tmp`, 'posts.bin.notes']) await writeFile(path.join(dir, name), 'left behind');
  const cache = await openPostCache(nodeFs, dir);
  cache.set('k', ENTRY);
  await cache.save();
  await writeRecord(nodeFs, dir, RECORD);
  assert.deepEqual((await readdir(dir)).sort(), ['last-build.json', 'posts.bin', `posts.bin.${process.ppid}.tmp`, 'posts.bin.notes'].sort());
  const reopened = await openPostCache(nodeFs, dir);
  assert.deepEqual(reopened.get('k'), ENTRY);
  assert.equal((await readRecord(nodeFs, dir))?.key, 'k');
});
