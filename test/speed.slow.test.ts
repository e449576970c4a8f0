/**
 * Slow (hundreds of posts): `npm run build` with a few posts to parse and many in the cache parses
 * the few on a worker thread started before the cache is opened (build/posts.ts `parseAhead`), and
 * builds exactly what a build without the cache builds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOptions } from '../src/build.ts';
import { MIN_CACHED_TO_PARSE_AHEAD } from '../src/build/posts.ts';
import { generateCorpus } from '../bench/corpus.ts';
import { buildSite, snapshot, tempDir } from './helpers.ts';

test('one post edited and one added among 600 cached posts: both parsed ahead on a worker thread; output and warnings as without the cache', async (t) => {
  const root = await tempDir(t, 'quire-ahead-');
  const content = await generateCorpus(root, MIN_CACHED_TO_PARSE_AHEAD + 100);
  const opts = (out: string, extra: Partial<BuildOptions> = {}) => ({ root, contentDir: content, outDir: path.join(root, out), overrides: { baseUrl: 'https://example.com/' }, now: Date.UTC(2030, 0, 1), workers: 2, ...extra });
  // A file changed within two seconds of a build is not known by its stat the next time (file-stats.ts): wait them out, as a real blog's posts are older.
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const cold = await buildSite(opts('public'));
  assert.equal(cold.ok, true);
  assert.equal(cold.cache.workers, 2);

  const edited = path.join(content, 'posts', 'post-00042.md');
  await appendFile(edited, '\nOne more paragraph, with a [link to the first post](/posts/post-00000/).\n');
  await utimes(edited, new Date(), new Date(Date.now() + 5000)); // a new stat, whatever the clock's resolution
  await writeFile(path.join(content, 'posts', 'added.md'), '---\ntitle: Added after the first build\ndate: 2029-06-01\ncategories: [news]\n---\n\nA new post.\n');
  const warm = await buildSite(opts('public'));
  assert.equal(warm.ok, true);
  assert.deepEqual([warm.processed, warm.cache.workers], [2, 1], 'the two posts whose stat changed, on one worker thread');
  assert.equal(warm.cache.hits, MIN_CACHED_TO_PARSE_AHEAD + 99);

  const fresh = await buildSite(opts('fresh', { cache: false }));
  assert.deepEqual(await snapshot(path.join(root, 'public')), await snapshot(path.join(root, 'fresh')));
  assert.deepEqual(warm.diagnostics, fresh.diagnostics);
  const page = (await snapshot(path.join(root, 'public'))).get('posts/post-00042/index.html')!.toString('utf8');
  assert.match(page, /One more paragraph/);
});
