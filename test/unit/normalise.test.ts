/** Unit tests for src/content/normalise.ts: raw front matter in, a fully typed Post out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type Config } from '../../src/config.ts';
import { parseFrontMatter } from '../../src/content/frontmatter.ts';
import type { SourceFile } from '../../src/content/load.ts';
import { firstHeading, normalisePost, type NormaliseContext } from '../../src/content/normalise.ts';
import type { Diagnostic, Result } from '../../src/diagnostics.ts';
import type { Post } from '../../src/model.ts';

const MTIME = Date.UTC(2020, 4, 17, 8, 30, 15, 789);

function source(text: string, relPath = 'posts/a.md'): SourceFile {
  return { absPath: `/site/content/${relPath}`, relPath, displayPath: `content/${relPath}`, text, mtimeMs: MTIME };
}

function ctx(overrides: Partial<NormaliseContext> = {}): NormaliseContext {
  return { config: DEFAULT_CONFIG, postLayouts: ['post', 'gallery'], gitDate: () => null, ...overrides };
}

function normalise(text: string, relPath = 'posts/a.md', context: NormaliseContext = ctx()): Result<Post | null> {
  const fm = parseFrontMatter(text, `content/${relPath}`);
  assert.ok(fm.value, `front matter should parse: ${JSON.stringify(fm.diagnostics)}`);
  return normalisePost(source(text, relPath), fm.value, context);
}

/** Normalises and fails the test unless a post came back. */
function post(text: string, relPath?: string, context?: NormaliseContext): { post: Post; diagnostics: Diagnostic[] } {
  const r = normalise(text, relPath, context);
  assert.ok(r.value, `expected a post, got ${JSON.stringify(r.diagnostics)}`);
  return { post: r.value, diagnostics: r.diagnostics };
}

/** Front matter with a title and a date, plus `extra` lines. */
const fm = (extra = '', body = 'Body text.\n') => `---\ntitle: A Post\ndate: 2019-06-26\n${extra}---\n${body}`;
const codesAndLines = (list: Diagnostic[]) => list.map((d) => [d.code, d.line]);

test('a post with title and date gets every default and no diagnostics', () => {
  const { post: p, diagnostics } = post(fm());
  assert.deepEqual(diagnostics, []);
  assert.equal(p.title, 'A Post');
  assert.equal(p.date.iso, '2019-06-26');
  assert.equal(p.dateSource, 'front-matter');
  assert.equal(p.relPath, 'posts/a.md');
  assert.equal(p.file, 'content/posts/a.md');
  assert.equal(p.updated, null);
  assert.deepEqual(p.categories, []);
  assert.deepEqual(p.tags, []);
  assert.equal(p.layout, 'post');
  assert.equal(p.toc, false);
  assert.equal(p.icon, null);
  assert.equal(p.draft, false);
  assert.equal(p.slug, null);
  assert.equal(p.description, null);
  assert.equal(p.author, null);
  assert.equal(p.body, 'Body text.\n');
  assert.equal(p.bodyLine, 5);
});

test('the title is trimmed and inner whitespace collapsed', () => {
  assert.equal(post('---\ntitle: "  Two   spaces\tand tab "\ndate: 2019-06-26\n---\n').post.title, 'Two spaces and tab');
});

test('without a title the first # heading is used, with a warning at the heading line', () => {
  const { post: p, diagnostics } = post('---\ndate: 2019-06-26\n---\n\nIntro\n\n# The Heading\n\nText');
  assert.equal(p.title, 'The Heading');
  // Body starts on line 4; the heading is body line index 3 → file line 7.
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/missing-title', 7]]);
  assert.equal(diagnostics[0]!.severity, 'warning');
});

test('a heading inside a code fence is not used as the title', () => {
  const body = '```md\n# Not this one\n```\n\n~~~\n# Nor this\n~~~\n\n# Real Title #\n';
  const { post: p, diagnostics } = post(`---\ndate: 2019-06-26\n---\n${body}`);
  assert.equal(p.title, 'Real Title');
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/missing-title', 12]]);
});

test('a ## heading is not a title heading', () => {
  assert.equal(firstHeading('## Sub\n\ntext'), null);
  assert.deepEqual(firstHeading('text\n#  Spaced  \n'), { text: 'Spaced', index: 1 });
});

