/**
 * Unit tests for src/render/templates.ts: a partial whose output depends on its context object
 * alone is rendered once per object and repeated (a post's summary on each of its 10,000 terms'
 * pages); one that reads @data, a parent context or a partial block is rendered every time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFs } from '../../src/fs.ts';
import { loadTheme, renderPages } from '../../src/render/templates.ts';
import type { RenderJob } from '../../src/model.ts';

/** A theme in memory: every required layout, `home` rendering `items` through the partial `item`. */
async function theme(partials: Record<string, string>, home = '{{#each items}}{{> item}}{{/each}}', archive = '-') {
  const files: Record<string, string> = { '/t/layouts/base.hbs': '{{{body}}}', '/t/layouts/home.hbs': home, '/t/layouts/archive.hbs': archive };
  for (const name of ['post', 'term', 'terms', 'search', '404']) files[`/t/layouts/${name}.hbs`] = '-';
  for (const [name, text] of Object.entries(partials)) files[`/t/partials/${name}.hbs`] = text;
  const loaded = await loadTheme(memoryFs(files), '/t', (p) => p);
  assert.deepEqual(loaded.diagnostics, []);
  return loaded.value!;
}

const job = (outPath: string, view: object, layout = 'home'): RenderJob => ({ outPath, layout, view: view as RenderJob['view'] });

function render(th: Awaited<ReturnType<typeof theme>>, jobs: RenderJob[]): string[] {
  const r = renderPages(th, jobs);
  assert.deepEqual(r.diagnostics, []);
  return r.value.map((f) => String(f.contents));
}

test('a partial that reads only its context renders the same object the same on every page, nested partials included', async () => {
  const th = await theme({ item: '<{{name}}{{> tags}}>', tags: '{{#each tags}}[{{this}}]{{/each}}' });
  const a = { name: 'A', tags: ['x', 'y'] };
  const b = { name: 'B', tags: [] };
  assert.deepEqual(render(th, [job('1.html', { items: [a, b] }), job('2.html', { items: [b, a] }), job('3.html', { items: [{ ...a, name: 'C' }] })]), ['<A[x][y]><B>', '<B><A[x][y]>', '<C[x][y]>']);
});

test('each page\'s view is released once the page is rendered, kept or failed: a build does not hold every view until it ends', async () => {
  const th = await theme({ item: '<{{name}}>' }, '{{#each items}}{{> item}}{{/each}}{{#if boom}}{{boom.x.y}}{{/if}}');
  const released: string[] = [];
  const tracked = (outPath: string, view: object): RenderJob => ({ ...job(outPath, view), release: () => void released.push(outPath) });
  const jobs = [tracked('a.html', { items: [{ name: 'A' }], boom: false }), tracked('kept.html', { items: [], boom: false }), tracked('bad.html', { items: [], boom: { x: null } })];
  const r = renderPages(th, jobs, undefined, { keep: (j) => (j.outPath === 'kept.html' ? { hash: 'h', size: 1 } : undefined) });
  assert.deepEqual(r.value.map((f) => f.outPath), ['a.html', 'kept.html']);
  assert.equal(r.diagnostics.length, 1, 'the failing page is reported');
  assert.deepEqual(released, ['a.html', 'kept.html', 'bad.html']);
});

test('a partial reading @index or @root, or calling a partial block, is rendered on each page (regression guard for shared partial output)', async () => {
  const a = { name: 'A' };
  const b = { name: 'B' };
  const pages = [job('1.html', { items: [a, b], label: 'one' }), job('2.html', { items: [b, a], label: 'two' })];
  assert.deepEqual(render(await theme({ item: '{{@index}}{{name}} ' }), pages), ['0A 1B ', '0B 1A ']);
  assert.deepEqual(render(await theme({ item: '{{name}}@{{@root.label}} ' }), pages), ['A@one B@one ', 'B@two A@two ']);
  // A pure-looking partial that calls one reading @data is not shared either.
  assert.deepEqual(render(await theme({ item: '{{name}}{{> where}} ', where: '{{@index}}' }), pages), ['A0 B1 ', 'B0 A1 ']);
  // The partial block differs per page.
  const block = await theme({ wrap: '({{> @partial-block}})' }, '{{#each items}}{{#> wrap}}{{name}}{{@index}}{{/wrap}}{{/each}}');
  assert.deepEqual(render(block, pages), ['(A0)(B1)', '(B0)(A1)']);
});

test('a theme with inline partials shares no partial output (an inline partial can stand in for a name on one page)', async () => {
  const th = await theme({ item: '{{name}}{{> mark}}', mark: '.' }, '{{#*inline "mark"}}!{{/inline}}{{#each items}}{{> item}}{{/each}}', '{{#each items}}{{> item}}{{/each}}');
  const a = { name: 'A' };
  assert.deepEqual(render(th, [job('1.html', { items: [a] }), job('2.html', { items: [a] }, 'archive')]), ['A!', 'A.']);
});

