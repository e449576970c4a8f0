/** Unit tests for src/markdown/render.ts: markdown to safe HTML with ids, anchors and a toc. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type HTMLElement } from 'node-html-parser';
import { DEFAULT_CONFIG, type Config } from '../../src/config.ts';
import { countWords, createMarkdownRenderer, isScriptUrl, LITERAL_LINKS, lowlightModules, highlighterOf } from '../../src/markdown/render.ts';
import { packageModules } from '../../src/lazy.ts';
import type { Post, RenderedContent } from '../../src/model.ts';
import { isOneByte, testDate, testPost } from './fixtures.ts';

const DAY = testDate('2019-06-26');

function makePost(body: string, title = 'Hello World'): Post {
  return testPost({ title, relPath: 'posts/a.md', date: DAY, body, bodyLine: 5 });
}

const safeRender = createMarkdownRenderer(DEFAULT_CONFIG);
const htmlConfig: Config = { ...DEFAULT_CONFIG, markdown: { allowHtml: true } };
const htmlRender = createMarkdownRenderer(htmlConfig);

function render(body: string, title?: string, renderer = safeRender): RenderedContent {
  const r = renderer(makePost(body, title));
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.value);
  return r.value;
}

// node-html-parser keeps <pre> as raw text unless told otherwise; we want to query the <code> inside.
const dom = (html: string): HTMLElement => parse(html, { blockTextElements: { script: true, noscript: true, style: true } });
/** Heading text without the trailing anchor link. */
const headingText = (h: HTMLElement) => h.textContent.replace(/\s*#$/, '').trim();

test('drops a leading H1 that repeats the title', () => {
  const out = render('# Hello World\n\nIntro text.', 'Hello World');
  const doc = dom(out.html);
  assert.equal(doc.querySelectorAll('h1').length, 0);
  assert.equal(doc.querySelectorAll('h2').length, 0);
  assert.equal(doc.querySelector('p')?.textContent, 'Intro text.');
  assert.deepEqual(out.toc, []);
});

test('drops the repeated title whatever its case and spacing', () => {
  const doc = dom(render('#   hello    WORLD  \n\nIntro.', 'Hello World').html);
  assert.equal(doc.querySelectorAll('h1, h2').length, 0);
});

test('keeps a leading H1 that differs from the title, demoted to h2', () => {
  const out = render('# Something Else\n\nIntro.\n\n## Sub', 'Hello World');
  const doc = dom(out.html);
  assert.equal(doc.querySelectorAll('h1').length, 0, 'no h1 in the body');
  const h2 = doc.querySelectorAll('h2');
  assert.equal(h2.length, 1);
  assert.equal(headingText(h2[0]!), 'Something Else');
  assert.equal(headingText(doc.querySelector('h3')!), 'Sub');
  assert.deepEqual(out.toc.map((e) => [e.depth, e.text]), [[2, 'Something Else'], [3, 'Sub']]);
});

test('keeps an H1 repeating the title when it is not the first block', () => {
  const doc = dom(render('Intro first.\n\n# Hello World', 'Hello World').html);
  assert.equal(doc.querySelectorAll('h1').length, 0);
  assert.equal(headingText(doc.querySelector('h2')!), 'Hello World');
});

test('headings below h1 are not demoted when the body has no h1', () => {
  const doc = dom(render('## Two\n\n### Three').html);
  assert.ok(doc.querySelector('h2'));
  assert.ok(doc.querySelector('h3'));
  assert.equal(doc.querySelector('h4'), null);
});

test('headings get GitHub-style ids and an a.heading-anchor link to themselves', () => {
  const doc = dom(render('## Getting Started!\n\n### Why (not)?').html);
  const h2 = doc.querySelector('h2')!;
  assert.equal(h2.getAttribute('id'), 'getting-started');
  const anchor = h2.querySelector('a.heading-anchor');
  assert.ok(anchor);
  assert.equal(anchor.getAttribute('href'), '#getting-started');
  assert.equal(doc.querySelector('h3')!.getAttribute('id'), 'why-not');
  assert.equal(doc.querySelector('h3 a.heading-anchor')?.getAttribute('href'), '#why-not');
});

test('the sanitiser does not prefix heading ids with user-content-', () => {
  assert.doesNotMatch(render('## Setup').html, /user-content-/);
});

test('duplicate headings get -1, -2 ids', () => {
  const doc = dom(render('## Setup\n\n## Setup\n\n## Setup').html);
  assert.deepEqual(doc.querySelectorAll('h2').map((h) => h.getAttribute('id')), ['setup', 'setup-1', 'setup-2']);
  assert.deepEqual(doc.querySelectorAll('a.heading-anchor').map((a) => a.getAttribute('href')), ['#setup', '#setup-1', '#setup-2']);
});

test('the toc lists every heading with depth, text and id', () => {
  const out = render('## Intro\n\ntext\n\n### Detail *one*\n\n## Intro\n\n#### Deep');
  assert.deepEqual(out.toc, [
    { depth: 2, text: 'Intro', id: 'intro' },
    { depth: 3, text: 'Detail one', id: 'detail-one' },
    { depth: 2, text: 'Intro', id: 'intro-1' },
    { depth: 4, text: 'Deep', id: 'deep' },
  ]);
});

test('code blocks keep their language class; an unknown language stays plain, escaped code', () => {
  const doc = dom(render('```klingon\nlet x = 1 < 2;\n```').html);
  const code = doc.querySelector('pre > code');
  assert.ok(code);
  assert.equal(code.getAttribute('class'), 'language-klingon');
  assert.equal(code.textContent, 'let x = 1 < 2;\n');
  assert.doesNotMatch(code.innerHTML, /</, 'the < is escaped');
});

test('code in a known language is highlighted at build time with hljs token spans', () => {
  const doc = dom(render('```js\nlet x = 1 < 2; // "<b>"\n```').html);
  const code = doc.querySelector('pre > code')!;
  assert.equal(code.getAttribute('class'), 'language-js');
  assert.equal(code.textContent, 'let x = 1 < 2; // "<b>"\n', 'the text is unchanged');
  assert.equal(code.querySelector('span.hljs-keyword')?.textContent, 'let');
  assert.ok(code.querySelector('span.hljs-comment'));
  assert.equal(code.querySelector('b'), null, 'code text is never markup');
  for (const lang of ['python', 'ts', 'bash', 'json', 'yaml', 'css', 'html', 'go', 'rust', 'sql']) {
    assert.ok(dom(render('```' + lang + '\nx = 1\n```').html).querySelector('pre code'), lang);
  }
});

test("the highlighter is made from lowlight's own createLowlight and common modules, not its entry point (which loads 190 more grammars), and highlights as the entry point's does; without those modules it falls back to the entry point", async () => {
  const own = lowlightModules();
  assert.ok(own, "lowlight's modules are where lowlight 3 has them");
  const entry = await import('lowlight');
  assert.deepEqual(Object.keys(own.common).sort(), Object.keys(entry.common).sort(), 'the same languages');
  assert.ok(Object.keys(own.common).length < 50 && Object.keys(entry.all).length > 150, 'the common grammars, not all of them');
  // Compared by what they do: under tsx, `require` and `import` each load their own copy.
  const ours = highlighterOf(own);
  const fallback = highlighterOf(null); // another layout (a future lowlight): packageModules finds nothing
  const theirs = entry.createLowlight(entry.common);
  const sample = 'function f(x) { return x < 2 ? "a" : 1; } // note\n';
  for (const name of Object.keys(entry.common)) {
    assert.deepEqual(ours.highlight(name, sample), theirs.highlight(name, sample), name);
    assert.deepEqual(fallback.highlight(name, sample), theirs.highlight(name, sample), `${name}, fallback`);
  }
  assert.equal(packageModules('lowlight', ['lib/no-such-module.js']), null, 'a module lowlight does not have: no modules');
});

test('renders GFM tables', () => {
  const doc = dom(render('| a | b |\n|---|---|\n| 1 | 2 |').html);
  assert.deepEqual(doc.querySelectorAll('th').map((c) => c.textContent), ['a', 'b']);
  assert.deepEqual(doc.querySelectorAll('td').map((c) => c.textContent), ['1', '2']);
});

test('renders GFM strikethrough', () => {
  assert.equal(dom(render('~~gone~~').html).querySelector('del')?.textContent, 'gone');
});

test('renders GFM task lists as disabled checkboxes', () => {
  const boxes = dom(render('- [x] done\n- [ ] todo').html).querySelectorAll('li input[type=checkbox]');
  assert.equal(boxes.length, 2);
  assert.equal(boxes[0]!.hasAttribute('checked'), true);
  assert.equal(boxes[1]!.hasAttribute('checked'), false);
  assert.ok(boxes.every((b) => b.hasAttribute('disabled')));
});

test('drops raw HTML by default', () => {
  const out = render('<script>alert(1)</script>\n\nHi <b>bold</b> <img src=x onerror="alert(2)">');
  const doc = dom(out.html);
  assert.equal(doc.querySelector('script'), null);
  assert.equal(doc.querySelector('b'), null);
  assert.equal(doc.querySelector('img'), null);
  assert.doesNotMatch(out.html, /alert/);
  assert.equal(doc.querySelector('p')?.textContent.replace(/\s+/g, ' ').trim(), 'Hi bold');
});

test('keeps raw HTML when markdown.allowHtml is true', () => {
  const doc = dom(render('<script>alert(1)</script>\n\nHi <b>bold</b>', undefined, htmlRender).html);
  assert.ok(doc.querySelector('script'));
  assert.equal(doc.querySelector('b')?.textContent, 'bold');
});

test('a renderer built with allowHtml does not change the default renderer', () => {
  createMarkdownRenderer(htmlConfig);
  assert.equal(dom(render('<i>x</i>').html).querySelector('i'), null);
});

for (const [mode, renderer] of [['by default', safeRender], ['with allowHtml', htmlRender]] as const) {
  test(`neutralises javascript: links ${mode}`, () => {
    const body = [
      '[inline](javascript:alert(1)) [upper](JaVaScRiPt:alert(1)) [ok](https://example.com/)',
      '',
      '![img](javascript:alert(2))',
      '',
      '[ref link][ref]',
      '',
      '[ref]: javascript:alert(3)',
    ].join('\n');
    const out = render(body, undefined, renderer);
    const doc = dom(out.html);
    assert.doesNotMatch(out.html, /javascript:/i);
    const hrefs = doc.querySelectorAll('a').map((a) => a.getAttribute('href'));
    assert.ok(hrefs.includes('https://example.com/'));
    for (const href of hrefs) assert.ok(href === 'https://example.com/' || href === '#' || href === undefined, String(href));
    for (const img of doc.querySelectorAll('img')) assert.doesNotMatch(img.getAttribute('src') ?? '', /script/i);
  });
}

test('isScriptUrl sees through case, whitespace and control characters', () => {
  assert.equal(isScriptUrl('javascript:alert(1)'), true);
  assert.equal(isScriptUrl(' JAVA\tSCRIPT:alert(1)'), true);
  assert.equal(isScriptUrl('java\u0000script:x'), true);
  assert.equal(isScriptUrl('vbscript:x'), true);
  assert.equal(isScriptUrl('data:text/html,<script>'), true);
  assert.equal(isScriptUrl('data:image/png;base64,AAAA'), false);
  assert.equal(isScriptUrl('https://example.com/javascript:'), false);
  assert.equal(isScriptUrl('/relative'), false);
});

test('counts words in the body, not in the dropped title or anchors', () => {
  const out = render('# Hello World\n\nOne two three-four it\'s 42 words.', 'Hello World');
  assert.equal(out.wordCount, 6);
  assert.equal(countWords('Ünïcödé words — and 日本語'), 4);
  assert.equal(countWords(''), 0);
});

test('counts words in separate blocks separately', () => {
  // Two paragraphs of two words each, and a heading with one more paragraph.
  assert.equal(render('Alpha beta\n\nGamma delta').wordCount, 4);
  assert.equal(render('## Setup\n\nSome words here').wordCount, 4);
});

test('the first paragraph is kept as plain text', () => {
  const out = render('## Heading\n\nThe  *first*\nparagraph.\n\nThe second.');
  assert.equal(out.firstParagraph, 'The first paragraph.');
});

test('the first paragraph has no raw HTML in it', () => {
  // The summary and meta description are built from firstParagraph: with raw HTML dropped, the
  // tags (and a javascript: URL) must not come back through it.
  const out = render('Hi <b>bold</b> <a href="javascript:alert(1)">x</a> there.');
  assert.doesNotMatch(out.firstParagraph, /[<>]|javascript:/);
  assert.equal(out.firstParagraph, 'Hi bold x there.');
});

test('plain text leaves raw HTML out', () => {
  assert.doesNotMatch(render('Hi <b>bold</b>').text, /<b>/);
});

test('a <!--more--> line marks the excerpt; links remember their file line', () => {
  const r = safeRender({ ...makePost('Intro *one*.\n\nTwo.\n\n<!--more-->\n\nThree [x](/posts/a/) and ![i](/img.png).\n'), bodyLine: 10 }).value!;
  assert.equal(r.excerpt, 'Intro one. Two.');
  assert.deepEqual(r.links, [['/posts/a/', 16], ['/img.png', 16]]);
  const none = safeRender(makePost('Just text.\n')).value!;
  assert.equal(none.excerpt, null);
});

test('an h1 anywhere (here in a list item) demotes every heading, in block quotes and list items too; ids and the toc follow document order', () => {
  const out = render('## Intro\n\n- item\n\n  > ## Quoted\n\n- # Deep h1\n\n## Intro\n');
  assert.deepEqual(out.toc, [
    { depth: 3, text: 'Intro', id: 'intro' },
    { depth: 3, text: 'Quoted', id: 'quoted' },
    { depth: 2, text: 'Deep h1', id: 'deep-h1' },
    { depth: 3, text: 'Intro', id: 'intro-1' },
  ]);
  const doc = dom(out.html);
  assert.equal(doc.querySelector('li blockquote h3')?.getAttribute('id'), 'quoted');
  assert.equal(doc.querySelector('li h2')?.getAttribute('id'), 'deep-h1');
  assert.equal(doc.querySelectorAll('h1').length, 0);
});

test('a link in a heading becomes local and is noted; the id, toc entry and anchor label take its text', () => {
  const out = render('### [Setup](../setup.md) notes\n');
  assert.deepEqual(out.toc, [{ depth: 3, text: 'Setup notes', id: 'setup-notes' }]);
  const h = dom(out.html).querySelector('h3')!;
  assert.equal(h.querySelector('a')?.getAttribute('href'), '/__quire__/c/setup.md');
  assert.equal(h.querySelector('.heading-anchor')?.getAttribute('aria-label'), 'Link to section: Setup notes');
  assert.deepEqual(out.links, [['../setup.md', 5]]);
  assert.deepEqual(out.localLinks, [['/__quire__/c/setup.md', '../setup.md']]);
});

test('link lines: first use wins, definitions count, a script URL is noted as # and a local one as written (never its placeholder)', () => {
  const body = '[run](javascript:./a.md) [same](./a.md) [again][r] ![p](/img/p.png)\n\n[r]: ./a.md\n[unused]: /docs/\n[bad]: JavaScript:../b.md\n';
  const out = render(body);
  assert.deepEqual(out.links, [['#', 5], ['./a.md', 5], ['/img/p.png', 5], ['/docs/', 8]]);
  // A script URL that looks like a file is inert, never a placeholder.
  assert.deepEqual(out.localLinks, [['/__quire__/c/posts/a.md', './a.md'], ['/__quire__/r/img/p.png', '/img/p.png'], ['/__quire__/r/docs/', '/docs/']]);
  assert.deepEqual(dom(out.html).querySelectorAll('a').map((a) => a.getAttribute('href')), ['#', '/__quire__/c/posts/a.md', '/__quire__/c/posts/a.md']);
});

test('raw HTML you allowed: script URLs become #, then local ones placeholders; its links are not noted with lines', () => {
  const out = render('Before [a](./a.md).\n\n<a href="javascript:./x.md">x</a> <a href="./raw.md">r</a>\n', undefined, htmlRender);
  assert.deepEqual(dom(out.html).querySelectorAll('a').map((a) => a.getAttribute('href')), ['/__quire__/c/posts/a.md', '#', '/__quire__/c/posts/raw.md']);
  assert.deepEqual(out.links, [['./a.md', 5]]);
  assert.deepEqual(out.localLinks, [['/__quire__/c/posts/a.md', './a.md'], ['/__quire__/c/posts/raw.md', './raw.md']]);
});

test('code in a list item or a block quote is highlighted too', () => {
  const doc = dom(render('- item\n\n  ```js\n  let x = 1;\n  ```\n\n> ```python\n> def f(): pass\n> ```\n').html);
  assert.ok(doc.querySelector('li pre code.language-js span.hljs-keyword'));
  assert.ok(doc.querySelector('blockquote pre code.language-python span.hljs-keyword'));
});

test('the excerpt ends at a top-level <!--more--> only, and takes the blocks of lists and quotes before it', () => {
  const out = render('Intro.\n\n- one\n- two\n\n> quoted <!--more-->\n\n> <!--more-->\n\nStill in.\n\n<!--more-->\n\nAfter.\n');
  assert.equal(out.excerpt, 'Intro. one two quoted Still in.');
  assert.equal(out.text, 'Intro.\none\ntwo\nquoted \nStill in.\nAfter.');
});

test('leaving out GFM constructs a text has no trigger for changes no output (samples, Jekyll corpus, generated and link-dense posts, edge cases)', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const { postText } = await import('../../bench/corpus.ts');
  const { linkPostText } = await import('../../bench/corpus-links.ts');
  const root = path.resolve(import.meta.dirname, '../..');
  const { JEKYLL_POSTS, isJekyllPost } = await import('../helpers.ts');
  const dirs = [path.join(root, 'content/posts'), JEKYLL_POSTS];
  const bodies = dirs.flatMap((dir) => readdirSync(dir).filter((f) => dir !== JEKYLL_POSTS || isJekyllPost(f)).map((f) => readFileSync(path.join(dir, f), 'utf8')));
  for (let i = 0; i < 50; i++) bodies.push(postText(i));
  for (let i = 1; i < 12; i++) bodies.push(linkPostText(i)); // articles: reference links, bare URLs, brackets
  bodies.push(linkPostText(0).slice(0, 20_000)); // part of a release note: nested brackets on every line
  bodies.push(
    'Literal links: www.example.com, WWW.EXAMPLE.ORG, https://example.com/a?b=c, HTTP://x.org. Not: foo.bar and a_b.c.',
    'a | b\n--|--\n1 | 2\n\n| one |\n| - |\n| x |\n',
    'Text[^1] and [^note].\n\n[^1]: One.\n[^note]: Two.\n',
    '- [ ] open\n- [x] done\n- [X] also\n- [\t] tab\n\n[ ] not a list\n',
    'Brackets [a] [b](c) [d][] [e]: f\n\n[d]: /d\n~~gone~~ ~one~\n',
    'Escaped \\[^1] and `[^2]` and \\| pipes \\|\n',
    'Encoded: someone&#64;example.com, &#x77;ww.example.com, h&#116;tps://example.com/x and ht&#x74;p://example.org',
    'Escaped: someone\\@example.com, [in a link www.example.com](/x) and `https://in.code/`',
  );
  const slow = createMarkdownRenderer(DEFAULT_CONFIG, { skipUntriggered: false });
  for (const body of bodies) assert.equal(render(body, 'T').html, render(body, 'T', slow).html);
  assert.ok(bodies.length > 150, `compared ${bodies.length} texts`);
  // And with their triggers the constructs still work.
  assert.match(render('Write to someone@example.com today.').html, /<a href="mailto:someone@example.com">/);
  assert.match(render('| a |\n| - |\n| b |\n').html, /<table>/);
  assert.match(render('- [x] done\n').html, /type="checkbox"/);
  assert.match(render('A[^1].\n\n[^1]: B.\n').html, /data-footnote-ref/);
});

