/** Every one of the 102 real posts of Jekyll's own blog must build into a correct page. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { buildSite, copyJekyllPosts, JEKYLL_POSTS, page, tempDir, text } from './helpers.ts';

test('all 102 Jekyll posts build into pages with the right title, date and category', async (t) => {
  // The posts alone, without the fixture's README.md (which the loader would take for a post).
  const dir = await tempDir(t);
  const CORPUS = path.join(dir, 'posts');
  const files = await copyJekyllPosts(CORPUS);
  const out = path.join(dir, 'public');
  const report = await buildSite({ outDir: out, contentDir: CORPUS });
  assert.equal(report.ok, true, report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.message}`).join('\n'));
  assert.equal(files.length, 102);
  assert.deepEqual((await readdir(JEKYLL_POSTS)).filter((f) => !files.includes(f)).sort(), ['LICENSE', 'README.md'], 'no post of the fixture is left out');
  assert.equal(report.posts, 102);
  // posts/ also holds the list of all posts (index.html, page/N/).
  const slugs = (await readdir(path.join(out, 'posts'), { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'page').map((d) => d.name);
  assert.equal(slugs.length, 102);

  // Index the built pages by title + date so each source file can be found.
  const built = new Map<string, { slug: string; categories: string[] }>();
  for (const slug of slugs) {
    const doc = await page(out, `posts/${slug}/`);
    assert.equal(doc.querySelectorAll('h1').length, 1, slug);
    const key = `${text(doc.querySelector('h1'))}|${doc.querySelector('article time')!.getAttribute('datetime')!.slice(0, 10)}`;
    built.set(key, { slug, categories: doc.querySelectorAll('article a[href^="/categories/"]').map((a) => text(a).toLowerCase()) });
  }
  for (const f of files) {
    const source = await readFile(path.join(CORPUS, f), 'utf8');
    const data = YAML.parse(source.split(/^---\s*$/m)[1]!) as Record<string, unknown>;
    const title = String(data.title).trim();
    // The date as written (offset included) or from the file name; UTC is the site zone here.
    const raw = (data.date as string | undefined) ?? f.slice(0, 10);
    const offset = /([+-]\d{2})(\d{2})$/.exec(raw);
    const local = new Date(raw.slice(0, 19).replace(' ', 'T') + (raw.length > 10 ? (offset ? `${offset[1]}:${offset[2]}` : 'Z') : 'T00:00:00Z'));
    const day = local.toISOString().slice(0, 10);
    const entry = built.get(`${title}|${day}`);
    assert.ok(entry, `${f}: a page titled "${title}" dated ${day}`);
    const cats = [data.categories ?? data.category ?? []].flat().map((c) => String(c).trim().toLowerCase());
    assert.deepEqual(entry.categories.sort(), cats.sort(), `${f}: categories`);
  }
});

// One more build of the corpus, shared by the checks of the pages' contents below.
let out = '';
let tmp = '';
let report: Awaited<ReturnType<typeof buildSite>>;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'quire-jekyll-'));
  await copyJekyllPosts(path.join(tmp, 'posts'));
  out = path.join(tmp, 'public');
  report = await buildSite({ outDir: out, contentDir: path.join(tmp, 'posts') });
});
after(() => rm(tmp, { recursive: true, force: true }));

const related = async (slug: string) => (await page(out, `posts/${slug}/`)).querySelectorAll('.related-list a').map((a) => text(a));

test('related posts are only posts that really relate: a shared category, or text similar enough', async () => {
  // A release shares the `release` category with 88 others: three of them.
  assert.equal((await related('jekyll-3-4-1-released')).length, 3);
  // "Goodbye, Dear Frank." (team, community) relates to community posts, not to releases.
  assert.deepEqual(await related('goodbye-dear-frank'), ['Sponsoring Jekyll\'s development', 'Join the Discussion at Jekyll Talk', 'Making it easier to contribute to Jekyll']);
  // The sticker post (partners) and the meet-up (meetup) share no term with any post, and no text
  // beyond a few generic words (before: three unrelated releases each): no related posts at all.
  for (const slug of ['jekyll-stickers-1-dollar-stickermule', 'jekyll-meet-and-greet']) {
    const doc = await page(out, `posts/${slug}/`);
    assert.equal(doc.querySelector('.related'), null, slug);
  }
});

test('no dollar sign in the corpus becomes math', async () => {
  // Three posts have dollars: "$1 Jekyll Sticker", a `$ gem install` line, regular expressions ending in `$`.
  assert.equal(report.diagnostics.filter((d) => d.code === 'markdown/invalid-math').length, 0);
  const sticker = await page(out, 'posts/jekyll-stickers-1-dollar-stickermule/');
  assert.match(text(sticker.querySelector('.post-content')), /price of Jekyll stickers down to \$1 and are offering/);
  for (const slug of ['jekyll-stickers-1-dollar-stickermule', 'jekyll-3-0-0-beta1-released', 'jekyll-3-4-1-released']) {
    assert.equal((await page(out, `posts/${slug}/`)).querySelectorAll('math').length, 0, slug);
  }
});
