/**
 * Command line: `quire build|dev|new [options]`. Paths given on the command line are relative to
 * where the command was run (npm sets INIT_CWD to that folder), not to the project folder.
 * The grammar and the help text are in `cli/args.ts`; this file runs the commands and prints.
 */
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BuildReport } from './build.ts';
import { displayPath, formatDiagnostic, type Diagnostic } from './diagnostics.ts';
import { compareText } from './text/compare.ts';
import type { DevOptions } from './dev/dev.ts';
import { parseCommandLine, usage, type Values } from './cli/args.ts';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

const STDIO: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Runs the CLI and returns the exit code: 0 ok, 1 errors, 2 usage errors. */
export async function main(argv: string[], io: CliIo = STDIO): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'help') return (io.out(usage(parsed.command)), 0);
  if (parsed.kind === 'usage-error') return usageError(io, parsed.message, parsed.command);
  const { command, values, positionals } = parsed;

  const root = process.cwd();
  const userCwd = process.env.INIT_CWD && path.isAbsolute(process.env.INIT_CWD) ? process.env.INIT_CWD : root;
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const fromUser = (p: string | undefined, fallback: string) => (p === undefined ? path.join(root, fallback) : path.resolve(userCwd, p));
  const configFile = str('config') !== undefined ? { configFile: path.resolve(userCwd, str('config')!) } : {};
  const overrides = str('base-url') !== undefined ? { baseUrl: str('base-url')! } : {};

  if (command === 'new') {
    const title = positionals.join(' ').trim();
    if (!title) return usageError(io, 'quire new needs a title, e.g. quire new "My first post"', 'new');
    const { newPost } = await import('./new-post.ts');
    const r = await newPost({ root, contentDir: fromUser(str('content'), 'content'), ...configFile, title, page: values.page === true, cwd: userCwd });
    for (const d of r.diagnostics) io.err(formatDiagnostic(d) + '\n');
    if (!r.file) return 1;
    io.out(`Created ${displayPath(userCwd, r.file)}\n`);
    return 0;
  }

  if (command === 'dev') {
    const port = wholeNumber(values, 'port', 0, 65535);
    if (port === null) return usageError(io, '--port must be a whole number from 0 to 65535', 'dev');
    return runDev({
      root,
      contentDir: fromUser(str('content'), 'content'),
      templatesDir: fromUser(str('templates'), 'templates'),
      staticDir: fromUser(str('static'), 'static'),
      ...configFile,
      overrides,
      drafts: !values['no-drafts'],
      future: values.future === true,
      cwd: userCwd,
      host: str('host') ?? '127.0.0.1',
      port: port ?? 4000,
      log: (line) => io.out(line + '\n'),
    }, io);
  }

  const workers = wholeNumber(values, 'workers', 1, 64);
  if (workers === null) return usageError(io, '--workers must be a whole number from 1 to 64', 'build');
  // Loaded here, not at the top: help and usage errors answer without loading the whole pipeline.
  const { build } = await import('./build.ts');
  const report = await build({
    root,
    contentDir: fromUser(str('content'), 'content'),
    outDir: fromUser(str('out'), 'public'),
    templatesDir: fromUser(str('templates'), 'templates'),
    staticDir: fromUser(str('static'), 'static'),
    ...configFile,
    overrides,
    drafts: values.drafts === true,
    future: values.future === true,
    strict: values.strict === true,
    cwd: userCwd,
    ...(workers !== undefined ? { workers } : {}),
    cache: !values['no-cache'],
  });
  printReport(report, io, values.verbose === true, displayPath(userCwd, fromUser(str('out'), 'public')));
  return report.ok ? 0 : 1;
}

function usageError(io: CliIo, message: string, command?: Parameters<typeof usage>[0]): number {
  io.err(`quire: ${message}\n\n${usage(command)}`);
  return 2;
}

