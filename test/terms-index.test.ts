/**
 * The index of every category and every tag (`categories/`, `tags/`) is paginated
 * (TERMS_PER_PAGE a page), so no page grows with the number of terms (issue 13); its pages link
 * to each other at the root and under a sub-path, and the link checker and a crawl find nothing
 * broken.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { parse } from 'node-html-parser';
import { TERMS_PER_PAGE } from '../src/render/routes.ts';
import { buildSite, page, tempDir, text, writeFiles } from './helpers.ts';
import { serveStatic } from './static-server.ts';

/** Two and a half pages of tags, one page and a bit of categories, on one post. */
const TAGS = Math.floor(TERMS_PER_PAGE * 2.5);
const CATEGORIES = TERMS_PER_PAGE + 1;

async function manyTerms(t: Parameters<typeof tempDir>[0], baseUrl: string) {
  const dir = await tempDir(t);
  const list = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `  - ${prefix} ${String(i).padStart(4, '0')}`).join('\n');
  await writeFiles(path.join(dir, 'content'), {
    'posts/many.md': `---\ntitle: Many terms\ndate: 2020-01-01\ncategories:\n${list('Category', CATEGORIES)}\ntags:\n${list('tag', TAGS)}\n---\nBody.\n`,
    'posts/few.md': '---\ntitle: Few terms\ndate: 2020-01-02\ncategories: [Category 0000]\ntags: [tag 0001]\n---\nBody.\n',
  });
  const out = path.join(dir, 'public');
  const report = await buildSite({ root: dir, contentDir: path.join(dir, 'content'), outDir: out, overrides: { baseUrl } });
  assert.equal(report.ok, true, JSON.stringify(report.diagnostics.filter((d) => d.severity === 'error')));
  assert.deepEqual(report.diagnostics.map((d) => d.code), [], 'no warnings: no broken link, no duplicate id');
  return out;
}

for (const [where, baseUrl, prefix] of [
  ['at the root', 'https://example.com/', '/'],
  ['under a sub-path', 'https://example.com/blog/', '/blog/'],
] as const) {
  test(`the tag and category indexes are paginated ${where}: each term once, pages linked both ways, none over ${TERMS_PER_PAGE} terms`, async (t) => {
    const out = await manyTerms(t, baseUrl);
    for (const [folder, count] of [['tags', TAGS], ['categories', CATEGORIES]] as const) {
      const pages = Math.ceil(count / TERMS_PER_PAGE);
      const seen: string[] = [];
      let at: string | undefined = `${prefix}${folder}/`;
      for (let n = 1; at !== undefined; n++) {
        assert.ok(n <= pages, `${folder}: more pages than ${pages}`);
        const expected = n === 1 ? `${prefix}${folder}/` : `${prefix}${folder}/page/${n}/`;
        assert.equal(at, expected);
        const doc = await page(out, at.slice(prefix.length));
        const chips = doc.querySelectorAll('.term-list a.chip');
        assert.ok(chips.length <= TERMS_PER_PAGE && chips.length > 0, `${at}: ${chips.length} terms`);
        seen.push(...chips.map((a) => a.getAttribute('href')!));
        assert.equal(text(doc.querySelector('title')), `${folder === 'tags' ? 'Tags' : 'Categories'}${n === 1 ? '' : `, page ${n}`} · My Blog`);
        assert.equal(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), `https://example.com${expected}`);
        const prev = doc.querySelector('nav[aria-label="Pagination"] a[rel="prev"]')?.getAttribute('href');
        assert.equal(prev, n === 1 ? undefined : n === 2 ? `${prefix}${folder}/` : `${prefix}${folder}/page/${n - 1}/`);
        at = doc.querySelector('nav[aria-label="Pagination"] a[rel="next"]')?.getAttribute('href') ?? undefined;
        if (n === pages) assert.equal(at, undefined, 'the last page links no further');
      }
      assert.equal(seen.length, count, `${folder}: every term listed`);
      assert.equal(new Set(seen).size, count, `${folder}: each term once`);
      assert.ok(seen.every((href) => href.startsWith(`${prefix}${folder}/`)));
      for (const href of seen.slice(0, 3)) assert.ok((await stat(path.join(out, href.slice(prefix.length), 'index.html'))).isFile(), href);
      // Alphabetical across pages.
      assert.deepEqual(seen, [...seen].sort());
    }
  });
}

test('a crawl of the paginated indexes under /blog/ finds every index page and no broken link', async (t) => {
  const out = await manyTerms(t, 'https://example.com/blog/');
  const server = await serveStatic(out, '/blog/');
  t.after(server.close);
  const seen = new Set<string>();
  const queue = [`${server.url}tags/`, `${server.url}categories/`];
  const broken: string[] = [];
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await fetch(url, { redirect: 'manual' });
    if (res.status !== 200) broken.push(`${url} → ${res.status}`);
    if (res.status !== 200 || !/\/(tags|categories)\/(page\/\d+\/)?$/.test(url)) continue;
    // Index pages are followed; every link on them is fetched.
    for (const el of parse(await res.text()).querySelectorAll('a[href], link[href]')) {
      const target = new URL(el.getAttribute('href')!, url);
      if (target.origin !== new URL(server.url).origin) continue;
      target.hash = '';
      queue.push(target.href);
    }
  }
  assert.deepEqual(broken, []);
  const indexes = [...seen].filter((u) => /\/(tags|categories)\/(page\/\d+\/)?$/.test(u));
  assert.equal(indexes.length, Math.ceil(TAGS / TERMS_PER_PAGE) + Math.ceil(CATEGORIES / TERMS_PER_PAGE));
});
