/**
 * Unit tests for src/build/posts.ts: the read stage holds posts' bytes up to a budget, and the
 * posts stage reads the others again when it parses them (as a worker's chunk is sent), checked
 * against the digest they were keyed by; posts parsed ahead on a worker thread while the cache is
 * opened give the entries the main thread would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import { nodeFs } from '../../src/fs.ts';
import { parseAhead, processPosts, readSources, type ParseAhead } from '../../src/build/posts.ts';
import { openPostCache } from '../../src/cache/post-cache.ts';
import { tempDir } from '../helpers.ts';

const post = (n: number, extra = '') => `---\ntitle: Post ${n}\ndate: 2024-01-${String(1 + (n % 28)).padStart(2, '0')}\n---\n\nThe body of post ${n}: *emphasis*, a [link](https://example.com/${n}).${extra}\n`;

async function site(t: Parameters<typeof tempDir>[0], count: number) {
  const dir = await tempDir(t);
  const contentDir = path.join(dir, 'content');
  await nodeFs.mkdir(path.join(contentDir, 'posts'));
  const files = Array.from({ length: count }, (_, n) => path.join(contentDir, 'posts', `p${n}.md`));
  await Promise.all(files.map((f, n) => writeFile(f, post(n))));
  const init = { config: DEFAULT_CONFIG, contentDir, postLayouts: ['post'], cwd: dir, sel: { drafts: false, future: false, now: Date.UTC(2030, 0, 1) } };
  const read = (readAhead?: number) => readSources(files, { fs: nodeFs, context: 'ctx', display: (abs) => path.relative(dir, abs), init, previous: new Map(), previousAssets: new Map(), readAhead });
  const cacheDir = path.join(dir, 'cache');
  const options = (workers: number) => ({ fs: nodeFs, display: (abs: string) => path.relative(dir, abs), init, workers, minFiles: 2, minBytes: 1 << 20 });
  /** Processes `reads` with a new cache, or (`keep`) the one the last call saved. */
  const process = async (reads: Awaited<ReturnType<typeof read>>, workers: number, keep = false, ahead?: ParseAhead | null) => {
    if (!keep) await rm(cacheDir, { recursive: true, force: true });
    const cache = await openPostCache(nodeFs, cacheDir);
    const result = await processPosts(reads, { ...options(workers), cache }, ahead);
    await cache.save();
    return { ...result, stats: cache.stats };
  };
  /** Whether the cache saved by the last `process` holds an entry under `key`. */
  const cached = async (key: string) => !!(await openPostCache(nodeFs, cacheDir)).get(key);
  return { dir, files, read, process, cached, options };
}

/** What a post became, without its file's place. */
const made = (e: { post: { title: string } | null; content: { html: string } | null; diagnostics: { code: string }[] }) => [e.post?.title, e.content?.html, e.diagnostics.map((d) => d.code)];

for (const workers of [1, 2]) {
  test(`past the read-ahead budget a post's bytes are not held, and it is read again when parsed, to the same entry (${workers === 1 ? 'main thread' : 'two workers'})`, async (t) => {
    const s = await site(t, 12);
    const held = await s.read();
    assert.ok(held.every((r) => r.raw), 'a small site is held whole');
    const none = await s.read(0);
    assert.ok(none.every((r) => r.raw === null && r.key && r.size > 0), 'nothing held, every file keyed and sized');
    const some = await s.read(Buffer.byteLength(post(0)) * 5);
    assert.equal(some.filter((r) => r.raw).length, 5, 'held up to the budget');
    const expected = (await s.process(held, workers)).entries.map(made);
    assert.deepEqual((await s.process(none, workers)).entries.map(made), expected);
    assert.deepEqual((await s.process(some, workers)).entries.map(made), expected);
    for (const r of none) assert.ok(await s.cached(r.key!), 'each stored under its key');
  });

  test(`a post changed or removed between the read and the parse is parsed as it is then, and not cached under the old bytes' key (${workers === 1 ? 'main thread' : 'two workers'})`, async (t) => {
    const s = await site(t, 12);
    const reads = await s.read(0);
    const [edited, removed, other] = [reads[3]!.key!, reads[5]!.key!, reads[4]!.key!];
    await writeFile(s.files[3]!, post(3, ' Edited.'));
    await rm(s.files[5]!);
    const result = await s.process(reads, workers);
    assert.match(result.entries[3]!.content!.html, /Edited\./);
    assert.equal(await s.cached(edited), false, 'not stored under the key of the bytes it had');
    assert.equal(await s.cached(removed), false);
    assert.equal(await s.cached(other), true);
    assert.equal(result.entries[5]!.post, null);
    assert.deepEqual(result.entries[5]!.diagnostics.map((d) => d.severity), ['error']);
    assert.match(result.entries[5]!.diagnostics[0]!.message, /p5\.md|no such file|ENOENT|cannot be read|could not be read/i);
    assert.equal(result.entries.filter((e) => e.content).length, 11);
  });
}