test('a template file listed but gone when read (removed during a build, as a branch switch under dev does) is an error naming it, not a crash', async () => {
  const files: Record<string, string> = { '/t/layouts/base.hbs': '{{{body}}}', '/t/partials/item.hbs': '-', '/t/assets/style.css': 'body{}', '/t/icons/x.svg': '<svg/>' };
  for (const name of ['home', 'archive', 'post', 'term', 'terms', 'search', '404']) files[`/t/layouts/${name}.hbs`] = '-';
  const fs = memoryFs(files);
  const gone = new Set(['/t/layouts/post.hbs', '/t/partials/item.hbs', '/t/assets/style.css', '/t/icons/x.svg']);
  const vanishing = { ...fs, readFile: async (p: string) => (gone.has(p) ? Promise.reject(Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' })) : fs.readFile(p)) };
  const loaded = await loadTheme(vanishing, '/t', (p) => p);
  assert.equal(loaded.value, null);
  const unreadable = loaded.diagnostics.filter((d) => d.code === 'template/unreadable').map((d) => d.file).sort();
  assert.deepEqual(unreadable, [...gone].sort());
});

test('a theme folder that is missing or has no layouts is one error naming the folder, not one per layout', async () => {
  for (const files of [{}, { '/t/partials/x.hbs': 'x' }] as Record<string, string>[]) {
    const loaded = await loadTheme(memoryFs(files), '/t', (p) => p);
    assert.equal(loaded.value, null);
    assert.equal(loaded.diagnostics.length, 1);
    const [d] = loaded.diagnostics;
    assert.equal(d!.code, 'template/missing-layout');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.file, '/t/layouts');
    assert.match(d!.message, /^no layouts in \/t\/layouts: the theme folder is missing or empty$/);
    assert.match(d!.hint!, /--templates/);
  }
});

test('a theme without some required layouts names each, and the hint lists every layout a theme needs', async () => {
  const files: Record<string, string> = {};
  for (const name of ['base', 'home', 'post', 'term', 'terms', '404']) files[`/t/layouts/${name}.hbs`] = '-';
  const loaded = await loadTheme(memoryFs(files), '/t', (p) => p);
  assert.deepEqual(loaded.diagnostics.map((d) => [d.code, d.file]), [['template/missing-layout', '/t/layouts/archive.hbs'], ['template/missing-layout', '/t/layouts/search.hbs']]);
  for (const name of ['base', 'home', 'term', 'terms', 'archive', 'search', '404', 'post']) assert.match(loaded.diagnostics[0]!.hint!, new RegExp(`\\b${name}\\b`));
});

test('layoutIds: a layout is named by base, itself and the partials they reach; the other layouts\' text does not count', async () => {
  const load = async (edit: Record<string, string> = {}) => {
    const files: Record<string, string> = {
      '/t/layouts/base.hbs': '<main>{{{body}}}</main>{{> footer}}',
      '/t/layouts/post.hbs': '{{> meta}}{{title}}',
      '/t/layouts/term.hbs': '{{#each items}}{{> summary}}{{/each}}',
      '/t/partials/footer.hbs': 'f',
      '/t/partials/meta.hbs': '{{> date}}',
      '/t/partials/date.hbs': 'd',
      '/t/partials/summary.hbs': 's',
      '/t/icons/x.svg': '<svg/>',
      '/t/assets/style.css': 'body{}',
    };
    for (const name of ['home', 'archive', 'terms', 'search', '404']) files[`/t/layouts/${name}.hbs`] = '-';
    const loaded = await loadTheme(memoryFs({ ...files, ...edit }), '/t', (p) => p);
    assert.deepEqual(loaded.diagnostics, []);
    return loaded.value!;
  };
  const before = await load();
  const changed = async (edit: Record<string, string>) => {
    const after = await load(edit);
    assert.notEqual(after.id, before.id, 'the theme as a whole changed');
    return [...before.layoutIds].filter(([name, id]) => after.layoutIds.get(name) !== id).map(([name]) => name).sort();
  };
  const all = [...before.layoutIds.keys()].sort();
  assert.equal(new Set(before.layoutIds.values()).size, all.length, 'every layout has its own id');
  assert.deepEqual(await changed({ '/t/layouts/post.hbs': '{{> meta}}<h1>{{title}}</h1>' }), ['post']);
  assert.deepEqual(await changed({ '/t/partials/date.hbs': 'D' }), ['post'], 'a partial reached through another');
  assert.deepEqual(await changed({ '/t/partials/summary.hbs': 'S' }), ['term']);
  assert.deepEqual(await changed({ '/t/layouts/base.hbs': '<main class="x">{{{body}}}</main>{{> footer}}' }), all);
  assert.deepEqual(await changed({ '/t/partials/footer.hbs': 'F' }), all, 'a partial base calls');
  assert.deepEqual(await changed({ '/t/partials/new.hbs': 'n' }), all, 'a partial added (a name a page may come to call)');
  assert.deepEqual(await changed({ '/t/icons/x.svg': '<svg id="x"/>' }), all);
  assert.deepEqual(await changed({ '/t/assets/style.css': 'body{margin:0}' }), all);
  // A partial chosen per page, or an inline partial standing in for a name: every layout is the whole theme.
  for (const edit of <Record<string, string>[]>[{ '/t/layouts/post.hbs': '{{> (lookup . "which")}}' }, { '/t/layouts/term.hbs': '{{#*inline "summary"}}i{{/inline}}{{#each items}}{{> summary}}{{/each}}' }]) {
    const th = await load(edit);
    assert.deepEqual([...new Set(th.layoutIds.values())], [th.id]);
  }
});
