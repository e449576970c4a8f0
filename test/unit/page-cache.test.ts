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

test('a kept page, feed or search index that was deleted or edited in the output folder is made again', async (t) => {
  const p = await project(t);
  ok(await buildSite(p.opts('public')));
  const out = path.join(p.root, 'public');
  const pages = [...(await snapshot(out)).keys()].filter((f) => f.endsWith('index.html') && f.startsWith('posts/')).sort();
  await rm(path.join(out, pages[3]!));
  await writeFile(path.join(out, pages[7]!), '<p>edited by hand</p>');
  // Feeds and the search index are kept the same way (see PublishJob).
  const feeds = [...(await snapshot(out)).keys()].filter((f) => f.endsWith('feed.xml')).sort();
  assert.ok(feeds.length > 2, 'the site and its categories have feeds');
  await rm(path.join(out, feeds[1]!));
  await writeFile(path.join(out, 'search-index.json'), '{}');
  const again = ok(await buildSite(p.opts('public')));
  assert.equal(again.rendered, 0, 'no inputs changed: every page is kept');
  assert.deepEqual(await snapshot(out), await p.fresh('fresh'), 'the writer rendered the two missing pages, and made the feed and search index again');
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
  const a = fingerprint({ layout: 'post', view: page('<p>one</p>', 'k1') });
  assert.equal(reads, 0, 'the HTML was not read');
  assert.equal(fingerprint({ layout: 'post', view: page('<p>other bytes, same key</p>', 'k1') }), a, 'the digest stands for the HTML');
  assert.notEqual(fingerprint({ layout: 'post', view: page('<p>one</p>', 'k2') }), a);
  assert.equal(reads, 0);
  // Without a digest the HTML itself counts, and a copy made with a new html does not keep the digest.
  const plain = { title: 'T', post: { title: 'T', url: '/t/', html: '<p>one</p>' } };
  assert.notEqual(fingerprint({ layout: 'post', view: plain }), a);
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
  const prints = views.map((v) => fp({ layout: 'post', view: v }));
  assert.equal(new Set(prints).size, views.length, 'every view has its own fingerprint (a date apart from its ISO text, which a template shows otherwise)');
  assert.deepEqual(views.map((v) => fp({ layout: 'post', view: structuredClone(v) })), prints, 'and the same fingerprint for the same data');
  assert.notEqual(fp({ layout: 'home', view: views[0]! }), prints[0], 'the layout counts');
});

test("a post's page is kept by its key, and rendered again by every change outside its file that it shows", async (t) => {
  const p = await project(t);
  const jekyll = path.join(p.content, 'jekyll');
  const file = (name: string) => path.join(jekyll, name);
  const edit = async (name: string, from: RegExp, to: string) => {
    const text = await readFile(file(name), 'utf8');
    assert.match(text, from, `${name} has ${from}`);
    await writeFile(file(name), text.replace(from, to));
  };
  const page = (rel: string) => readFile(path.join(p.root, 'public', rel), 'utf8');
  const neighbour = 'posts/jekyll-3-1-1-released/index.html'; // the post before "Jekyll 3.0.3 Released"
  ok(await buildSite(p.opts('public')));
  const steps: [string, () => Promise<void>, (r: BuildReport) => Promise<void>][] = [
    // Its neighbour's title is shown in its "newer/older" links.
    ['a neighbour retitled', () => edit('2016-02-08-jekyll-3-0-3-released.markdown', /^title: .*$/m, "title: 'Jekyll 3.0.3, Retitled'"), async () => assert.match(await page(neighbour), /Jekyll 3\.0\.3, Retitled/)],
    // Another post's tags make it related (its page lists it); the page's own file did not change.
    ['another post tagged like it', () => edit('2016-03-10-making-it-easier-to-contribute-to-jekyll.md', /^---\n/, '---\ncategory: release\n'), async () => undefined],
    // A page with `menu:` changes the site's header on every page.
    ['a menu page added', () => writeFile(path.join(p.content, 'about.md'), '---\ntitle: About Us\nlayout: page\nmenu: 1\n---\n\nHello.\n'), async (r) => {
      assert.match(await page(neighbour), /About Us/);
      assert.ok(r.rendered > r.pages / 2, `${r.rendered} of ${r.pages}: the header is on every page`);
    }],
    ['nothing', async () => undefined, async (r) => assert.equal(r.rendered, 0)],
  ];
  for (const [what, change, check] of steps) {
    await change();
    const r = ok(await buildSite(p.opts('public')));
    await check(r);
    assert.deepEqual(await snapshot(path.join(p.root, 'public')), await p.fresh(`fresh-${steps.findIndex((s) => s[0] === what)}`), `after "${what}", the output is a fresh build's`);
  }
});

