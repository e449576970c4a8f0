/** Unit tests for src/markdown/chunks.ts: long posts parsed in parts give the tree of the whole, lists cut between items included. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';
import { cutsOf, parseInParts } from '../../src/markdown/chunks.ts';
import { createMarkdownRenderer } from '../../src/markdown/render.ts';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import { postText } from '../../bench/corpus.ts';
import { linkPostText } from '../../bench/corpus-links.ts';
import { JEKYLL_POSTS, isJekyllPost } from '../helpers.ts';
import { testDate, testPost } from './fixtures.ts';

const gfm = remark().use(remarkGfm).freeze();
const parse = (text: string) => gfm.parse(text) as Root;
/** The tree of `doc` parsed in parts, cut at every place allowed (parts of any size). */
const inParts = (doc: string) => parseInParts(doc, cutsOf(doc, 1), parse);

/** Texts where a careless cut would change the tree: each must be left whole, or cut only where it is safe. */
const EDGE_CASES = [
  '- one\n\n- two, the same list\n\n1. three\n\n2) four\n\n+ five\n\n* six\n',
  'Text\n\n```\ncode\n\n# not a heading\n\nstill code\n```\n\n# heading\n\nafter\n',
  '~~~~ js\n~~~\n\nnot closed by a shorter fence\n~~~~\n\nafter\n',
  '```\nunclosed fence\n\n# still code\n',
  '<div>\n```\n</div>\n\ntext\n\n```\ncode\n\n# in code\n```\n\nend\n',
  '- item\n  ```\n  code\n\nNew paragraph\n\n```\ncode two\n\n# in code\n```\n\nend\n',
  'para\n<span>x</span>\n```\ncode\n\n# in code\n```\n\nend\n',
  '> quote\ncontinued lazily\n\nnext paragraph\n\n> another quote\n',
  '    indented code\n\n    more of it\n\ntext\n',
  '| a | b |\n|---|---|\n| 1 | 2 |\n\nafter the table\n\n| c |\n| - |\n| 3 |\n',
  'Title\n=====\n\nSub\n---\n\n***\n\ntext\n',
  'www.example.com starts a part\n\nhttps://example.org/x too\n\nsomeone@example.com as well\n\nand a@b.co mid text\n',
  'Windows lines\r\n\r\nsecond\r\n\r\n# third\r\n\r\nlone CR\r\rfourth\r',
  'tabs\n\n\tindented by a tab\n\nnot indented\ttab inside\n',
  '<div>\nhtml block\n</div>\n\nafter html\n\n<p>another</p>\n\ntext\n',
  'Reference [a] later\n\n[a]: /defined-later\n',
  'Footnote[^1]\n\n[^1]: later\n',
  '<!--\n\ncomment with blank lines\n\n# not a heading\n\n-->\n\ntext\n',
  '<pre>\n\n# not a heading\n\n</pre>\n\ntext\n',
  '1986. A good year, not a list\n\n1986\\. escaped\n\ntext\n',
  '- a\n  - b\n    - c\n\nend of list\n\n- new list\n',
  '- item [link](https://x.y/)\n    ```\n \ntext after an open fence in a list item\n- item\n', // found by the property test
  '- ```\n  code in an item\n\ntext\n\n> ```\n> quoted code\n\ntext\n',
  // Lists cut between items (their two lists joined into one):
  '- a [x](https://x.y/)\n- b\n  continued\n  - nested\n- c\n\n- d, the list made loose\n- e\n* f, another list\n* g\n',
  '1. one\n   continued\n2. two\n10) another list\n11) eleven\n',
  '+ item\n - one space: a list of its own\n+ item\n- item\n- item\n', // found by fuzzing: an item indented less than the content
  '- a\nlazy continuation\n- b\n- c\n\n- d\n* * *\n- e\n- - -\n- f\n',
  '- a\n  <div>\n- b\n- c\n\n<div>\n- not a list\n- in HTML\n</div>\n',
  '- [ ] task\n- [x] done\n-\tafter a tab\n-     code in an item\n- last\n',
];

test('a tree parsed in parts equals the tree of the whole, positions included (samples, Jekyll corpus, generated and link-dense posts, edge cases)', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const dirs = [path.join(root, 'content/posts'), JEKYLL_POSTS];
  const docs = dirs.flatMap((dir) => readdirSync(dir).filter((f) => dir !== JEKYLL_POSTS || isJekyllPost(f)).map((f) => readFileSync(path.join(dir, f), 'utf8')));
  for (let i = 0; i < 30; i++) docs.push(postText(i));
  for (let i = 0; i < 40; i += 3) docs.push(linkPostText(i));
  docs.push(...EDGE_CASES);
  let cut = 0;
  let parts = 0;
  for (const doc of docs) {
    const cuts = cutsOf(doc, 1);
    if (cuts.length) (cut++, (parts += cuts.length + 1));
    assert.deepEqual(inParts(doc), parse(doc), `differs: ${JSON.stringify(doc.slice(0, 80))}`);
  }
  assert.ok(cut > 60 && parts > 500, `${cut} of ${docs.length} texts cut, into ${parts} parts`);
});

