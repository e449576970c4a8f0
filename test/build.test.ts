/** The one orchestrator, `build()`: in memory, every error in one run, the write decision. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { build } from '../src/build.ts';
import { memoryFs } from '../src/fs.ts';
import { contentsOf, KEPT } from '../src/model.ts';
import { SAMPLE_CONTENT, TEMPLATES } from './helpers.ts';

const NOW = Date.UTC(2030, 0, 1);

/** Every file under `dir`, keyed by its path under `as`. */
async function load(dir: string, as: string): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.join(as, path.relative(dir, path.join(e.parentPath, e.name)))] = await readFile(path.join(e.parentPath, e.name));
  }
  return out;
}

const options = (fs: ReturnType<typeof memoryFs>) => ({ root: '/site', contentDir: '/site/content', templatesDir: '/site/templates', outDir: '/site/public', cwd: '/site', now: NOW, fs, overrides: { baseUrl: 'https://example.com/blog/' } });

test('a whole site builds in memory, touching no disk, to the same bytes as the same files built from disk', async () => {
  const fs = memoryFs({ ...(await load(SAMPLE_CONTENT, '/site/content')), ...(await load(TEMPLATES, '/site/templates')) }, Date.UTC(2024, 0, 1));
  const r = await build(options(fs));
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
  assert.equal(r.posts, 5);
  const written = [...fs.files.keys()].filter((p) => p.startsWith('/site/public/')).map((p) => p.slice('/site/public/'.length)).sort();
  assert.deepEqual(written, [...r.files.map((f) => f.outPath), '.quire-output'].sort());
  const home = Buffer.from(fs.files.get('/site/public/index.html')!).toString('utf8');
  assert.match(home, /<a [^>]*href="\/blog\/posts\//);
  // The same files from disk (sample 004 has no date: pin its mtime-independent parts by comparing every other page).
  const disk = await build({ root: path.dirname(SAMPLE_CONTENT), contentDir: SAMPLE_CONTENT, templatesDir: TEMPLATES, outDir: '/nowhere', cwd: path.dirname(SAMPLE_CONTENT), now: NOW, write: false, cache: false, overrides: { baseUrl: 'https://example.com/blog/' } });
  const fromDisk = new Map(disk.files.map((f) => [f.outPath, Buffer.from(f.contents).toString('utf8')]));
  const post = 'posts/understanding-the-principles-of-neural-networks-in-deep-learning/index.html';
  assert.ok(fromDisk.has(post));
  assert.equal(Buffer.from(fs.files.get(`/site/public/${post}`)!).toString('utf8'), fromDisk.get(post));
});

test('written to an output folder, pages go to the writer as they render: the report lists them without their bytes, and contentsOf gives the bytes written', async () => {
  const fs = memoryFs({ ...(await load(SAMPLE_CONTENT, '/site/content')), ...(await load(TEMPLATES, '/site/templates')) }, Date.UTC(2024, 0, 1));
  const r = await build(options(fs));
  assert.equal(r.ok, true);
  const pages = r.files.filter((f) => f.outPath.endsWith('.html'));
  assert.ok(pages.length > 10);
  for (const page of pages) {
    assert.equal(page.contents, KEPT, `${page.outPath} holds no bytes`);
    assert.deepEqual(Buffer.from(contentsOf(page)), Buffer.from(fs.files.get(`/site/public/${page.outPath}`)!), page.outPath);
  }
});

test('a site of many pages written through reused slabs has the same bytes as the same site rendered in memory', async () => {
  // 150 posts of about 40 KB: pages fill several 1 MiB slabs, which are used again as pages are written.
  const posts: Record<string, string> = {};
  for (let i = 0; i < 150; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const body = Array.from({ length: 400 }, (_, k) => `Paragraph ${k} of post ${i}: “quoted” text — café ${i * 1000 + k}.`).join('\n\n');
    posts[`/site/content/posts/p${i}.md`] = `---\ntitle: Post ${i}\ndate: 2020-01-${day}\ntags: [t${i % 7}]\n---\n\n${body}\n`;
  }
  const fs = memoryFs({ ...posts, ...(await load(TEMPLATES, '/site/templates')) });
  // A slow disk: each write takes its bytes a moment after it was asked for, so many pages wait to be written.
  const slow = { ...fs, writeFile: async (p: string, d: Parameters<typeof fs.writeFile>[1]) => (await new Promise((resolve) => setTimeout(resolve, 3)), fs.writeFile(p, d)) };
  const written = await build({ ...options(fs), fs: slow, cache: false, workers: 1 });
  assert.equal(written.ok, true, JSON.stringify(written.diagnostics.filter((d) => d.severity === 'error')));
  const inMemory = await build({ ...options(memoryFs({ ...posts, ...(await load(TEMPLATES, '/site/templates')) })), cache: false, workers: 1, write: false });
  assert.equal(inMemory.files.length, written.files.length);
  let bytes = 0;
  for (const f of inMemory.files) {
    const disk = fs.files.get(`/site/public/${f.outPath}`);
    assert.ok(disk, f.outPath);
    assert.equal(Buffer.from(disk).toString('utf8'), Buffer.from(f.contents).toString('utf8'), f.outPath);
    bytes += disk.length;
  }
  assert.ok(bytes > 4 * 1024 * 1024, `${bytes} bytes of pages: more than four slabs`);
});

test('one run reports every problem: a post whose front matter cannot be read is left out, the rest is built and link-checked, nothing is written', async () => {
  const fs = memoryFs({
    ...(await load(TEMPLATES, '/site/templates')),
    '/site/content/broken.md': '---\ntitle: Hello: world\ndate: 2020-01-01\n---\n\nBroken YAML.\n',
    '/site/content/linker.md': '---\ntitle: Linker\ndate: 2020-01-02\n---\n\nSee [the gone page](/blog/posts/no-such-post/) and [an anchor](#nowhere).\n',
    '/site/content/fine.md': '---\ntitle: Fine\ndate: 2020-01-03\n---\n\nAll good.\n',
  });
  const r = await build(options(fs));
  assert.equal(r.ok, false);
  const found = r.diagnostics.map((d) => [d.code, d.file, d.line]);
  assert.deepEqual(found.find(([c]) => c === 'frontmatter/yaml-syntax'), ['frontmatter/yaml-syntax', 'content/broken.md', 2]);
  assert.deepEqual(found.find(([c]) => c === 'link/broken'), ['link/broken', 'content/linker.md', 6]);
  assert.deepEqual(found.find(([c]) => c === 'link/missing-anchor'), ['link/missing-anchor', 'content/linker.md', 6]);
  assert.equal(r.posts, 2, 'the two good posts were built');
  assert.ok(r.files.some((f) => f.outPath === 'posts/fine/index.html'));
  assert.deepEqual([...fs.files.keys()].filter((p) => p.startsWith('/site/public')), [], 'nothing is written');
});
