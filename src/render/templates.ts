/**
 * Over 250 lines: loading and rendering share the error tagging that turns Handlebars failures into located diagnostics.
 *
 * Template stage: loads the theme (layouts, partials, icons, assets) into an isolated Handlebars
 * environment and renders pages. Template problems become diagnostics naming the template file
 * and line: syntax errors and missing partials at load time, strict-mode and helper errors at render.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type HandlebarsNs from 'handlebars';
import { error, type Diagnostic, type Result } from '../diagnostics.ts';
import type { Fs } from '../fs.ts';
import { isIgnoredName } from '../content/load.ts';
import { relativePosix } from '../paths.ts';
import { KEPT, type OutputFile, type RenderJob } from '../model.ts';
import { OPTIONAL_SITE_LAYOUTS, SITE_LAYOUTS } from './routes.ts';
import type { Memo } from '../memo.ts';
import { explainTemplateError } from './template-syntax.ts';
import { decoratePostHtml } from './decorate.ts';
import { onFirstUse } from '../lazy.ts';
import { compareText } from '../text/compare.ts';
import { layoutIds, purePartials, templateFacts, type TemplateFacts } from './theme-facts.ts';

/** Loaded when a theme is first compiled: a build with nothing to do never needs it. */
const Handlebars = onFirstUse<typeof HandlebarsNs>('handlebars');

/** A theme's files as read: enough to know whether anything changed (`id`) before compiling it. */
export interface ThemeFiles {
  /** Identifies this load of the theme: cached pages rendered with another theme are stale. */
  id: string;
  /** The layouts and partials, in the order read, with their text (display path in `file`). */
  sources: ThemeSource[];
  /** Layouts a post may pick with `type:`/`layout:` (`post` and any non-site layout). */
  postLayouts: string[];
  /** Inline SVG by icon name. */
  icons: Map<string, string>;
  /** Files of templates/assets/, to be copied to assets/. */
  assets: OutputFile[];
  /** Short content hash of each asset (by output path, e.g. `assets/style.css`), for cache busting. */
  assetHashes: Record<string, string>;
}

/** A theme compiled into its own Handlebars environment. */
export interface Theme extends ThemeFiles {
  env: typeof HandlebarsNs;
  layouts: Map<string, HandlebarsNs.TemplateDelegate>;
  /** Layout files by name, for error messages. */
  layoutFiles: Map<string, string>;
  /** What each layout's pages are made from (see `layoutIds` in theme-facts.ts): a page's fingerprint names it instead of the whole theme's `id`. */
  layoutIds: Map<string, string>;
}

interface ThemeSource {
  kind: 'layout' | 'partial';
  name: string;
  /** Display path. */
  file: string;
  text: string;
}

const REQUIRED_LAYOUTS = [...SITE_LAYOUTS, 'post'];
const COMPILE_OPTIONS = { strict: true, preventIndent: true } as const;

/** Error tagged with the template it came from (set by the innermost template that saw it). */
interface TemplateFault {
  templateFile?: string;
  helperName?: string;
  lineNumber?: number;
  column?: number;
}

/** Reads and compiles a theme (tests; the build reads, checks whether anything changed, then compiles). */
export async function loadTheme(fs: Fs, dir: string, display: (abs: string) => string): Promise<Result<Theme | null>> {
  const files = await readTheme(fs, dir, display);
  if (!files.value) return { value: null, diagnostics: files.diagnostics };
  const compiled = compileTheme(files.value, dir, display);
  return { value: compiled.value, diagnostics: [...files.diagnostics, ...compiled.diagnostics] };
}