test('without a title or heading the file name is used, with a warning', () => {
  const { post: p, diagnostics } = post('---\ndate: 2019-06-26\n---\nNo heading here.\n', 'posts/my-first_post.md');
  assert.equal(p.title, 'My first post');
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/missing-title', 1]]);
});

test('a date prefix is not part of the title taken from the file name', () => {
  const { post: p } = post('No front matter.\n', 'posts/2019-06-26-hello-world.md');
  assert.equal(p.title, 'Hello world');
});

test('without a date the file-name prefix is used, silently (Jekyll\'s convention; regression: 559 warnings on a real blog)', () => {
  let gitAsked = false;
  const context = ctx({ gitDate: () => ((gitAsked = true), Date.UTC(2001, 0, 1)) });
  const { post: p, diagnostics } = post('---\ntitle: T\n---\n', 'posts/2019-06-26-hello.md', context);
  assert.equal(p.dateSource, 'file-name');
  assert.equal(p.date.iso, '2019-06-26');
  assert.equal(p.date.dateOnly, true);
  assert.deepEqual(codesAndLines(diagnostics), []);
  assert.equal(gitAsked, false, 'git is not consulted when the file name has a date');
});

test('without a date or a dated file name the first git commit is used, with a warning', () => {
  const asked: string[] = [];
  const context = ctx({ gitDate: (rel) => (asked.push(rel), Date.UTC(2018, 2, 4, 12, 0, 0)) });
  const { post: p, diagnostics } = post('---\ntitle: T\n---\n', 'posts/hello.md', context);
  assert.deepEqual(asked, ['posts/hello.md']);
  assert.equal(p.dateSource, 'git');
  assert.equal(p.date.epochMs, Date.UTC(2018, 2, 4, 12, 0, 0));
  assert.equal(p.date.iso, '2018-03-04T12:00:00Z');
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/missing-date', 1]]);
});

test('without any other date the file modification time is used, to the second, with a warning', () => {
  const { post: p, diagnostics } = post('---\ntitle: T\n---\n', 'posts/hello.md');
  assert.equal(p.dateSource, 'mtime');
  assert.equal(p.date.epochMs, Date.UTC(2020, 4, 17, 8, 30, 15));
  assert.equal(p.date.iso, '2020-05-17T08:30:15Z');
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/missing-date', 1]]);
});

test('an empty or null date falls back like a missing one', () => {
  assert.equal(post('---\ntitle: T\ndate:\n---\n').post.dateSource, 'mtime');
  assert.equal(post('---\ntitle: T\ndate: ""\n---\n').post.dateSource, 'mtime');
});

test('an invalid date is an error at the date key line and gives no post', () => {
  const r = normalise('---\ntitle: T\n\ndate: 2021-02-30\n---\n');
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/invalid-date', 4]]);
  assert.equal(r.diagnostics[0]!.severity, 'error');
  assert.equal(r.diagnostics[0]!.file, 'content/posts/a.md');
});

test('a date that is not text is an invalid date', () => {
  const r = normalise('---\ntitle: T\ndate: [2019, 6, 26]\n---\n');
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/invalid-date', 3]]);
});

test('the date is read in the configured time zone', () => {
  const config: Config = { ...DEFAULT_CONFIG, timezone: 'America/Los_Angeles' };
  const { post: p } = post('---\ntitle: T\ndate: 2019-06-26 10:00\n---\n', 'posts/a.md', ctx({ config }));
  assert.equal(p.date.epochMs, Date.UTC(2019, 5, 26, 17));
});

test('updated is read as a date', () => {
  const { post: p } = post(fm('updated: 2020-01-02\n'));
  assert.equal(p.updated?.iso, '2020-01-02');
});

test('Hugo\'s lastmod is read as the updated date', () => {
  const { post: p } = post(fm('lastmod: 2020-01-03T10:00:00Z\n'));
  assert.equal(p.updated?.epochMs, Date.UTC(2020, 0, 3, 10));
});

test('an invalid updated date is an error at its line', () => {
  const r = normalise(fm('updated: 2020-13-01\n'));
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/invalid-date', 4]]);
});

test('categories as a list', () => {
  assert.deepEqual(post(fm('categories: [One, Two]\n')).post.categories, ['One', 'Two']);
});

test('categories as a bare string', () => {
  assert.deepEqual(post(fm('categories: DataStructures\n')).post.categories, ['DataStructures']);
});

test('categories as a comma-separated string', () => {
  assert.deepEqual(post(fm('categories: "One, Two ,Three"\n')).post.categories, ['One', 'Two', 'Three']);
});

