/**
 * Libraries loaded on first use instead of at start. A build with nothing to do (the commonest
 * `npm run build` of a deploy) parses no post and compiles no template: loading the YAML, TOML,
 * front-matter and template libraries up front was about 150 ms of its 0.8 s.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Packages that scripts/dist.js bundles whole into one file beside the bundled code
 * (`dist/bundle/<id>.cjs`): running from there, that file is loaded instead of the package's dozens
 * of modules.
 */
const BUNDLED = new Set(['handlebars', 'yaml', 'gray-matter']);
/** Parts of packages bundled the same way, never in the package's place: lowlight's `createLowlight` and common grammars (see markdown/render.ts lowlightModules). */
const BUNDLED_PARTS = new Set(['lowlight']);

/** The package's CommonJS exports, loaded the first time it is asked for (from its bundle, where there is one). */
export function loadOnFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require((BUNDLED.has(id) && bundled(id)) || id) as T);
}

/** The exports of package `id`'s one-file bundle (whole or a part) beside this code, or null when there is none. */
export function loadBundled(id: string): Record<string, unknown> | null {
  const file = BUNDLED.has(id) || BUNDLED_PARTS.has(id) ? bundled(id) : undefined;
  return file ? (require(file) as Record<string, unknown>) : null;
}

/** The one-file bundle of `id` beside this code, or undefined (not bundled: the sources, or dist/ unbundled). */
function bundled(id: string): string | undefined {
  const file = fileURLToPath(new URL(`./${id}.cjs`, import.meta.url));
  return existsSync(file) ? file : undefined;
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
