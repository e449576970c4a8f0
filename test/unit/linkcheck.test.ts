/** Unit tests for src/publish/linkcheck.ts: hand-made outputs, checked the way a build checks them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basePath } from '../../src/config.ts';
import fc from 'fast-check';
import { checkLinks, scanHtml, scanShare, type LinkSource } from '../../src/publish/linkcheck.ts';
import { decodeEntities } from '../../src/text/entities.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';
import type { OutputFile } from '../../src/model.ts';

/** A page in the shape our templates write: head with stylesheet, nav, main with the given body. */
function page(outPath: string, body: string, base = '/'): OutputFile {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Page &amp; <a href="/nope/">not a link</a></title>
<link rel="canonical" href="https://example.com${base}">
<link rel="stylesheet" href="${base}assets/style.css?v=abc123">
<link rel="icon" href="data:image/svg+xml,%3Csvg%3E%3C/svg%3E">
<script type="application/ld+json">{"url":"<a href='/missing/'>"}</script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header><a href="${base}">Home</a> <a href="${base}tags/">Tags</a></header>
<main id="main">
${body}
</main>
<!-- <a href="/commented-out/"> -->
</body>
</html>`;
  return { outPath, contents: html };
}

/** A small site at `base`: home, tags, two posts, a stylesheet and an image. */
function site(base = '/', extra: OutputFile[] = []): OutputFile[] {
  return [
    page('index.html', `<a href="${base}posts/a/">A</a> <a href="${base}posts/b/#details">B details</a>`, base),
    page('tags/index.html', '<h1>Tags</h1>', base),
    page('posts/a/index.html', '<h2 id="intro">Intro</h2><p><img src="../../assets/cat.png" alt=""></p>', base),
    page('posts/b/index.html', '<h2 id="details">Details</h2><a name="legacy"></a>', base),
    { outPath: 'assets/style.css', contents: 'body{}' },
    { outPath: 'assets/cat.png', contents: new Uint8Array([137, 80, 78, 71]) },
    ...extra,
  ];
}

const noSources = new Map<string, LinkSource>();
const codes = (list: Diagnostic[]) => list.map((d) => d.code);

test('a site whose links all resolve has no diagnostics', () => {
  assert.deepEqual(checkLinks(site(), '/', noSources), []);
});

test('a link to a missing page is link/broken naming the page and the URL, a warning by default', () => {
  const files = site('/', [page('posts/x/index.html', '<a href="/posts/nope/">gone</a>')]);
  const diagnostics = checkLinks(files, '/', noSources);
  assert.deepEqual(codes(diagnostics), ['link/broken']);
  const d = diagnostics[0]!;
  assert.equal(d.severity, 'warning');
  assert.match(d.hint ?? '', /links: error/, 'the hint says how to make it an error');
  assert.equal(d.file, 'posts/x/index.html');
  assert.equal(d.line, undefined);
  assert.equal(d.message, 'link to /posts/nope/ from posts/x/index.html: no such page');
  assert.match(d.hint ?? '', /posts\/nope\/index\.html/);
});

test('a missing image is link/broken as a missing file', () => {
  const files = site('/', [page('posts/x/index.html', '<img src="/assets/dog.png" alt="">')]);
  const diagnostics = checkLinks(files, '/', noSources);
  assert.deepEqual(codes(diagnostics), ['link/broken']);
  assert.match(diagnostics[0]!.message, /\/assets\/dog\.png.*no such file/);
});

test('a stylesheet link with a ?v= query is checked without the query', () => {
  const ok = site();
  assert.deepEqual(checkLinks(ok, '/', noSources), [], 'assets/style.css?v=abc123 is found');
  const withoutCss = ok.filter((f) => f.outPath !== 'assets/style.css');
  const diagnostics = checkLinks(withoutCss, '/', noSources);
  // Once per page that links it (four pages), each naming the URL as written.
  assert.equal(diagnostics.length, 4);
  assert.ok(diagnostics.every((d) => d.code === 'link/broken' && d.message.startsWith('link to /assets/style.css?v=abc123 from ')));
});

test('srcset candidates are each checked', () => {
  const body = '<picture><source srcset="/assets/cat.png 1x, /assets/cat@2x.png 2x"><img src="/assets/cat.png" srcset="/assets/cat.png 480w,/assets/wide.png 960w" alt=""></picture>';
  const diagnostics = checkLinks(site('/', [page('posts/x/index.html', body)]), '/', noSources);
  assert.deepEqual(
    diagnostics.map((d) => d.message.split(' from ')[0]),
    ['link to /assets/cat@2x.png', 'link to /assets/wide.png'],
  );
});

test('a missing anchor on the same page is link/missing-anchor', () => {
  const files = site('/', [page('posts/x/index.html', '<h2 id="one">One</h2><a href="#one">ok</a> <a href="#two">bad</a>')]);
  const diagnostics = checkLinks(files, '/', noSources);
  assert.deepEqual(codes(diagnostics), ['link/missing-anchor']);
  assert.match(diagnostics[0]!.message, /^link to #two from posts\/x\/index\.html: .*"two".*this page/);
});

test('a missing anchor on another page is link/missing-anchor naming that page', () => {
  const files = site('/', [page('posts/x/index.html', '<a href="/posts/b/#details">ok</a> <a href="/posts/b/#legacy">ok</a> <a href="/posts/b/#nope">bad</a>')]);
  const diagnostics = checkLinks(files, '/', noSources);
  assert.deepEqual(codes(diagnostics), ['link/missing-anchor']);
  assert.match(diagnostics[0]!.message, /^link to \/posts\/b\/#nope from posts\/x\/index\.html: .*"nope".*posts\/b\/index\.html/);
});

test('an empty # and #top are always fine', () => {
  const files = site('/', [page('posts/x/index.html', '<a href="#">top</a> <a href="#top">top</a> <a href="/posts/a/#top">top of a</a>')]);
  assert.deepEqual(checkLinks(files, '/', noSources), []);
});

test('relative links resolve against the page URL', () => {
  const body = [
    '<a href="../a/">sibling</a>',
    '<a href="../b/#details">sibling anchor</a>',
    '<a href="./">self</a>',
    '<a href="../../tags/">up two</a>',
    '<img src="../../assets/cat.png" alt="">',
    '<a href="../missing/">bad</a>',
    '<a href="photo.jpg">bad file</a>',
  ].join('\n');
  const diagnostics = checkLinks(site('/', [page('posts/x/index.html', body)]), '/', noSources);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.message]),
    [
      ['link/broken', 'link to ../missing/ from posts/x/index.html: no such page'],
      ['link/broken', 'link to photo.jpg from posts/x/index.html: no such file'],
    ],
  );
});

test('a folder linked without its trailing slash counts as found', () => {
  const files = site('/', [page('posts/x/index.html', '<a href="/posts/a">no slash</a> <a href="/posts/b#details">no slash, anchor</a>')]);
  assert.deepEqual(checkLinks(files, '/', noSources), []);
});

test('under a sub-path base, links outside it are warnings (another app may serve them) and missing pages inside are link/broken', () => {
  const ok = site('/blog/');
  assert.deepEqual(checkLinks(ok, '/blog/', noSources), []);
  const body = '<a href="/other/">outside</a> <a href="/posts/a/">missing the base</a> <a href="/blog">home without slash</a> <a href="/blog/posts/nope/">nope</a>';
  const diagnostics = checkLinks(site('/blog/', [page('posts/x/index.html', body, '/blog/')]), '/blog/', noSources, undefined, { severity: 'error' });
  assert.deepEqual(codes(diagnostics), ['link/outside-site', 'link/outside-site', 'link/broken']);
  assert.equal(diagnostics[0]!.severity, 'warning', 'outside the site stays a warning with links: error');
  assert.equal(diagnostics[2]!.severity, 'error');
  assert.match(diagnostics[0]!.message, /^link to \/other\/ from posts\/x\/index\.html: outside/);
  assert.match(diagnostics[0]!.hint ?? '', /\/blog\//);
  assert.match(diagnostics[1]!.message, /^link to \/posts\/a\/ /);
  assert.equal(diagnostics[2]!.message, 'link to /blog/posts/nope/ from posts/x/index.html: no such page');
});

test('relative links climbing out of a sub-path base are outside the site', () => {
  const files = site('/blog/', [page('posts/x/index.html', '<a href="../../../elsewhere/">too far</a> <a href="../../">home</a>', '/blog/')]);
  const diagnostics = checkLinks(files, '/blog/', noSources);
  assert.deepEqual(codes(diagnostics), ['link/outside-site']);
  assert.match(diagnostics[0]!.message, /^link to \.\.\/\.\.\/\.\.\/elsewhere\/ .*outside/);
});

test('external links are neither fetched nor checked', () => {
  const body = [
    '<a href="https://example.com/nope/#x">https</a>',
    '<a href="http://example.com">http</a>',
    '<a href="mailto:me@example.com">mail</a>',
    '<a href="tel:+123">tel</a>',
    '<a href="//cdn.example.com/x.js">protocol-relative</a>',
    '<img src="data:image/png;base64,AAAA" alt="">',
    '<script src="https://cdn.example.com/x.js"></script>',
  ].join('\n');
  assert.deepEqual(checkLinks(site('/', [page('posts/x/index.html', body)]), '/', noSources), []);
});

test('entity-escaped URLs are decoded before they are resolved', () => {
  const extra = [
    { outPath: 'files/a=b&c.txt', contents: 'x' },
    page('posts/x/index.html', '<a href="/files/a&#x3D;b&amp;c.txt">escaped</a> <a href="/posts/b/&#x23;details">hash</a> <a href="/posts/b/#d&#x65;tails">in the anchor</a>'),
  ];
  assert.deepEqual(checkLinks(site('/', extra), '/', noSources), []);
  const broken = [{ outPath: 'files/a=b&c.txt', contents: 'x' }, page('posts/x/index.html', '<a href="/files/a&#x3D;b&amp;d.txt">escaped</a>')];
  const diagnostics = checkLinks(site('/', broken), '/', noSources);
  assert.deepEqual(codes(diagnostics), ['link/broken']);
  assert.match(diagnostics[0]!.message, /^link to \/files\/a=b&d\.txt /, 'the message shows the decoded URL');
});

test('percent-encoded non-ASCII slugs find their output folder', () => {
  const extra = [
    page('posts/café/index.html', '<h2 id="über">Über</h2>'),
    page('posts/x/index.html', '<a href="/posts/caf%C3%A9/">encoded</a> <a href="/posts/café/">raw</a> <a href="/posts/caf%C3%A9/#%C3%BCber">encoded anchor</a> <a href="../caf%C3%A9/">relative</a>'),
  ];
  assert.deepEqual(checkLinks(site('/', extra), '/', noSources), []);
  const diagnostics = checkLinks(site('/', [page('posts/x/index.html', '<a href="/posts/caf%C3%A8/">wrong accent</a>')]), '/', noSources);
  assert.deepEqual(codes(diagnostics), ['link/broken']);
});

test('a link from markdown reports the content file and its line', () => {
  const body = '<p><a href="/posts/nope/">as written</a> <a href="../gone/">relative</a> <a href="#missing">anchor</a> <a href="/tags/#x">template</a></p>';
  const sources = new Map<string, LinkSource>([
    [
      'posts/x/index.html',
      {
        outPath: 'posts/x/index.html',
        file: 'content/posts/x.md',
        markdownLines: new Map([
          ['/posts/nope/', 7],
          ['/posts/gone/', 9],
          ['#missing', 12],
        ]),
      },
    ],
  ]);
  const diagnostics = checkLinks(site('/', [page('posts/x/index.html', body)]), '/', sources);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.file, d.line]),
    [
      ['link/broken', 'content/posts/x.md', 7],
      ['link/broken', 'content/posts/x.md', 9],
      ['link/missing-anchor', 'content/posts/x.md', 12],
      ['link/missing-anchor', 'content/posts/x.md', undefined],
    ],
  );
});

test('a page without a known source is reported under its output path or layout name', () => {
  const sources = new Map<string, LinkSource>([['tags/index.html', { outPath: 'tags/index.html', file: 'templates/layouts/terms.hbs' }]]);
  const files = site().map((f) => (f.outPath === 'tags/index.html' ? page('tags/index.html', '<a href="/nope/">x</a>') : f));
  const diagnostics = checkLinks(files, '/', sources);
  assert.deepEqual(diagnostics.map((d) => [d.file, d.line]), [['templates/layouts/terms.hbs', undefined]]);
});

test('the same bad URL is reported once per page', () => {
  const body = '<a href="/posts/nope/">1</a> <a href="/posts/nope/">2</a> <img src="/posts/nope/" alt=""> <a href="#gone">3</a> <a href="#gone">4</a>';
  const diagnostics = checkLinks(site('/', [page('posts/x/index.html', body), page('posts/y/index.html', body)]), '/', noSources);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.file]),
    [
      ['link/broken', 'posts/x/index.html'],
      ['link/missing-anchor', 'posts/x/index.html'],
      ['link/broken', 'posts/y/index.html'],
      ['link/missing-anchor', 'posts/y/index.html'],
    ],
  );
});

test('links inside scripts, styles, titles and comments are not links', () => {
  // page() already puts a link in <title>, a JSON-LD <script> and a comment; add a style and an inline script.
  const body = '<style>a[href="/nope/"]{}</style><script>document.write(\'<a href="/gone/">\')</script><pre><code>&lt;a href="/escaped/"&gt;</code></pre>';
  assert.deepEqual(checkLinks(site('/', [page('posts/x/index.html', body)]), '/', noSources), []);
});

test('non-HTML outputs are not scanned and HTML given as bytes is', () => {
  const bytes = new TextEncoder().encode('<!doctype html><a href="/nope/">x</a>');
  const files = site('/', [
    { outPath: 'feed.xml', contents: '<feed><link href="/nope/"/></feed>' },
    { outPath: 'raw/index.html', contents: bytes },
  ]);
  const diagnostics = checkLinks(files, '/', noSources);
  assert.deepEqual(diagnostics.map((d) => d.file), ['raw/index.html']);
});

test('5,000 pages linking to each other and their anchors are checked in one pass each', (t) => {
  const n = 5000;
  const files: OutputFile[] = [{ outPath: 'assets/style.css', contents: '' }];
  const sections = Array.from({ length: 20 }, (_, i) => `<h2 id="s${i}">Section ${i}</h2><p>Text of section ${i}.</p>`).join('\n');
  for (let i = 0; i < n; i++) {
    const next = (i + 1) % n;
    const links = Array.from({ length: 20 }, (_, s) => `<a href="/posts/p${next}/#s${s}">next ${s}</a> <a href="#s${s}">here ${s}</a>`).join('\n');
    files.push(page(`posts/p${i}/index.html`, `${sections}\n${links}\n<a href="../p${(i + 7) % n}/">relative</a>`));
  }
  files.push(page('index.html', '<a href="/posts/p0/">first</a>'), page('tags/index.html', ''));
  files.push(page('posts/p4999x/index.html', '<a href="/posts/p1/#s99">bad</a>'));
  const started = performance.now();
  const diagnostics = checkLinks(files, '/', noSources);
  const ms = performance.now() - started;
  assert.deepEqual(codes(diagnostics), ['link/missing-anchor']);
  // No timing assert (machines differ); the figure shows up in the spec reporter's output.
  t.diagnostic(`checked ${n} pages in ${Math.round(ms)} ms`);
});

test('a missing path outside every URL space the site writes is a warning, even with links: error', () => {
  const body = '<a href="/docs/configuration/">docs</a> <a href="/posts/nope/">nope</a>';
  const diagnostics = checkLinks(site('/', [page('posts/x/index.html', body)]), '/', noSources, undefined, { severity: 'error' });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [
    ['link/not-generated', 'warning'],
    ['link/broken', 'error'],
  ]);
});

test('severity error makes broken links and missing anchors errors; the default and severity warning make them warnings', () => {
  const body = '<a href="/posts/nope/">page</a> <img src="/assets/dog.png" alt=""> <a href="/posts/b/#nope">anchor</a> <a href="/docs/">elsewhere</a>';
  const files = site('/', [page('posts/x/index.html', body)]);
  const expected = (s: string) => [
    ['link/broken', s],
    ['link/broken', s],
    ['link/missing-anchor', s],
    ['link/not-generated', 'warning'],
  ];
  assert.deepEqual(checkLinks(files, '/', noSources).map((d) => [d.code, d.severity]), expected('warning'));
  assert.deepEqual(checkLinks(files, '/', noSources, undefined, { severity: 'warning' }).map((d) => [d.code, d.severity]), expected('warning'));
  const errors = checkLinks(files, '/', noSources, undefined, { severity: 'error' });
  assert.deepEqual(errors.map((d) => [d.code, d.severity]), expected('error'));
  assert.ok(errors.every((d) => !/links: error/.test(d.hint ?? '')), 'no hint to raise what is already an error');
});

test('every link problem names the link URL, the output page and the source file and line', () => {
  const body = '<p><a href="/posts/nope/">page</a> <a href="/posts/b/#nope">anchor</a></p>';
  const sources = new Map<string, LinkSource>([
    ['posts/x/index.html', { outPath: 'posts/x/index.html', file: 'content/posts/x.md', markdownLines: new Map([['/posts/nope/', 4], ['/posts/b/#nope', 6]]) }],
  ]);
  for (const severity of ['warning', 'error'] as const) {
    const diagnostics = checkLinks(site('/', [page('posts/x/index.html', body)]), '/', sources, undefined, { severity });
    assert.deepEqual(diagnostics.map((d) => [d.code, d.file, d.line]), [
      ['link/broken', 'content/posts/x.md', 4],
      ['link/missing-anchor', 'content/posts/x.md', 6],
    ]);
    assert.match(diagnostics[0]!.message, /^link to \/posts\/nope\/ from posts\/x\/index\.html: /);
    assert.match(diagnostics[1]!.message, /^link to \/posts\/b\/#nope from posts\/x\/index\.html: /);
  }
});

// Regression: a base path with non-ASCII or %-encoded characters made every link "outside the
// site" (basePath() gave /bl%C3%B6g/ for a URL but /blög/ for a path, and locate() compared it
// with the decoded URL path), so broken links there were never found.
for (const baseUrl of ['/blög/', 'https://example.com/blög/', '/my%20blog/', 'https://example.com/my%20blog/', '/my blog/']) {
  test(`under the base ${baseUrl}, good links pass and broken links and anchors are found`, () => {
    const base = basePath({ baseUrl });
    assert.match(base, /^\/(bl%C3%B6g|my%20blog)\/$/, 'the base path is percent-encoded');
    const ok = site(base, [page('posts/x/index.html', `<a href="${base}posts/a/">a</a> <a href="../b/#details">relative</a> <a href="${base}">home</a>`, base)]);
    assert.deepEqual(checkLinks(ok, base, noSources), []);
    const body = `<a href="${base}posts/nope/">page</a> <a href="${base}posts/b/#nope">anchor</a> <a href="../gone/">relative</a> <img src="${base}assets/dog.png" alt="">`;
    const diagnostics = checkLinks(site(base, [page('posts/x/index.html', body, base)]), base, noSources, undefined, { severity: 'error' });
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.message.split(': ')[0]]), [
      ['link/broken', 'error', `link to ${base}posts/nope/ from posts/x/index.html`],
      ['link/missing-anchor', 'error', `link to ${base}posts/b/#nope from posts/x/index.html`],
      ['link/broken', 'error', 'link to ../gone/ from posts/x/index.html'],
      ['link/broken', 'error', `link to ${base}assets/dog.png from posts/x/index.html`],
    ]);
  });
}

