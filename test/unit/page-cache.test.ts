/**
 * The persistent page cache (src/cache/page-cache.ts): a later build renders only the pages whose
 * inputs changed, and its output is byte-for-byte what a fresh build without any cache writes,
 * whatever happened to the output folder or the cache file in between.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOptions, BuildReport } from '../../src/build.ts';
import { buildSite, copyJekyllPosts, copySamples, snapshot, tempDir } from '../helpers.ts';

async function project(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t, 'quire-pages-');
  const content = await copySamples(root);
  await copyJekyllPosts(path.join(content, 'jekyll'));
  const opts = (out: string, extra: Partial<BuildOptions> = {}) => ({ root, contentDir: content, outDir: path.join(root, out), overrides: { baseUrl: 'https://example.com/' }, now: Date.UTC(2026, 0, 1), workers: 1, ...extra });
  /** What a fresh build of the same files writes, with no cache at all. */
  const fresh = async (name: string) => {
    const r = await buildSite(opts(name, { cache: false }));
    assert.equal(r.ok, true);
    return snapshot(path.join(root, name));
  };
  return { root, content, opts, fresh };
}

function ok(r: BuildReport): BuildReport {
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r;
}

test('with one post changed, only the pages that show it are rendered, and the output equals a fresh build', async (t) => {
  const p = await project(t);
  const cold = ok(await buildSite(p.opts('public')));
  assert.equal(cold.rendered, cold.pages, 'a cold build renders every page');
  const post = path.join(p.content, 'jekyll', (await import('node:fs')).readdirSync(path.join(p.content, 'jekyll')).filter((f) => f.endsWith('.markdown') || f.endsWith('.md')).sort()[40]!);
  await appendFile(post, '\nOne more sentence.\n');
  const one = ok(await buildSite(p.opts('public')));
  assert.ok(one.rendered >= 1, 'the changed post is rendered');
  assert.ok(one.rendered < 12, `${one.rendered} of ${one.pages} pages rendered: its page, its neighbours, listings and terms that show it`);
  assert.ok(one.output!.written >= 1 && one.output!.written <= one.rendered + 8, `written ${one.output!.written}`);
  assert.deepEqual(await snapshot(path.join(p.root, 'public')), await p.fresh('fresh'));
  const again = ok(await buildSite(p.opts('public')));
  assert.equal(again.rendered, 0, 'and the next build renders nothing');
  t.diagnostic(`pages rendered: cold ${cold.rendered}, one post changed ${one.rendered}, again ${again.rendered} (of ${cold.pages})`);
});

test('a kept page that was deleted or edited in the output folder is rendered again', async (t) => {
  const p = await project(t);
  ok(await buildSite(p.opts('public')));
  const out = path.join(p.root, 'public');
  const pages = [...(await snapshot(out)).keys()].filter((f) => f.endsWith('index.html') && f.startsWith('posts/')).sort();
  await rm(path.join(out, pages[3]!));
  await writeFile(path.join(out, pages[7]!), '<p>edited by hand</p>');
  const again = ok(await buildSite(p.opts('public')));
  assert.equal(again.rendered, 0, 'no inputs changed: every page is kept');
  assert.deepEqual(await snapshot(out), await p.fresh('fresh'), 'the writer rendered the two missing pages');
});

test('a changed template, base URL or damaged page cache renders every page again, with correct output', async (t) => {
  const p = await project(t);
  const first = ok(await buildSite(p.opts('public')));
  // The cache file damaged: ignored whole.
  const cacheFile = path.join(p.root, '.cache', 'quire', 'pages.bin');
  const bytes = await readFile(cacheFile);
  await writeFile(cacheFile, bytes.subarray(0, bytes.length >> 1));
  await appendFile(path.join(p.content, 'jekyll', 'LICENSE'), '\n');
  const damaged = ok(await buildSite(p.opts('public')));
  assert.equal(damaged.rendered, first.pages);
  assert.deepEqual(await snapshot(path.join(p.root, 'public')), await p.fresh('fresh1'));
  // Another base URL: every page's links change.
  const moved = ok(await buildSite(p.opts('public', { overrides: { baseUrl: 'https://example.com/blog/' } })));
  assert.equal(moved.rendered, moved.pages);
  const movedFresh = ok(await buildSite(p.opts('fresh2', { cache: false, overrides: { baseUrl: 'https://example.com/blog/' } })));
  assert.equal(movedFresh.ok, true);
  assert.deepEqual(await snapshot(path.join(p.root, 'public')), await snapshot(path.join(p.root, 'fresh2')));
});