test('an empty string or null means no categories', () => {
  assert.deepEqual(post(fm('categories: ""\n')).post.categories, []);
  assert.deepEqual(post(fm('categories:\n')).post.categories, []);
  assert.deepEqual(post(fm('categories: null\n')).post.categories, []);
});

test('numbers are category names', () => {
  assert.deepEqual(post(fm('categories: [2019, 3.5]\n')).post.categories, ['2019', '3.5']);
  assert.deepEqual(post(fm('tags: 42\n')).post.tags, ['42']);
});

test('duplicate categories are merged case-insensitively, keeping the first spelling', () => {
  assert.deepEqual(post(fm('categories: [AI, ai, Ai, ML]\n')).post.categories, ['AI', 'ML']);
});

test('category names are trimmed and empty names dropped', () => {
  assert.deepEqual(post(fm('categories: ["  Spaced  ", "", "  ", Ok]\n')).post.categories, ['Spaced', 'Ok']);
  assert.deepEqual(post(fm('categories: "a,, ,b,"\n')).post.categories, ['a', 'b']);
});

test('category and categories are merged, categories first, duplicates once', () => {
  const { post: p, diagnostics } = post(fm('categories: [One, Two]\ncategory: two, Three\n'));
  assert.deepEqual(p.categories, ['One', 'Two', 'Three']);
  assert.deepEqual(diagnostics, []);
});

test('tags and tag are read the same way as categories', () => {
  const { post: p } = post(fm('tags: "x, y"\ntag: [Y, z]\n'));
  assert.deepEqual(p.tags, ['x', 'y', 'z']);
});

test('a map as categories is an error at the categories key line', () => {
  const r = normalise(fm('categories:\n  a: 1\n'));
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/invalid-terms', 4]]);
});

test('a map as tags is an error too', () => {
  const r = normalise(fm('tag: {a: 1}\n'));
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/invalid-terms', 4]]);
});

test('type post and posts mean the post layout', () => {
  assert.equal(post(fm('type: post\n')).post.layout, 'post');
  const { post: p, diagnostics } = post(fm('type: posts\n'));
  assert.equal(p.layout, 'post');
  assert.deepEqual(diagnostics, []);
  assert.equal(post(fm('layout: Posts\n')).post.layout, 'post');
});

test('type gallery uses the gallery layout', () => {
  assert.equal(post(fm('type: gallery\n')).post.layout, 'gallery');
  assert.equal(post(fm('layout: gallery\n')).post.layout, 'gallery');
});

test('an unknown layout falls back to post with a warning at its line', () => {
  const { post: p, diagnostics } = post(fm('layout: news_item\n'));
  assert.equal(p.layout, 'post');
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/unknown-layout', 4]]);
  assert.equal(diagnostics[0]!.severity, 'warning');
});

test('the unknown-layout hint lists the post layouts there are, or says there are none', () => {
  assert.match(post(fm('layout: news_item\n')).diagnostics[0]!.hint!, /^layouts that exist: post, gallery\. Create templates\/layouts\/news_item\.hbs/);
  assert.match(post(fm('layout: news_item\n'), 'posts/a.md', ctx({ postLayouts: [] })).diagnostics[0]!.hint!, /^layouts that exist: none\. /);
});

test('config.layoutAliases maps a foreign layout name', () => {
  const config: Config = { ...DEFAULT_CONFIG, layoutAliases: { news_item: 'gallery', article: 'post' } };
  const a = post(fm('layout: news_item\n'), 'posts/a.md', ctx({ config }));
  assert.equal(a.post.layout, 'gallery');
  assert.deepEqual(a.diagnostics, []);
  assert.equal(post(fm('layout: article\n'), 'posts/a.md', ctx({ config })).post.layout, 'post');
});

test('a layout named like an Object.prototype property is an unknown layout, not a crash', () => {
  // `ctx.config.layoutAliases[raw] ?? raw` returns Object.prototype.constructor for "constructor",
  // then `aliased.toLowerCase()` throws a TypeError that aborts the whole build.
  for (const name of ['constructor', 'toString', '__proto__']) {
    const { post: p, diagnostics } = post(fm(`type: ${name}\n`));
    assert.equal(p.layout, 'post');
    assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/unknown-layout', 4]]);
  }
});

test('toc true and false', () => {
  assert.equal(post(fm('toc: true\n')).post.toc, true);
  assert.equal(post(fm('toc: false\n')).post.toc, false);
});

