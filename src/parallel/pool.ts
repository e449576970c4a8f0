/**
 * Parallel per-file stages: content files (their bytes, read once by the main thread) are handed
 * out in chunks to worker threads, each running the same `processPostFile` as the main thread.
 * Results come back in input order, so the output is the same for any number of workers.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PostEntry, WorkerInit } from '../content/process.ts';
import type { RawFile } from '../content/load.ts';

/** One worker per core the process may use. */
export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism());
}

/** Below this many files to process, starting workers (~0.4 s each) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 200;

/**
 * A worker running `post-worker`. Compiled (dist/, what `quire` runs) it is plain JavaScript, loaded
 * as it is. From the TypeScript sources (the tests, through tsx) the worker must register tsx
 * itself first, as Node 20 does not pass the main thread's loader hooks to workers: that is what
 * `worker-entry.mjs` does.
 */
function startWorker(init: WorkerInit): Worker {
  // A larger young generation: markdown parsing makes many short-lived objects.
  const resourceLimits = { maxYoungGenerationSizeMb: 48 };
  if (import.meta.url.endsWith('.js')) return new Worker(new URL('./post-worker.js', import.meta.url), { workerData: { init }, resourceLimits });
  const module = new URL('./post-worker.ts', import.meta.url).href;
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module, init }, resourceLimits });
}

interface Reply {
  id: number;
  entries?: PostEntry[];
  error?: string;
}

/** Runs the per-file stages for `files` on `count` worker threads. */
export async function processInWorkers(files: RawFile[], init: WorkerInit, count: number): Promise<PostEntry[]> {
  const out: PostEntry[] = new Array(files.length);
  const chunk = Math.max(4, Math.min(64, Math.ceil(files.length / (count * 16))));
  const chunks: number[] = [];
  for (let i = 0; i < files.length; i += chunk) chunks.push(i);
  let next = 0;
  const workers = Array.from({ length: Math.min(count, chunks.length) }, () => startWorker(init));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let busy = false; // a chunk is out with this worker
            const send = () => {
              if (next >= chunks.length) return resolve();
              const id = next++;
              const start = chunks[id]!;
              busy = true;
              worker.postMessage({ id, files: files.slice(start, start + chunk) });
            };
            worker.on('message', (reply: Reply) => {
              busy = false;
              if (reply.error !== undefined) return reject(new Error(`worker failed: ${reply.error}`));
              const start = chunks[reply.id]!;
              reply.entries!.forEach((e, k) => (out[start + k] = e));
              send();
            });
            worker.once('error', reject);
            // A worker gone while it holds a chunk, or while chunks are left, would leave holes.
            worker.once('exit', (code) => (busy || next < chunks.length ? reject(new Error(`worker exited with code ${code}`)) : undefined));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