test("a post's page is rendered again when a neighbour is retitled, with no related posts to show it otherwise", async (t) => {
  const p = await project(t);
  const opts = (out: string) => ({ ...p.opts(out), overrides: { baseUrl: 'https://example.com/', relatedPosts: 0 } });
  ok(await buildSite(opts('public')));
  const name = path.join(p.content, 'jekyll', '2016-02-08-jekyll-3-0-3-released.markdown');
  await writeFile(name, (await readFile(name, 'utf8')).replace(/^title: .*$/m, "title: 'Jekyll 3.0.3, Retitled'"));
  const r = ok(await buildSite(opts('public')));
  assert.ok(r.rendered < 12, `${r.rendered} rendered`);
  for (const neighbour of ['posts/jekyll-3-1-1-released/index.html', 'posts/jekyll-3-1-2-released/index.html']) {
    assert.match(await readFile(path.join(p.root, 'public', neighbour), 'utf8'), /Jekyll 3\.0\.3, Retitled/, neighbour);
  }
  const fresh = await buildSite({ ...opts('fresh'), cache: false });
  assert.equal(fresh.ok, true);
  assert.deepEqual(await snapshot(path.join(p.root, 'public')), await snapshot(path.join(p.root, 'fresh')));
});

test("a post's page is rendered again when an image it shows changes size", async (t) => {
  const p = await project(t);
  /** A PNG's first bytes (signature and IHDR), `w` × `h`: all the image-size reader needs. */
  const png = (w: number, h: number) => {
    const b = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 0, 0, 0, 0, 0, 8, 6, 0, 0, 0]);
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    return b;
  };
  await writeFile(path.join(p.content, 'photo.png'), png(300, 200));
  await writeFile(path.join(p.content, 'trip.md'), '---\ntitle: Trip\ndate: 2021-05-01\n---\n\n![A photo](photo.png)\n');
  await writeFile(path.join(p.content, 'after.md'), '---\ntitle: After\ndate: 2021-05-02\n---\n\nAfter the [trip](trip.md): ![the photo](/photo.png)\n');
  await writeFile(path.join(p.content, 'query.md'), '---\ntitle: Query\ndate: 2021-05-03\n---\n\n![the photo, version 2](photo.png?v=2)\n');
  ok(await buildSite(p.opts('public')));
  const sized = async (rel: string) => /<img[^>]*width="(\d+)" height="(\d+)"/.exec(await readFile(path.join(p.root, 'public', rel), 'utf8'))?.slice(1).join('×');
  assert.equal(await sized('posts/trip/index.html'), '300×200');
  assert.equal(await sized('posts/after/index.html'), '300×200', 'written site-absolute, beside a link to a post');
  assert.equal(await sized('posts/query/index.html'), '300×200', 'with a query string');
  await writeFile(path.join(p.content, 'photo.png'), png(640, 480));
  ok(await buildSite(p.opts('public')));
  assert.equal(await sized('posts/trip/index.html'), '640×480');
  assert.equal(await sized('posts/after/index.html'), '640×480');
  assert.equal(await sized('posts/query/index.html'), '640×480');
  const fresh = await buildSite(p.opts('fresh', { cache: false }));
  assert.equal(fresh.ok, true);
  assert.deepEqual(await snapshot(path.join(p.root, 'public')), await snapshot(path.join(p.root, 'fresh')));
});

