/**
 * Request fuzzing for the dev server: thousands of generated request lines and headers (methods,
 * targets with non-ASCII, percent-encoding, NUL and control bytes, over-long ones, Host values,
 * odd headers, clients that hang up mid-request), sent as raw bytes over TCP to a server on
 * 127.0.0.1, with a fixed seed. Nothing may stop the server or make it fail (500), and it must
 * answer normal requests correctly throughout and afterwards (the issue: one request killed
 * `npm run dev`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import { get, rawRequest, serveMemory, type RawResponse } from './dev-server-raw.ts';

const SEED = 20_240_611;
const REQUESTS = 3000;
const IN_FLIGHT = 32;

const SITE: Record<string, string | Uint8Array> = {
  'index.html': '<html><body><h1>Home page</h1></body></html>',
  'posts/hello/index.html': '<html><body><h1>Hello post</h1></body></html>',
  'posts/café/index.html': '<html><body><h1>Café post</h1></body></html>',
  'posts/日本語/index.html': '<html><body><h1>日本語 post</h1></body></html>',
  'assets/style.css': 'body { color: black }',
  'feed.xml': '<feed/>',
  'images/a.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]),
  '404.html': '<html><body><h1>Not here</h1></body></html>',
};

/** Well-formed requests and exactly what they must get, mixed in with the junk. */
const VALID: Record<string, { status: number; location?: string }> = {
  '/': { status: 200 },
  '/posts/hello/': { status: 200 },
  '/posts/hello': { status: 302, location: '/posts/hello/' },
  '/posts/hello?x=%E6%97%A5': { status: 302, location: '/posts/hello/?x=%E6%97%A5' },
  '/posts/caf%C3%A9': { status: 302, location: '/posts/caf%C3%A9/' },
  '/posts/caf%C3%A9/': { status: 200 },
  '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E': { status: 302, location: '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/' },
  '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/': { status: 200 },
  '/assets/style.css?v=3': { status: 200 },
  '/feed.xml': { status: 200 },
  '/images/a.png': { status: 200 },
  '/__quire/client.js': { status: 200 },
  '/__quire/events': { status: 200 },
  '/nope': { status: 404 },
  '/../package.json': { status: 404 },
  '/%2e%2e/%2e%2e/etc/passwd': { status: 404 },
};

interface Case {
  bytes: Buffer;
  /** Whether the Host (or absolute-form authority) names something other than this machine. */
  foreignHost: boolean;
  /** Set for well-formed requests: what they must get. */
  expect?: { status: number; location?: string };
  /** Hang up after sending this many bytes, without reading an answer. */
  hangUpAfter?: number;
}

function cases(port: number): Case[] {
  // Text from every range: ASCII (NUL, CR, LF and other controls too), Latin-1, the BMP, lone
  // surrogates, astral. (fast-check's own `binary` unit builds a table of all code points first,
  // which costs seconds.)
  const char = fc
    .oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.integer({ min: 0x100, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.integer({ min: 0x10000, max: 0x10ffff }),
    )
    .map((c) => String.fromCodePoint(c));
  const anyText = (maxLength: number) => fc.string({ unit: char, maxLength });
  const percentJunk = fc
    .array(
      fc.oneof(
        fc.constantFrom('%', '%2', '%zz', '%00', '%0A', '%2e', '%2E%2E', '%2f', '%5c', '%C3', '%A9', '%C3%A9', '%ED%A0%80', '%F0%9F%98%80', '%E6%97%A5', '%FF', '..', '.', '/', '//', '?', '#', ';', '\\', '[', ']', '@', ':'),
        anyText(3),
      ),
      { maxLength: 12 },
    )
    .map((parts) => '/' + parts.join(''));
  const encoded = anyText(12).map((s) => '/posts/' + [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).padStart(2, '0')).join(''));
  const overLong = fc.tuple(fc.constantFrom('a', '%E6%97%A5', '../', 'é', '\0'), fc.integer({ min: 500, max: 6000 })).map(([unit, n]) => '/' + unit.repeat(n));
  const target = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...Object.keys(VALID)) },
    { weight: 2, arbitrary: fc.constantFrom('//[/', 'http://[', 'http://[/', 'http://[::1', '*', 'localhost:4000', `http://127.0.0.1:${port}/posts/hello/`, 'http://evil.example/', 'https://localhost/%zz', '/%', '/%zz', '/%00', '/posts/hello/%00', '/a b', '/\u65e5', '/café', '') },
    { weight: 3, arbitrary: percentJunk },
    { weight: 2, arbitrary: encoded },
    { weight: 2, arbitrary: anyText(30) },
    { weight: 1, arbitrary: overLong },
  );
  const method = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('GET', 'HEAD') },
    { weight: 2, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'get', 'GÉT', 'G\0T', 'PRI', '') },
    { weight: 1, arbitrary: anyText(8) },
  );
  const version = fc.oneof({ weight: 6, arbitrary: fc.constant('HTTP/1.1') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', '', 'HTTP/1.1 x', 'HTTP/1.10') });
  const ownHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost', 'LocalHost.', '127.0.0.1'];
  const foreignHosts = ['evil.example', `evil.example:${port}`, 'localhost.evil.example', '127.0.0.1.nip.io', '192.168.1.5', '', ' '];
  const host = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ownHosts).map((h) => ({ line: h as string | null, foreign: false })) },
    { weight: 2, arbitrary: fc.constantFrom(...foreignHosts).map((h) => ({ line: h as string | null, foreign: true })) },
    { weight: 1, arbitrary: fc.constant({ line: null, foreign: false }) },
    { weight: 1, arbitrary: anyText(20).map((h) => ({ line: h as string | null, foreign: !ownHosts.includes(h) })) },
  );
  const header = fc.tuple(
    fc.oneof(fc.constantFrom('Accept', 'If-None-Match', 'Range', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Cookie', 'Expect', 'Upgrade', 'X-Forwarded-Host', 'Accept-Encoding'), anyText(10)),
    fc.oneof(fc.constantFrom('chunked', '0', '-1', '5', '999999999999999999999', '100-continue', 'websocket', 'upgrade', 'close', 'keep-alive', 'bytes=0-1', 'gzip'), anyText(20), fc.integer({ min: 100, max: 9000 }).map((n) => 'x'.repeat(n))),
  );
  const request = fc.record({
    method,
    target,
    version,
    host,
    headers: fc.array(header, { maxLength: 3 }),
    body: fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: anyText(20) }),
    valid: fc.boolean(),
    hangUp: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  });
  return fc.sample(request, { seed: SEED, numRuns: REQUESTS }).map((r): Case => {
    if (r.valid) {
      // A well-formed request between the junk: it must be answered exactly right.
      const path = Object.keys(VALID)[(r.hangUp ?? r.target.length) % Object.keys(VALID).length]!;
      const m = r.method === 'HEAD' ? 'HEAD' : 'GET';
      const h = ownHosts[r.target.length % ownHosts.length]!;
      return { bytes: Buffer.from(`${m} ${path} HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`), foreignHost: false, expect: VALID[path]! };
    }
    let head = `${r.method} ${r.target} ${r.version}\r\n`;
    if (r.host.line !== null) head += `Host: ${r.host.line}\r\n`;
    for (const [name, value] of r.headers) head += `${name}: ${value}\r\n`;
    const bytes = Buffer.from(`${head}Connection: close\r\n\r\n${r.body}`, 'utf8');
    const absolute = !r.target.startsWith('/');
    return { bytes, foreignHost: r.host.foreign && !absolute, ...(r.hangUp === null ? {} : { hangUpAfter: r.hangUp % (bytes.length + 1) }) };
  });
}

