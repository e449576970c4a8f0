/**
 * Unit tests for the cache files (src/cache/post-cache.ts, and the last-build record beside it):
 * entries come back as they went in, a damaged record costs only itself, a save appends what is
 * new and rewrites the file only when it must, a file too large to be ours is rejected by its size
 * without being read, a folder in a cache file's place is left alone, and saving never leaves a
 * temporary file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, lstat, mkdir, readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nodeFs, type Fs } from '../../src/fs.ts';
import type { PostEntry } from '../../src/content/process.ts';
import { openPostCache } from '../../src/cache/post-cache.ts';
import { HTML_DIGEST } from '../../src/model.ts';
import { readRecord, removeRecord, writeRecord } from '../../src/cache/build-record.ts';
import { tempDir } from '../helpers.ts';

const ENTRY = { absPath: '/site/content/a.md', digest: 'd', post: null, content: null, diagnostics: [] } as PostEntry;
/** A rendered post, its text beyond Latin-1 (which V8 would store two bytes a character). */
function fullEntry(n: number, html = `<h1 id="t">Café — 日本 ${n}</h1>\n<p>${'Körper text, “quoted”. '.repeat(400)}</p>`): PostEntry {
  return {
    absPath: '',
    digest: `digest-${n}`,
    post: { relPath: `posts/p${n}.md`, kind: 'post', menu: null, cover: null, permalink: null, aliases: [], file: `content/posts/p${n}.md`, title: `Café ${n}`, date: { epochMs: Date.UTC(2024, 0, 1 + n) }, dateSource: 'front-matter', updated: null, categories: ['Über'], tags: ['日本'], layout: 'post', toc: false, icon: null, draft: false, slug: null, description: null, author: null, data: { title: `Café ${n}` }, body: '', bodyLine: 4 },
    content: { html, toc: [{ depth: 1, text: `Café — 日本 ${n}`, id: 't' }], text: '', wordCount: 1200, firstParagraph: 'Körper text.', excerpt: null, links: [['https://example.com/ü', 5]], words: { body: 'café 日本 körper', terms: { words: 'café körper', counts: [1, 400] }, lead: 'Café — 日本, Körper text' } },
    diagnostics: [{ severity: 'warning', code: 'frontmatter/duplicate-key', message: 'duplicate key “type”', file: `content/posts/p${n}.md`, line: 3 }],
  } as unknown as PostEntry;
}

/** A cache in `dir` holding entries `k0`..`k{n-1}`. */
async function filled(dir: string, n: number, maxBytes?: number) {
  const cache = await openPostCache(nodeFs, dir, { maxBytes });
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
  const cache = await openPostCache(fs, dir, { maxBytes: 1000 });
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
  // ...and decoded when it is first read (most cached posts' HTML never is); it can be replaced.
  const lazy = (await openPostCache(nodeFs, dir)).get('k0')!.content!;
  assert.equal(typeof Object.getOwnPropertyDescriptor(lazy, 'html')!.get, 'function');
  assert.equal(lazy.html, html);
  Object.defineProperty(lazy, HTML_DIGEST, { value: 'key', configurable: true });
  lazy.html = '<p>replaced</p>';
  assert.equal(lazy.html, '<p>replaced</p>');
  assert.equal(HTML_DIGEST in lazy, false, 'replaced HTML no longer counts by the cache key');
  // So are its table of contents and links (a page that renders, a link reported), each replaceable.
  assert.equal(typeof Object.getOwnPropertyDescriptor(lazy, 'toc')!.get, 'function');
  assert.equal(typeof Object.getOwnPropertyDescriptor(lazy, 'links')!.get, 'function');
  assert.deepEqual(lazy.links, fullEntry(0).content!.links);
  lazy.links = [['/elsewhere/', 9]];
  assert.deepEqual(lazy.links, [['/elsewhere/', 9]]);
  assert.deepEqual(lazy.toc, fullEntry(0).content!.toc);
  // A copy holds the values, read from the file, and not where they are read from.
  const copy = { ...(await openPostCache(nodeFs, dir)).get('k0')!.content! };
  assert.deepEqual(copy, fullEntry(0).content);
  assert.deepEqual(Object.getOwnPropertySymbols(copy), []);
  assert.deepEqual(Object.getOwnPropertyDescriptor(copy, 'html'), { value: html, writable: true, enumerable: true, configurable: true });
});