test('a job with a key is fingerprinted by it: its view is never made', async () => {
  const { pageFingerprinter } = await import('../../src/cache/page-cache.ts');
  const { Memo } = await import('../../src/memo.ts');
  const fp = pageFingerprinter(new Memo(), (layout) => `theme-${layout}`);
  const job = (key: string, layout = 'post') => ({
    layout,
    key,
    get view(): Record<string, unknown> {
      throw new Error('the view was made');
    },
  });
  assert.equal(fp(job('a')), fp(job('a')));
  assert.notEqual(fp(job('a')), fp(job('b')));
  assert.notEqual(fp(job('a')), fp(job('a', 'page')), 'the layout counts');
  assert.notEqual(fp(job('a')), pageFingerprinter(new Memo(), () => 'other theme')(job('a')), 'and what it is made from');
});

test('related posts are kept with their key: taken again for the same key, made again for another', async () => {
  const { PageCacheRun, pageFingerprinter, readPageCache, writePageCache } = await import('../../src/cache/page-cache.ts');
  const { Memo } = await import('../../src/memo.ts');
  const { memoryFs } = await import('../../src/fs.ts');
  const fs = memoryFs();
  const fingerprint = pageFingerprinter(new Memo(), () => 'theme');
  const lists = new Map([['posts/a.md', ['posts/b.md']], ['posts/b.md', []]]);
  let made = 0;
  const make = () => (made++, lists);
  const first = new PageCacheRun(await readPageCache(fs, '/cache', 'ctx'), fingerprint);
  assert.equal(first.related('k1', make), lists);
  assert.equal(made, 1, 'nothing kept yet: made');
  await writePageCache(fs, '/cache', 'ctx', first.next);
  const second = new PageCacheRun(await readPageCache(fs, '/cache', 'ctx'), fingerprint);
  assert.deepEqual(second.related('k1', make), lists);
  assert.equal(made, 1, 'the same key: taken from the file');
  const third = new PageCacheRun(await readPageCache(fs, '/cache', 'ctx'), fingerprint);
  third.related('k2', make);
  assert.equal(made, 2, 'another key: made');
  assert.equal((await readPageCache(fs, '/cache', 'other settings')).related, null, 'nothing is taken under other settings');
});

test('a build whose posts are all the same takes the related lists from the page cache; one post changed makes them again', async (t) => {
  const p = await project(t);
  const { readPageCache, writePageCache } = await import('../../src/cache/page-cache.ts');
  const { contextKey } = await import('../../src/cache/post-cache.ts');
  const { nodeFs } = await import('../../src/fs.ts');
  const cacheDir = path.join(p.root, '.cache', 'quire');
  const context = contextKey({ cache: 'pages' });
  ok(await buildSite(p.opts('public')));
  // A list planted in the cache under the build's own key shows on the next build with the same
  // posts: the lists were taken, not computed (no build would relate these two).
  const cached = await readPageCache(nodeFs, cacheDir, context);
  assert.ok(cached.related, 'the build kept its related lists');
  const source = 'jekyll/2016-02-08-jekyll-3-0-3-released.markdown';
  assert.ok(cached.related.lists.has(source));
  cached.related.lists.set(source, ['posts/003_b76d264152549c9e.txt']);
  await writePageCache(nodeFs, cacheDir, context, cached);
  await rm(path.join(p.root, 'public', 'posts', 'jekyll-3-0-3-released'), { recursive: true }); // so that its page is made again
  ok(await buildSite(p.opts('public')));
  const page = () => readFile(path.join(p.root, 'public', 'posts', 'jekyll-3-0-3-released', 'index.html'), 'utf8');
  const planted = /<aside class="related"[\s\S]*Principles of Neural Networks in Deep Learning[\s\S]*<\/aside>/;
  assert.match(await page(), planted, 'the planted list is shown');
  // One post's words changed: the key differs, the lists are made again, and the output is a fresh build's.
  await appendFile(path.join(p.content, 'jekyll', '2016-03-10-making-it-easier-to-contribute-to-jekyll.md'), '\nOne more sentence about contributing.\n');
  ok(await buildSite(p.opts('public')));
  assert.doesNotMatch(await page(), planted);
  assert.deepEqual(await snapshot(path.join(p.root, 'public')), await p.fresh('fresh'));
});

