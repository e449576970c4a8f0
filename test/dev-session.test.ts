/** The dev server's incremental rebuilds: exactly what a fresh build gives, doing only the work needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cp, readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { build } from '../src/build.ts';
import { DevSession } from '../src/dev/session.ts';
import { nodeFs, type Fs } from '../src/fs.ts';
import { MemoryWriter } from '../src/output/writer.ts';
import type { OutputFile } from '../src/model.ts';
import { snapshot, tempDir, TEMPLATES, writeFiles } from './helpers.ts';

const NOW = Date.UTC(2030, 0, 1);

async function site(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t);
  const content = path.join(root, 'content');
  const templates = path.join(root, 'templates');
  await cp(TEMPLATES, templates, { recursive: true });
  const posts: Record<string, string> = {};
  for (let i = 1; i <= 12; i++) {
    const cat = ['Go', 'Rust', 'TypeScript'][i % 3];
    posts[`posts/p${i}.md`] = `---\ntitle: Post number ${i}\ndate: 2020-01-${String(i).padStart(2, '0')}\ncategories: [${cat}]\ntags: t${i % 2}\n---\n\nFirst paragraph of post ${i}.\n\n## Section\n\nMore text.\n`;
  }
  await writeFiles(content, posts);
  const session = new DevSession({ root, contentDir: content, templatesDir: templates, drafts: true, future: false, cwd: root, now: () => NOW });
  const fresh = async () => {
    const r = await build({ root, contentDir: content, templatesDir: templates, outDir: path.join(root, 'public'), drafts: true, cwd: root, now: NOW, write: false });
    assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
    return new Map(r.files.map((f) => [f.outPath, Buffer.from(f.contents).toString('utf8')]));
  };
  const served = () => new Map([...session.output].map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
  return { root, content, templates, session, fresh, served };
}

test('after a scripted sequence of edits, adds, renames and deletes the output equals a fresh build', async (t) => {
  const { root, content, templates, session, fresh, served } = await site(t);
  const first = await session.rebuild('full');
  assert.equal(first.ok, true);
  assert.deepEqual(served(), await fresh());

  const p = (n: number) => path.join(content, `posts/p${n}.md`);
  const steps: [string, () => Promise<string[]>, 'content' | 'theme' | 'assets' | 'full'][] = [
    ['edit a title', async () => (await writeFile(p(3), (await readFile(p(3), 'utf8')).replace('Post number 3', 'A new title')), [p(3)]), 'content'],
    ['move a post to another category', async () => (await writeFile(p(4), (await readFile(p(4), 'utf8')).replace(/categories: \[\w+\]/, 'categories: [Elixir]')), [p(4)]), 'content'],
    ['add a post', async () => (await writeFile(path.join(content, 'posts/new.md'), '---\ntitle: Brand new\ndate: 2021-05-05\ncategories: Go\n---\nHello.\n'), [path.join(content, 'posts/new.md')]), 'content'],
    ['add a draft in a new sub-folder', async () => (await mkdir(path.join(content, 'drafts')), await writeFile(path.join(content, 'drafts/d.md'), '---\ntitle: Not yet\ndate: 2021-06-01\ndraft: true\n---\nSoon.\n'), [path.join(content, 'drafts')]), 'content'],
    ['rename a post', async () => (await rename(p(5), path.join(content, 'posts/renamed.md')), [p(5), path.join(content, 'posts/renamed.md')]), 'content'],
    ['delete a post', async () => (await rm(p(6)), [p(6)]), 'content'],
    ['delete the only Elixir post, so its category disappears', async () => (await rm(p(4)), [p(4)]), 'content'],
    ['change a template', async () => (await writeFile(path.join(templates, 'layouts/404.hbs'), '<h1>Gone</h1>\n'), []), 'theme'],
    ['change the stylesheet', async () => (await writeFile(path.join(templates, 'assets/style.css'), 'body { color: red }\n'), []), 'assets'],
    ['add a config file', async () => (await writeFile(path.join(root, 'quire.config.yml'), 'title: Renamed blog\npostsPerPage: 4\n'), []), 'full'],
    ['delete a whole folder', async () => (await rm(path.join(content, 'drafts'), { recursive: true }), [path.join(content, 'drafts')]), 'content'],
    ['save a file without changing it', async () => (await writeFile(p(7), await readFile(p(7))), [p(7)]), 'content'],
  ];
  const early: string[] = [];
  for (const [what, act, plan] of steps) {
    const changed = await act();
    const r = await session.rebuild(plan, changed, { onEarly: (pages) => early.push(...pages) });
    assert.equal(r.ok, true, `${what}: ${JSON.stringify(r.diagnostics)}`);
    assert.deepEqual(served(), await fresh(), `after "${what}" the served site equals a fresh build`);
  }
  assert.ok(early.includes('posts/a-new-title/index.html'), 'an edited post was served before the site-wide steps');
  assert.ok(early.every((page) => page.startsWith('posts/') && page.endsWith('/index.html') && !page.startsWith('posts/page/') && page !== 'posts/index.html'), `only edited posts' own pages come early (listings follow the site-wide steps): ${early.join(', ')}`);
  assert.ok(!served().has('categories/elixir/index.html'));
  assert.match(served().get('index.html')!, /Renamed blog/);
});

test('an unchanged file is not parsed again, and a body edit re-renders only the pages that show it', async (t) => {
  const { content, session } = await site(t);
  await session.rebuild('full');
  const file = path.join(content, 'posts/p7.md');
  const same = await session.rebuild('content', [file]);
  assert.equal(same.reprocessed, 0);
  assert.deepEqual(same.changed, []);

  await writeFile(file, (await readFile(file, 'utf8')).replace('More text.', 'Different text.'));
  const body = await session.rebuild('content', [file]);
  assert.equal(body.reprocessed, 1);
  assert.deepEqual(body.changed, ['posts/post-number-7/index.html', 'search-index.json'], 'only the post page (its summary did not change) and the search index');

  await writeFile(file, (await readFile(file, 'utf8')).replace('Post number 7', 'Seven'));
  const title = await session.rebuild('content', [file]);
  for (const out of ['posts/seven/index.html', 'posts/post-number-7/index.html', 'posts/post-number-6/index.html', 'posts/post-number-8/index.html', 'categories/rust/index.html', 'tags/t1/index.html']) {
    assert.ok(title.changed.includes(out), `${out} changed: ${title.changed.join(', ')}`);
  }
  assert.ok(!title.changed.includes('posts/post-number-2/index.html'), 'an unrelated post page is untouched');
  assert.ok(!title.changed.includes('categories/go/index.html'), 'an unrelated category is untouched');
});

test('a save of files that were there lists no folder again; a path the last build did not know (a file added) is listed, and its post published', async (t) => {
  const { root, content, templates, fresh } = await site(t);
  let listings = 0;
  const counting: Fs = { ...nodeFs, readdir: (p) => ((listings += p.startsWith(content) ? 1 : 0), nodeFs.readdir(p)) };
  const session = new DevSession({ root, contentDir: content, templatesDir: templates, drafts: true, future: false, cwd: root, now: () => NOW, fs: counting });
  const out = () => new Map([...session.output].map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
  await session.rebuild('full');
  const file = path.join(content, 'posts/p4.md');
  await writeFile(file, (await readFile(file, 'utf8')).replace('More text.', 'Edited text.'));
  listings = 0;
  assert.equal((await session.rebuild('content', [file], { sameFiles: true })).ok, true);
  assert.equal(listings, 0, 'no folder listed');
  assert.match(out().get('posts/post-number-4/index.html')!, /Edited text/);
  const added = path.join(content, 'posts/new-one.md');
  await writeFile(added, '---\ntitle: A new one\ndate: 2020-02-01\n---\n\nNew.\n');
  assert.equal((await session.rebuild('content', [added], { sameFiles: true })).ok, true);
  assert.ok(listings > 0, 'listed again');
  assert.ok(out().has('posts/new-one/index.html'), 'the new post is published');
  const expected = await fresh();
  assert.deepEqual(out(), expected);
});

test('warming up the markdown stage at start writes no file and changes nothing served, before the first build and after it; the next edit is served as a fresh build', async (t) => {
  const { root, content, session, fresh } = await site(t);
  const project = await snapshot(root);
  await session.warmUp(); // no config read yet: nothing to warm up with
  assert.deepEqual(await snapshot(root), project);
  await session.rebuild('full');
  const before = new Map(session.output);
  const built = await snapshot(root);
  await session.warmUp();
  assert.deepEqual(await snapshot(root), built, 'no file written, in the project or its cache');
  assert.deepEqual(session.output, before);
  const file = path.join(content, 'posts/p2.md');
  await writeFile(file, (await readFile(file, 'utf8')).replace('More text.', 'Warm text.'));
  assert.equal((await session.rebuild('content', [file])).ok, true);
  assert.deepEqual(new Map([...session.output].map(([k, v]) => [k, Buffer.from(v).toString('utf8')])), await fresh());
});

test('a broken post is reported with file and line while every other page is served from the current files; fixing it recovers', async (t) => {
  const { root, content, templates, session, fresh, served } = await site(t);
  await session.rebuild('full');
  const file = path.join(content, 'posts/p2.md');
  const good = await readFile(file, 'utf8');
  await writeFile(file, good.replace('date: 2020-01-02', 'date: 2020-02-30'));
  const other = path.join(content, 'posts/p5.md');
  await writeFile(other, (await readFile(other, 'utf8')).replace('Post number 5', 'Edited while p2 is broken'));
  const broken = await session.rebuild('content', [file, other]);
  assert.equal(broken.ok, false);
  const d = broken.diagnostics.find((x) => x.severity === 'error')!;
  assert.equal(d.code, 'frontmatter/invalid-date');
  assert.match(d.file!, /p2\.md$/);
  assert.equal(d.line, 3);
  // Served: exactly what a build of the current files gives (never a mix of two builds): the
  // edit to a good post shows, the broken post's page is gone.
  const now = await build({ root, contentDir: content, templatesDir: templates, outDir: path.join(root, 'public'), drafts: true, cwd: root, now: NOW, write: false });
  assert.equal(now.ok, false);
  assert.deepEqual(served(), new Map(now.files.map((f) => [f.outPath, Buffer.from(f.contents).toString('utf8')])));
  assert.ok(served().has('posts/edited-while-p2-is-broken/index.html'));
  assert.ok(!served().has('posts/post-number-2/index.html'));
  await writeFile(file, good.replace('Post number 2', 'Fixed'));
  const fixed = await session.rebuild('content', [file]);
  assert.equal(fixed.ok, true);
  assert.deepEqual(fixed.diagnostics.filter((x) => x.severity === 'error'), []);
  assert.deepEqual(served(), await fresh());
});

test('a broken template is reported with its file, and the site recovers when it is fixed', async (t) => {
  const { templates, session, fresh, served } = await site(t);
  await session.rebuild('full');
  const file = path.join(templates, 'layouts/post.hbs');
  const good = await readFile(file, 'utf8');
  await writeFile(file, good + '{{#each}}');
  const broken = await session.rebuild('theme');
  assert.equal(broken.ok, false);
  assert.match(broken.diagnostics.find((d) => d.severity === 'error')!.file!, /layouts\/post\.hbs$/);
  assert.ok(served().has('posts/post-number-1/index.html'), 'the last good theme still serves the site');
  await writeFile(file, good);
  assert.equal((await session.rebuild('theme')).ok, true);
  assert.deepEqual(served(), await fresh());
});

test('after a template change the pages open in a browser are rendered and shown first (a post\'s page before related posts and the listings are redone), while the rest of the site still shows the old template; the result equals a fresh build', async (t) => {
  const { templates, session, fresh, served } = await site(t);
  await session.rebuild('full');
  const layout = path.join(templates, 'layouts/base.hbs');
  await writeFile(layout, (await readFile(layout, 'utf8')).replace('</body>', '<p id="new-footer">new footer</p></body>'));
  const open = ['posts/post-number-7/index.html', 'index.html', 'tags/t1/index.html'];
  const seen: { early: string[]; newThere: boolean; oldElsewhere: boolean }[] = [];
  const onEarly = (early: string[]) => {
    const now = served();
    seen.push({ early: [...early].sort(), newThere: early.every((p) => now.get(p)!.includes('new footer')), oldElsewhere: !now.get('posts/post-number-2/index.html')!.includes('new footer') });
  };
  const r = await session.rebuild('theme', [], { onEarly, openPages: () => open });
  assert.equal(r.ok, true);
  // A post's page first (before related posts and the listings are redone), then the listings.
  assert.deepEqual(seen.map((x) => x.early), [['posts/post-number-7/index.html'], ['index.html', 'tags/t1/index.html']], 'exactly the open pages: the post page, the home page and a term page');
  assert.ok(seen.every((x) => x.newThere), 'served with the new template when announced');
  assert.ok(seen.every((x) => x.oldElsewhere), 'announced before the rest of the site was rendered');
  assert.ok(r.changed.includes('posts/post-number-2/index.html'), 'the rest follows in the same rebuild');
  assert.ok(r.shownAfterMs !== null && r.shownAfterMs <= r.durationMs, `shown after ${r.shownAfterMs} of ${r.durationMs} ms`);
  assert.deepEqual(served(), await fresh());
});

test('a body-only edit shows the post page from the last site, before the site is made again, with the bytes the full rebuild gives; a front-matter edit waits for the new site', async (t) => {
  const { root, content, templates, fresh } = await site(t);
  const writer = new MemoryWriter();
  const options = { root, contentDir: content, templatesDir: templates, outDir: root, drafts: true, cwd: root, now: NOW, writer, incremental: true };
  await writeFiles(content, { 'pages/about.md': '---\ntitle: About\nmenu: 1\n---\n\nAbout this blog.\n' });
  let state = (await build(options)).state;
  const edit = async (names: (number | string)[], change: (text: string) => string) => {
    const files = names.map((n) => path.join(content, typeof n === 'number' ? `posts/p${n}.md` : n));
    for (const file of files) await writeFile(file, change(await readFile(file, 'utf8')));
    const shown = new Map<string, string>();
    // As the dev session does: early pages are served (the writer holds them) before the rebuild ends.
    const onEarlyPages = async (pages: OutputFile[]) => pages.forEach((f) => (shown.set(f.outPath, Buffer.from(f.contents).toString('utf8')), writer.files.set(f.outPath, f.contents)));
    const r = await build({ ...options, onEarlyPages }, state, { content: files });
    assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
    state = r.state;
    const order = Object.keys(r.timings);
    return { shown, r, early: order.indexOf('early'), site: order.indexOf('site') };
  };

  // The body gains a paragraph with a link to another post's file: resolved to its URL.
  const body = await edit([7], (text) => text + '\nA new paragraph, see [post three](p3.md).\n');
  assert.deepEqual([...body.shown.keys()], ['posts/post-number-7/index.html']);
  assert.ok(body.early !== -1 && body.early < body.site, `shown before the site stage: ${Object.keys(body.r.timings).join(', ')}`);
  const page = body.shown.get('posts/post-number-7/index.html')!;
  assert.match(page, /A new paragraph, see <a href="\/posts\/post-number-3\/">post three<\/a>/);
  assert.ok(!body.r.output!.changed!.includes('posts/post-number-7/index.html'), 'the full rebuild gave the same bytes (no second reload)');
  assert.deepEqual(new Map([...writer.files].map(([k, v]) => [k, Buffer.from(v).toString('utf8')])), await fresh());

  // The dev server looks at a saved file once more 150 ms later: nothing changed, the build stops
  // early, and the next text edit is still shown from the last site (regression: it was not).
  const again = await edit([7], (text) => text);
  assert.deepEqual([...again.shown.keys()], []);
  const second = await edit([7], (text) => text + '\nAnd another.\n');
  assert.deepEqual([...second.shown.keys()], ['posts/post-number-7/index.html']);
  assert.ok(second.early !== -1 && second.early < second.site, `shown before the site stage: ${Object.keys(second.r.timings).join(', ')}`);

  // A standalone page's text, the same way.
  const about = await edit(['pages/about.md'], (text) => text + '\nWritten by two people.\n');
  assert.deepEqual([...about.shown.keys()], ['about/index.html']);
  assert.ok(about.early !== -1 && about.early < about.site);
  assert.match(about.shown.get('about/index.html')!, /Written by two people/);

  // A new title moves the post and changes every listing: shown once the site is made again.
  const title = await edit([8], (text) => text.replace('Post number 8', 'Renamed eight'));
  assert.deepEqual([...title.shown.keys()], ['posts/renamed-eight/index.html']);
  assert.ok(title.early > title.site, `shown after the site stage: ${Object.keys(title.r.timings).join(', ')}`);
  assert.deepEqual(new Map([...writer.files].map(([k, v]) => [k, Buffer.from(v).toString('utf8')])), await fresh());

  // One body edit in a batch with a front-matter edit: the whole batch waits for the new site.
  const batch = await edit([9, 10], (text) => (text.includes('Post number 9') ? text + '\nMore.\n' : text.replace('tags: t0', 'tags: t1')));
  assert.deepEqual([...batch.shown.keys()].sort(), ['posts/post-number-10/index.html', 'posts/post-number-9/index.html']);
  assert.ok(batch.early > batch.site);
  assert.deepEqual(new Map([...writer.files].map(([k, v]) => [k, Buffer.from(v).toString('utf8')])), await fresh());
});

test('a template change with no page open, or one that breaks the template, announces nothing early', async (t) => {
  const { templates, session, fresh, served } = await site(t);
  await session.rebuild('full');
  const layout = path.join(templates, 'layouts/base.hbs');
  const good = await readFile(layout, 'utf8');
  const early: string[] = [];
  await writeFile(layout, good.replace('</body>', '<p>one</p></body>'));
  assert.equal((await session.rebuild('theme', [], { onEarly: (pages) => early.push(...pages), openPages: () => [] })).ok, true);
  await writeFile(layout, good + '{{#each}}');
  assert.equal((await session.rebuild('theme', [], { onEarly: (pages) => early.push(...pages), openPages: () => ['index.html'] })).ok, false);
  assert.equal(early.length, 0);
  await writeFile(layout, good);
  assert.equal((await session.rebuild('theme', [], { onEarly: (pages) => early.push(...pages), openPages: () => ['index.html'] })).ok, true);
  assert.deepEqual(served(), await fresh());
});

test('a batch with an unchanged template and a changed post still applies the post', async (t) => {
  const { content, templates, session, fresh, served } = await site(t);
  await session.rebuild('full');
  const layout = path.join(templates, 'layouts/post.hbs');
  await writeFile(layout, await readFile(layout)); // saved, not changed
  const file = path.join(content, 'posts/p3.md');
  await writeFile(file, (await readFile(file, 'utf8')).replace('Post number 3', 'Renamed in a mixed batch'));
  const r = await session.rebuild('theme', [file]);
  assert.equal(r.ok, true);
  assert.deepEqual(served(), await fresh());
  assert.deepEqual(r.moved, { '/posts/post-number-3/': '/posts/renamed-in-a-mixed-batch/' }, 'the open page can follow the post');
});

test('a post scheduled for later is published by the next rebuild once its time has come, as a fresh build publishes it (regression: dev neither published nor counted it)', async (t) => {
  const root = await tempDir(t);
  const content = path.join(root, 'content');
  const templates = path.join(root, 'templates');
  await cp(TEMPLATES, templates, { recursive: true });
  await writeFiles(content, {
    'posts/now.md': '---\ntitle: Already out\ndate: 2029-12-01\n---\n\nOut.\n',
    'posts/later.md': '---\ntitle: Scheduled\ndate: 2030-01-01 12:00\n---\n\nLater.\n',
  });
  let now = Date.UTC(2030, 0, 1, 11, 0);
  const session = new DevSession({ root, contentDir: content, templatesDir: templates, drafts: false, future: false, cwd: root, now: () => now });
  const first = await session.rebuild('full');
  assert.equal(first.posts, 1);
  assert.equal(first.nextChangeAt, Date.UTC(2030, 0, 1, 12, 0), 'the session knows when the site changes next');
  assert.ok(!session.output.has('posts/later/index.html'));
  now = Date.UTC(2030, 0, 1, 12, 30);
  const due = await session.rebuild('content', []);
  assert.equal(due.ok, true);
  assert.equal(due.posts, 2);
  assert.equal(due.nextChangeAt, null);
  assert.ok(due.changed.includes('posts/later/index.html'));
  const fresh = await build({ root, contentDir: content, templatesDir: templates, outDir: path.join(root, 'public'), cwd: root, now, write: false });
  const served = new Map([...session.output].map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
  assert.deepEqual(served, new Map(fresh.files.map((f) => [f.outPath, Buffer.from(f.contents).toString('utf8')])));
});

test('two builds in one process do not see each other\'s state', async (t) => {
  const root = await tempDir(t);
  const templates = path.join(root, 'templates');
  await cp(TEMPLATES, templates, { recursive: true });
  const one = path.join(root, 'one');
  const two = path.join(root, 'two');
  await writeFiles(one, { 'a.md': '---\ntitle: Same name\ndate: 2020-01-01\n---\n\nFirst site text.\n' });
  await writeFiles(two, { 'a.md': '---\ntitle: Same name\ndate: 2020-01-01\n---\n\nSecond site text.\n' });
  const opts = (contentDir: string) => ({ root, contentDir, templatesDir: templates, outDir: path.join(root, 'out'), cwd: root, now: NOW, write: false, cache: false });
  const [a, b] = await Promise.all([build(opts(one)), build(opts(two))]);
  const page = (r: typeof a) => Buffer.from(r.files.find((f) => f.outPath === 'posts/same-name/index.html')!.contents).toString('utf8');
  assert.match(page(a), /First site text/);
  assert.match(page(b), /Second site text/);
  assert.notEqual(a.state.caches.memo, b.state.caches.memo);
  // A third build after both is what a build alone gives.
  const alone = await build(opts(one));
  assert.equal(page(alone), page(a));
});

test('a config edit with an error keeps the last good config and site, shows the error, and recovers when fixed (regression: a config edit killed dev)', async (t) => {
  const { root, session, fresh, served } = await site(t);
  await session.rebuild('full');
  const before = served();
  const config = path.join(root, 'quire.config.yml');
  for (const broken of ['title: [unclosed\n', '__proto__: { polluted: true }\nconstructor: 1\npostsPerPage: ten\n']) {
    await writeFile(config, broken);
    const r = await session.rebuild('full');
    assert.equal(r.ok, false);
    assert.ok(r.diagnostics.some((d) => d.severity === 'error' && d.code.startsWith('config/') && d.line !== undefined), JSON.stringify(r.diagnostics));
    assert.deepEqual(served(), before, 'the last good site stays served');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
  await rm(config);
  assert.equal((await session.rebuild('full')).ok, true);
  assert.deepEqual(served(), await fresh());
});