test('the records of the keys a build will ask for are decoded as the file is read, through one window: the same entries, past window boundaries and longer than the window', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  // ~10 KB records: 200 of them cross the 1 MB window's end many times; one holds 1.5 MB of HTML.
  const long = fullEntry(200, `<p>${'long, “wide” text '.repeat(80_000)}</p>`);
  const entries = [...range(0, 200).map((_, i) => fullEntry(i)), long];
  const cache = await openPostCache(nodeFs, dir);
  entries.forEach((e, i) => cache.set(`k${i}`, e));
  await cache.save();
  const keys = range(0, entries.length);
  const wanted = new Set(keys.filter((_, i) => i % 3 !== 1)); // the others are decoded when asked for
  const reads: number[] = [];
  const counting: Fs = { ...nodeFs, openRead: async (p) => {
    const h = await nodeFs.openRead(p);
    return { size: h.size, close: () => h.close(), read: (at, length, into) => (reads.push(length), h.read(at, length, into)) };
  } };
  const reopened = await openPostCache(counting, dir, { wanted });
  assert.ok(reads.length < 10, `the file read in a few windows (${reads.length} reads)`);
  keys.forEach((k, i) => assert.deepEqual(reopened.get(k), entries[i], k));
  assert.deepEqual(reopened.stats, { hits: entries.length, misses: 0, rejected: 0 });
  // Asked again: decoded anew from the file, a new object, the same entry.
  const first = (await openPostCache(nodeFs, dir, { wanted })).get('k0');
  assert.deepEqual(first, entries[0]);
  const again = await openPostCache(nodeFs, dir, { wanted });
  const a = again.get('k0')!;
  const b = again.get('k0')!;
  assert.notEqual(a, b);
  assert.deepEqual(b, entries[0]);
  assert.equal(b.content!.html, entries[0]!.content!.html);
  assert.equal(again.get('k200')!.content!.html, long.content!.html);
});

test('a damaged head is a miss whether its record was decoded as the file was read or when asked for', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const bytes = await filled(dir, 3);
  const at = bytes.indexOf(Buffer.from('digest-1')); // in k1's head, before its HTML
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
  await writeFile(path.join(dir, 'posts.bin'), bytes);
  for (const wanted of [new Set(['k0', 'k1', 'k2']), new Set<string>()]) {
    const cache = await openPostCache(nodeFs, dir, { wanted });
    assert.deepEqual(cache.get('k0'), fullEntry(0));
    assert.equal(cache.get('k1'), undefined);
    assert.deepEqual(cache.get('k2'), fullEntry(2));
    assert.deepEqual(cache.stats, { hits: 2, misses: 1, rejected: 1 });
  }
});

