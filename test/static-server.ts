/** A plain static file server for tests: serves a built `public/` folder under a path prefix, like a static host. */
import http from 'node:http';
import path from 'node:path';
import { readFile, stat } from 'node:fs/promises';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
  '.svg': 'image/svg+xml',
};

export async function serveStatic(root: string, prefix = '/'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const notFound = async () => {
      const body = await readFile(path.join(root, '404.html')).catch(() => Buffer.from('not found'));
      res.writeHead(404, { 'content-type': TYPES['.html']! }).end(body);
    };
    if (!pathname.startsWith(prefix) || pathname.includes('..')) return notFound();
    let file = path.join(root, pathname.slice(prefix.length));
    try {
      const st = await stat(file);
      if (st.isDirectory()) {
        if (!pathname.endsWith('/')) return void res.writeHead(301, { location: pathname + '/' }).end();
        file = path.join(file, 'index.html');
      }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      return notFound();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a browser's keep-alive connections would hold close() open
      }),
  };
}