test('other spellings of an encoded base path (raw, lower-case escapes) lead into the site', () => {
  const base = basePath({ baseUrl: '/blög/' });
  const body = '<a href="/blög/posts/a/">raw</a> <a href="/bl%c3%b6g/posts/b/#details">lower case</a> <a href="/blög">no slash</a> <a href="/bl%C3%B6g/posts/nope/">bad</a> <a href="/blog/posts/a/">another base</a>';
  const diagnostics = checkLinks(site(base, [page('posts/x/index.html', body, base)]), base, noSources);
  assert.deepEqual(codes(diagnostics), ['link/broken', 'link/outside-site']);
});

test('a page under an output folder with a space or non-ASCII name resolves its relative links', () => {
  const extra = [page('posts/caf é/index.html', '<a href="../a/">up</a> <a href="./#top">self</a> <a href="../nope/">bad</a>', '/blog/')];
  const diagnostics = checkLinks(site('/blog/', extra), '/blog/', noSources);
  assert.deepEqual(diagnostics.map((d) => d.message), ['link to ../nope/ from posts/caf é/index.html: no such page']);
});

test('an id used twice on a page is an html/duplicate-id warning naming the page and its source', async () => {
  const { checkLinks } = await import('../../src/publish/linkcheck.ts');
  const files = [{ outPath: 'posts/a/index.html', contents: '<main id="main"><h2 id="x">X</h2><div id="x"></div><a name="x"></a></main>' }];
  const d = checkLinks(files, '/', new Map([['posts/a/index.html', { outPath: 'posts/a/index.html', file: 'content/a.md' }]]));
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.file]), [['html/duplicate-id', 'warning', 'content/a.md']]);
  assert.match(d[0]!.message, /id "x" is used more than once on posts\/a\/index\.html/);
});