/** Reads a theme's layouts, partials, icons and assets. Null (with errors) when a listed file cannot be read. */
export async function readTheme(fs: Fs, dir: string, display: (abs: string) => string): Promise<Result<ThemeFiles | null>> {
  const diagnostics: Diagnostic[] = [];
  // A file listed but not readable (removed or renamed since, as a branch switch does under `npm
  // run dev`; or no permission) is an error to show, never a crash: the next build sees the change.
  const bytesOf = async (abs: string): Promise<Buffer | null> => {
    try {
      return await fs.readFile(abs);
    } catch (e) {
      diagnostics.push(error('template/unreadable', `cannot read ${display(abs)}: ${(e as Error).message}`, { file: display(abs), hint: 'if it was just removed or renamed, save again or wait for the next build; otherwise check its permissions' }));
      return null;
    }
  };
  const read = async (abs: string) => (await bytesOf(abs))?.toString('utf8').replace(/\r\n?/g, '\n') ?? null;

  const sources: ThemeSource[] = [];
  for (const [kind, folder] of [['layout', path.join(dir, 'layouts')], ['partial', path.join(dir, 'partials')]] as const) {
    for (const abs of await listFiles(fs, folder)) {
      if (path.extname(abs) !== '.hbs') continue;
      const name = relativePosix(folder, abs).replace(/\.hbs$/, '');
      const text = await read(abs);
      if (text !== null) sources.push({ kind, name, file: display(abs), text });
    }
  }

  const icons = new Map<string, string>();
  for (const abs of await listFiles(fs, path.join(dir, 'icons'))) {
    const svg = path.extname(abs) === '.svg' ? await read(abs) : null;
    if (svg !== null) icons.set(path.basename(abs, '.svg'), svg.trim());
  }

  const assetDir = path.join(dir, 'assets');
  const assets: OutputFile[] = [];
  for (const abs of await listFiles(fs, assetDir)) {
    const contents = await bytesOf(abs);
    if (contents) assets.push({ outPath: 'assets/' + relativePosix(assetDir, abs), contents });
  }
  const assetHashes: Record<string, string> = {};
  for (const a of assets) assetHashes[a.outPath] = createHash('sha256').update(a.contents).digest('hex').slice(0, 10);

  if (diagnostics.length) return { value: null, diagnostics };
  const layoutNames = sources.filter((s) => s.kind === 'layout').map((s) => s.name);
  const postLayouts = layoutNames.filter((n) => !(SITE_LAYOUTS as readonly string[]).includes(n) && !(OPTIONAL_SITE_LAYOUTS as readonly string[]).includes(n)).sort();
  const id = createHash('sha256').update(sources.map((s) => `${s.kind}:${s.name}\0${s.text}`).join('\0')).update([...icons].join('\0')).update(JSON.stringify(assetHashes)).digest('hex');
  return { value: { id, sources, postLayouts, icons, assets, assetHashes }, diagnostics };
}

/**
 * Compiles a theme's layouts and partials into an isolated Handlebars environment. Syntax errors,
 * missing partials and missing layouts are errors naming the file and line. A theme compiled
 * already is returned as it is.
 */
