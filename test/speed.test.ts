/**
 * Issue 5's guarantees: output is byte-identical for any number of worker threads, and for cold,
 * warm and damaged persistent caches; the cache is keyed by content and settings, bounded, and
 * bypassed by --no-cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOptions, BuildReport } from '../src/build.ts';
import { buildSite, copyJekyllPosts, copySamples, snapshot, tempDir } from './helpers.ts';

/** A project with the samples and the Jekyll corpus (107 posts, warnings but no errors). */
async function bigProject(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t, 'quire-speed-');
  const content = await copySamples(root);
  assert.equal((await copyJekyllPosts(path.join(content, 'jekyll'))).length, 102);
  const opts = (out: string, extra: Partial<BuildOptions> = {}) => ({ root, contentDir: content, outDir: path.join(root, out), overrides: { baseUrl: 'https://example.com/blog/' }, now: Date.UTC(2026, 0, 1), ...extra });
  return { root, content, opts, cacheFile: path.join(root, '.cache', 'quire', 'posts.bin') };
}

function ok(r: BuildReport): BuildReport {
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(r.ok, true);
  return r;
}

test('output is byte-identical with 1 and 2 worker threads', async (t) => {
  const p = await bigProject(t);
  const one = ok(await buildSite(p.opts('one', { workers: 1, cache: false })));
  const two = ok(await buildSite(p.opts('two', { workers: 2, cache: false, minFilesForWorkers: 0 })));
  assert.equal(one.cache.workers, 0);
  assert.equal(two.cache.workers, 2, 'the second build really used two worker threads');
  assert.ok(one.posts > 100);
  assert.deepEqual(await snapshot(path.join(p.root, 'two')), await snapshot(path.join(p.root, 'one')));
  assert.deepEqual(two.diagnostics, one.diagnostics, 'the same warnings, in the same order');
});

test('a few long posts (over a megabyte together) are parsed on worker threads, a few short ones on the main thread; the output is the same', async (t) => {
  const { linkPostText, linkPostName } = await import('../bench/corpus-links.ts');
  const root = await tempDir(t, 'quire-speed-');
  const content = path.join(root, 'content');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(content, { recursive: true });
  const notes = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120].map((i) => [linkPostName(i), linkPostText(i)] as const);
  for (const [name, text] of notes) await writeFile(path.join(content, name), text);
  assert.ok(notes.reduce((n, [, text]) => n + Buffer.byteLength(text), 0) > 1 << 20, 'over a megabyte');
  const opts = (out: string, extra: Partial<BuildOptions> = {}) => ({ root, contentDir: content, outDir: path.join(root, out), overrides: { baseUrl: 'https://example.com/' }, now: Date.UTC(2026, 0, 1), cache: false, ...extra });
  const long = ok(await buildSite(opts('long', { workers: 2 })));
  assert.equal(long.cache.workers, 2, '12 release notes: worker threads');
  const one = ok(await buildSite(opts('one', { workers: 1 })));
  assert.deepEqual(await snapshot(path.join(root, 'long')), await snapshot(path.join(root, 'one')));
  for (const [name] of notes.slice(1)) await rm(path.join(content, name));
  await writeFile(path.join(content, 'short.md'), '---\ntitle: Short\n---\n\nA short post.\n');
  const short = ok(await buildSite(opts('short', { workers: 2 })));
  assert.equal(short.cache.workers, 0, 'two posts, one long: the main thread');
});