/** Sends part of a request and hangs up without waiting for an answer. */
function hangUp(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end(bytes, () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

test(`the dev server survives ${REQUESTS} fuzzed requests (seed ${SEED}) and still answers normally`, async (t) => {
  const uncaught: unknown[] = [];
  const monitor = (e: unknown) => uncaught.push(e);
  process.on('uncaughtExceptionMonitor', monitor);
  t.after(() => void process.off('uncaughtExceptionMonitor', monitor));
  const { server, port, logged } = await serveMemory(t, SITE);
  // Live-reload events go out all along, to event streams that open and vanish.
  let version = 1;
  const events = setInterval(() => server.send('reload', { version: ++version, urls: ['/'] }), 5);
  t.after(() => clearInterval(events));

  const all = cases(port);
  const problems: string[] = [];
  const statuses = new Map<number | string, number>();
  const show = (c: Case) => JSON.stringify(c.bytes.subarray(0, 160).toString('latin1'));
  const check = (c: Case, r: RawResponse | null) => {
    const key = r ? r.status : 'closed';
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (c.expect) {
      if (r?.status !== c.expect.status) problems.push(`${show(c)}: expected ${c.expect.status}, got ${key}`);
      else if (c.expect.location !== undefined && r.headers.location !== c.expect.location) problems.push(`${show(c)}: Location ${r.headers.location}`);
      return;
    }
    if (!r) return; // Node's parser may drop a connection it cannot make sense of: fine, as long as we live
    if (r.status >= 500) problems.push(`${show(c)}: ${r.status}`);
    if (r.headers.location !== undefined && !/^[\x21-\x7e]+$/.test(r.headers.location)) problems.push(`${show(c)}: Location not percent-encoded: ${JSON.stringify(r.headers.location)}`);
    // A request that reached us under a foreign Host gets nothing but a 403.
    if (c.foreignHost && [200, 302, 404, 405].includes(r.status)) problems.push(`${show(c)}: foreign Host answered ${r.status}`);
  };

  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const c = all[next++]!;
      if (c.hangUpAfter !== undefined) await hangUp(port, c.bytes.subarray(0, c.hangUpAfter));
      else check(c, await rawRequest(port, c.bytes));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  clearInterval(events);

  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  assert.deepEqual(logged, [], 'no request failed inside the server (500)');
  assert.deepEqual(uncaught, [], 'nothing escaped that would have stopped `npm run dev`');
  // The mix really reached the interesting places.
  for (const status of [200, 302, 400, 403, 404, 405, 431]) assert.ok((statuses.get(status) ?? 0) > 0, `no ${status} in ${JSON.stringify([...statuses])}`);

  // Afterwards, the dev server answers a normal browser request exactly as before.
  const page = await get(port, '/posts/hello/', `localhost:${port}`);
  assert.equal(page?.status, 200);
  assert.match(page.body.toString('utf8'), /<h1>Hello post<\/h1><script src="\/__quire\/client\.js" data-version="1"><\/script><\/body>/);
  const redirect = await get(port, '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E');
  assert.equal(redirect?.headers.location, '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/');
  const cjk = await get(port, redirect.headers.location);
  assert.equal(cjk?.status, 200);
  assert.match(cjk.body.toString('utf8'), /日本語 post/);
});
