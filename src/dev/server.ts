/**
 * Over 250 lines: request parsing, the Host check and SSE are one defensive unit (no request may stop the server).
 *
 * The dev server: serves the session's in-memory output (never the disk), adds the live-reload
 * script to HTML responses, and pushes Server-Sent Events. Only paths that are keys of the
 * output map can be served, so `/../package.json` and friends are simply 404. No request stops
 * it: a malformed target is a 400, a Host that does not name this machine a 403, and anything
 * that throws while answering is a 500 for that request alone.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { CLIENT_PATH, CLIENT_SCRIPT, EVENTS_PATH } from './client.ts';

export interface ServerOptions {
  /** The address to bind (the --host given). Also decides which Host headers are answered: see hostAllowed. */
  host: string;
  port: number;
  /** `/` or `/blog/`: the site is served under it (read per request: a config change may move it). */
  basePath: () => string;
  output: () => Map<string, string | Uint8Array>;
  /** Current build errors, formatted (empty when the build is good). */
  errors: () => string[];
  /** Increases with every rebuild that changed the output: a page built before it is stale. */
  version: () => number;
  /** Where a request that failed (answered 500) is reported, once per request. Default: console.error. */
  log?: (line: string) => void;
}

export interface DevServer {
  url: string;
  port: number;
  /** Sends an event to every open page. */
  send(event: 'state' | 'reload' | 'css', data: unknown): void;
  /**
   * Sends a `reload` event to every open page: these outputs changed (`data.urls` are their
   * URLs). A page showing one of them gets its new HTML in the event (`html`, as a request for it
   * would be answered), and swaps it in without asking for it. Returns the outputs sent that way.
   */
  reload(data: { version: number; urls: string[]; moved: Record<string, string> }, outPaths: string[]): Set<string>;
  /**
   * Resolves once one of these outputs has been answered (an open page fetched its new version),
   * after `maxMs`, or at once when no open page may ask for one: every open page named itself, and
   * none shows one of them, or the last `reload` sent it its new HTML. The dev build waits for it
   * before its synchronous site-wide stages, so the page's request is not kept waiting behind them.
   */
  answered(outPaths: string[], maxMs: number): Promise<void>;
  /** The output paths of the pages open in a browser now (each page's event stream names it). */
  openPages(): string[];
  close(): Promise<void>;
}

/** Served where there is no page at all (nothing could be built yet). */
const PLACEHOLDER = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Quire dev server</title></head><body><main><h1>Nothing to show here yet</h1><p>This page could not be built. The errors are listed in the overlay and in the terminal; this page reloads when they are fixed.</p></main></body></html>\n';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};


