/**
 * Quire runs as JavaScript compiled once from `src/` into `dist/` with the project's own
 * TypeScript (`tsc -p tsconfig.build.json`), never through a TypeScript loader. This module keeps
 * `dist/` honest: it is compiled on `npm install` / `npm ci` (the `prepare` script runs this file),
 * and `bin/quire.js` checks before every command that `dist/` was compiled from the `src/` that is
 * there now, compiling it again when not (after a `git pull`, or an edit to `src/`), so a stale
 * `dist/` never runs silently.
 *
 * Plain JavaScript with no dependencies: it must run before anything is compiled.
 *
 * The compiled modules are then bundled with esbuild into `dist/bundle/`, which is what runs:
 * - `cli.js`, `build.js` and `pool.js` (the last for bench/worker-start.mjs): our ~70 modules in a
 *   few files. The parts loaded on demand (the markdown stage, the dev server) are files of their
 *   own, still loaded on demand; packages still load from `node_modules`. A command starts ~30 ms
 *   sooner.
 * - `post-worker.js`: the worker threads' module with everything it imports, remark and micromark
 *   included (~300 modules, one file). A worker has its first post done ~0.14 s sooner.
 * - `handlebars.cjs`, `yaml.cjs` and `gray-matter.cjs`: packages loaded on first use, each in one
 *   file, which `src/lazy.ts` loads in their place when they are there: Handlebars (~35 CommonJS
 *   modules) in ~14 ms instead of ~40; yaml (74 modules) in ~11 ms instead of ~35. `lowlight.cjs`:
 *   lowlight's `createLowlight` and its 37 common grammars (ES modules, each resolved and compiled
 *   on its own), a part of the package that the highlighter takes when it is there.
 * Each bundled file sits one folder below `dist/`, as the modules it holds did, so what the code
 * finds relative to itself (`import.meta`) is the same, and the bundled worker pool finds the
 * worker bundle beside it as `./post-worker.js`. Where esbuild cannot run (not installed, no
 * binary for the platform), compiling says so and the modules as tsc wrote them run instead
 * (`entryPoint`): slower to start, the same site.
 *
 * `dist/.source-digest` holds the digest of what `dist/` was compiled from: every file under `src/`
 * (path and bytes), both tsconfig files, the compiler's version, and the installed packages (npm's
 * record of `node_modules`, since the bundle holds copies of them). So that the check costs
 * next to nothing, `dist/.source-stat` records those files' sizes and mtimes: while they are all
 * exactly as recorded, nothing is hashed; when any differs (an edit, a pull, a touch, an mtime set
 * back), the contents are hashed and compared, so it is the contents that decide. Only an edit
 * that keeps a file's size and sets its mtime back to the recorded one, to the fraction of a
 * millisecond, would go unseen (as with git's own index).
 *
 * Compiling writes into a temporary folder that replaces `dist/` by renames, under a lock file,
 * so two commands started at once (parallel test files, a build while `npm install` runs) neither
 * compile on top of each other nor run a half-written `dist/`.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The project folder (the one holding `src/`, `dist/` and `package.json`). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** In dist/: the digest of what it was compiled from. */
const STAMP = '.source-digest';
/** In dist/: the size and mtime of each of those files then, to skip hashing while none changed. */
const STAT = '.source-stat';
// Loaded only when needed: the check before every command usually needs neither.
const require = createRequire(import.meta.url);
/** npm's record of what `node_modules` holds, rewritten by every install that changes it. */
const INSTALLED = 'node_modules/.package-lock.json';
/** A lock older than this is taken to be left by a process that died (compiling takes ~1–3 s). */
const STALE_LOCK_MS = 120_000;

/** Where the compiler is, or null when TypeScript is not installed. */
function compilerPath(root) {
  // Where npm puts it, read directly (the check runs before every command); else as Node finds it.
  for (const find of [() => path.join(root, 'node_modules', 'typescript', 'package.json'), () => createRequire(path.join(root, 'package.json')).resolve('typescript/package.json')]) {
    try {
      const pkg = find();
      return { tsc: path.join(path.dirname(pkg), 'bin', 'tsc'), version: JSON.parse(readFileSync(pkg, 'utf8')).version };
    } catch {
      // not there
    }
  }
  return null;
}