test('posts parsed ahead on a worker thread (their stat changed; the rest come from the cache) give the entries a build without the cache makes, and are cached', async (t) => {
  const s = await site(t, 12);
  await s.process(await s.read(), 1);
  await writeFile(s.files[2]!, post(2, ' Edited.'));
  await writeFile(s.files[7]!, post(7)); // written again, the same bytes: found in the cache after all
  const reads = await s.read();
  // As a one-shot build reads them: only the files whose stat changed are read, the others known by the last build's record.
  for (const [i, r] of reads.entries()) if (i !== 2 && i !== 7) (r.raw = null), (r.byStat = true);
  assert.equal(parseAhead(reads, s.options(2), 11), null, 'fewer cached posts than asked for: nothing to overlap');
  assert.equal(parseAhead(reads, s.options(1), 10), null, 'one thread: nothing to overlap');
  const ahead = parseAhead(reads, s.options(2), 10)!;
  assert.deepEqual([...ahead.files].map((r) => reads.indexOf(r)), [2, 7], 'the posts whose bytes were read');
  assert.equal(ahead.workers, 2, 'as many as the pool would use for them (minFiles is 2 here)');
  const result = await s.process(reads, 2, true, ahead);
  assert.deepEqual(result.stats, { hits: 11, misses: 1, rejected: 0 }, 'the unchanged file was taken from the cache');
  assert.equal(result.workers, 2, 'parsed on worker threads');
  assert.equal(result.processed, 1);
  assert.match(result.entries[2]!.content!.html, /Edited\./);
  const fresh = await s.process(await s.read(), 1);
  assert.deepEqual(result.entries.map(made), fresh.entries.map(made));
  assert.ok(await s.cached(reads[2]!.key!), 'the post parsed ahead is in the cache saved');
});

test('nothing is parsed ahead when the posts read are not known to need it, or when the posts stage starts workers of its own', async (t) => {
  const s = await site(t, 12);
  await s.process(await s.read(), 1);
  // A project moved, or checked out afresh with its cache restored: no stat matches the record,
  // every file is read, and they are all in the cache. Parsing them ahead would parse the whole
  // site on worker threads beside the build (a deploy at 4,000 posts: 19.5 s instead of 10 s, farm-bench -n 5).
  assert.equal(parseAhead(await s.read(), s.options(2), 1), null, 'no post known by its stat');
  // A cold build of a site larger than the read-ahead budget: the posts not held are parsed by the
  // posts stage's own workers, and the ones held must not go to a second pool beside them.
  const partly = await s.read(Buffer.byteLength(post(0)) * 5);
  for (const r of partly.slice(8)) (r.raw = null), (r.byStat = true);
  assert.equal(parseAhead(partly, s.options(2), 4), null, 'posts read but not held');
  // The same reads with every post past the budget known by its stat: parsing ahead pays.
  const held = await s.read();
  for (const r of held.slice(5)) (r.raw = null), (r.byStat = true);
  assert.deepEqual([...parseAhead(held, s.options(2), 4)!.files].map((r) => held.indexOf(r)), [0, 1, 2, 3, 4]);
});

test('a failure of the posts parsed ahead fails the posts stage', async (t) => {
  const s = await site(t, 3);
  const reads = await s.read();
  const failed: ParseAhead = { files: new Set([reads[1]!]), workers: 1, entries: Promise.resolve({ error: new Error('worker failed: out of memory') }) };
  await assert.rejects(s.process(reads, 2, false, failed), /worker failed: out of memory/);
});
