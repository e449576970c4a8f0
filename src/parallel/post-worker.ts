/** A worker thread of the pool in `pool.ts`: runs the per-file stages for chunks of files. */
import { parentPort, workerData } from 'node:worker_threads';
import { fileContext, processPostFile, type WorkerInit } from '../content/process.ts';
import type { RawFile } from '../content/load.ts';

const ctx = fileContext((workerData as { init: WorkerInit }).init);

parentPort!.on('message', async ({ id, files }: { id: number; files: RawFile[] }) => {
  try {
    const entries = [];
    for (const file of files) entries.push(await processPostFile(ctx, file));
    parentPort!.postMessage({ id, entries });
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).stack ?? String(e) });
  }
});