/** The files of `src/`, relative to it with `/`, sorted. */
function sourceFiles(root) {
  const src = path.join(root, 'src');
  return readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(src, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Digest of everything `dist/` is compiled from (see the top of this file). */
export function sourceDigest(root = ROOT) {
  const hash = require('node:crypto').createHash('sha1');
  for (const rel of sourceFiles(root)) hash.update(`src/${rel}\0`).update(readFileSync(path.join(root, 'src', rel))).update('\0');
  for (const name of ['tsconfig.json', 'tsconfig.build.json', INSTALLED]) hash.update(`${name}\0`).update(readOrMissing(path.join(root, name))).update('\0');
  hash.update(`typescript ${compilerPath(root)?.version ?? 'missing'}`);
  return hash.digest('hex');
}

/**
 * Size and mtime of every file the digest covers (and of the compiler's package.json), as one
 * string. Equal to the one recorded at compile time, nothing was edited and hashing is skipped;
 * any difference, an mtime moved back included, means hashing to know.
 */
function statSnapshot(root) {
  const files = [...sourceFiles(root).map((rel) => `src/${rel}`), 'tsconfig.json', 'tsconfig.build.json', 'node_modules/typescript/package.json', INSTALLED];
  return files.map((rel) => {
    try {
      const st = statSync(path.join(root, rel));
      return `${rel} ${st.size} ${st.mtimeMs}`;
    } catch {
      return `${rel} missing`;
    }
  }).join('\n');
}

function readOrMissing(file) {
  try {
    return readFileSync(file);
  } catch {
    return '\0missing';
  }
}

/**
 * How `dist/` stands: `fresh` (compiled from the `src/` there now), `stale`, `missing`, or
 * `compiled-only` (no `src/` to compare with: `dist/` is all there is, and it runs).
 */
export function distState(root = ROOT) {
  let stamp;
  try {
    stamp = readFileSync(path.join(root, 'dist', STAMP), 'utf8').trim();
  } catch {
    return 'missing';
  }
  try {
    statSync(path.join(root, 'src'));
  } catch {
    return 'compiled-only';
  }
  const stat = statSnapshot(root);
  if (stat === readOrMissing(path.join(root, 'dist', STAT)).toString()) return 'fresh';
  if (stamp !== sourceDigest(root)) return 'stale';
  // Same contents, other mtimes (a touch, a checkout, a copy): remember them, to skip hashing next time.
  writeAtomically(path.join(root, 'dist', STAT), stat);
  return 'fresh';
}

/** Writes `file` by rename, so a reader sees the old or the new text; a failure only costs a hash next time. */
function writeAtomically(file, text) {
  const part = `${file}.${process.pid}.part`;
  try {
    writeFileSync(part, text);
    renameSync(part, file);
  } catch {
    rmSync(part, { force: true });
  }
}

/**
 * Makes `dist/` fresh: compiles it when it is missing or stale, saying so on `log` first.
 * Returns null when `dist/` can run, else what went wrong (for the caller to print, exit 1).
 */
export function ensureDist({ root = ROOT, log = (line) => process.stderr.write(line + '\n') } = {}) {
  const state = distState(root);
  if (state === 'fresh' || state === 'compiled-only') return null;
  return compile({ root, log, reason: state === 'missing' ? 'dist/ is missing' : 'src/ changed since dist/ was compiled', onlyIfStale: true });
}

/**
 * Compiles `src/` into `dist/` (`tsc -p tsconfig.build.json`, type-checking left to
 * `npm run typecheck`). With `onlyIfStale`, a `dist/` made fresh by another process while this
 * one waited for the lock is kept. Returns null, or what went wrong.
 */
export function compile({ root = ROOT, log = (line) => process.stderr.write(line + '\n'), reason = '', onlyIfStale = false } = {}) {
  const compiler = compilerPath(root);
  if (!compiler) return `cannot compile src/ into dist/: TypeScript is not installed here (run npm install, which compiles it)`;
  try {
    return compileLocked(root, compiler, log, reason, onlyIfStale);
  } catch (e) {
    return `cannot compile src/ into dist/: ${e.message}`; // a read-only project folder, a full disk
  }
}

function compileLocked(root, compiler, log, reason, onlyIfStale) {
  const release = lock(root);
  try {
    if (onlyIfStale && distState(root) === 'fresh') return null;
    if (reason) log(`quire: ${reason}: compiling it (tsc -p tsconfig.build.json)…`);
    // Holding the lock, no other compile is running: any temporary folder is a killed one's.
    for (const name of readdirSync(root)) if (/^\.dist-(old-)?\d+$/.test(name)) rmSync(path.join(root, name), { recursive: true, force: true });
    // Taken before compiling (the sizes and mtimes first): were src/ edited meanwhile, dist/ is
    // seen as stale next time.
    const stat = statSnapshot(root);
    const digest = sourceDigest(root);
    const tmp = path.join(root, `.dist-${process.pid}`);
    const r = require('node:child_process').spawnSync(process.execPath, [compiler.tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', tmp], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      return `compiling src/ into dist/ failed (tsc -p tsconfig.build.json):\n${(r.stdout ?? '') + (r.stderr ?? '') || r.error?.message || `exit ${r.status}`}`;
    }
    // Without a bundle, the modules as tsc wrote them run (see entryPoint): slower to start, the same site.
    const unbundled = bundle(root, tmp);
    if (unbundled) {
      rmSync(path.join(tmp, BUNDLE), { recursive: true, force: true });
      log(`quire: ${unbundled}; Quire runs unbundled (every command and worker thread starts more slowly)`);
    }
    writeFileSync(path.join(tmp, STAMP), digest + '\n');
    writeFileSync(path.join(tmp, STAT), stat);
    // dist/ is swapped by renames: at no time does it hold some old and some new files.
    const dist = path.join(root, 'dist');
    const old = path.join(root, `.dist-old-${process.pid}`);
    let moved = false;
    try {
      renameSync(dist, old);
      moved = true;
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    renameSync(tmp, dist);
    if (moved) rmSync(old, { recursive: true, force: true });
    return null;
  } finally {
    release();
  }
}

/**
 * Bundles `dist` into `dist/bundle/` (see the top of this file). Packages loaded with `require` on
 * first use (front matter, templates, highlighting grammars, math) are not bundled into our code:
 * they load when first used, Handlebars from its own one-file bundle. Returns null, or what went
 * wrong.
 */
function bundle(root, dist) {
  let esbuild;
  try {
    esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
  } catch {
    return 'cannot bundle dist/: esbuild is not installed here (npm install installs it)';
  }
  const out = path.join(dist, BUNDLE);
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' };
  try {
    esbuild.buildSync({ ...common, entryPoints: { cli: path.join(dist, 'cli.js'), build: path.join(dist, 'build.js'), pool: path.join(dist, 'parallel', 'pool.js') }, outdir: out, splitting: true, packages: 'external', chunkNames: 'chunk-[hash]' });
    esbuild.buildSync({ ...common, entryPoints: { 'post-worker': path.join(dist, 'parallel', 'post-worker.js') }, outdir: out });
    // Packages loaded on first use, each one file (see src/lazy.ts BUNDLED): CommonJS, as `require` loads them.
    const resolve = createRequire(path.join(root, 'package.json')).resolve;
    const packages = Object.fromEntries(['handlebars', 'yaml', 'gray-matter'].map((id) => [id, resolve(id)]));
    esbuild.buildSync({ ...common, format: 'cjs', entryPoints: packages, outdir: out, outExtension: { '.js': '.cjs' } });
    // lowlight's createLowlight and its common grammars (37 highlight.js modules), without the
    // other grammars its entry point loads (see src/markdown/render.ts lowlightModules).
    const lowlight = path.dirname(resolve('lowlight'));
    const contents = "export { createLowlight } from './lib/index.js';\nexport { grammars as common } from './lib/common.js';\n";
    esbuild.buildSync({ ...common, format: 'cjs', stdin: { contents, resolveDir: lowlight, sourcefile: 'lowlight-common.js' }, outfile: path.join(out, 'lowlight.cjs') });
    return null;
  } catch (e) {
    return `bundling dist/ (esbuild) failed:\n${e.message}`;
  }
}

/** The folder of dist/ that runs: its modules bundled (see bundle). */
export const BUNDLE = 'bundle';

/** The module a command runs: the bundled CLI, or the CLI as tsc wrote it when dist/ could not be bundled. */
export function entryPoint(root = ROOT) {
  const bundled = path.join(root, 'dist', BUNDLE, 'cli.js');
  return pathToFileURL(existsSync(bundled) ? bundled : path.join(root, 'dist', 'cli.js')).href;
}

/** Takes `.dist-lock` (waiting while another live process holds it); returns its release. */
function lock(root) {
  const file = path.join(root, '.dist-lock');
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (const started = Date.now(); ; ) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (lockIsStale(file) || Date.now() - started > STALE_LOCK_MS) {
      try {
        unlinkSync(file);
      } catch {
        // someone else removed it first
      }
      continue;
    }
    Atomics.wait(wait, 0, 0, 100);
  }
}

/** A lock whose process is gone, or that is older than any compile. */
function lockIsStale(file) {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (Date.now() - statSync(file).mtimeMs > STALE_LOCK_MS) return true;
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written: wait
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

// `npm run prepare` (run by npm install and npm ci): compile now, whatever the state.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = compile({ reason: '' });
  if (problem) {
    process.stderr.write(`quire: ${problem}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('quire: compiled src/ into dist/\n');
  }
}
