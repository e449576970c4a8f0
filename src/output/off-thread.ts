/**
 * Writes files from a worker thread. A build that renders thousands of pages (a template changed,
 * a first build) writes each into the staging folder as it renders. Through libuv's thread pool,
 * each file is three round trips (open, write, close), and on these virtual machines the main
 * thread spent about 0.37 s dispatching them and 0.67 s waiting for them in a 4,000-page build.
 * Here the main thread hands files over in batches to one worker that writes them with plain
 * synchronous calls on the other core, while this one goes on rendering.
 *
 * Bytes in a `SharedArrayBuffer` (the slab encoder's, see slab.ts) reach the worker without a
 * copy; others are copied (exactly their own bytes, never the rest of a larger buffer they view).
 * Used only on the real disk (`WriteOptions.offThread`): an `Fs` of a test sees every write.
 */
import { Worker } from 'node:worker_threads';

/** The worker: plain JavaScript run from this text, so it is the same from the sources, dist/ or the bundle. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
parentPort.on('message', (batch) => {
  const errors = batch.map(([file, contents]) => {
    try {
      writeFileSync(file, contents);
      return null;
    } catch (e) {
      return { message: String(e && e.message || e), code: e && e.code };
    }
  });
  parentPort.postMessage(errors);
});
`;

/** Files handed over in one message at most. */
const BATCH = 16;

export interface OffThreadWriter {
  /** Writes (creates or replaces) `file`; resolves once it is written. The bytes must not change until then. */
  write(file: string, contents: string | Uint8Array): Promise<void>;
  /** Stops the worker; writes not yet done fail. */
  close(): Promise<void>;
}

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

export function offThreadWriter(): OffThreadWriter {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  let batch: [string, string | Uint8Array][] = [];
  let waiting: Pending[] = [];
  /** The batches sent, oldest first: the worker answers each in turn. */
  const sent: Pending[][] = [];
  let flushing = false;
  let gone: Error | null = null;
  const failAll = (e: Error) => {
    gone ??= e;
    for (const p of [...sent.flat(), ...waiting]) p.reject(e);
    sent.length = 0;
    (batch = []), (waiting = []);
  };
  worker.on('message', (errors: ({ message: string; code?: string } | null)[]) => {
    const batchSent = sent.shift() ?? [];
    errors.forEach((e, i) => (e ? batchSent[i]?.reject(Object.assign(new Error(e.message), { code: e.code })) : batchSent[i]?.resolve()));
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the file-writing thread stopped')));
  const flush = () => {
    flushing = false;
    if (!batch.length) return;
    worker.postMessage(batch);
    sent.push(waiting);
    (batch = []), (waiting = []);
  };
  return {
    write(file, contents) {
      if (gone) return Promise.reject(gone);
      return new Promise<void>((resolve, reject) => {
        batch.push([file, ownBytes(contents)]);
        waiting.push({ resolve, reject });
        if (batch.length >= BATCH) flush();
        else if (!flushing) (flushing = true), queueMicrotask(flush); // the files queued in this turn go together
      });
    },
    async close() {
      flush();
      await worker.terminate();
    },
  };
}

/** What is sent: shared bytes and strings as they are, other bytes copied when they are part of a larger buffer (which would be copied whole). */
function ownBytes(contents: string | Uint8Array): string | Uint8Array {
  if (typeof contents === 'string' || contents.buffer instanceof SharedArrayBuffer || contents.byteLength === contents.buffer.byteLength) return contents;
  return new Uint8Array(contents);
}