test('cold, warm, corrupted, truncated and foreign caches all give byte-identical output', async (t) => {
  const p = await bigProject(t);
  const cold = ok(await buildSite(p.opts('cold')));
  assert.equal(cold.cache.hits, 0);
  assert.ok(cold.cache.misses > 100);
  const expected = await snapshot(path.join(p.root, 'cold'));

  const warm = ok(await buildSite(p.opts('warm')));
  // Only the sample without a date is processed again: it is dated by its file's mtime, which is
  // not part of the key, so it is never cached.
  assert.deepEqual([warm.cache.hits, warm.cache.misses], [cold.cache.misses - 1, 1], 'nothing else is parsed or rendered again');
  assert.deepEqual(await snapshot(path.join(p.root, 'warm')), expected);
  assert.deepEqual(warm.diagnostics, cold.diagnostics, 'warnings are replayed from the cache');

  // Flip bytes in the middle of the cache file: the damaged records are ignored and rebuilt.
  const bytes = await readFile(p.cacheFile);
  for (let i = 0; i < 64; i++) {
    const at = Math.floor(bytes.length / 2) + i * 97;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
  }
  await writeFile(p.cacheFile, bytes);
  const corrupt = ok(await buildSite(p.opts('corrupt')));
  assert.ok(corrupt.cache.rejected >= 1, `rejected ${corrupt.cache.rejected}`);
  assert.ok(corrupt.cache.misses >= 1 && corrupt.cache.hits >= 1);
  assert.deepEqual(await snapshot(path.join(p.root, 'corrupt')), expected);
  const healed = ok(await buildSite(p.opts('healed')));
  assert.deepEqual([healed.cache.rejected, healed.cache.misses], [0, 1], 'the cache was rewritten whole');

  // Cut the file in half: records before the cut are used, the rest rebuilt.
  await truncate(p.cacheFile, Math.floor((await stat(p.cacheFile)).size / 2));
  const cut = ok(await buildSite(p.opts('cut')));
  assert.ok(cut.cache.hits > 0 && cut.cache.misses > 0 && cut.cache.rejected === 1);
  assert.deepEqual(await snapshot(path.join(p.root, 'cut')), expected);

  // Not a cache file at all.
  await writeFile(p.cacheFile, '{"this": "is somebody else\'s file"}');
  const foreign = ok(await buildSite(p.opts('foreign')));
  assert.deepEqual([foreign.cache.hits, foreign.cache.rejected], [0, 1]);
  assert.deepEqual(await snapshot(path.join(p.root, 'foreign')), expected);
});

test('a broken link of a post taken from the cache is reported at its markdown line, also when another post changed and its page was kept', async (t) => {
  const p = await bigProject(t);
  const dir = path.join(p.content, 'jekyll');
  const [linker, other] = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  await writeFile(path.join(dir, linker!), (await readFile(path.join(dir, linker!), 'utf8')) + '\n\nSee [the gone page](/blog/posts/no-such-post/).\n');
  const reported = (r: BuildReport) => r.diagnostics.filter((d) => d.code === 'link/broken' && d.message.includes('no-such-post')).map((d) => [d.file, d.line]);
  const first = ok(await buildSite(p.opts('out')));
  const lines = (await readFile(path.join(dir, linker!), 'utf8')).split('\n').length;
  assert.deepEqual(reported(first).map(([file, line]) => [path.basename(String(file)), line]), [[linker, lines - 1]], 'named by its file and line');
  // Another post changed: this one comes from the cache, its page is kept, and its links are read only to report this one.
  await writeFile(path.join(dir, other!), (await readFile(path.join(dir, other!), 'utf8')) + '\nAn extra line.\n');
  const second = ok(await buildSite(p.opts('out')));
  assert.ok(second.cache.hits >= 100 && second.rendered < first.rendered / 2, `${second.cache.hits} from the cache, ${second.rendered} pages rendered`);
  assert.deepEqual(reported(second), reported(first));
});

test('the cache key covers the settings: another config or an edited post is not served from it', async (t) => {
  const p = await bigProject(t);
  const cold = ok(await buildSite(p.opts('a')));
  const total = cold.cache.misses;
  const other = ok(await buildSite(p.opts('b', { overrides: { baseUrl: 'https://example.com/blog/', dateFormat: 'YYYY/MM/DD' } as BuildOptions['overrides'] })));
  assert.equal(other.cache.hits, 0, 'a different config misses every entry');
  const sample = path.join(p.content, 'posts', (await readdir(path.join(p.content, 'posts')))[0]!);
  await writeFile(sample, (await readFile(sample, 'utf8')) + '\nAn extra line.\n');
  const edited = ok(await buildSite(p.opts('c', { overrides: { baseUrl: 'https://example.com/blog/', dateFormat: 'YYYY/MM/DD' } as BuildOptions['overrides'] })));
  assert.deepEqual([edited.cache.hits, edited.cache.misses], [total - 2, 2], 'the edited post and the undated sample');
  assert.match(await readFile(path.join(p.root, 'c', 'index.html'), 'utf8'), /\d{4}\/\d{2}\/\d{2}/, 'the new date format is used');
});

