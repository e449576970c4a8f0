/** Test helpers for the dev server: start it on an in-memory site, and talk raw HTTP to it. */
import net from 'node:net';
import { startServer, type DevServer, type ServerOptions } from '../src/dev/server.ts';

/** Starts the dev server on 127.0.0.1 (a free port) serving `files`; closed after the test. */
export async function serveMemory(
  t: { after: (fn: () => Promise<void>) => void },
  files: Record<string, string | Uint8Array>,
  options: Partial<ServerOptions> = {},
): Promise<{ server: DevServer; port: number; logged: string[] }> {
  const output = new Map(Object.entries(files));
  const logged: string[] = [];
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    basePath: () => '/',
    output: () => output,
    errors: () => [],
    version: () => 1,
    log: (line) => logged.push(line),
    ...options,
  });
  t.after(() => server.close());
  return { server, port: server.port, logged };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends `request` exactly as given (bytes Node's own client refuses to send included) to
 * 127.0.0.1:`port` and reads one response. Resolves null when the server closes the connection
 * without answering. An event stream resolves as soon as its headers arrive.
 */
export function rawRequest(port: number, request: string | Uint8Array, timeoutMs = 5000): Promise<RawResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (value: RawResponse | null, error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(null, new Error(`no answer in ${timeoutMs} ms to ${JSON.stringify(String(request).slice(0, 200))}`)), timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      const parsed = parse(data, false);
      if (parsed) finish(parsed);
    });
    socket.on('end', () => finish(parse(data, true)));
    // The server may close on a request it refused while we are still writing (EPIPE, ECONNRESET).
    socket.on('error', () => finish(parse(data, true)));
  });
}

/** One response out of `data`, or null while it is incomplete (or, at end of stream, absent). */
function parse(data: Buffer, ended: boolean): RawResponse | null {
  const head = data.indexOf('\r\n\r\n');
  if (head === -1) return null;
  const lines = data.subarray(0, head).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
  if (!status) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0])}`);
  if (status < 200) return parse(data.subarray(head + 4), ended); // `100 Continue` comes first
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(head + 4);
  if (headers['content-type'] === 'text/event-stream') return { status, headers, body: rest };
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    return rest.length >= length ? { status, headers, body: rest.subarray(0, length) } : null;
  }
  if (headers['transfer-encoding'] === 'chunked') {
    const body = dechunk(rest);
    if (body) return { status, headers, body };
    return ended ? { status, headers, body: rest } : null;
  }
  return ended ? { status, headers, body: rest } : null;
}

function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol === -1) return null;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    if (data.length < eol + 2 + size + 2) return null;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** `GET target` with the given Host (none when null), as HTTP/1.1 unless a version is given. */
export function get(port: number, target: string, host: string | null = `127.0.0.1:${port}`, version = '1.1'): Promise<RawResponse | null> {
  return rawRequest(port, `GET ${target} HTTP/${version}\r\n${host === null ? '' : `Host: ${host}\r\n`}Connection: close\r\n\r\n`);
}