test('HTML read again right after (a page reads its post\'s twice) is not read from the file again; nor is it kept for long', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  await filled(dir, 8);
  let reads = 0;
  const counting: Fs = { ...nodeFs, openRead: async (p) => {
    const h = await nodeFs.openRead(p);
    return { size: h.size, close: () => h.close(), read: (at, length) => (reads++, h.read(at, length)) };
  } };
  const cache = await openPostCache(counting, dir);
  const contents = range(0, 8).map((k) => cache.get(k)!.content!);
  reads = 0;
  assert.equal(contents[0]!.html, fullEntry(0).content!.html);
  assert.equal(contents[0]!.html, fullEntry(0).content!.html);
  assert.equal(reads, 1);
  for (const [i, c] of contents.entries()) assert.equal(c.html, fullEntry(i).content!.html);
  assert.equal(reads, 8, 'the first again from the last few read, the rest from the file');
  assert.equal(contents[0]!.html, fullEntry(0).content!.html);
  assert.equal(reads, 9, 'read again from the file once others were read since');
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

/** Opens the cache in `dir`, asks for `keys` (asserting each is there), sets `fresh`, saves, and returns the file's bytes. */
async function rebuild(dir: string, keys: string[], fresh: [string, PostEntry][] = [], maxBytes?: number) {
  const cache = await openPostCache(nodeFs, dir, { maxBytes });
  for (const k of keys) assert.ok(cache.get(k), `${k} is in the cache`);
  for (const [k, e] of fresh) cache.set(k, e);
  await cache.save();
  return { stats: cache.stats, bytes: await readFile(path.join(dir, 'posts.bin')) };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `k${from + i}`);

test('a save after one changed entry appends its record, leaving the earlier bytes as they were; the later record of a key wins', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const before = await filled(dir, 10);
  const record = (before.length - 'QUIRE-CACHE posts 2\n'.length) / 10;
  // k9's post changed: its new key is k10, and k9 is not used.
  const after = (await rebuild(dir, range(0, 9), [['k10', fullEntry(10)]])).bytes;
  assert.deepEqual(after.subarray(0, before.length), before, 'the earlier bytes are unchanged');
  assert.ok(Math.abs(after.length - before.length - record) < record / 10, `grew by ${after.length - before.length} bytes, about one record (${record})`);
  // Nothing new: nothing written.
  assert.deepEqual((await rebuild(dir, range(0, 11))).bytes, after);
  // A key stored again: the file holds both records, the later is the one read.
  const changed = { ...fullEntry(0), digest: 'newer' };
  const again = (await rebuild(dir, range(1, 11), [['k0', changed]])).bytes;
  assert.deepEqual(again.subarray(0, after.length), after);
  const reopened = await openPostCache(nodeFs, dir);
  assert.deepEqual(reopened.get('k0'), changed);
  assert.deepEqual(reopened.get('k10'), fullEntry(10));
  assert.deepEqual(reopened.stats, { hits: 2, misses: 0, rejected: 0 });
});

test('a save that used few of the records rewrites the file with only those', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  await filled(dir, 10);
  const other = await tempDir(t, 'quire-cache-');
  const { bytes } = await rebuild(dir, ['k0', 'k1'], [['k10', fullEntry(10)]]);
  assert.deepEqual(bytes, (await rebuild(other, [], [['k0', fullEntry(0)], ['k1', fullEntry(1)], ['k10', fullEntry(10)]])).bytes, 'the same bytes as a cache made with only those entries');
  const reopened = await openPostCache(nodeFs, dir);
  assert.equal(reopened.get('k5'), undefined);
  assert.deepEqual(reopened.stats, { hits: 0, misses: 1, rejected: 0 });
  // Records the build did not use may stay while they weigh no more than those it did.
  const kept = (await rebuild(dir, ['k0', 'k1'], [['k11', fullEntry(11)]])).bytes;
  assert.deepEqual(kept.subarray(0, bytes.length), bytes, 'appended: k10 is unused, but k0, k1 and k11 outweigh it');
});

test('a truncated tail (a save cut off) is rejected on open, and the next save writes a clean file', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  await filled(dir, 3);
  const appended = (await rebuild(dir, range(0, 3), [['k3', fullEntry(3)]])).bytes;
  await truncate(path.join(dir, 'posts.bin'), appended.length - 100); // the process died while appending k3
  const cut = await rebuild(dir, range(0, 3), [['k3', fullEntry(3)]]);
  assert.deepEqual(cut.stats, { hits: 3, misses: 0, rejected: 1 });
  const clean = await tempDir(t, 'quire-cache-');
  assert.deepEqual(cut.bytes, await filled(clean, 4), 'rewritten whole: the same bytes as a fresh cache');
  const healed = await rebuild(dir, range(0, 4));
  assert.deepEqual(healed.stats, { hits: 4, misses: 0, rejected: 0 });
  assert.deepEqual(await readdir(dir), ['posts.bin']);
});

