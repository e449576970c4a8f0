/** The real `quire dev` process: serving, safety, live-reload events, ports and shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { hostAllowed, parseTarget, resolveRequest } from '../src/dev/server.ts';
import { get, rawRequest, serveMemory } from './dev-server-raw.ts';
import { startDevProcess, tempDir, writeFiles } from './helpers.ts';

/** GET with the path sent exactly as given (no client-side normalisation of `..`). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function blog(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  await writeFiles(content, {
    'hello.md': '---\ntitle: Hello\ndate: 2020-01-01\ncategories: Notes\n---\nFirst words.\n',
    'draft.md': '---\ntitle: Unfinished\ndate: 2020-01-02\ndraft: true\n---\nLater.\n',
  });
  return { dir, content };
}

test('resolveRequest maps pretty URLs and refuses anything outside the site', () => {
  const files = new Set(['index.html', 'posts/a/index.html', 'assets/style.css', '404.html']);
  const has = (p: string) => files.has(p);
  assert.deepEqual(resolveRequest('/', '/', has), { outPath: 'index.html' });
  assert.deepEqual(resolveRequest('/posts/a/', '/', has), { outPath: 'posts/a/index.html' });
  assert.deepEqual(resolveRequest('/posts/a', '/', has), { redirect: '/posts/a/' });
  assert.deepEqual(resolveRequest('/assets/style.css', '/', has), { outPath: 'assets/style.css' });
  assert.deepEqual(resolveRequest('/', '/blog/', has), { redirect: '/blog/' });
  assert.deepEqual(resolveRequest('/blog/posts/a/', '/blog/', has), { outPath: 'posts/a/index.html' });
  for (const bad of ['/../package.json', '/%2e%2e/package.json', '/posts/../../x', '/%2e%2e%2fpackage.json', '/..%5cpackage.json', '/%00', '/%zz']) {
    assert.equal(resolveRequest(bad, '/', has), null, bad);
  }
});

test('resolveRequest redirects to a percent-encoded Location, whatever the slug is written in', () => {
  const files = new Set(['posts/café/index.html', 'posts/日本語/index.html', 'posts/a?b/index.html', 'caf%C3%A9/index.html']);
  const has = (p: string) => files.has(p);
  assert.deepEqual(resolveRequest('/posts/café', '/', has), { redirect: '/posts/caf%C3%A9/' });
  assert.deepEqual(resolveRequest('/posts/caf%C3%A9', '/', has), { redirect: '/posts/caf%C3%A9/' });
  assert.deepEqual(resolveRequest('/posts/caf%C3%A9/', '/', has), { outPath: 'posts/café/index.html' });
  assert.deepEqual(resolveRequest('/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E', '/', has), { redirect: '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/' });
  assert.deepEqual(resolveRequest('/posts/a%3Fb', '/', has), { redirect: '/posts/a%3Fb/' });
  assert.deepEqual(resolveRequest('/caf%25C3%25A9', '/', has), { redirect: '/caf%25C3%25A9/' });
  // A base path may come encoded (from a URL) or not (written by hand).
  for (const base of ['/blög/', '/bl%C3%B6g/']) {
    assert.deepEqual(resolveRequest('/', base, has), { redirect: '/bl%C3%B6g/' }, base);
    assert.deepEqual(resolveRequest('/bl%C3%B6g/posts/café', base, has), { redirect: '/bl%C3%B6g/posts/caf%C3%A9/' }, base);
  }
  assert.equal(resolveRequest('//posts/café/', '/', has), null);
});

test('parseTarget takes origin-form as sent and refuses targets that name no page', () => {
  assert.deepEqual(parseTarget('/posts/a/?v=1#x'), { pathname: '/posts/a/', search: '?v=1' });
  assert.deepEqual(parseTarget('//[/'), { pathname: '//[/', search: '' });
  assert.deepEqual(parseTarget('http://localhost:4000/a?b'), { pathname: '/a', search: '?b', authority: 'localhost:4000' });
  for (const bad of ['http://[', 'http://[/', '*', 'localhost:4000', '', 'javascript:alert(1)', 'http://a b/']) assert.equal(parseTarget(bad), null, bad);
});

test('hostAllowed answers only names of the bound address, unless bound to every interface', () => {
  for (const host of ['localhost', 'localhost:4000', 'LOCALHOST:4000', 'localhost.', '127.0.0.1', '127.0.0.1:4000', '[::1]', '[::1]:4000', '[0:0::1]:4000', undefined]) {
    assert.equal(hostAllowed(host, '127.0.0.1'), true, String(host));
  }
  for (const host of ['evil.example', 'evil.example:4000', 'localhost.evil.example', '127.0.0.1.nip.io', '', ' ', 'localhost:4000:1', 'localhost/x', 'localhost@evil', '::1', '[::1', '192.168.1.5:4000', 'a\0b']) {
    assert.equal(hostAllowed(host, '127.0.0.1'), false, JSON.stringify(host));
  }
  assert.equal(hostAllowed('192.168.1.5:4000', '192.168.1.5'), true);
  assert.equal(hostAllowed('laptop.local:4000', 'Laptop.local'), true);
  assert.equal(hostAllowed('[fe80::1]:4000', 'fe80::1'), true);
  assert.equal(hostAllowed('localhost:4000', 'fe80::1'), true);
  assert.equal(hostAllowed('evil.example', 'laptop.local'), false);
  for (const bound of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0']) {
    for (const host of ['evil.example', '192.168.1.5:4000', 'laptop.local', '', undefined]) assert.equal(hostAllowed(host, bound), true, `${bound} ${host}`);
  }
});

const SITE = {
  'index.html': '<html><body>Home</body></html>',
  'posts/café/index.html': '<html><body>Café post</body></html>',
  'posts/日本語/index.html': '<html><body>日本語 post</body></html>',
  '404.html': '<html><body>Missing</body></html>',
};

// Regression (the issue): a browser typing `/posts/日本語` sent a target whose redirect put raw CJK in
// Location; Node threw ERR_INVALID_CHAR and `npm run dev` exited.
test('a non-Latin slug without its trailing slash redirects to the percent-encoded URL, which serves the page', async (t) => {
  const { port, logged } = await serveMemory(t, SITE);
  const r = await get(port, '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E?x=1');
  assert.equal(r?.status, 302);
  assert.equal(r.headers.location, '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/?x=1');
  const page = await get(port, '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/');
  assert.equal(page?.status, 200);
  assert.match(page.body.toString('utf8'), /日本語 post/);
  assert.deepEqual(logged, []);
});

// Regression (the issue): `/posts/café` redirected to Latin-1 bytes in Location, which browsers read
// as a different path: a 404.
test('a Latin-1 slug (café) redirects to /posts/caf%C3%A9/, which serves the page', async (t) => {
  const { port } = await serveMemory(t, SITE);
  // What a browser sends for a typed `/posts/café` (raw é on the wire is Node's own 400).
  const r = await get(port, '/posts/caf%C3%A9');
  assert.equal(r?.status, 302);
  assert.equal(r.headers.location, '/posts/caf%C3%A9/');
  const page = await get(port, '/posts/caf%C3%A9/');
  assert.equal(page?.status, 200);
  assert.match(page.body.toString('utf8'), /Café post/);
});

// Regression (the issue): `new URL()` threw `Invalid URL` on these and the process exited.
test('malformed request targets are 400 and the server goes on serving', async (t) => {
  const { port, logged } = await serveMemory(t, SITE);
  for (const target of ['http://[', 'http://[/', '*', 'localhost:4000']) {
    assert.equal((await get(port, target))?.status, 400, target);
  }
  assert.equal((await get(port, '//[/'))?.status, 404, '//[/ is a path, just not one of ours');
  // Raw non-ASCII, NUL and control bytes never reach us: Node's parser answers 400 itself.
  for (const target of ['/posts/日本語', '/a\0b', '/a\x01b']) {
    assert.equal((await get(port, target))?.status, 400, JSON.stringify(target));
  }
  assert.equal((await get(port, '/'))?.status, 200);
  assert.deepEqual(logged, []);
});

test('a request whose answer throws is a 500 for that request, logged once, and the next is answered', async (t) => {
  let broken = true;
  const output = new Map(Object.entries(SITE));
  const { port, logged } = await serveMemory(t, {}, {
    output: () => {
      if (broken) throw new Error('output exploded');
      return output;
    },
  });
  const r = await get(port, '/');
  assert.equal(r?.status, 500);
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /"GET" "\/" failed \(500\): Error: output exploded/);
  broken = false;
  const next = await get(port, '/');
  assert.equal(next?.status, 200);
  assert.match(next.body.toString(), /Home/);
  assert.equal(logged.length, 1);
});

// Regression (the issue): any Host was answered, so a page on evil.example whose DNS points at
// 127.0.0.1 could read the dev site, drafts included (DNS rebinding).
test('a Host that does not name the bound address gets 403 with an explanation; loopback names are answered', async (t) => {
  const { port } = await serveMemory(t, SITE);
  for (const host of ['evil.example', `evil.example:${port}`, '', 'localhost.evil.example']) {
    const r = await get(port, '/', host);
    assert.equal(r?.status, 403, JSON.stringify(host));
    assert.match(r.body.toString(), /DNS rebinding[\s\S]*--host 0\.0\.0\.0/);
  }
  // Absolute-form carries its own authority, which HTTP/1.1 says wins over Host.
  assert.equal((await get(port, 'http://evil.example/', `127.0.0.1:${port}`))?.status, 403);
  assert.equal((await get(port, `http://localhost:${port}/`, 'evil.example'))?.status, 200);
  assert.equal((await get(port, '/__quire/events', 'evil.example'))?.status, 403, 'the event stream too');
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
    assert.equal((await get(port, '/', host))?.status, 200, host);
  }
  // No Host at all comes from no browser, so it cannot be a rebinding page (HTTP/1.0 tools).
  assert.equal((await get(port, '/', null, '1.0'))?.status, 200);
});

test('the event stream survives clients that go away, and events after close are dropped', async (t) => {
  const { server, port } = await serveMemory(t, SITE);
  const head = await rawRequest(port, 'HEAD /__quire/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assert.equal(head?.status, 200);
  for (let i = 0; i < 5; i++) await get(port, '/__quire/events');
  server.send('reload', { version: 2, urls: ['/'] });
  await server.close();
  server.send('reload', { version: 3, urls: ['/'] });
});

test('dev serves the site from memory with the live-reload script, shows drafts, and never writes public/', async (t) => {
  const { dir, content } = await blog(t);
  const dev = await startDevProcess(t, ['--content', content, '--port', '0']);
  const home = await rawGet(dev.url, '/');
  assert.equal(home.status, 200);
  assert.match(home.body, /<script src="\/__quire\/client\.js" data-version="\d+"><\/script><\/body>/);
  assert.match(home.body, /Unfinished/);
  assert.match(home.body, /Draft/);
  const post = await rawGet(dev.url, '/posts/hello/');
  assert.equal(post.status, 200);
  const missing = await rawGet(dev.url, '/posts/nope/');
  assert.equal(missing.status, 404);
  assert.match(missing.body, /<h1/);
  for (const bad of ['/../package.json', '/%2e%2e/package.json', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '//etc/passwd', '/..%2fpackage.json']) {
    const r = await rawGet(dev.url, bad);
    assert.equal(r.status, 404, bad);
    assert.doesNotMatch(r.body, /"name": "quire"|root:/);
  }
  assert.equal(existsSync(path.join(dir, 'public')), false);
  assert.ok(new URL(dev.url).hostname === '127.0.0.1', 'binds to localhost by default');
  assert.equal(await dev.stop('SIGINT'), 0, 'Ctrl-C exits 0');
});

// Regression (the issue): each of these requests used to stop `npm run dev`.
test('requests that used to stop npm run dev (a CJK slug without slash, `//[/`, `http://[`) are answered and dev keeps serving', async (t) => {
  const { content } = await blog(t);
  await writeFiles(content, {
    // File names that are not words: the titles give the URLs.
    '0001.md': '---\ntitle: 日本語\ndate: 2020-01-03\n---\nCJK words.\n',
    '0002.md': '---\ntitle: Café\ndate: 2020-01-04\n---\nLatin-1 words.\n',
  });
  const dev = await startDevProcess(t, ['--content', content, '--port', '0']);
  const port = Number(new URL(dev.url).port);
  const cjk = await get(port, '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E');
  assert.equal(cjk?.status, 302);
  assert.equal(cjk.headers.location, '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/');
  assert.match((await rawGet(dev.url, cjk.headers.location)).body, /CJK words/);
  const cafe = await get(port, '/posts/caf%C3%A9');
  assert.equal(cafe?.headers.location, '/posts/caf%C3%A9/');
  assert.match((await rawGet(dev.url, cafe.headers.location)).body, /Latin-1 words/);
  assert.equal((await get(port, '//[/'))?.status, 404);
  assert.equal((await get(port, 'http://['))?.status, 400);
  assert.equal((await get(port, '/', 'evil.example'))?.status, 403);
  assert.equal((await rawGet(dev.url, '/posts/hello/')).status, 200, 'still serving');
  assert.equal(await dev.stop('SIGINT'), 0, 'still running until Ctrl-C, which exits 0');
});

test('--no-drafts hides drafts in dev', async (t) => {
  const { content } = await blog(t);
  const dev = await startDevProcess(t, ['--content', content, '--port', '0', '--no-drafts']);
  const home = await rawGet(dev.url, '/');
  assert.doesNotMatch(home.body, /Unfinished/);
});

test('a taken port moves to the next free one and prints the URL', async (t) => {
  const { content } = await blog(t);
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const taken = (blocker.address() as net.AddressInfo).port;
  const dev = await startDevProcess(t, ['--content', content, '--port', String(taken)]);
  assert.notEqual(Number(new URL(dev.url).port), taken);
  assert.equal((await rawGet(dev.url, '/')).status, 200);
});

test('editing a post sends a reload event naming its URL; a broken post sends the error and its URL shows the overlay', async (t) => {
  const { content } = await blog(t);
  const dev = await startDevProcess(t, ['--content', content, '--port', '0']);
  const u = new URL(dev.url);
  const events: string[] = [];
  const req = http.get({ host: u.hostname, port: u.port, path: '/__quire/events' }, (res) => res.on('data', (d) => events.push(String(d))));
  t.after(() => void req.destroy());
  const seen = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = () => (re.test(events.join('')) ? resolve() : Date.now() - started > 15_000 ? reject(new Error(`no ${re} in ${events.join('')}\ndev said:\n${dev.output()}`)) : setTimeout(tick, 20));
      tick();
    });
  await seen(/event: state\ndata: \{"errors":\[\],"version":1\}/);
  const file = path.join(content, 'hello.md');
  const good = await readFile(file, 'utf8');
  await writeFile(file, good.replace('First words.', 'Second words.'));
  await seen(/event: reload\ndata: \{"version":2,"urls":\[[^\]]*"\/posts\/hello\/"/);
  assert.match((await rawGet(dev.url, '/posts/hello/')).body, /Second words/);
  await writeFile(file, good.replace('date: 2020-01-01', 'date: 2020-13-01'));
  await seen(/hello\.md:3:1: error: invalid date/);
  assert.match(dev.output(), /hello\.md:3:1: error: invalid date/);
  // The broken post's page is gone while it is broken; its URL shows the error overlay's page.
  const gone = await rawGet(dev.url, '/posts/hello/');
  assert.doesNotMatch(gone.body, /Second words/);
  assert.match(gone.body, /<script src="\/__quire\/client\.js"/, 'the page there carries the live-reload client (overlay)');
  await writeFile(file, good);
  await seen(/event: state\ndata: \{"errors":\[\]\}[\s\S]*event: state\ndata: \{"errors":\[\]\}/);
});

test('a save the moment dev says "Serving" is seen, though static/ and some config files do not exist yet; a static/ made later is followed (regression: chokidar said ready before the folders were watched)', async (t) => {
  const { dir, content } = await blog(t);
  const staticDir = path.join(dir, 'static');
  const dev = await startDevProcess(t, ['--content', content, '--static', staticDir, '--port', '0']);
  const file = path.join(content, 'hello.md');
  // No waiting: written as soon as the line is read.
  await writeFile(file, (await readFile(file, 'utf8')).replace('First words.', 'At once.'));
  await dev.waitFor(/Rebuilt \(content\) in \d+ ms/);
  assert.match((await rawGet(dev.url, '/posts/hello/')).body, /At once\./);
  const before = dev.output().length;
  await writeFiles(staticDir, { 'hello.txt': 'static file\n' });
  await dev.waitFor(/Rebuilt \(content\) in \d+ ms/, before);
  let got = await rawGet(dev.url, '/hello.txt');
  // static/ appears as a folder first: the file in it may come with the next batch.
  for (let i = 0; got.status !== 200 && i < 100; i++) await new Promise((r) => setTimeout(r, 50)), (got = await rawGet(dev.url, '/hello.txt'));
  assert.equal(got.status, 200);
  assert.equal(got.body, 'static file\n');
});

test('a post saved while the first build runs (after it was read) is rebuilt once dev serves', async (t) => {
  const { content } = await blog(t);
  const file = path.join(content, 'hello.md');
  const text = await readFile(file, 'utf8');
  let saved: Promise<void> | null = null;
  // Saved the moment the first build says it is done: it read the old text.
  const dev = await startDevProcess(t, ['--content', content, '--port', '0'], { onOutput: (out) => void (/Built \d+ posts/.test(out) && (saved ??= writeFile(file, text.replace('First words.', 'Saved while building.')))) });
  await saved;
  await dev.waitFor(/Rebuilt \(content\) in \d+ ms/);
  assert.match((await rawGet(dev.url, '/posts/hello/')).body, /Saved while building\./);
});

test('answered: resolves at once with no open page, when an open page fetches an edited output, else after its limit', async (t) => {
  const { server, port } = await serveMemory(t, { 'index.html': '<p>home</p>', 'posts/a/index.html': '<p>a</p>' });
  let started = performance.now();
  await server.answered(['posts/a/index.html'], 5000);
  assert.ok(performance.now() - started < 1000, 'no page is open: nothing to wait for');

  // An open page: its event stream is connected.
  const events = http.get({ host: '127.0.0.1', port, path: '/__quire/events' });
  const connected = new Promise<http.IncomingMessage>((resolve) => events.on('response', resolve));
  t.after(() => events.destroy());
  assert.equal((await connected).statusCode, 200);

  started = performance.now();
  const waiting = server.answered(['posts/a/index.html'], 5000);
  await get(port, '/'); // another page: not what is awaited
  await get(port, '/posts/a/');
  await waiting;
  assert.ok(performance.now() - started < 2500, 'resolved by the fetch, not by the 5 s limit');

  started = performance.now();
  await server.answered(['posts/a/index.html'], 200);
  const waited = performance.now() - started;
  assert.ok(waited >= 150 && waited < 2000, `nobody fetched it: the limit (${Math.round(waited)} ms)`);
});

test('answered: at once when every open page named itself and none may ask: it shows another page, or was sent its new HTML', async (t) => {
  const { server, port } = await serveMemory(t, { 'index.html': '<p>home</p>', 'posts/a/index.html': '<p>a</p>' });
  const open = async (page: string) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/__quire/events?page=${encodeURIComponent(page)}` });
    t.after(() => req.destroy());
    await new Promise((resolve) => req.on('response', resolve));
  };
  const time = async (wait: () => Promise<void>) => {
    const started = performance.now();
    await wait();
    return performance.now() - started;
  };
  await open('/');
  assert.ok((await time(() => server.answered(['posts/a/index.html'], 3000))) < 1000, 'the home page does not ask for posts/a/');
  await open('/posts/a/');
  const waited = await time(() => server.answered(['posts/a/index.html'], 300));
  assert.ok(waited >= 250 && waited < 2500, `posts/a/ is open and was not sent its HTML: it may ask (${Math.round(waited)} ms)`);
  server.reload({ version: 2, urls: ['/posts/a/'], moved: {} }, ['posts/a/index.html']);
  assert.ok((await time(() => server.answered(['posts/a/index.html'], 3000))) < 1000, 'sent with the event: nothing to wait for');
  server.reload({ version: 3, urls: ['/'], moved: {} }, ['index.html']);
  const again = await time(() => server.answered(['posts/a/index.html'], 300));
  assert.ok(again >= 250, 'a later reload that did not send posts/a/ makes it one that may ask again');
});

test('reload: a page showing a changed output gets its new HTML, as served, in the event; other pages get the event alone', async (t) => {
  const files = { 'index.html': '<p>home</p></body>', 'posts/a/index.html': '<p>a, edited</p></body>', 'posts/b/index.html': new TextEncoder().encode('<p>b</p></body>'), 'feed.xml': '<feed/>' };
  const { server, port } = await serveMemory(t, files, { version: () => 7 });
  /** An open page's event stream: the events it got so far, parsed. */
  const open = async (page: string) => {
    const got: string[] = [];
    const req = http.get({ host: '127.0.0.1', port, path: `/__quire/events?page=${encodeURIComponent(page)}` }, (res) => res.on('data', (d) => got.push(String(d))));
    t.after(() => req.destroy());
    await new Promise((resolve) => req.on('response', resolve));
    return () => got.join('').split('\n\n').filter((e) => e.startsWith('event: reload')).map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)) as { version: number; urls: string[]; html?: string });
  };
  const [a1, a2, b, home, feed] = [await open('/posts/a/'), await open('/posts/a/'), await open('/posts/b/'), await open('/'), await open('/feed.xml')];
  const pushed = server.reload({ version: 7, urls: ['/posts/a/', '/posts/b/', '/feed.xml'], moved: {} }, ['posts/a/index.html', 'posts/b/index.html', 'feed.xml']);
  assert.deepEqual([...pushed].sort(), ['posts/a/index.html', 'posts/b/index.html'], 'HTML pages only: a feed open in a tab has no live-reload script');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const served = (await get(port, '/posts/a/'))!.body.toString();
  for (const tab of [a1, a2]) {
    const [event] = tab();
    assert.equal(event?.html, served, 'each tab of the page gets it, exactly as a request for it is answered');
    assert.match(event!.html!, /<p>a, edited<\/p><script src="\/__quire\/client\.js" data-version="7"><\/script><\/body>/);
  }
  assert.match(b()[0]?.html ?? '', /^<p>b<\/p><script src="\/__quire\/client\.js"/, 'a page held as bytes is sent as text');
  for (const tab of [home, feed]) {
    assert.deepEqual(tab(), [{ version: 7, urls: ['/posts/a/', '/posts/b/', '/feed.xml'], moved: {} }]);
  }
  assert.deepEqual([...server.reload({ version: 8, urls: ['/'], moved: {} }, ['index.html'])], ['index.html']);
  assert.deepEqual([...server.reload({ version: 9, urls: ['/posts/c/'], moved: {} }, ['posts/c/index.html'])], [], 'no open page shows it');
});