test("GFM's literal-autolink transform is still found by name, so trees without a trigger skip it", async () => {
  const { gfmFromMarkdown } = await import('mdast-util-gfm');
  const names = gfmFromMarkdown().flatMap((ext) => (ext.transforms ?? []).map((t) => t.name));
  assert.ok(names.includes(LITERAL_LINKS), names.join(', '));
});

test('nesting of ordinary depth is untouched and not reported', () => {
  const body = '- a\n  - b\n    > c *d **e***\n\n| x | y |\n|---|---|\n| *1* | 2 |\n';
  const r = safeRender(makePost(body));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(dom(r.value!.html).querySelector('ul li ul li blockquote p em strong')?.textContent, 'e');
});

test('raw HTML in a heading is left out of its id, TOC entry and anchor label, in both modes (found by the property tests)', () => {
  for (const renderer of [safeRender, htmlRender]) {
    const out = render('## Hello <em class="x">big</em> world<br>', undefined, renderer);
    assert.deepEqual(out.toc, [{ depth: 2, text: 'Hello big world', id: 'hello-big-world' }]);
    assert.equal(dom(out.html).querySelector('.heading-anchor')?.getAttribute('aria-label'), 'Link to section: Hello big world');
  }
});

test('heading ids never take an id the theme or footnotes use (regression: `## Main` gave a second id="main")', () => {
  const html = render('## Main\n\n## Footnote label\n\n## user-content fn 1\n\nText[^1].\n\n[^1]: Note.\n').html;
  const ids = [...html.matchAll(/id="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(ids.includes('main-1') && !ids.includes('main'));
  assert.ok(ids.includes('footnote-label-1'));
  assert.equal(new Set(ids).size, ids.length, `ids are unique: ${ids.join(', ')}`);
});

test('the first paragraph (summary, description) skips a paragraph that holds only an image (regression: a post opening with a photo got its alt text as summary)', () => {
  const r = render('![A photo of the harbour at dawn](harbour.jpg)\n\n## Heading\n\n```\ncode\n```\n\nThe real first words.\n');
  assert.equal(r.firstParagraph, 'The real first words.');
  assert.equal(render('Words with an ![inline image](x.png) inside.\n').firstParagraph, 'Words with an inline image inside.', 'an image among words keeps its alt text');
});

// --- Math ----------------------------------------------------------------------------------------

/** The TeX of each formula in `html`, or null for none: what became math. */
const formulas = (body: string) => {
  const r = safeRender(makePost(body));
  return dom(r.value!.html).querySelectorAll('math').map((m) => (m.getAttribute('display') === 'block' ? 'block:' : '') + m.textContent);
};

test('single dollars follow Pandoc: no space inside the dollars, no digit after the closing one', () => {
  const cases: [string, string[]][] = [
    ['$x$', ['x']],
    ['a $x^2$ b', ['x2']],
    ['$a$ and $b$', ['a', 'b']],
    ['$$x$$ inline', ['block:x']],
    ['It costs $5 and $10.', []],
    ['From $5 to $10, US$5/$10, $20-$30.', []],
    ['$ x$ and $x $', []],
    ['$x$5', []],
    ['\\$x$ escaped', []],
    ['$x\\$y$', ['x$y']],
    ['`$x$` is code', []],
    ['$x', []],
    ['a\n$x\ny$ b', ['xy']], // a formula may span lines of its paragraph
    ['$PATH/$HOME', ['PATH/']], // as in Pandoc: write \$ (or code) for shell variables
  ];
  for (const [body, expected] of cases) assert.deepEqual(formulas(body), expected, body);
});

test('math becomes MathML that the sanitiser keeps, and nothing from TeX can carry a link, an id, script or a request', () => {
  const html = safeRender(makePost('$\\frac{a}{b} \\color{red}{x} \\cancel{y} \\sqrt[3]{z} \\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}$')).value!.html;
  for (const tag of ['math', 'mfrac', 'mroot', 'menclose', 'mtable', 'mtr', 'mtd', 'mo']) assert.match(html, new RegExp(`<${tag}[ >]`), tag);
  assert.match(html, /style="color:#ff0000"/);
  const hostile = [
    '$\\href{javascript:alert(1)}{x}$',
    '$\\url{javascript:alert(1)}$',
    '$\\htmlId{top}{x}$ $\\htmlClass{skip-link}{x}$ $\\htmlStyle{position:fixed}{x}$ $\\htmlData{x=y}{z}$',
    '$\\includegraphics{https://example.com/a.png}$',
    '$\\color{red;background:url(https://example.com/a)}{y}$',
    '$\\textcolor{#f00" onmouseover="alert(1)}{y}$',
    '$\\text{<script>alert(1)</script>}$',
    '$$\\begin{equation}\\label{top} x \\end{equation}$$ $\\label{main} y$',
  ].join('\n\n');
  const out = safeRender(makePost(hostile)).value!.html;
  const elements = dom(out).querySelectorAll('*');
  assert.deepEqual(elements.filter((e) => ['script', 'img', 'a', 'iframe'].includes(e.rawTagName)).map((e) => e.rawTagName), []);
  for (const e of elements) {
    for (const [name, value] of Object.entries(e.attributes)) {
      assert.ok(!['href', 'src', 'id', 'xlink:href'].includes(name) && !/^on/i.test(name), `${e.rawTagName} ${name}`);
      assert.ok(name !== 'style' || !/[()"'\\]/.test(value), `${e.rawTagName} style="${value}"`);
    }
  }
  assert.match(out, /&#x3C;script>alert\(1\)&#x3C;\/script>/, 'text in \\text stays text');
  // A size written in TeX is capped; a macro that expands forever is an error, not a hang.
  assert.match(safeRender(makePost('$\\rule{100000em}{100000em}$')).value!.html, /width="50em" height="50em"/);
  const loop = safeRender(makePost('$\\def\\a{\\a}\\a$'));
  assert.deepEqual(loop.diagnostics.map((d) => d.code), ['markdown/invalid-math']);
});

test('TeX that does not parse is a warning at its file line and column, and stays as code', () => {
  const r = safeRender(makePost('Intro.\n\nBad: $\\frac{1}$ and $\\nosuchmacro$.\n\n$$\n\\left( x\n$$\n')); // body from file line 5
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column]),
    [
      ['markdown/invalid-math', 'warning', 7, 15], // the end of `\\frac{1}` (its closing `$`)
      ['markdown/invalid-math', 'warning', 7, 22],
      ['markdown/invalid-math', 'warning', 10, 9],
    ],
  );
  assert.match(r.diagnostics[1]!.message, /\\nosuchmacro/);
  // Temml throws a TypeError on `\left(^` (found by fuzzing it): a warning too, not a failed post.
  const crash = safeRender(makePost('Odd: $\\left(^$.'));
  assert.deepEqual(crash.diagnostics.map((d) => [d.code, d.severity, d.line, d.column]), [['markdown/invalid-math', 'warning', 5, 7]]);
  assert.match(crash.value!.html, /<code class="language-math">\\left\(\^<\/code>/);
  const doc = dom(r.value!.html);
  assert.deepEqual(doc.querySelectorAll('code.language-math').map((c) => c.textContent), ['\\frac{1}', '\\nosuchmacro', '\\left( x']);
  assert.equal(doc.querySelectorAll('math').length, 0);
});

test('math syntax changes nothing in a text without formulas (samples, Jekyll corpus, generated posts)', async () => {
  // Posts without a `$` are rendered without the math syntax at all; this checks that leaving it out
  // is invisible: with a lone `$` added (so the math pipeline runs), the HTML is the same either way.
  const { readdirSync, readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const { postText } = await import('../../bench/corpus.ts');
  const root = path.resolve(import.meta.dirname, '../..');
  const { JEKYLL_POSTS, isJekyllPost } = await import('../helpers.ts');
  const dirs = [path.join(root, 'content/posts'), JEKYLL_POSTS];
  const bodies = dirs.flatMap((dir) => readdirSync(dir).filter((f) => dir !== JEKYLL_POSTS || isJekyllPost(f)).map((f) => readFileSync(path.join(dir, f), 'utf8')));
  for (let i = 0; i < 50; i++) bodies.push(postText(i));
  const noMath = createMarkdownRenderer({ ...DEFAULT_CONFIG, math: false });
  for (const body of bodies) {
    const withDollar = body + '\n\nA lone $ sign.\n';
    assert.equal(safeRender(makePost(withDollar)).value!.html, noMath(makePost(withDollar)).value!.html);
  }
});

test('math: in front matter overrides the site setting, either way', () => {
  const off = createMarkdownRenderer({ ...DEFAULT_CONFIG, math: false });
  const body = 'Energy: $E = mc^2$.';
  assert.equal(dom(off(makePost(body)).value!.html).querySelectorAll('math').length, 0);
  assert.equal(dom(off({ ...makePost(body), math: true }).value!.html).querySelectorAll('math').length, 1);
  assert.equal(dom(safeRender({ ...makePost(body), math: false }).value!.html).querySelectorAll('math').length, 0);
});

test('ASCII HTML is held one byte per character (it took two: 159 MB of HTML at 10,000 posts)', () => {
  // micromark makes its text values two-byte, and remark-html's whole output often ends up so.
  const { html } = render('# Title\n\nSome `code` and *emphasis*.\n\n## Section\n\n```js\nlet a = 1;\n```\n');
  assert.match(html, /<h3 id="section">/);
  assert.equal(isOneByte(html), true);
  assert.equal(isOneByte(render('Typographic quotes: ’here’.').html), false, 'text beyond Latin-1 stays as it is');
});