test('the cache drops what the last build did not use once it outweighs the rest, and --no-cache neither reads nor writes it', async (t) => {
  const root = await tempDir(t, 'quire-speed-');
  const content = await copySamples(root);
  const opts = (extra: Partial<BuildOptions> = {}) => ({ root, contentDir: content, outDir: path.join(root, 'public'), ...extra });
  const cacheFile = path.join(root, '.cache', 'quire', 'posts.bin');
  ok(await buildSite(opts()));
  const full = (await stat(cacheFile)).size;
  const posts = (await readdir(path.join(content, 'posts'))).sort().map((name) => path.join(content, 'posts', name));
  assert.ok((await readFile(cacheFile)).includes(Buffer.from(posts[2]!)), "entries name their file");
  // Three of four posts removed: their records outweigh the one left, so the file is rewritten without them.
  for (const file of posts.slice(1)) await rm(file);
  const fewer = ok(await buildSite(opts()));
  assert.equal(fewer.posts, 1);
  const kept = await readFile(cacheFile);
  assert.ok(kept.length < full, `the cache file shrank (${kept.length} bytes, ${full} before)`);
  for (const file of posts.slice(1)) assert.equal(kept.includes(Buffer.from(file)), false, `the entry of removed ${path.basename(file)} is dropped`);

  const before = await readFile(cacheFile);
  const bypass = ok(await buildSite(opts({ cache: false })));
  assert.deepEqual([bypass.cache.hits, bypass.cache.misses], [0, 0]);
  assert.deepEqual(await readFile(cacheFile), before, '--no-cache leaves the cache file alone');
});

test('a build with nothing changed writes nothing and reports the last build again; any change to inputs, output or the clock undoes that', async (t) => {
  const root = await tempDir(t, 'quire-speed-');
  const { postText } = await import('../bench/corpus.ts');
  const content = path.join(root, 'content');
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) files[`posts/p${i}.md`] = postText(i);
  files['posts/later.md'] = '---\ntitle: Later\ndate: 2030-01-01\n---\nNot yet.\n';
  const { writeFiles } = await import('./helpers.ts');
  await writeFiles(content, files);
  const opts = (now = Date.UTC(2026, 0, 1)) => ({ root, contentDir: content, outDir: path.join(root, 'public'), now });
  const first = ok(await buildSite(opts()));
  assert.equal(first.upToDate, undefined);
  const expected = await snapshot(path.join(root, 'public'));

  const again = ok(await buildSite(opts()));
  assert.equal(again.upToDate, true);
  assert.deepEqual([again.posts, again.pages, again.skipped], [first.posts, first.pages, first.skipped]);
  assert.deepEqual(again.diagnostics, first.diagnostics, 'the same warnings are shown');
  assert.deepEqual(await snapshot(path.join(root, 'public')), expected);

  // A file of the output deleted by hand: a real build puts it back.
  await rm(path.join(root, 'public', 'index.html'));
  const repaired = ok(await buildSite(opts()));
  assert.equal(repaired.upToDate, undefined);
  assert.deepEqual(await snapshot(path.join(root, 'public')), expected);

  // The future post comes due: the site changes although no file did.
  const due = ok(await buildSite(opts(Date.UTC(2030, 0, 2))));
  assert.equal(due.upToDate, undefined);
  assert.equal(due.posts, first.posts + 1);

  // An edited post.
  ok(await buildSite(opts()));
  await writeFile(path.join(content, 'posts/p3.md'), postText(3) + '\nEdited.\n');
  const edited = ok(await buildSite(opts()));
  assert.equal(edited.upToDate, undefined);
  assert.equal(edited.output?.written && edited.output.written > 0, true);
});
