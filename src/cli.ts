/**
 * Command line: `quire build [options]`. Paths given on the command line are relative to where
 * the command was run (npm sets INIT_CWD to that folder), not to the project folder.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, displayPath, type BuildReport } from './build.ts';
import { formatDiagnostic } from './diagnostics.ts';
import type { DevOptions } from './dev/dev.ts';

const USAGE = `Usage: quire build [options]
       quire dev [options] [--port N] [--host H] [--no-drafts]

Options:
  --content DIR     folder of posts                (default: content)
  --out DIR         output folder                  (default: public)
  --templates DIR   theme folder                   (default: templates)
  --config FILE     config file                    (default: quire.config.yml if present)
  --base-url URL    where the site is deployed, e.g. https://example.com/blog/
  --drafts          include posts with draft: true
  --future          include posts dated in the future
  --strict          treat warnings as errors
  --verbose         print the time taken by each stage
  --workers N       worker threads for markdown (default: one per core)
  --no-cache        ignore the build cache in .cache/quire (and do not update it)
  --port N          dev: port to serve on (default 4000, or the next free one)
  --host H          dev: address to bind (default 127.0.0.1)
  --no-drafts       dev: hide drafts (dev shows them, with a Draft badge)
  -h, --help        show this help
`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 build errors, 2 usage errors. */
export async function main(argv: string[], io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        content: { type: 'string' },
        out: { type: 'string' },
        templates: { type: 'string' },
        config: { type: 'string' },
        'base-url': { type: 'string' },
        drafts: { type: 'boolean', default: false },
        future: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        'no-drafts': { type: 'boolean', default: false },
        workers: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.err(`quire: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'build';
  if (values.help) return (io.out(USAGE), 0);
  if ((command !== 'build' && command !== 'dev') || positionals.length > 1) {
    io.err(`quire: unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
    return 2;
  }

  const root = process.cwd();
  const userCwd = process.env.INIT_CWD && path.isAbsolute(process.env.INIT_CWD) ? process.env.INIT_CWD : root;
  const fromUser = (p: string | undefined, fallback: string) => (p === undefined ? path.join(root, fallback) : path.resolve(userCwd, p));
  if (command === 'dev') {
    const port = values.port === undefined ? 4000 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`quire: --port must be a number from 0 to 65535\n`);
      return 2;
    }
    return runDev({
      root,
      contentDir: fromUser(values.content, 'content'),
      templatesDir: fromUser(values.templates, 'templates'),
      ...(values.config !== undefined ? { configFile: path.resolve(userCwd, values.config) } : {}),
      overrides: values['base-url'] !== undefined ? { baseUrl: values['base-url'] } : {},
      drafts: !values['no-drafts'],
      future: values.future,
      cwd: userCwd,
      host: values.host ?? '127.0.0.1',
      port,
      log: (line) => io.out(line + '\n'),
    });
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
    io.err(`quire: --workers must be a whole number from 1 to 64\n`);
    return 2;
  }
  const report = await build({
    root,
    contentDir: fromUser(values.content, 'content'),
    outDir: fromUser(values.out, 'public'),
    templatesDir: fromUser(values.templates, 'templates'),
    ...(values.config !== undefined ? { configFile: path.resolve(userCwd, values.config) } : {}),
    overrides: values['base-url'] !== undefined ? { baseUrl: values['base-url'] } : {},
    drafts: values.drafts,
    future: values.future,
    strict: values.strict,
    cwd: userCwd,
    ...(workers !== undefined ? { workers } : {}),
    cache: !values['no-cache'],
  });
  printReport(report, io, values.verbose, displayPath(userCwd, fromUser(values.out, 'public')));
  return report.ok ? 0 : 1;
}

/** Runs the dev server until Ctrl-C (SIGINT) or SIGTERM, then closes everything and exits 0. */
async function runDev(options: DevOptions): Promise<number> {
  const { startDev } = await import('./dev/dev.ts');
  const dev = await startDev(options);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  options.log('Stopping.');
  await dev.close();
  return 0;
}

function printReport(report: BuildReport, io: CliIo, verbose: boolean, outShown: string): void {
  for (const d of report.diagnostics) io.err(formatDiagnostic(d) + '\n');
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  const byCode = new Map<string, number>();
  for (const d of report.diagnostics) if (d.severity === 'warning') byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  if (warnings) io.err(`${warnings} warning${warnings === 1 ? '' : 's'}: ${[...byCode].map(([c, n]) => `${n} × ${c}`).join(', ')}\n`);
  if (verbose) {
    for (const [name, ms] of Object.entries(report.timings)) io.err(`  ${name.padEnd(10)} ${ms.toFixed(1).padStart(8)} ms\n`);
    const c = report.cache;
    io.err(`  cache: ${c.hits} hits, ${c.misses} misses${c.rejected ? `, ${c.rejected} bad records ignored` : ''}; ${c.workers} worker thread${c.workers === 1 ? '' : 's'}\n`);
  }
  const left = [report.skipped.drafts ? `${report.skipped.drafts} draft${report.skipped.drafts === 1 ? '' : 's'} (use --drafts)` : '', report.skipped.future ? `${report.skipped.future} future-dated (use --future)` : ''].filter(Boolean);
  const leftOut = left.length ? `; left out ${left.join(' and ')}` : '';
  const time = `${Math.round(report.durationMs)} ms`;
  if (report.ok) {
    const upToDate = report.upToDate ? '; nothing changed since the last build, nothing written' : report.output ? `; ${report.output.written} written, ${report.output.unchanged} unchanged, ${report.output.removed} removed` : '';
    io.out(`Built ${report.posts} posts, ${report.pages} pages into ${outShown} in ${time} (${warnings} warning${warnings === 1 ? '' : 's'})${leftOut}${upToDate}.\n`);
  } else {
    io.err(`Build failed: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${time}; ${outShown} was not changed${leftOut}.\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/src/cli.ts')) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`quire: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 70;
    },
  );
}
