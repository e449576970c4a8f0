/**
 * `quire new` run as a user runs it: bin/quire.js in a temporary project folder. Each created file
 * is read back with the project's own front-matter reader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { ROOT, runProcess, TEMPLATES, tempDir, type CliResult } from './helpers.ts';
import { parseFrontMatter } from '../src/content/frontmatter.ts';
import { slugify } from '../src/text/slug.ts';

const BIN = path.join(ROOT, 'bin/quire.js');

/** Runs bin/quire.js with `args` in the project folder `cwd`. */
function quire(cwd: string, args: string[]): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], cwd);
}

/** Today in `timeZone` as YYYY-MM-DD, the days around now too (a test may straddle midnight). */
function todays(timeZone: string): string[] {
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  return [day(Date.now() - 60_000), day(Date.now() + 60_000)];
}

/** A project folder with a config naming `timezone`. */
async function project(t: Parameters<typeof tempDir>[0], timezone = 'Pacific/Kiritimati'): Promise<string> {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'quire.config.yml'), `title: Test\nbaseUrl: https://example.com/\ntimezone: ${timezone}\n`);
  return dir;
}

async function readBack(file: string) {
  const r = parseFrontMatter(await readFile(file, 'utf8'), file);
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.value);
  return r.value;
}

test('quire new creates a dated draft in content/posts, dated today in the site time zone, and prints its path', async (t) => {
  for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    const dir = await project(t, zone);
    const r = await quire(dir, ['new', 'Hello, world']);
    assert.equal(r.code, 0, r.stderr);
    const [created] = await readdir(path.join(dir, 'content/posts'));
    assert.match(created!, /^\d{4}-\d{2}-\d{2}-hello-world\.md$/);
    const day = created!.slice(0, 10);
    assert.ok(todays(zone).includes(day), `${day} is today in ${zone}`);
    assert.equal(r.stdout, `Created ${path.join('content/posts', created!)}\n`);
    const fm = await readBack(path.join(dir, 'content/posts', created!));
    assert.deepEqual(fm.data, { title: 'Hello, world', date: day, draft: true });
  }
});

test('quire new refuses to overwrite an existing post (exit 1) and leaves it as it was', async (t) => {
  const dir = await project(t);
  assert.equal((await quire(dir, ['new', 'Same title'])).code, 0);
  const [file] = await readdir(path.join(dir, 'content/posts'));
  const abs = path.join(dir, 'content/posts', file!);
  await writeFile(abs, 'my words\n');
  const again = await quire(dir, ['new', 'Same title']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`content/posts/${file}: error: this file already exists; nothing was written \\[new/exists\\]`));
  assert.equal(again.stdout, '');
  assert.equal(await readFile(abs, 'utf8'), 'my words\n');
});

test('quire new --page makes content/pages/<slug>.md with layout: page and no date', async (t) => {
  const dir = await project(t);
  const r = await quire(dir, ['new', '--page', 'About me']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `Created ${path.join('content/pages', 'about-me.md')}\n`);
  const fm = await readBack(path.join(dir, 'content/pages/about-me.md'));
  assert.deepEqual(fm.data, { title: 'About me', layout: 'page', draft: true });
  assert.equal(existsSync(path.join(dir, 'content/posts')), false);
});

test('titles with quotes, colons, #, a leading dash and any script read back exactly, and the slug is slugify(title)', async (t) => {
  const dir = await project(t);
  const titles = ['He said "hi": it\'s fine', '# not a comment', '- not a list', 'C# & C++: a #1 guide', 'Ünïcödé — 日本語 🎉', '@home: [draft] {x} *y* !z %w `q` |p >g', 'yes', '2020-01-01', 'null'];
  for (const title of titles) {
    const r = await quire(dir, ['new', '--page', title]);
    assert.equal(r.code, 0, r.stderr);
    const rel = r.stdout.replace(/^Created /, '').trim();
    assert.equal(rel, path.join('content/pages', `${slugify(title)}.md`));
    const fm = await readBack(path.join(dir, rel));
    assert.equal(fm.data.title, title);
  }
});

test('the title may be given as several words, and --content puts the post in another folder', async (t) => {
  const dir = await project(t);
  const r = await quire(dir, ['new', '--content', 'blog', 'Three', 'word', 'title']);
  assert.equal(r.code, 0, r.stderr);
  const [file] = await readdir(path.join(dir, 'blog/posts'));
  assert.match(file!, /-three-word-title\.md$/);
  assert.equal((await readBack(path.join(dir, 'blog/posts', file!))).data.title, 'Three word title');
});

test('a broken config stops quire new with its error (exit 1) and nothing is written', async (t) => {
  const dir = await project(t, 'Mars/Olympus');
  const r = await quire(dir, ['new', 'Anything']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /quire\.config\.yml:3:\d+: error: "timezone" .*\[config\/invalid-value\]/);
  assert.equal(existsSync(path.join(dir, 'content')), false);
});

test('a new post builds with --drafts, without warnings, and is left out without it', async (t) => {
  const dir = await project(t, 'UTC');
  assert.equal((await quire(dir, ['new', 'First: "post"'])).code, 0);
  const drafts = await quire(dir, ['build', '--drafts', '--templates', TEMPLATES]);
  assert.equal(drafts.code, 0, drafts.stderr);
  assert.match(drafts.stdout, /^Built 1 posts, .* \(0 warnings\)/m);
  assert.ok(existsSync(path.join(dir, 'public/posts/first-post/index.html')));
  const plain = await quire(dir, ['build', '--templates', TEMPLATES, '--out', 'public2']);
  assert.match(plain.stdout, /Built 0 posts.*left out 1 draft/);
});
