/** Types of scripts/dist.js (plain JavaScript: it runs before anything is compiled), for the TypeScript that imports it. */
export declare const ROOT: string;
export declare function sourceDigest(root?: string): string;
export declare function distState(root?: string): 'fresh' | 'stale' | 'missing' | 'compiled-only';
export declare function ensureDist(options?: { root?: string; log?: (line: string) => void }): string | null;
export declare function compile(options?: { root?: string; log?: (line: string) => void; reason?: string; onlyIfStale?: boolean }): string | null;
/** The folder of dist/ that runs: cli.js, build.js, pool.js and post-worker.js, bundled. */
export declare const BUNDLE: string;
/** The file URL of the module a command runs: dist/bundle/cli.js, or dist/cli.js when dist/ could not be bundled. */
export declare function entryPoint(root?: string): string;