test('toc "yes" is true', () => {
  const { post: p, diagnostics } = post(fm('toc: "yes"\n'));
  assert.equal(p.toc, true);
  assert.deepEqual(diagnostics, []);
  assert.equal(post(fm('toc: "Off"\n')).post.toc, false);
});

test('a toc value that is not a boolean is false with a warning at its line', () => {
  const { post: p, diagnostics } = post(fm('toc: maybe\n'));
  assert.equal(p.toc, false);
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/invalid-boolean', 4]]);
});

test('math: in front matter is kept as true or false, and left out when absent (the site setting decides)', () => {
  assert.equal(post(fm('math: true\n')).post.math, true);
  assert.equal(post(fm('math: off\n')).post.math, false);
  assert.equal('math' in post(fm('toc: true\n')).post, false);
  const { post: p, diagnostics } = post(fm('math: katex\n'));
  assert.equal(p.math, false);
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/invalid-boolean', 4]]);
});

test('draft true makes a draft', () => {
  assert.equal(post(fm('draft: true\n')).post.draft, true);
  assert.equal(post(fm('draft: false\n')).post.draft, false);
});

test('Jekyll\'s published: false makes a draft', () => {
  assert.equal(post(fm('published: false\n')).post.draft, true);
  assert.equal(post(fm('published: true\n')).post.draft, false);
});

test('icon fa-comment-alt is the icon comment-alt', () => {
  assert.equal(post(fm('icon: fa-comment-alt\n')).post.icon, 'comment-alt');
});

test('icon "fas fa-comment-alt" is the icon comment-alt', () => {
  assert.equal(post(fm('icon: "fas fa-comment-alt"\n')).post.icon, 'comment-alt');
  assert.equal(post(fm('icon: comment-alt\n')).post.icon, 'comment-alt');
  assert.equal(post(fm('icon: ""\n')).post.icon, null);
});

test('slug is kept as written for the site stage to sanitise', () => {
  assert.equal(post(fm('slug: "../My Slug"\n')).post.slug, '../My Slug');
  assert.equal(post(fm('slug: ""\n')).post.slug, null);
});

test('description, or else summary, is the description', () => {
  assert.equal(post(fm('description: The desc\nsummary: The summary\n')).post.description, 'The desc');
  assert.equal(post(fm('summary: "  The   summary "\n')).post.description, 'The summary');
});

test('author is read', () => {
  assert.equal(post(fm('author: Ada Lovelace\n')).post.author, 'Ada Lovelace');
});

test('unknown keys are kept in data', () => {
  const { post: p, diagnostics } = post(fm('hero_image: /img/a.png\nrating: 5\nextra:\n  nested: true\n'));
  assert.deepEqual(diagnostics, []);
  assert.equal(p.data.hero_image, '/img/a.png');
  assert.equal(p.data.rating, 5);
  assert.deepEqual(p.data.extra, { nested: true });
  assert.equal(p.data.title, 'A Post');
});

test('every problem in a post is reported, not only the first', () => {
  const r = normalise('---\ntitle: T\ndate: nope\ncategories: {a: 1}\n---\n');
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [
    ['frontmatter/invalid-date', 3],
    ['frontmatter/invalid-terms', 4],
  ]);
});

test('a slug that is not text, or has no letter or digit, is ignored with a warning at its line', () => {
  for (const value of ['"!!!"', '[a, b]', '{ a: 1 }']) {
    const { post: p, diagnostics } = post(fm(`slug: ${value}\n`));
    assert.equal(p.slug, null, value);
    assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/invalid-slug', 4]], value);
  }
  assert.equal(post(fm('slug: ../My Post\n')).post.slug, '../My Post', 'a usable slug is kept (sanitised later)');
});

test('categories given as a list inside a list are read flat, with a warning at the key', () => {
  const { post: p, diagnostics } = post(fm('categories:\n  - [a, [b]]\n  - c\n'));
  assert.deepEqual(p.categories, ['a', 'b', 'c']);
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/nested-terms', 4]]);
});

test('an empty `#` heading is not a title (regression: found by the property tests, it gave an empty title)', () => {
  assert.equal(firstHeading('#   \n\n# Real title\n')?.text, 'Real title');
  const { post: p } = post('---\ndate: 2019-06-26\n---\n#  \n\nSome text.\n', 'posts/untitled-post.md');
  assert.equal(p.title, 'Untitled post');
});
