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

/** Below this many files to process, starting workers (~0.25 s each) costs more than it saves... */
export const MIN_FILES_FOR_WORKERS = 200;
/**
 * ...unless they are long: a megabyte of markdown is about two seconds of parsing on one thread,
 * and workers parse long posts with a larger young generation (see youngGenerationMb), which the
 * main thread cannot be given.
 */
export const MIN_BYTES_FOR_WORKERS = 1 << 20;

/**
 * A worker running `post-worker`. Compiled (dist/, what `quire` runs) it is plain JavaScript: run
 * from `dist/bundle/` (see scripts/dist.js), the `./post-worker.js` beside this code is the
 * one-file bundle of it and all it imports (a worker loads one module instead of some 300, and has
 * its first post done ~0.14 s sooner); from the unbundled `dist/parallel/`, the module itself.
 * From the TypeScript sources (the tests, through tsx) the worker must register tsx itself first,
 * as Node 20 does not pass the main thread's loader hooks to workers: that is what
 * `worker-entry.mjs` does.
 */
function startWorker(init: WorkerInit, youngMb: number): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: youngMb };
  if (import.meta.url.endsWith('.js')) return new Worker(new URL('./post-worker.js', import.meta.url), { workerData: { init }, resourceLimits });
  const module = new URL('./post-worker.ts', import.meta.url).href;
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module, init }, resourceLimits });
}

interface Reply {
  id: number;
  entries?: PostEntry[];
  error?: string;
}

/**
 * Work units for the pool: indices of `files`, largest first, in chunks of about `budget` bytes.
 * Posts differ in size by a thousand times (a release note of 300 KB beside notes of 3 KB): handed
 * out in file order, one chunk holding a few release notes can keep one worker busy seconds after
 * the other has finished. Largest first, in chunks of about equal bytes, the last chunks hold the
 * smallest posts and both workers finish within moments of each other.
 */
export function chunksBySize(sizes: number[], count: number): number[][] {
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const total = sizes.reduce((a, b) => a + b, 0);
  // About 16 chunks per worker, so chunk round-trips stay few; at most 64 files per chunk.
  const budget = Math.max(1, total / (count * 16));
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const i of order) {
    current.push(i);
    bytes += sizes[i]!;
    if (bytes >= budget || current.length >= 64) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * The young generation of each worker's heap, by the largest post it may get. Markdown parsing
 * makes many short-lived objects; a long post's syntax tree and micromark's events live through
 * many scavenges, and with a small young generation they are copied into the old generation and
 * collected there, which is slow. Measured on the link-dense bench corpus (300 posts, release
 * notes up to 250 KB; cold, 2 workers): 48 MB 17.6–18.8 s and 28–30 s of user CPU, 96 MB
 * 14.8–15.7 s and 22.8–24.3 s, 192 MB no better and 200 MB more memory. On short posts a larger
 * young generation gains nothing (4,000 generated posts: 22.1 s either way) and costs memory.
 */
export function youngGenerationMb(largestPostBytes: number): number {
  return largestPostBytes > 64 * 1024 ? 96 : 48;
}

/** A file for the workers: its size, and its bytes when its chunk is sent (or its entry, when it cannot be read then). */
export interface WorkFile {
  size: number;
  load(): Promise<RawFile | PostEntry>;
}

/**
 * Runs the per-file stages for `files` on `count` worker threads; entries come back in the order of
 * `files`, and each is given to `onEntry` (with its index in `files`) as soon as it is made. A
 * file's bytes are loaded when its chunk is sent, and not held once sent.
 */
export async function processInWorkers(files: WorkFile[], init: WorkerInit, count: number, onEntry?: (index: number, entry: PostEntry) => void): Promise<PostEntry[]> {
  const out: PostEntry[] = new Array(files.length);
  const chunks = chunksBySize(files.map((f) => f.size), count);
  let next = 0;
  const largest = files.reduce((max, f) => Math.max(max, f.size), 0);
  const workers = Array.from({ length: Math.min(count, chunks.length) }, () => startWorker(init, youngGenerationMb(largest)));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let busy = false; // a chunk is out with this worker (or being loaded for it)
            /** Which files of each chunk went to the worker (the others could not be read: their entries are made). */
            const sent = new Map<number, number[]>();
            const send = async () => {
              if (next >= chunks.length) return resolve();
              const id = next++;
              busy = true;
              const loaded = await Promise.all(chunks[id]!.map((i) => files[i]!.load()));
              const indices: number[] = [];
              const raws: RawFile[] = [];
              loaded.forEach((l, k) => {
                const i = chunks[id]![k]!;
                if ('bytes' in l) (indices.push(i), raws.push(l));
                else (out[i] = l), onEntry?.(i, l);
              });
              if (!raws.length) return send();
              sent.set(id, indices);
              worker.postMessage({ id, files: raws });
            };
            const sendOrFail = () => void send().catch(reject);
            worker.on('message', (reply: Reply) => {
              busy = false;
              if (reply.error !== undefined) return reject(new Error(`worker failed: ${reply.error}`));
              const indices = sent.get(reply.id)!;
              sent.delete(reply.id);
              reply.entries!.forEach((e, k) => {
                out[indices[k]!] = e;
                onEntry?.(indices[k]!, e);
              });
              sendOrFail();
            });
            worker.once('error', reject);
            // A worker gone while it holds a chunk, or while chunks are left, would leave holes.
            worker.once('exit', (code) => (busy || next < chunks.length ? reject(new Error(`worker exited with code ${code}`)) : undefined));
            sendOrFail();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
