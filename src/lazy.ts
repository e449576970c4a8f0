/**
 * Libraries loaded on first use instead of at start. A build with nothing to do (the commonest
 * `npm run build` of a deploy) parses no post and compiles no template: loading the YAML, TOML,
 * front-matter and template libraries up front was about 150 ms of its 0.8 s.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The package's CommonJS exports, loaded the first time it is asked for. */
export function loadOnFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

/** A package of functions and classes (`YAML.parseDocument`, `new YAML.LineCounter()`) that loads when one is first taken. */
export function onFirstUse<T extends object>(id: string): T {
  const load = loadOnFirstUse<T>(id);
  return new Proxy({} as T, { get: (_target, key) => Reflect.get(load() as object, key) });
}

/**
 * Modules inside a package, by their path in it (`lib/common.js`), without its entry point: for a
 * package whose entry point loads much more than we use. Null when the package is laid out
 * otherwise (another version): the caller falls back to the entry point.
 */
export function packageModules(id: string, files: string[]): Record<string, unknown>[] | null {
  try {
    const dir = path.dirname(require.resolve(id));
    return files.map((f) => require(path.join(dir, f)) as Record<string, unknown>);
  } catch {
    return null;
  }
}