test('an event goes out at once, not on the next tick: the rebuild that follows it runs synchronously for hundreds of milliseconds', async (t) => {
  const { server, port } = await serveMemory(t, { 'index.html': '<p>home</p>' });
  // The open page is another process, so it hears the event while this thread is busy.
  const page = spawn(process.execPath, ['-e', `require('node:http').get({ host: '127.0.0.1', port: ${port}, path: '/__quire/events?page=%2F' }, (res) => { console.log('open'); res.on('data', (d) => String(d).includes('event: reload') && (console.log('heard ' + Date.now()), process.exit(0))); });`]);
  t.after(() => page.kill());
  let out = '';
  page.stdout.on('data', (d) => (out += d));
  for (let waited = 0; !out.includes('open') && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 50)); // its stream is registered
  server.reload({ version: 2, urls: ['/'], moved: {} }, ['index.html']);
  const sent = Date.now();
  while (Date.now() - sent < 600); // the site-wide steps of a rebuild: no tick until they are done
  await new Promise((resolve) => page.once('exit', resolve));
  const heard = Number(/heard (\d+)/.exec(out)?.[1]);
  assert.ok(heard - sent < 400, `heard ${heard - sent} ms after it was sent, while the server was busy for 600 ms`);
});

test('openPages: each open page names itself on its event stream (percent-encoded, under the base path); one that names nothing of ours counts as none', async (t) => {
  const { server, port } = await serveMemory(t, { 'index.html': '<p>home</p>', 'posts/a/index.html': '<p>a</p>', 'posts/café/index.html': '<p>c</p>' });
  assert.deepEqual(server.openPages(), []);
  const open = async (page: string | null) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/__quire/events' + (page === null ? '' : `?page=${encodeURIComponent(page)}`) });
    t.after(() => req.destroy());
    assert.equal((await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve))).statusCode, 200);
    return req;
  };
  await open('/posts/a/');
  await open('/posts/a/'); // the same page in two tabs
  await open('/posts/caf%C3%A9/');
  await open('/');
  await open(null); // an older client
  await open('/no/such/page/');
  assert.deepEqual(server.openPages().sort(), ['index.html', 'posts/a/index.html', 'posts/café/index.html']);
  const closing = await open('/posts/a/');
  closing.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(server.openPages().sort(), ['index.html', 'posts/a/index.html', 'posts/café/index.html'], 'the other tab is still open');
});