/**
 * The regex scanner scanHtml replaced (its attributes are now read in place, without a string per
 * attribute): kept as the reference the scanner must agree with on any input.
 */
function referenceScan(html: string): { refs: { url: string; asset: boolean }[]; ids: string[]; duplicateIds: string[] } {
  const TAG = /<(?:!--[\s\S]*?(?:-->|$)|([a-zA-Z][a-zA-Z0-9:-]*)([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>)/g;
  const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  const refs: { url: string; asset: boolean }[] = [];
  const ids = new Set<string>();
  const duplicates: string[] = [];
  // srcsetUrls, as it is in linkcheck.ts.
  const srcset = (value: string) => {
    const urls: string[] = [];
    let i = 0;
    while (i < value.length) {
      while (i < value.length && /[\s,]/.test(value[i]!)) i++;
      const start = i;
      while (i < value.length && !/\s/.test(value[i]!)) i++;
      let url = value.slice(start, i);
      if (url.endsWith(',')) url = url.replace(/,+$/, '');
      else while (i < value.length && value[i] !== ',') i++;
      if (url) urls.push(url);
    }
    return urls;
  };
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    if (m[1] === undefined) continue;
    const name = m[1].toLowerCase();
    const attrs = m[2] ?? '';
    ATTR.lastIndex = 0;
    for (let a = ATTR.exec(attrs); a; a = ATTR.exec(attrs)) {
      const key = a[1]!.toLowerCase();
      const value = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
      if (key === 'id' && ids.has(value)) duplicates.push(value);
      if (key === 'id' || (key === 'name' && name === 'a')) ids.add(value);
      else if (key === 'href' && name !== 'base') refs.push({ url: value.trim(), asset: name !== 'a' && name !== 'area' });
      else if (key === 'src' || key === 'poster') refs.push({ url: value.trim(), asset: true });
      else if (key === 'srcset') for (const url of srcset(value)) refs.push({ url, asset: true });
    }
    if (['script', 'style', 'textarea', 'title'].includes(name)) {
      const close = new RegExp(`</${name}`, 'gi');
      close.lastIndex = TAG.lastIndex;
      TAG.lastIndex = close.exec(html)?.index ?? html.length;
    }
  }
  const first = new Map<string, { url: string; asset: boolean }>();
  // Links to other sites (a scheme, or `//host`) are never checked, so not kept.
  for (const r of refs) if (!first.has(r.url) && !/^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|\/\/)/.test(r.url)) first.set(r.url, r);
  return { refs: [...first.values()], ids: [...ids], duplicateIds: duplicates };
}

