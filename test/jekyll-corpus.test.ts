/** Every one of the 102 real posts of Jekyll's own blog must build into a correct page. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import YAML from 'yaml';
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
