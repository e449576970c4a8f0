/** Template problems are reported with the template file and line, and nothing is written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cp, writeFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { buildSite, tempDir, TEMPLATES, writeFiles } from './helpers.ts';

async function themeCopy(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const templates = path.join(dir, 'templates');
  await cp(TEMPLATES, templates, { recursive: true });
  return { dir, templates };
}

test('a template syntax error names the template file and line', async (t) => {
  const { dir, templates } = await themeCopy(t);
  const file = path.join(templates, 'layouts/post.hbs');
  await writeFile(file, (await readFile(file, 'utf8')) + '\n\n{{#if post.title}}\n');
  const out = path.join(dir, 'public');
  const r = await buildSite({ outDir: out, templatesDir: templates });
  assert.equal(r.ok, false);
  const d = r.diagnostics.find((x) => x.code === 'template/syntax');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.match(d.file!, /layouts\/post\.hbs$/);
  assert.ok(d.line! > 10);
  assert.equal(existsSync(out), false);
});

test('a missing partial names the template and the line of {{> name}}', async (t) => {
  const { dir, templates } = await themeCopy(t);
  await writeFile(path.join(templates, 'layouts/404.hbs'), '<h1>Lost</h1>\n<p>\n{{> no-such-partial}}\n</p>\n');
  const r = await buildSite({ outDir: path.join(dir, 'public'), templatesDir: templates });
  const d = r.diagnostics.find((x) => x.code === 'template/missing-partial');
  assert.ok(d);
  assert.match(d.file!, /layouts\/404\.hbs$/);
  assert.equal(d.line, 3);
});

test('an undefined value in strict mode names the file and line', async (t) => {
  const { dir, templates } = await themeCopy(t);
  await writeFile(path.join(templates, 'layouts/404.hbs'), '<h1>Lost</h1>\n{{site.titel}}\n');
  const r = await buildSite({ outDir: path.join(dir, 'public'), templatesDir: templates });
  const d = r.diagnostics.find((x) => x.code === 'template/undefined-value');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.match(d.file!, /layouts\/404\.hbs$/);
  assert.equal(d.line, 2);
});

test('a custom layout picked with type: is used, and its errors point into it', async (t) => {
  const { dir, templates } = await themeCopy(t);
  await writeFile(path.join(templates, 'layouts/gallery.hbs'), '<article class="gallery"><h1>{{post.title}}</h1>{{{post.html}}}</article>\n');
  const content = path.join(dir, 'content');
  await writeFiles(content, { 'a.md': '---\ntitle: Pictures\ndate: 2020-01-01\ntype: gallery\n---\nSome pictures.\n' });
  const out = path.join(dir, 'public');
  const r = await buildSite({ outDir: out, contentDir: content, templatesDir: templates });
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  assert.match(await readFile(path.join(out, 'posts/pictures/index.html'), 'utf8'), /<article class="gallery"><h1>Pictures<\/h1>/);
});

test('front-matter text is escaped in pages', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  await writeFiles(content, { 'x.md': '---\ntitle: "<script>alert(1)</script> & \\"quotes\\""\ndate: 2020-01-01\ncategories: ["<b>bold</b>"]\ndescription: "</title><script>x</script>"\n---\nBody\n' });
  const out = path.join(dir, 'public');
  const r = await buildSite({ outDir: out, contentDir: content });
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  for (const f of r.files) {
    if (!f.outPath.endsWith('.html')) continue;
    const html = Buffer.from(f.contents).toString('utf8');
    assert.doesNotMatch(html, /<script>(alert|x<)|<b>bold/, f.outPath);
  }
});