test('cuts only after a blank line, before a line in column 1 that cannot continue what is above', () => {
  const at = (doc: string) => cutsOf(doc, 1).map((c) => doc.slice(c.offset).split('\n')[0]);
  assert.deepEqual(at(EDGE_CASES[0]!), []); // list items: the list goes on
  assert.deepEqual(at(EDGE_CASES[1]!), ['# heading', 'after']); // not inside the fence
  assert.deepEqual(at(EDGE_CASES[3]!), []); // everything after an unclosed fence is code
  assert.deepEqual(at(EDGE_CASES[4]!), []); // a fence line in an HTML block: not cut at all
  assert.deepEqual(at(EDGE_CASES[5]!), []); // a fence in a list item, closed by the list's end: not cut at all
  assert.deepEqual(at(EDGE_CASES[7]!), ['next paragraph']);
  assert.deepEqual(at(EDGE_CASES[8]!), ['text']);
  for (const i of [15, 16, 17, 18, 21, 22]) assert.deepEqual(at(EDGE_CASES[i]!), [], EDGE_CASES[i]); // definitions, footnotes, HTML that spans blank lines, fences not starting their line
});

test('cuts a list between two items of the same kind, in a run of items that began after a blank line, and joins the two lists into one', () => {
  const joins = (doc: string) => cutsOf(doc, 1).filter((c) => c.join).map((c) => doc.slice(c.offset).split('\n')[0]);
  assert.deepEqual(joins(EDGE_CASES[23]!), ['- b', '- c', '- e']); // not before `- d` (after a blank line it continues the list: a run starts there), `* f` (another list) or `* g` (its run did not begin after a blank line)
  assert.deepEqual(joins(EDGE_CASES[24]!), ['2. two']); // `10)` starts another list, without a blank line before it
  assert.deepEqual(joins(EDGE_CASES[25]!), []); // ` - one space` ends the run, and `- item` after `+ item` starts another list
  assert.deepEqual(joins(EDGE_CASES[26]!), []); // a lazy line, thematic breaks
  assert.deepEqual(joins(EDGE_CASES[27]!), []); // an HTML block
  assert.deepEqual(joins(EDGE_CASES[28]!), ['- [x] done', '-\tafter a tab', '-     code in an item', '- last']);
  const loose = parseInParts(EDGE_CASES[23]!, cutsOf(EDGE_CASES[23]!, 1), parse);
  const list = loose.children[0]!;
  assert.ok(list.type === 'list' && list.spread && list.children.length === 5, 'one loose list of five items');
});

test('a release note that is one list of 8,000 items without a blank line is parsed in parts, as one list', () => {
  const items = Array.from({ length: 8000 }, (_, i) => `- Fix [#${i}](https://github.com/o/r/pull/${i}) by [@u${i % 97}](https://github.com/u${i % 97}) (**core**)`);
  const doc = `${items.join('\n')}\n`;
  const cuts = cutsOf(doc);
  assert.ok(cuts.length >= 20 && cuts.every((c) => c.join), `${doc.length} bytes, ${cuts.length} cuts`);
  const tree = parseInParts(doc, cuts, parse);
  assert.equal(tree.children.length, 1);
  assert.deepEqual(tree, parse(doc));
  const render = createMarkdownRenderer(DEFAULT_CONFIG);
  const html = render(testPost({ title: 'Notes', relPath: 'posts/n.md', date: testDate('2020-01-01'), body: doc, bodyLine: 5 })).value!.html;
  assert.equal(html.match(/<ul>/g)?.length, 1);
  assert.equal(html.match(/<li>/g)?.length, 8000);
});

test('a long post is cut into parts of at least the given size, and a short one not at all', () => {
  const note = linkPostText(40).replace(/^---[\s\S]*?---\n/, '');
  const cuts = cutsOf(note, 16_000);
  assert.ok(note.length > 100_000 && cuts.length >= 3, `${note.length} bytes, ${cuts.length} cuts`);
  const starts = [0, ...cuts.map((c) => c.offset), note.length];
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 16_000);
  for (const c of cuts) assert.equal(c.line, note.slice(0, c.offset).split('\n').length - 1);
  assert.deepEqual(cutsOf(note.slice(0, 20_000), 16_000), []);
});

test('a long post renders the same parsed in parts as whole, with the same links, lines and nesting warning', () => {
  const whole = createMarkdownRenderer(DEFAULT_CONFIG, { parseInParts: false });
  const parted = createMarkdownRenderer(DEFAULT_CONFIG);
  // A release note of ~120 KB, then nesting deeper than the cap in its last part.
  const deep = `${Array.from({ length: 120 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')}\n`;
  const body = `${linkPostText(40).replace(/^---[\s\S]*?---\n/, '')}\nThe end\n\n${deep}`;
  assert.ok(cutsOf(body).length >= 2);
  const post = testPost({ title: 'Release', relPath: 'posts/r.md', date: testDate('2020-01-01'), body, bodyLine: 7 });
  const a = parted(post);
  const b = whole(post);
  assert.deepEqual(a, b);
  assert.equal(a.diagnostics[0]?.code, 'markdown/too-deep');
  assert.ok(a.value!.links.length > 1000);
});