test('a damaged record found by a build makes its save rewrite the file without it', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const bytes = await filled(dir, 4);
  const at = bytes.indexOf(Buffer.from(fullEntry(2).content!.html)) + 10;
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
  await writeFile(path.join(dir, 'posts.bin'), bytes);
  const cache = await openPostCache(nodeFs, dir);
  for (const k of range(0, 4)) cache.get(k);
  assert.deepEqual(cache.stats, { hits: 3, misses: 1, rejected: 1 });
  cache.set('k2', fullEntry(2));
  await cache.save();
  const clean = await tempDir(t, 'quire-cache-');
  // Rewritten with the same records as a fresh cache (the records it kept first, then the new one).
  assert.equal((await readFile(path.join(dir, 'posts.bin'))).length, (await filled(clean, 4)).length);
  const healed = await rebuild(dir, range(0, 4));
  assert.deepEqual(healed.stats, { hits: 4, misses: 0, rejected: 0 });
  assert.deepEqual(await readdir(dir), ['posts.bin']);
});

test('the cache never passes its size limit: a save that would append past it rewrites the file, keeping what fits', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const record = (await filled(await tempDir(t, 'quire-cache-'), 1)).length - 'QUIRE-CACHE posts 2\n'.length;
  const limit = 'QUIRE-CACHE posts 2\n'.length + Math.floor(3.5 * record);
  const full = await tempDir(t, 'quire-cache-');
  assert.ok((await filled(full, 5, limit)).length <= limit);
  const cache = await openPostCache(nodeFs, full, { maxBytes: limit });
  assert.deepEqual(range(0, 5).filter((k) => cache.get(k)), ['k0', 'k1', 'k2'], 'the first three, in key order');
  assert.equal(cache.stats.rejected, 0);

  const two = await filled(dir, 2, limit);
  const appended = (await rebuild(dir, ['k0', 'k1'], [['k5', fullEntry(5)]], limit)).bytes;
  assert.ok(appended.length <= limit);
  assert.deepEqual(appended.subarray(0, two.length), two, 'appended while it fits');
  const rewritten = (await rebuild(dir, ['k0', 'k1', 'k5'], [['k6', fullEntry(6)]], limit)).bytes;
  assert.ok(rewritten.length <= limit, `${rewritten.length} <= ${limit}`);
  const reopened = await openPostCache(nodeFs, dir, { maxBytes: limit });
  assert.deepEqual(['k0', 'k1', 'k2', 'k5', 'k6'].filter((k) => reopened.get(k)), ['k0', 'k1', 'k5'], 'rewritten with what fits, in key order');
});

test('a posts.bin that is a symbolic link is read, but never written through: the save replaces the link', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  const elsewhere = await tempDir(t, 'quire-cache-');
  const target = await filled(elsewhere, 2);
  await symlink(path.join(elsewhere, 'posts.bin'), path.join(dir, 'posts.bin'));
  const { stats, bytes } = await rebuild(dir, ['k0', 'k1'], [['k2', fullEntry(2)]]);
  assert.deepEqual(stats, { hits: 2, misses: 0, rejected: 0 });
  assert.equal((await lstat(path.join(dir, 'posts.bin'))).isFile(), true, 'the link was replaced by a file');
  assert.deepEqual(await readFile(path.join(elsewhere, 'posts.bin')), target, 'the file it pointed to is unchanged');
  assert.deepEqual(bytes, await filled(await tempDir(t, 'quire-cache-'), 3));
  // And the append itself refuses a link put in the file's place after it was checked.
  await symlink(path.join(elsewhere, 'posts.bin'), path.join(dir, 'link.bin'));
  await assert.rejects(nodeFs.appendFile(path.join(dir, 'link.bin'), Buffer.from('more')), { code: 'ELOOP' });
  assert.deepEqual(await readFile(path.join(elsewhere, 'posts.bin')), target);
});