test('the page scanner reads links and ids exactly as the regex scanner did, on any tag soup (property, fixed seed)', () => {
  // Pieces that matter to the scanner, joined at random: tags, quotes, entities, odd spaces, raw-text elements.
  const piece = fc.constantFrom(
    '<', '>', '</', '"', "'", '=', ' ', '\n', '\t', '\u00a0', '\u2028', '\u0085', '/', '<!--', '-->', '<!DOCTYPE html>',
    'a', 'A', 'img', 'IMG', 'link', 'area', 'base', 'source', 'video', 'script', 'SCRIPT', 'title', 'style', 'textarea', 'div',
    'href', 'HREF', 'Href', 'src', 'srcset', 'poster', 'id', 'ID', 'name', 'data-href', 'x', 'hreff', 'class',
    '/p/', '#x', 'x.png 2x,', ' y.png', '&amp;', '&#x3D;', '&#39;', '&quot;', ',', ':', 'https://e.example/',
  );
  const soup = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));
  const space = fc.constantFrom(' ', '\n', '\t', '\u00a0', '\u2028', '\u0085', '\ufeff', '');
  const attribute = fc.tuple(space, fc.constantFrom('href', 'HREF', 'src', 'id', 'srcset', 'name', 'class', 'poster'), space, fc.constantFrom('=', ''), space, fc.constantFrom('"/a/"', "'/b/ '", '/c/', '"x y"', '"#i"', '""', '"a.png 1x, b.png 2x"', '/d>', '"e', '"https://e.example/x"', "' //cdn.example/y'", '"mailto:me@example.com"', '"Https://E.example/"', '"1http:x"', '"/x:y"'));
  const tagged = fc.tuple(fc.constantFrom('a', 'img', 'link', 'A', 'source', 'base', 'title'), fc.array(attribute, { maxLength: 4 }), soup)
    .map(([name, attrs, rest]) => `<${name}${attrs.map((parts) => parts.join('')).join('')}>${rest}`);
  fc.assert(
    fc.property(fc.oneof(soup, tagged), (html) => {
      const scan = scanHtml(html);
      const expected = referenceScan(html);
      assert.deepEqual({ refs: scan.refs.map((r) => ({ ...r })), ids: [...scan.ids], duplicateIds: scan.duplicateIds ?? [] }, expected, JSON.stringify(html));
    }),
    {
      seed: Number(process.env.FC_SEED ?? 13),
      numRuns: 3000,
      examples: [
        ['<title>x</TITLE><a href="/after/">'],
        ['<script><a href="/in/"></ScRiPt><a href="/out/">'],
        [`<a x=a"b id='c"><a href='/y/' id=c>`],
        ['<a\u00a0href="/nbsp/"><a\u0085href="/nel/">'],
        ['<img srcset="a.png 1x,b.png 2x, c.png">'],
        ['<a href=/u>v> <A HREF="/upper/" ID=i><a id=i>'],
      ],
    },
  );
});

test('pages sharing links share the scanned objects (10,000 term pages keep one object per distinct link)', () => {
  const share = scanShare();
  const a = scanHtml('<a href="/x/">x</a><img src="/i.png"><a href="/only-a/" id="main">', share);
  const b = scanHtml('<a href="/x/">x</a><img src="/i.png"><a id="main" href="/only-b/">', share);
  assert.equal(a.refs[0], b.refs[0]);
  assert.equal(a.refs[1], b.refs[1]);
  assert.notEqual(a.refs[2], b.refs[2]);
  assert.equal(a.ids, b.ids, 'the same ids: one set');
});