export function compileTheme(files: ThemeFiles | Theme, dir: string, display: (abs: string) => string): Result<Theme | null> {
  if ('env' in files) return { value: files, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const env = Handlebars.create();
  registerHelpers(env);
  // Parsed once: the syntax tree checked here is the one compiled (before Handlebars' whitespace
  // control, which compiling applies; compiling the text parsed each template a second time, ~40 ms).
  const parsed = files.sources.map((s) => {
    try {
      const ast = env.parseWithoutProcessing(s.text) as hbs.AST.Program;
      return { ...s, ast: ast as hbs.AST.Program | null, facts: templateFacts(ast) as TemplateFacts | null };
    } catch (e) {
      // Parse errors say "Parse error on line N:"; mismatched blocks ("if doesn't match each") carry
      // the opening block's position (Handlebars' Exception: lineNumber, 0-based column).
      // The message is reworded into what to fix (template-syntax.ts); Handlebars' own is kept as a detail.
      const err = e as Error & TemplateFault;
      const m = /line (\d+)/.exec(err.message);
      const line = typeof err.lineNumber === 'number' ? err.lineNumber : m ? Number(m[1]) : 1;
      const explained = explainTemplateError(err.message, s.text, line);
      diagnostics.push(
        error('template/syntax', `template syntax error: ${explained.message}`, {
          file: s.file,
          line,
          column: typeof err.column === 'number' ? err.column + 1 : 1,
          hint: explained.hint,
        }),
      );
      return { ...s, ast: null, facts: null };
    }
  });

  const partialNames = new Set(parsed.filter((s) => s.kind === 'partial').map((s) => s.name));
  for (const s of parsed) {
    if (!s.facts) continue;
    for (const ref of s.facts.partials) {
      if (!partialNames.has(ref.name) && !s.facts.inline.has(ref.name) && ref.name !== '@partial-block') {
        diagnostics.push(
          error('template/missing-partial', `partial "${ref.name}" does not exist`, {
            file: s.file,
            line: ref.line,
            column: ref.column,
            hint: `create templates/partials/${ref.name}.hbs; partials that exist: ${[...partialNames].sort().join(', ') || 'none'}`,
          }),
        );
      }
    }
  }

  const layouts = new Map<string, HandlebarsNs.TemplateDelegate>();
  const layoutFiles = new Map<string, string>();
  const pure = purePartials(parsed);
  for (const s of parsed) {
    if (!s.ast) continue;
    const compiled = tagged(env.compile(s.ast, COMPILE_OPTIONS), s.file);
    if (s.kind === 'partial') env.registerPartial(s.name, (pure.has(s.name) ? sharedOutput(compiled) : compiled) as unknown as HandlebarsNs.Template);
    else (layouts.set(s.name, compiled), layoutFiles.set(s.name, s.file));
  }
  const needs = `a theme needs the layouts ${REQUIRED_LAYOUTS.join(', ')}`;
  if (!parsed.some((s) => s.kind === 'layout')) {
    // No theme at all (a wrong --templates, or a project without Quire's templates/): one error, not one per layout.
    diagnostics.push(error('template/missing-layout', `no layouts in ${display(path.join(dir, 'layouts'))}: the theme folder is missing or empty`, { file: display(path.join(dir, 'layouts')), hint: `pass --templates with your theme's folder, or copy Quire's templates/ folder into the project; ${needs}` }));
  } else {
    for (const name of REQUIRED_LAYOUTS) {
      if (!parsed.some((s) => s.kind === 'layout' && s.name === name)) {
        diagnostics.push(error('template/missing-layout', `layout "${name}" is missing`, { file: display(path.join(dir, 'layouts', `${name}.hbs`)), hint: needs }));
      }
    }
  }
  if (diagnostics.length) return { value: null, diagnostics };
  return { value: { ...files, env, layouts, layoutFiles, layoutIds: layoutIds(files, parsed) }, diagnostics };
}

/**
 * Remembers each page's view fingerprint and HTML between renders (dev server): a page whose
 * view and theme are unchanged is not rendered again. Fingerprints use the build state's memo.
 */
export interface RenderCache {
  pages: Map<string, { fingerprint: string; contents: string }>;
  memo: Memo;
}

/** Renders each job: its layout, then `base` around it. Collects every template error. */
export interface RenderOptions {
  /** Return each page as UTF-8 bytes made by this function (e.g. a `slabEncoder`) rather than a string. */
  encode?: (html: string) => Uint8Array;
  /**
   * Called with each newly rendered page's HTML, its output contents and a way to render it again;
   * may return the file to list instead (the writer's, without its bytes).
   */
  onPage?: (outPath: string, html: string, contents: string | Uint8Array, rebuild: () => string | Uint8Array) => OutputFile | void;
  /**
   * The persistent page cache (see cache/page-cache.ts): a page `keep` returns a record for is not
   * rendered but handed to the writer as kept, with its digest and size and a way to render it.
   */
  keep?: (job: RenderJob) => { hash: string; size: number } | undefined;
}


export function renderPages(theme: Theme, jobs: RenderJob[], cache?: RenderCache, options: RenderOptions = {}): Result<OutputFile[]> {
  const files: OutputFile[] = [];
  const each = renderEach(theme, jobs, cache, options);
  for (let r = each.next(); ; r = each.next()) {
    if (r.done) return { value: files, diagnostics: r.value };
    files.push(r.value);
  }
}

/**
 * renderPages a page at a time: yields each file as it is made, and returns the diagnostics. The
 * build renders through it to let the writer's background writes go on between pages.
 */
export function* renderEach(theme: Theme, jobs: RenderJob[], cache?: RenderCache, options: RenderOptions = {}): Generator<OutputFile, Diagnostic[]> {
  // One diagnostic per template problem, however many pages hit it: by file, line and message.
  const faults = new Map<string, { e: unknown; file: string; outPath: string; pages: number }>();
  const base = theme.layouts.get('base')!;
  // Output of pure partials, by context object, for this call only.
  const data = { [SHARED]: new WeakMap<object, Map<unknown, string>>() };
  const renderHtml = (job: RenderJob): string => {
    const layout = theme.layouts.get(job.layout);
    if (!layout) throw Object.assign(new Error(`layout "${job.layout}" does not exist`), { templateFile: `templates/layouts/${job.layout}.hbs` });
    return base({ ...job.view, body: layout(job.view, { data }) }, { data });
  };
  /** One page: from the render cache, kept, or rendered; undefined when its template failed (the fault is noted). */
  const page = (job: RenderJob): OutputFile | undefined => {
    const fingerprint = cache ? `${theme.layoutIds.get(job.layout) ?? theme.id}\0${job.layout}\0${JSON.stringify(job.view, fingerprintReplacer(cache.memo))}` : '';
    const hit = cache?.pages.get(job.outPath);
    if (hit && hit.fingerprint === fingerprint) return { outPath: job.outPath, contents: hit.contents };
    // A page rendered without error from the same inputs once renders again if the writer asks.
    const render = () => (options.encode ? options.encode(renderHtml(job)) : renderHtml(job));
    const kept = options.keep?.(job);
    if (kept) return { outPath: job.outPath, contents: KEPT, kept: { ...kept, render } };
    try {
      const html = renderHtml(job);
      // Encoded at once, a page takes a byte per character outside the JavaScript heap instead of
      // a tree of string pieces on it: what keeps a 10,000-post build's memory down.
      const contents = options.encode ? options.encode(html) : html;
      const file = options.onPage?.(job.outPath, html, contents, render) ?? { outPath: job.outPath, contents };
      cache?.pages.set(job.outPath, { fingerprint, contents: html });
      return file;
    } catch (e) {
      const file = theme.layoutFiles.get(job.layout) ?? job.layout;
      const err = e as Error & TemplateFault;
      const key = `${err.templateFile ?? file}:${err.lineNumber}:${err.column}:${err.message}`;
      const seen = faults.get(key);
      if (seen) seen.pages++;
      else faults.set(key, { e, file, outPath: job.outPath, pages: 1 });
      return undefined;
    }
  };
  for (const job of jobs) {
    const file = page(job);
    job.release?.(); // made, kept or failed: its view is not held while the rest of the site renders
    if (file) yield file;
  }
  return [...faults.values()].map((f) => templateDiagnostic(f.e, f.file, f.pages === 1 ? f.outPath : `${f.outPath} and ${f.pages - 1} other page${f.pages === 2 ? '' : 's'}`));
}

/**
 * JSON replacer for fingerprints: a reused post view stands in as its id, and a post's rendered
 * HTML (kilobytes, identical between most rebuilds) as a digest computed once per distinct string.
 */
function fingerprintReplacer(memo: Memo): (key: string, value: unknown) => unknown {
  return (_key, value) => {
    if (value !== null && typeof value === 'object') return memo.viewId(value) ?? value;
    return typeof value === 'string' && value.length >= 512 ? memo.digest(value) : value;
  };
}

function templateDiagnostic(e: unknown, fallbackFile: string, outPath: string): Diagnostic {
  const err = e as Error & TemplateFault;
  const file = err.templateFile ?? fallbackFile;
  const line = typeof err.lineNumber === 'number' ? err.lineNumber : 1;
  const column = typeof err.column === 'number' ? err.column + 1 : 1;
  if (err.helperName) {
    return error('template/helper-failed', `helper "${err.helperName}" failed while rendering ${outPath}: ${err.message}`, {
      file,
      line,
      column,
      hint: `check the arguments of {{${err.helperName}}} at this line`,
    });
  }
  const strict = /^"(.+)" not defined in/.exec(err.message);
  if (strict) {
    return error('template/undefined-value', `"${strict[1]}" is not defined (while rendering ${outPath})`, {
      file,
      line,
      column,
      hint: 'check the spelling against the view objects in the README, or guard an optional value with {{#if}}',
    });
  }
  return error('template/render-failed', `${err.message.split(' - ')[0]} (while rendering ${outPath})`, { file, line, column });
}

/** Wraps a compiled template so errors thrown inside it remember which file it was. */
function tagged(fn: HandlebarsNs.TemplateDelegate, file: string): HandlebarsNs.TemplateDelegate {
  return (context, options) => {
    try {
      return fn(context, options);
    } catch (e) {
      if (e && typeof e === 'object' && !(e as TemplateFault).templateFile) (e as TemplateFault).templateFile = file;
      throw e;
    }
  };
}

/**
 * Our helpers, plus Handlebars' built-in ones, wrapped so that an error thrown by a helper itself
 * (`{{#each}}` with nothing to iterate, `{{#if a b}}`) names the helper and the line of its call.
 * An error that already has a line (from a template inside the block) passes through untouched.
 */
function registerHelpers(env: typeof HandlebarsNs): void {
  const helpers: Record<string, HandlebarsNs.HelperDelegate> = {
    ...env.helpers,
    /** `{{#if (eq a b)}}` */
    eq: (a: unknown, b: unknown) => a === b,
    /** `{{#each (except categories term.url)}}`: a list's items but the one with that `url` (a term page leaves out its own chip). */
    except: (list: unknown, url: unknown) => (Array.isArray(list) ? list.filter((item: unknown) => (item as { url?: unknown } | null)?.url !== url) : []),
    /** `{{{decorate post.html}}}`: code blocks with a bar naming their language, tables in a scrolling box (decorate.ts). */
    decorate: (html: unknown) => (typeof html === 'string' ? decoratePostHtml(html) : ''),
  };
  for (const [name, fn] of Object.entries(helpers)) {
    if (name === 'helperMissing' || name === 'blockHelperMissing') continue; // not calls the author wrote
    env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      try {
        return fn.apply(this, args as Parameters<HandlebarsNs.HelperDelegate>);
      } catch (e) {
        const err = e instanceof Error ? (e as Error & TemplateFault) : new Error(String(e));
        if ((err as TemplateFault).helperName !== undefined || typeof (err as TemplateFault).lineNumber === 'number') throw err;
        const loc = (args[args.length - 1] as { loc?: hbs.AST.SourceLocation } | undefined)?.loc;
        throw Object.assign(err, { helperName: name, ...(loc ? { lineNumber: loc.start.line, column: loc.start.column } : {}) });
      }
    });
  }
}

/** Data key under which renderPages passes its table of shared partial output (see `sharedOutput`). */
const SHARED = 'quireSharedPartials';

/** A pure partial that renders once per context object in a renderPages call, then repeats its output. */
function sharedOutput(partial: HandlebarsNs.TemplateDelegate): HandlebarsNs.TemplateDelegate {
  return (context, options) => {
    const table = (options?.data as Record<string, unknown> | undefined)?.[SHARED] as WeakMap<object, Map<unknown, string>> | undefined;
    if (!table || context === null || typeof context !== 'object') return partial(context, options);
    let outputs = table.get(context);
    if (!outputs) table.set(context, (outputs = new Map()));
    let html = outputs.get(partial);
    if (html === undefined) outputs.set(partial, (html = partial(context, options)));
    return html;
  };
}

async function listFiles(fs: Fs, dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await fs.readdir(dir);
  } catch {
    return out;
  }
  entries.sort((a, b) => compareText(a.name, b.name)); // by code point: the same order on every machine
  for (const e of entries) {
    if (isIgnoredName(e.name)) continue;
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(fs, abs)));
    else if (e.isFile()) out.push(abs);
  }
  return out;
}