test('a changed layout renders only the pages made with it; a changed base or shared partial renders every page', async (t) => {
  const p = await project(t);
  const templates = path.join(p.root, 'templates');
  await cp(path.join(process.cwd(), 'templates'), templates, { recursive: true });
  const opts = (out: string, extra: Partial<BuildOptions> = {}) => p.opts(out, { templatesDir: templates, ...extra });
  const first = ok(await buildSite(opts('public')));
  const fresh = async (name: string) => (ok(await buildSite(opts(name, { cache: false }))), snapshot(path.join(p.root, name)));
  const rendered = async (file: string, edit: (text: string) => string) => {
    await writeFile(path.join(templates, file), edit(await readFile(path.join(templates, file), 'utf8')));
    const r = ok(await buildSite(opts('public')));
    assert.deepEqual(await snapshot(path.join(p.root, 'public')), await fresh(`fresh-${file.replace(/\W/g, '-')}`), `after ${file} changed, the output is a fresh build's`);
    return r;
  };
  const posts = first.posts;
  const post = await rendered('layouts/post.hbs', (s) => s.replace('<article', '<article data-changed="post"'));
  assert.ok(post.rendered >= posts - 3 && post.rendered <= posts, `post layout changed: ${post.rendered} pages rendered for ${posts} posts (standalone pages use their own layout)`);
  const term = await rendered('layouts/term.hbs', (s) => s + '\n<!-- term changed -->\n');
  assert.ok(term.rendered > 0 && term.rendered < first.pages - posts, `term layout changed: ${term.rendered} of ${first.pages} rendered`);
  const base = await rendered('layouts/base.hbs', (s) => s.replace('<body', '<body data-changed="base"'));
  assert.equal(base.rendered, first.pages, 'base wraps every page');
  t.diagnostic(`pages rendered of ${first.pages}: post layout ${post.rendered}, term layout ${term.rendered}, base ${base.rendered}`);
});

test('link problems on kept pages are still reported, from the scans the cache keeps', async (t) => {
  const p = await project(t);
  await writeFile(path.join(p.content, 'posts', 'stale.md'), '---\ntitle: Stale\ndate: 2020-01-01\n---\n\nSee [gone](/posts/never-was/) and [here](#nowhere).\n');
  const first = ok(await buildSite(p.opts('public')));
  const codes = (r: BuildReport) => r.diagnostics.filter((d) => d.code.startsWith('link/')).map((d) => `${d.code} ${d.message}`).sort();
  assert.ok(codes(first).some((c) => c.includes('never-was')));
  await appendFile(path.join(p.content, 'posts', 'stale.md').replace('stale.md', (await import('node:fs')).readdirSync(path.join(p.content, 'posts')).filter((f) => f !== 'stale.md').sort()[0]!), '\nMore.\n');
  const second = ok(await buildSite(p.opts('public')));
  assert.ok(second.rendered < second.pages / 4, `${second.rendered} of ${second.pages} rendered`);
  assert.deepEqual(codes(second), codes(first), 'the same link warnings, although the page with them was not rendered');
});

test('a view whose HTML has a digest is fingerprinted by it, without reading the HTML', async () => {
  const { pageFingerprinter } = await import('../../src/cache/page-cache.ts');
  const { Memo } = await import('../../src/memo.ts');
  const { HTML_DIGEST, lazyHtml } = await import('../../src/model.ts');
  const fingerprint = pageFingerprinter(new Memo(), () => 'theme');
  let reads = 0;
  const content = (html: string, digest: string) => Object.defineProperty({ get html() { return (reads++, html); } }, HTML_DIGEST, { value: digest });
  const page = (html: string, digest: string) => ({ title: 'T', post: lazyHtml({ title: 'T', url: '/t/' }, content(html, digest)) });
  const a = fingerprint('post', page('<p>one</p>', 'k1'));
  assert.equal(reads, 0, 'the HTML was not read');
  assert.equal(fingerprint('post', page('<p>other bytes, same key</p>', 'k1')), a, 'the digest stands for the HTML');
  assert.notEqual(fingerprint('post', page('<p>one</p>', 'k2')), a);
  assert.equal(reads, 0);
  // Without a digest the HTML itself counts, and a copy made with a new html does not keep the digest.
  const plain = { title: 'T', post: { title: 'T', url: '/t/', html: '<p>one</p>' } };
  assert.notEqual(fingerprint('post', plain), a);
  const copy = { ...content('<p>one</p>', 'k1'), html: '<p>changed</p>' };
  assert.equal(HTML_DIGEST in copy, false);
  assert.equal((lazyHtml({ title: 'T', url: '/t/' }, copy) as { html?: string }).html, '<p>changed</p>');
});

test('fingerprints tell apart what JSON tells apart: dates in front matter, nesting, strings that look like markup', async () => {
  const { pageFingerprinter } = await import('../../src/cache/page-cache.ts');
  const { Memo } = await import('../../src/memo.ts');
  const fp = pageFingerprinter(new Memo(), () => 'theme');
  const views = [
    { data: { when: new Date('2024-01-01T00:00:00Z') } },
    { data: { when: new Date('2024-01-02T00:00:00Z') } },
    { data: { when: '2024-01-01T00:00:00.000Z' } },
    { a: 'x', b: 'y' },
    { a: 'x:1', b: '' },
    { a: ['x', 'y'] },
    { a: ['xy'] },
    { a: [['x'], 'y'] },
    { a: 1 },
    { a: '1' },
    { a: true },
    { a: null },
    { a: 'x'.repeat(600) },
    { a: 'x'.repeat(601) },
  ];
  const prints = views.map((v) => fp('post', v));
  assert.equal(new Set(prints).size, views.length, 'every view has its own fingerprint (a date apart from its ISO text, which a template shows otherwise)');
  assert.deepEqual(views.map((v) => fp('post', structuredClone(v))), prints, 'and the same fingerprint for the same data');
  assert.notEqual(fp('home', views[0]), prints[0], 'the layout counts');
});
