/** The real `quire dev` process: serving, safety, live-reload events, ports and shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolveRequest } from '../src/dev/server.ts';
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

test('editing a post sends a reload event naming its URL; a broken post sends the error', async (t) => {
  const { content } = await blog(t);
  const dev = await startDevProcess(t, ['--content', content, '--port', '0']);
  const u = new URL(dev.url);
  const events: string[] = [];
  const req = http.get({ host: u.hostname, port: u.port, path: '/__quire/events' }, (res) => res.on('data', (d) => events.push(String(d))));
  t.after(() => void req.destroy());
  const seen = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = () => (re.test(events.join('')) ? resolve() : Date.now() - started > 15_000 ? reject(new Error(`no ${re} in ${events.join('')}`)) : setTimeout(tick, 20));
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
  assert.match((await rawGet(dev.url, '/posts/hello/')).body, /Second words/, 'the last good page is still served');
  await writeFile(file, good);
  await seen(/event: state\ndata: \{"errors":\[\]\}[\s\S]*event: state\ndata: \{"errors":\[\]\}/);
});
