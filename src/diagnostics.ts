/**
 * One diagnostic type for every stage: YAML, TOML, remark and Handlebars errors are converted
 * into this where they are caught, so the CLI prints them all the same way and tests can
 * assert a code and a line instead of wording.
 */
import path from 'node:path';
import { compareText } from './text/compare.ts';
import { relativeIn } from './paths.ts';
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `frontmatter/duplicate-key`. */
  code: string;
  message: string;
  /** Path as shown to the user (relative to where the command was run), if the problem has a file. */
  file?: string;
  /** 1-based line and column in `file`. */
  line?: number;
  column?: number;
  /** What to do about it. */
  hint?: string;
}

/** A value plus the diagnostics produced while computing it: the return shape of every pure stage. */
export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** Thrown only for problems that stop a whole build (bad config, unusable output folder). */
export class BuildError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'BuildError';
  }
}

export function error(code: string, message: string, where: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: 'error', code, message, ...where };
}

export function warning(code: string, message: string, where: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: 'warning', code, message, ...where };
}

/** `path:line:column: severity: message [code]`, then an indented hint line when there is one. */
export function formatDiagnostic(d: Diagnostic): string {
  let location = '';
  if (d.file) {
    location = d.file;
    if (d.line !== undefined) location += `:${d.line}:${d.column ?? 1}`;
    location += ': ';
  }
  const head = `${location}${d.severity}: ${d.message} [${d.code}]`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/**
 * Orders diagnostics by file, line, column, code and message, so output is stable whatever order
 * stages ran in, and the same on every machine: texts compare by code point, not by the locale.
 */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compareText(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

export function hasErrors(list: Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/** `--strict`: every warning becomes an error. */
export function promoteWarnings(list: Diagnostic[]): Diagnostic[] {
  return list.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' as const } : d));
}

/** A path as the user would type it: relative to where they are, unless that means climbing out twice. */
export function displayPath(cwd: string, abs: string): string {
  const rel = relativeIn(cwd, abs);
  if (rel.startsWith(`..${path.sep}..`)) return abs;
  return rel || '.';
}
