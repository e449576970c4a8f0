/**
 * The dev server: serves the session's in-memory output (never the disk), adds the live-reload
 * script to HTML responses, and pushes Server-Sent Events. Only paths that are keys of the
 * output map can be served, so `/../package.json` and friends are simply 404.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { CLIENT_PATH, CLIENT_SCRIPT, EVENTS_PATH } from './client.ts';

export interface ServerOptions {
  host: string;
  port: number;
  /** `/` or `/blog/`: the site is served under it (read per request: a config change may move it). */
  basePath: () => string;
  output: () => Map<string, string | Uint8Array>;
  /** Current build errors, formatted (empty when the build is good). */
  errors: () => string[];
  /** Increases with every rebuild that changed the output: a page built before it is stale. */
  version: () => number;
}

export interface DevServer {
  url: string;
  port: number;
  /** Sends an event to every open page. */
  send(event: 'state' | 'reload' | 'css', data: unknown): void;
  close(): Promise<void>;
}

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


/** Output path for a request path, or a redirect, or null (404). */
export function resolveRequest(pathname: string, basePath: string, has: (outPath: string) => boolean): { outPath: string } | { redirect: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (basePath !== '/' && (decoded === '/' || decoded === basePath.slice(0, -1))) return { redirect: basePath };
  if (!decoded.startsWith(basePath)) return null;
  const rel = decoded.slice(basePath.length);
  if (rel.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  if (rel === '' || rel.endsWith('/')) return has(rel + 'index.html') ? { outPath: rel + 'index.html' } : null;
  if (has(rel)) return { outPath: rel };
  if (has(rel + '/index.html')) return { redirect: basePath + rel + '/' };
  return null;
}

export async function startServer(options: ServerOptions): Promise<DevServer> {
  const clients = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === EVENTS_PATH) {
      // Events are small and must not wait for the previous one's ACK (Nagle's algorithm).
      req.socket.setNoDelay(true);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`retry: 500\nevent: state\ndata: ${JSON.stringify({ errors: options.errors(), version: options.version() })}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname === CLIENT_PATH) {
      res.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-store' }).end(CLIENT_SCRIPT);
      return;
    }
    const output = options.output();
    const target = resolveRequest(url.pathname, options.basePath(), (p) => output.has(p));
    if (target && 'redirect' in target) {
      res.writeHead(302, { location: target.redirect + url.search }).end();
      return;
    }
    const outPath = target ? target.outPath : '404.html';
    const status = target ? 200 : 404;
    const body = output.get(outPath);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': TYPES['.txt']! }).end('Not found\n');
      return;
    }
    const type = TYPES[path.extname(outPath)] ?? 'application/octet-stream';
    const payload = type.startsWith('text/html') ? injectClient(String(body), options.version()) : body;
    // Versioned assets (`style.css?v=…`) can be cached: a change gives them a new URL.
    const cache = !type.startsWith('text/html') && url.searchParams.has('v') ? 'max-age=3600' : 'no-store';
    res.writeHead(status, { 'content-type': type, 'cache-control': cache });
    res.end(req.method === 'HEAD' ? undefined : payload);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 20_000);
  keepAlive.unref();

  const port = await listen(server, options.host, options.port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}${options.basePath()}`,
    port,
    send(event, data) {
      const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const c of clients) c.write(message);
    },
    close() {
      clearInterval(keepAlive);
      for (const c of clients) c.end();
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
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