test('a build that changed few pages saves them as a delta beside the base, which the next build reads; many changes write a new base', async (t) => {
  const p = await project(t);
  const templates = path.join(p.root, 'templates');
  await cp(path.join(process.cwd(), 'templates'), templates, { recursive: true });
  const build = async () => ok(await buildSite(p.opts('public', { templatesDir: templates })));
  const cacheDir = path.join(p.root, '.cache', 'quire');
  const base = () => readFile(path.join(cacheDir, 'pages.bin'));
  const hasDelta = () => readFile(path.join(cacheDir, 'pages-delta.bin')).then(() => true, () => false);
  await build();
  const first = await base();
  assert.equal(await hasDelta(), false, 'a cold build writes the base alone');
  const posts = (await import('node:fs')).readdirSync(path.join(p.content, 'jekyll')).filter((f) => f.endsWith('.markdown') || f.endsWith('.md')).sort();
  await appendFile(path.join(p.content, 'jekyll', posts[40]!), '\nOne more sentence.\n');
  await build();
  assert.ok((await base()).equals(first), 'one post changed: the base is not written again');
  assert.equal(await hasDelta(), true);
  await appendFile(path.join(p.content, 'jekyll', posts[50]!), '\nAnother sentence.\n');
  const second = await build();
  assert.ok(second.rendered < 12, `the first change's pages are known from the delta: ${second.rendered} rendered`);
  assert.equal((await build()).rendered, 0, 'base and delta together know every page');
  // The post layout changed: every post page is rendered, too many for a delta.
  await appendFile(path.join(templates, 'layouts', 'post.hbs'), '\n<!-- changed -->\n');
  const templated = await build();
  assert.ok(templated.rendered > 64, `${templated.rendered} pages rendered`);
  assert.ok(!(await base()).equals(first), 'a new base');
  assert.equal(await hasDelta(), false, 'and no delta');
  assert.equal((await build()).rendered, 0);
  const fresh = ok(await buildSite(p.opts('fresh', { templatesDir: templates, cache: false })));
  assert.ok(fresh.ok);
  assert.deepEqual(await snapshot(path.join(p.root, 'public')), await snapshot(path.join(p.root, 'fresh')));
});

test('a delta made for another base, or damaged, is ignored', async () => {
  const { PageCacheRun, pageFingerprinter, readPageCache, writePageCache } = await import('../../src/cache/page-cache.ts');
  const { Memo } = await import('../../src/memo.ts');
  const { memoryFs } = await import('../../src/fs.ts');
  const fs = memoryFs();
  const scan = { refs: [], ids: new Set<string>() };
  const run = new PageCacheRun(await readPageCache(fs, '/cache', 'ctx'), pageFingerprinter(new Memo(), () => 'theme'));
  for (let i = 0; i < 100; i++) run.next.pages.set(`p${i}.html`, { fingerprint: `f${i}`, hash: `h${i}`, size: i, scan });
  await writePageCache(fs, '/cache', 'ctx', run.next);
  const read = await readPageCache(fs, '/cache', 'ctx');
  read.pages.set('p1.html', { fingerprint: 'changed', hash: 'h', size: 1, scan });
  read.pages.delete('p2.html');
  await writePageCache(fs, '/cache', 'ctx', read);
  const merged = await readPageCache(fs, '/cache', 'ctx');
  assert.equal(merged.pages.get('p1.html')?.fingerprint, 'changed');
  assert.equal(merged.pages.has('p2.html'), false);
  assert.equal(merged.pages.size, 99);
  // Another base, written by a build that changed much: the old delta no longer applies.
  const delta = await fs.readFile('/cache/pages-delta.bin');
  const many = await readPageCache(fs, '/cache', 'ctx');
  for (let i = 0; i < 70; i++) many.pages.set(`p${i}.html`, { fingerprint: `g${i}`, hash: `h${i}`, size: i, scan });
  await writePageCache(fs, '/cache', 'ctx', many);
  await fs.writeFile('/cache/pages-delta.bin', delta); // left behind, say by a build killed in between
  const after = await readPageCache(fs, '/cache', 'ctx');
  assert.equal(after.pages.get('p1.html')?.fingerprint, 'g1');
  assert.equal(after.pages.has('p2.html'), true, 'the stale delta removed nothing');
  await fs.writeFile('/cache/pages-delta.bin', 'not a delta');
  assert.equal((await readPageCache(fs, '/cache', 'ctx')).pages.size, 100);
});
