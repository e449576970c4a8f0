/**
 * Unit tests for the cache files (src/cache/post-cache.ts, and the last-build record beside it):
 * entries come back as they went in, a damaged record costs only itself, a file too large to be
 * ours is rejected by its size without being read, a folder in a cache file's place is left alone,
 * and saving never leaves a temporary file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nodeFs, type Fs } from '../../src/fs.ts';
import type { PostEntry } from '../../src/content/process.ts';
import { openPostCache } from '../../src/cache/post-cache.ts';
import { readRecord, removeRecord, writeRecord } from '../../src/cache/build-record.ts';
import { tempDir } from '../helpers.ts';

const ENTRY = { absPath: '/site/content/a.md', digest: 'd', post: null, content: null, diagnostics: [] } as PostEntry;
/** A rendered post, its text beyond Latin-1 (which V8 would store two bytes a character). */
function fullEntry(n: number, html = `<h1 id="t">Café — 日本 ${n}</h1>\n<p>${'Körper text, “quoted”. '.repeat(400)}</p>`): PostEntry {
  return {
    absPath: '',
    digest: `digest-${n}`,
    post: { relPath: `posts/p${n}.md`, kind: 'post', menu: null, cover: null, permalink: null, aliases: [], file: `content/posts/p${n}.md`, title: `Café ${n}`, date: { epochMs: Date.UTC(2024, 0, 1 + n) }, dateSource: 'front-matter', updated: null, categories: ['Über'], tags: ['日本'], layout: 'post', toc: false, icon: null, draft: false, slug: null, description: null, author: null, data: { title: `Café ${n}` }, body: '', bodyLine: 4 },
    content: { html, toc: [{ depth: 1, text: `Café — 日本 ${n}`, id: 't' }], text: '', wordCount: 1200, firstParagraph: 'Körper text.', excerpt: null, links: [['https://example.com/ü', 5]], words: { body: ['café', '日本', 'körper'], terms: { words: ['café', 'körper'], counts: [1, 400] }, lead: 'Café — 日本, Körper text' } },
    diagnostics: [{ severity: 'warning', code: 'frontmatter/duplicate-key', message: 'duplicate key “type”', file: `content/posts/p${n}.md`, line: 3 }],
  } as unknown as PostEntry;
}

/** A cache in `dir` holding entries `k0`..`k{n-1}`. */
async function filled(dir: string, n: number, maxBytes?: number) {
  const cache = await openPostCache(nodeFs, dir, maxBytes);
  for (let i = 0; i < n; i++) cache.set(`k${i}`, fullEntry(i));
  await cache.save();
  return readFile(path.join(dir, 'posts.bin'));
}

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

test('entries come back as they were stored, text beyond Latin-1 included', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const entries = [fullEntry(0), fullEntry(1, ''), { ...fullEntry(2), content: null }, ENTRY, { ...fullEntry(3), post: null }];
  const { words: _, ...noWords } = fullEntry(4).content!;
  entries.push({ ...fullEntry(4), content: noWords });
  const cache = await openPostCache(nodeFs, dir);
  entries.forEach((e, i) => cache.set(`k${i}`, e));
  await cache.save();
  const reopened = await openPostCache(nodeFs, dir);
  entries.forEach((e, i) => assert.deepEqual(reopened.get(`k${i}`), e));
  assert.deepEqual(reopened.stats, { hits: entries.length, misses: 0, rejected: 0 });
  // The HTML is stored as UTF-8, not as V8's two bytes a character.
  const html = fullEntry(0).content!.html;
  assert.ok((await readFile(path.join(dir, 'posts.bin'))).includes(Buffer.from(html)));
});

test('a corrupted byte in one record rejects only that record', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const bytes = await filled(dir, 3);
  const html = Buffer.from(fullEntry(1).content!.html);
  const at = bytes.indexOf(html) + 100; // inside k1's HTML
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
  await writeFile(path.join(dir, 'posts.bin'), bytes);
  const cache = await openPostCache(nodeFs, dir);
  assert.deepEqual(cache.get('k0'), fullEntry(0));
  assert.equal(cache.get('k1'), undefined);
  assert.deepEqual(cache.get('k2'), fullEntry(2));
  assert.deepEqual(cache.stats, { hits: 2, misses: 1, rejected: 1 });
});