/** Output path for a request path (as sent: percent-encoded), or a redirect (its Location, percent-encoded), or null (404). */
export function resolveRequest(pathname: string, basePath: string, has: (outPath: string) => boolean): { outPath: string } | { redirect: string } | null {
  const decoded = decode(pathname);
  if (decoded === null || decoded.includes('\0') || decoded.includes('\\')) return null;
  // The config's base path may be written either way (`/caf%C3%A9/` from a URL, `/café/` by hand).
  const base = decode(basePath) ?? basePath;
  if (base !== '/' && (decoded === '/' || decoded === base.slice(0, -1))) return { redirect: encodePath(base) };
  if (!decoded.startsWith(base)) return null;
  const rel = decoded.slice(base.length);
  // Output paths never have empty segments: `//etc/passwd` names nothing we wrote.
  if (rel.startsWith('/') || rel.includes('//') || rel.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  if (rel === '' || rel.endsWith('/')) return has(rel + 'index.html') ? { outPath: rel + 'index.html' } : null;
  if (has(rel)) return { outPath: rel };
  if (has(rel + '/index.html')) return { redirect: encodePath(base + rel + '/') };
  return null;
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** Characters a path segment may hold as they are (RFC 3986 pchar); everything else is %XX of its UTF-8 bytes. */
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

/**
 * Percent-encodes a decoded path for a Location header. Node refuses to send a header with
 * characters above U+00FF (ERR_INVALID_CHAR) and sends U+0080–U+00FF as Latin-1 bytes, which
 * browsers do not read as the UTF-8 the page was written under (the issue: `/posts/日本` killed dev,
 * `/posts/café` redirected to a 404). Never throws, even on a lone surrogate.
 */
export function encodePath(decoded: string): string {
  return decoded
    .split('/')
    .map((seg) => [...seg].map((ch) => (PCHAR.test(ch) ? ch : percent(ch))).join(''))
    .join('/');
}

function percent(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/**
 * Path and query of a request target, or null when it names no page (a 400). Origin-form
 * (`/a?b`) is taken as sent, without `new URL()`: that parser reads `//[/` as a broken host and
 * throws. Absolute-form (`http://host/a`), which HTTP/1.1 servers must accept, also gives its
 * authority, which then stands in for the Host header (RFC 9112 §3.2.2). `*`, `host:port` and
 * unparsable URLs (`http://[`) are null.
 */
export function parseTarget(target: string): { pathname: string; search: string; authority?: string } | null {
  if (!target.startsWith('/')) {
    if (!/^https?:\/\//i.test(target)) return null;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return null;
    }
    return { pathname: url.pathname, search: url.search, authority: url.host };
  }
  const hash = target.indexOf('#'); // never sent by browsers; not part of the path
  const rest = hash === -1 ? target : target.slice(0, hash);
  const q = rest.indexOf('?');
  // Node's parser already refuses raw spaces, control and non-ASCII bytes in a target; encoding
  // what is left outside printable ASCII keeps the query safe to echo into a Location header anyway.
  const search = q === -1 ? '' : rest.slice(q).replace(/[^\x21-\x7e]/gu, percent);
  return { pathname: q === -1 ? rest : rest.slice(0, q), search };
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether a request with this Host header is answered by a server bound to `bound` (the --host
 * given). A web page the author visits could point its own domain at 127.0.0.1 (DNS rebinding)
 * and read the dev site, drafts included; its requests still say `Host: evil.example`. So only
 * names of the bound address are answered: localhost, 127.0.0.1, [::1] and `bound` itself, with
 * any port. Bound to every interface (0.0.0.0 or ::), the author asked to be reached from other
 * devices under names we cannot know (a LAN address, `laptop.local`), so any Host is answered.
 * A request without Host comes from no browser (HTTP/1.1 browsers always send it, and Node
 * answers an HTTP/1.1 request without one with 400), so it cannot be a rebinding page: allowed.
 */
export function hostAllowed(host: string | undefined, bound: string): boolean {
  if (isWildcard(bound)) return true;
  if (host === undefined) return true;
  const name = canonicalHost(host, true);
  if (name === null) return false;
  const boundName = canonicalHost(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound, false);
  return LOOPBACK.includes(name) || name === boundName;
}

function isWildcard(bound: string): boolean {
  const b = bound.replace(/^\[(.*)\]$/, '$1');
  return b === '0.0.0.0' || (b.includes(':') && /^[0:]+$/.test(b));
}

/** `Host` value → lower-case host name without port and trailing dot (`[::1]` stays bracketed), or null if it is not one. */
function canonicalHost(value: string, portAllowed: boolean): string | null {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:\d{0,5})?$/.exec(value.trim());
  if (!m || (m[2] && !portAllowed)) return null;
  try {
    // The WHATWG parser gives the form browsers send: lower case, `127.1` → `127.0.0.1`,
    // `[0:0::1]` → `[::1]`.
    return new URL(`http://${m[1]}/`).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
}

export async function startServer(options: ServerOptions): Promise<DevServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  /**
   * Each open page's event stream: the output path of the page (null: not one of ours), and the
   * output whose HTML the last `reload` sent it (null: none).
   */
  const clients = new Map<http.ServerResponse, { page: string | null; sent: string | null }>();
  /** Outputs someone waits to see answered (`answered`), each with its waiters. */
  const awaited = new Map<string, Set<() => void>>();
  const sockets = new Set<Socket>();
  const failed = new WeakSet<http.ServerResponse>();
  /** A request whose answer threw: a 500 (if nothing was sent yet), logged once; the server goes on. */
  const fail = (req: http.IncomingMessage, res: http.ServerResponse, error: unknown) => {
    if (failed.has(res)) return;
    failed.add(res);
    const what = error instanceof Error ? (error.stack ?? error.message) : String(error);
    try {
      log(`dev server: ${JSON.stringify(req.method)} ${JSON.stringify(req.url)} failed (500): ${what}`);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': TYPES['.txt']!, 'cache-control': 'no-store' }).end('Internal error in the dev server; see the terminal.\n');
    } catch {
      res.destroy();
    }
  };

  /** An HTML page as served: with the live-reload script. */
  const pageHtml = (body: string | Uint8Array) => injectClient(typeof body === 'string' ? body : new TextDecoder().decode(body), options.version());

  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const target = parseTarget(req.url ?? '');
    const host = target?.authority ?? req.headers.host;
    if (!hostAllowed(host, options.host)) {
      const shown = JSON.stringify(String(host).slice(0, 100));
      res.writeHead(403, { 'content-type': TYPES['.txt']!, 'cache-control': 'no-store' }).end(
        `Forbidden: this dev server only answers requests addressed to localhost, 127.0.0.1, [::1] or the --host it was started with, not ${shown}.\n` +
          'That stops other web sites from reading your drafts through a domain that points at this machine (DNS rebinding).\n' +
          'To reach it from another device, start it with --host 0.0.0.0.\n',
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!target) {
      res.writeHead(400, { 'content-type': TYPES['.txt']! }).end('Bad request: the request target is not a path.\n');
      return;
    }
    if (target.pathname === EVENTS_PATH) {
      const headers = { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' };
      if (req.method === 'HEAD') {
        res.writeHead(200, headers).end();
        return;
      }
      // Events are small and must not wait for the previous one's ACK (Nagle's algorithm).
      req.socket.setNoDelay(true);
      res.writeHead(200, headers);
      res.write(`retry: 500\nevent: state\ndata: ${JSON.stringify({ errors: options.errors(), version: options.version() })}\n\n`);
      const page = new URLSearchParams(target.search).get('page');
      const shown = page === null ? null : resolveRequest(page, options.basePath(), (p) => options.output().has(p));
      clients.set(res, { page: shown && 'outPath' in shown ? shown.outPath : null, sent: null });
      res.on('close', () => clients.delete(res));
      return;
    }
    if (target.pathname === CLIENT_PATH) {
      res.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : CLIENT_SCRIPT);
      return;
    }
    const output = options.output();
    const resolved = resolveRequest(target.pathname, options.basePath(), (p) => output.has(p));
    if (resolved && 'redirect' in resolved) {
      res.writeHead(302, { location: resolved.redirect + target.search }).end();
      return;
    }
    const outPath = resolved ? resolved.outPath : '404.html';
    const status = resolved ? 200 : 404;
    const body = output.get(outPath);
    if (body === undefined) {
      // No page here, and no 404 page (a first build with errors): a page that shows the errors
      // in the overlay and reloads by itself once they are fixed.
      res.writeHead(404, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : injectClient(PLACEHOLDER, options.version()));
      return;
    }
    const type = TYPES[path.extname(outPath)] ?? 'application/octet-stream';
    const payload = type.startsWith('text/html') ? pageHtml(body) : body;
    // Versioned assets (`style.css?v=…`) can be cached: a change gives them a new URL.
    const cache = !type.startsWith('text/html') && new URLSearchParams(target.search).has('v') ? 'max-age=3600' : 'no-store';
    res.writeHead(status, { 'content-type': type, 'cache-control': cache });
    res.end(req.method === 'HEAD' ? undefined : payload);
    for (const done of awaited.get(outPath) ?? []) done();
  };

  const server = http.createServer((req, res) => {
    // A write that fails later (the client went away mid-answer) must not become an uncaught error.
    res.on('error', (e) => fail(req, res, e));
    try {
      answer(req, res);
    } catch (e) {
      fail(req, res, e);
    }
  });
  // Malformed requests Node's parser refuses (raw non-ASCII or control bytes in the target, bad
  // headers) get its own 400 from the default 'clientError' handling, before reaching us.
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const keepAlive = setInterval(() => {
    for (const c of clients.keys()) write(c, ': keep-alive\n\n');
  }, 20_000);
  keepAlive.unref();

  const port = await listen(server, options.host, options.port);
  // After listening, a server error (say, out of file descriptors on accept) is reported, not fatal.
  server.on('error', (e) => log(`dev server: ${e.message}`));
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}${options.basePath()}`,
    port,
    send(event, data) {
      const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const c of clients.keys()) write(c, message);
    },
    reload(data, outPaths) {
      const changed = new Set(outPaths);
      const plain = `event: reload\ndata: ${JSON.stringify(data)}\n\n`;
      const withHtml = new Map<string, string>(); // made once per page, however many tabs show it
      for (const [c, client] of clients) {
        const page = client.page;
        const body = page !== null && changed.has(page) && path.extname(page) === '.html' ? options.output().get(page) : undefined;
        client.sent = body === undefined ? null : page;
        if (body === undefined) {
          write(c, plain);
          continue;
        }
        let message = withHtml.get(page!);
        if (message === undefined) withHtml.set(page!, (message = `event: reload\ndata: ${JSON.stringify({ ...data, html: pageHtml(body) })}\n\n`));
        write(c, message);
      }
      return new Set(withHtml.keys());
    },
    answered(outPaths, maxMs) {
      if (outPaths.length === 0) return Promise.resolve();
      const wanted = new Set(outPaths);
      const mayAsk = [...clients.values()].some(({ page, sent }) => page === null || (wanted.has(page) && sent !== page));
      if (!mayAsk) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          for (const p of outPaths) awaited.get(p)?.delete(done);
          resolve();
        };
        const timer = setTimeout(done, maxMs);
        for (const p of outPaths) {
          if (!awaited.has(p)) awaited.set(p, new Set());
          awaited.get(p)!.add(done);
        }
      });
    },
    openPages() {
      return [...new Set([...clients.values()].flatMap(({ page }) => (page === null ? [] : [page])))];
    },
    close() {
      clearInterval(keepAlive);
      for (const c of clients.keys()) c.end();
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Writes to an event stream unless it has ended (a write after end is an uncaught error), and
 * sends it now: Node holds a response's writes (corks its socket) until the next tick, and an
 * event announcing an edited page is followed by the rebuild's synchronous site-wide steps, which
 * would hold it back by hundreds of milliseconds.
 */
function write(c: http.ServerResponse, message: string): void {
  if (c.writableEnded || c.destroyed) return;
  c.write(message);
  c.socket?.uncork();
}

/** Adds the live-reload script before `</body>` (or at the end), with the output version it shows. */
export function injectClient(html: string, version: number): string {
  const tag = `<script src="${CLIENT_PATH}" data-version="${version}"></script>`;
  const at = html.lastIndexOf('</body>');
  return at === -1 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}

/** Listens on `port`, or the next free one (up to 20 further). */
async function listen(server: http.Server, host: string, port: number): Promise<number> {
  for (let p = port; p < port + 21; p++) {
    const result = await new Promise<number | 'busy'>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (e.code === 'EADDRINUSE' || e.code === 'EACCES') resolve('busy');
        else reject(e);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as { port: number }).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, host);
    });
    if (result !== 'busy') return result;
    if (port === 0) break;
  }
  throw new Error(`no free port from ${port} to ${port + 20}; pass --port`);
}
