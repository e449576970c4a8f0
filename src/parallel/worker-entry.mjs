// Only when running the TypeScript sources (tests, through tsx): worker threads do not inherit the
// main thread's `--import tsx` hooks on Node 20, so the worker registers tsx itself before loading
// its TypeScript module. The compiled code (dist/) starts post-worker.js directly (see pool.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