/** The option's value as a whole number in [min, max]; undefined when absent, null when invalid. */
function wholeNumber(values: Values, name: string, min: number, max: number): number | undefined | null {
  const raw = values[name];
  if (typeof raw !== 'string') return undefined;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** Runs the dev server until Ctrl-C (SIGINT) or SIGTERM, then closes everything and exits 0. */
async function runDev(options: DevOptions, io: CliIo): Promise<number> {
  const { startDev } = await import('./dev/dev.ts');
  let dev;
  try {
    dev = await startDev(options);
  } catch (e) {
    // The address cannot be served: a --host that does not resolve or is not this machine's, no free port.
    const err = e as NodeJS.ErrnoException;
    if (!['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EADDRNOTAVAIL', 'EINVAL'].includes(err.code ?? '') && !/no free port/.test(err.message)) throw e;
    const hint = err.code ? `--host ${options.host} is not an address of this machine (${err.code}); use 127.0.0.1, or 0.0.0.0 to be reached from other devices` : err.message;
    io.err(`quire: cannot serve the site: ${hint}\n`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  options.log('Stopping.');
  await dev.close();
  return 0;
}

function printReport(report: BuildReport, io: CliIo, verbose: boolean, outShown: string): void {
  for (const line of diagnosticLines(report.diagnostics, verbose)) io.err(line + '\n');
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  if (verbose) {
    for (const [name, ms] of Object.entries(report.timings)) io.err(`  ${name.padEnd(10)} ${ms.toFixed(1).padStart(8)} ms\n`);
    const c = report.cache;
    const where = c.workers > 0 ? ` on ${c.workers === 1 ? 'a worker thread' : `${c.workers} worker threads`}` : report.processed ? ' on the main thread' : '';
    io.err(`  cache: ${c.hits} hits, ${c.misses} misses${c.rejected ? `, ${c.rejected} bad records ignored` : ''}; ${report.processed} parsed${where}; pages: ${report.rendered} rendered, ${report.pages - report.rendered} unchanged\n`);
  }
  const left = [report.skipped.drafts ? `${report.skipped.drafts} draft${report.skipped.drafts === 1 ? '' : 's'} (use --drafts)` : '', report.skipped.future ? `${report.skipped.future} future-dated (use --future)` : ''].filter(Boolean);
  const leftOut = left.length ? `; left out ${left.join(' and ')}` : '';
  const time = `${Math.round(report.durationMs)} ms`;
  if (report.ok) {
    const upToDate = report.upToDate ? '; nothing changed since the last build, nothing written' : report.output ? `; ${report.output.written} written, ${report.output.unchanged} unchanged, ${report.output.removed} removed` : '';
    io.out(`Built ${report.posts} posts, ${report.pages} pages into ${outShown} in ${time} (${warnings} warning${warnings === 1 ? '' : 's'})${leftOut}${upToDate}.\n`);
  } else {
    io.err(`Build failed: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${time}; ${report.output?.partial ? `${outShown} is partly updated (the next build completes it)` : `${outShown} was not changed`}${leftOut}.\n`);
  }
}

/** Warnings of one code beyond which only the first few are printed (all with --verbose). */
const WARNINGS_SHOWN_IN_FULL = 10;
const WARNINGS_SHOWN_WHEN_MANY = 5;

/**
 * The report's diagnostics as printed, then counts by code. Every error is printed. Without
 * `verbose`, a warning repeated word for word (one unknown layout on 1,043 posts) is printed once
 * with how many other files have it, and a code with more than 10 distinct warnings shows its
 * first 5 and a count of the rest: a migrated blog's hundreds of warnings stay readable.
 */
export function diagnosticLines(list: Diagnostic[], verbose: boolean): string[] {
  const lines: string[] = [];
  const same = new Map<string, Diagnostic[]>();
  const key = (d: Diagnostic) => `${d.code}\0${d.message}\0${d.hint ?? ''}`;
  for (const d of list) {
    if (d.severity !== 'warning' || verbose) continue;
    const group = same.get(key(d));
    if (group) group.push(d);
    else same.set(key(d), [d]);
  }
  const distinct = new Map<string, number>();
  for (const group of same.values()) distinct.set(group[0]!.code, (distinct.get(group[0]!.code) ?? 0) + 1);
  const shown = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const d of list) {
    const group = same.get(key(d));
    if (d.severity === 'error' || !group) {
      lines.push(formatDiagnostic(d));
      continue;
    }
    if (group[0] !== d) continue; // printed with the first of its group
    const n = shown.get(d.code) ?? 0;
    if (distinct.get(d.code)! > WARNINGS_SHOWN_IN_FULL && n >= WARNINGS_SHOWN_WHEN_MANY) {
      hidden.set(d.code, (hidden.get(d.code) ?? 0) + group.length);
      continue;
    }
    shown.set(d.code, n + 1);
    lines.push(formatDiagnostic(group.length === 1 ? d : { ...d, message: `${d.message} ${repeats(group)}` }));
  }
  for (const [code, n] of hidden) lines.push(`… and ${n} more ${code} (--verbose lists all)`);
  const counts = [countByCode(list, 'error'), countByCode(list, 'warning')].filter(Boolean);
  if (counts.length) lines.push(counts.join('; '));
  return lines;
}

/** `(and 1042 other files)` for a warning printed once for the whole group. */
function repeats(group: Diagnostic[]): string {
  const more = group.length - 1;
  const otherFiles = new Set(group.map((d) => d.file).filter((f) => f !== group[0]!.file)).size;
  if (otherFiles === more) return `(and ${more} other file${more === 1 ? '' : 's'})`;
  if (otherFiles === 0) return `(and ${more} more time${more === 1 ? '' : 's'}${group[0]!.file ? ' in this file' : ''})`;
  return `(and ${more} more, in ${otherFiles} other file${otherFiles === 1 ? '' : 's'})`;
}

/** `5 warnings: 3 × frontmatter/duplicate-key, 1 × …`, most frequent first; '' when there are none. */
function countByCode(list: Diagnostic[], severity: Diagnostic['severity']): string {
  const byCode = new Map<string, number>();
  for (const d of list) if (d.severity === severity) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  const total = [...byCode.values()].reduce((a, b) => a + b, 0);
  if (!total) return '';
  const sorted = [...byCode].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  return `${total} ${severity}${total === 1 ? '' : 's'}: ${sorted.map(([c, n]) => `${n} × ${c}`).join(', ')}`;
}

/** Runs the CLI as the program (`bin/quire.js`, or `node --import tsx src/cli.ts`): its exit code becomes the process's. */
export function run(argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`quire: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 70;
    },
  );
}

/** True when this module is the script node was started with (not when imported by bin/quire.js, tests or benches). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) run();