test('a cache file changed by another build since it was read is rewritten, not appended to', async (t) => {
  const dir = await tempDir(t, 'quire-cache-');
  await filled(dir, 3);
  const cache = await openPostCache(nodeFs, dir);
  for (const k of range(0, 3)) cache.get(k);
  cache.set('k3', fullEntry(3));
  await appendFile(path.join(dir, 'posts.bin'), 'half a record');
  await cache.save();
  assert.deepEqual(await readFile(path.join(dir, 'posts.bin')), await filled(await tempDir(t, 'quire-cache-'), 4));
});

test('a new cache file is written as entries are set: each record then, its HTML read back from the file when asked for, and the file put in place by the save', async (t) => {
  const dir = await tempDir(t);
  const cache = await openPostCache(nodeFs, dir);
  const entries = Array.from({ length: 5 }, (_, i) => fullEntry(i));
  const sizes: number[] = [];
  for (const [i, entry] of entries.entries()) {
    cache.set(`k${i}`, entry);
    const [temp, ...more] = await readdir(dir);
    assert.match(temp!, new RegExp(`^posts\\.bin\\.${process.pid}\\.\\d+\\.tmp$`));
    assert.deepEqual(more, [], 'no posts.bin before the save');
    sizes.push((await lstat(path.join(dir, temp!))).size);
    // The HTML is no longer held: read from the file each time it is asked for.
    assert.equal(typeof Object.getOwnPropertyDescriptor(entry.content!, 'html')!.get, 'function');
    assert.equal(entry.content!.html, fullEntry(i).content!.html);
  }
  assert.ok(sizes.every((s, i) => i === 0 || s > sizes[i - 1]!), `the file grows with each entry: ${sizes.join(', ')}`);
  await cache.save();
  assert.deepEqual(await readdir(dir), ['posts.bin']);
  assert.equal(entries[3]!.content!.html, fullEntry(3).content!.html, 'still read from the file, now named posts.bin');
  const reopened = await openPostCache(nodeFs, dir);
  entries.forEach((_, i) => assert.deepEqual(reopened.get(`k${i}`), fullEntry(i)));
  // A build that stops before saving leaves no file behind.
  const other = await tempDir(t);
  const dropped = await openPostCache(nodeFs, other);
  dropped.set('k0', fullEntry(0));
  assert.equal((await readdir(other)).length, 1);
  await dropped.discard();
  assert.deepEqual(await readdir(other), []);
});

test('where the new file cannot be written as entries come, it is written at the save record by record: each entry is encoded as its record is written, never all at once', async (t) => {
  const dir = await tempDir(t);
  const encoded = new Set<number>();
  let written = 0;
  const checks: boolean[] = [];
  // Writes the pieces it is given one at a time, noting how many entries were encoded by then.
  const spying: Fs = {
    ...nodeFs,
    openNew: async () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
    writeFile: (p, data) => {
      const pieces = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
      function* each() {
        for (const piece of pieces) {
          checks.push(encoded.size <= written); // the magic line first, then one record per entry
          written++;
          yield typeof piece === 'string' ? Buffer.from(piece) : piece;
        }
      }
      return nodeFs.writeFile(p, each());
    },
  };
  const cache = await openPostCache(spying, dir);
  for (let i = 0; i < 20; i++) {
    const entry = fullEntry(i);
    const html = entry.content!.html;
    Object.defineProperty(entry.content!, 'html', { enumerable: true, configurable: true, get: () => (encoded.add(i), html) });
    cache.set(`k${i}`, entry);
  }
  assert.equal(encoded.size, 0);
  await cache.save();
  assert.equal(written, 21);
  assert.ok(checks.every(Boolean), 'no entry was encoded before the records ahead of it were written');
  const reopened = await openPostCache(nodeFs, dir);
  assert.equal(reopened.get('k7')?.content?.html, fullEntry(7).content!.html);
});
