/** TeX math on built pages: MathML at build time, prices left alone, bad TeX shown as code with a warning, opt-outs (the Jekyll corpus: jekyll-corpus.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { HtmlValidate } from 'html-validate';
import { buildSite, page, tempDir, text, writeFiles } from './helpers.ts';

const POSTS = {
  'posts/math.md': [
    '---', // line 1
    'title: Math',
    'date: 2024-01-02',
    '---',
    '',
    'Einstein wrote $E = mc^2$, and a fraction: $$\\frac{a}{b}$$ inline.', // line 6
    '',
    '$$',
    '\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}',
    '$$',
    '',
    'It costs $5 and $10, or US$5/$10; $20-$30, $40 to $50.', // line 12
    '',
    'A broken one: $x^{2$ here.', // line 14
    '',
    '$$',
    '\\frac{1}',
    '$$',
    '',
    '\\$x$ is not math, `$y$` is code.',
  ].join('\n'),
  'posts/off.md': '---\ntitle: Off\ndate: 2024-01-01\nmath: false\n---\n\nThis post says $E = mc^2$ as text.\n',
  'posts/prices.md': '---\ntitle: Prices\ndate: 2023-12-31\n---\n\nTickets are $5 for kids and $10 for adults; $20 at the door.\n',
};

async function built(t: Parameters<typeof tempDir>[0], overrides = {}) {
  const dir = await tempDir(t);
  await writeFiles(path.join(dir, 'content'), POSTS);
  const out = path.join(dir, 'public');
  const report = await buildSite({ outDir: out, contentDir: path.join(dir, 'content'), overrides });
  assert.equal(report.ok, true, report.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n'));
  return { out, report };
}

test('$…$ and $$…$$ become MathML on the page, display math in a box of its own', async (t) => {
  const { out } = await built(t);
  const doc = await page(out, 'posts/math/');
  const content = doc.querySelector('.post-content')!;
  const maths = content.querySelectorAll('math');
  assert.equal(maths.length, 3);
  const [inline, inlineDisplay, block] = maths;
  assert.ok(!inline!.getAttribute('display'));
  assert.equal(text(inline), 'E=mc2');
  assert.ok(inline!.querySelector('msup'));
  // `$$…$$` inside a paragraph is display math too, in a span (a paragraph cannot hold a div).
  assert.equal(inlineDisplay!.getAttribute('display'), 'block');
  assert.equal(inlineDisplay!.parentNode.tagName, 'SPAN');
  assert.equal(inlineDisplay!.parentNode.getAttribute('class'), 'math-display');
  assert.ok(inlineDisplay!.querySelector('mfrac'));
  assert.equal(block!.getAttribute('display'), 'block');
  assert.equal(block!.parentNode.tagName, 'DIV');
  assert.equal(block!.parentNode.getAttribute('class'), 'math-display');
  assert.ok(block!.querySelector('munderover'));
  // No client JavaScript for math: the page has only the theme's scripts, if any.
  assert.ok(!/temml|katex|mathjax/i.test(await readFile(path.join(out, 'posts/math/index.html'), 'utf8')));
});

test('prices, escaped dollars and code stay as written', async (t) => {
  const { out } = await built(t);
  const paragraphs = (await page(out, 'posts/math/')).querySelectorAll('.post-content p');
  const prices = paragraphs.find((p) => text(p).startsWith('It costs'))!;
  assert.equal(prices.querySelectorAll('math').length, 0);
  assert.equal(text(prices), 'It costs $5 and $10, or US$5/$10; $20-$30, $40 to $50.');
  const escaped = paragraphs.at(-1)!;
  assert.equal(escaped.querySelectorAll('math').length, 0);
  assert.equal(text(escaped), '$x$ is not math, $y$ is code.');
  assert.equal(escaped.querySelector('code')!.text, '$y$');
  const other = (await page(out, 'posts/prices/')).querySelector('.post-content')!;
  assert.equal(other.querySelectorAll('math').length, 0);
  assert.equal(text(other), 'Tickets are $5 for kids and $10 for adults; $20 at the door.');
});

test('TeX that does not parse is a warning at its line and column, and shows as code', async (t) => {
  const { out, report } = await built(t);
  const warnings = report.diagnostics.filter((d) => d.code === 'markdown/invalid-math');
  assert.deepEqual(
    warnings.map((d) => [path.basename(d.file!), d.line, d.column, d.severity]),
    [
      ['math.md', 14, 20, 'warning'], // the end of `x^{2` (where the closing `$` is): the `{` is never closed
      ['math.md', 17, 9, 'warning'],
    ],
  );
  const doc = await page(out, 'posts/math/');
  assert.deepEqual(doc.querySelectorAll('.post-content p code.language-math').map((c) => c.text), ['x^{2']);
  // (node-html-parser keeps a <pre>'s content as text.)
  assert.ok(doc.querySelectorAll('.post-content pre').some((pre) => pre.innerHTML === '<code class="language-math">\\frac{1}</code>'));
});

test('math: false turns math off for a post, or for the whole site', async (t) => {
  const { out } = await built(t);
  const off = (await page(out, 'posts/off/')).querySelector('.post-content')!;
  assert.equal(off.querySelectorAll('math').length, 0);
  assert.equal(text(off), 'This post says $E = mc^2$ as text.');

  const site = await built(t, { math: false });
  const doc = await page(site.out, 'posts/math/');
  assert.equal(doc.querySelectorAll('math').length, 0);
  assert.match(text(doc.querySelector('.post-content')), /Einstein wrote \$E = mc\^2\$, and a fraction: \$\$\\frac\{a\}\{b\}\$\$ inline\./);
  assert.equal(site.report.diagnostics.filter((d) => d.code === 'markdown/invalid-math').length, 0);
});

test('a page with math passes html-validate', async (t) => {
  const { out } = await built(t);
  const validator = new HtmlValidate({
    extends: ['html-validate:recommended'],
    rules: { 'long-title': 'off', 'valid-id': ['error', { relaxed: true }], 'no-inline-style': 'off' },
  });
  const report = await validator.validateString(await readFile(path.join(out, 'posts/math/index.html'), 'utf8'), 'posts/math/index.html');
  const problems = report.results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
  assert.deepEqual(problems, []);
});
