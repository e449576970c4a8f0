/**
 * The command line's grammar: which options each command takes, the help text made from that one
 * table, and a parser whose errors say what to type instead (`--draft` → did you mean `--drafts`?;
 * a stray `content2` → `--content content2`). Pure: no I/O, so every message is unit-testable.
 */

export const COMMANDS = ['build', 'dev', 'new'] as const;
export type Command = (typeof COMMANDS)[number];

interface OptionSpec {
  /** Placeholder of the value (`DIR`), absent for a flag. */
  value?: string;
  help: string;
  /** A command's own wording, where the general one would mislead. */
  helpFor?: Partial<Record<Command, string>>;
  commands: readonly Command[];
}

/** Every option of every command, in the order the help lists them. */
export const OPTIONS: Record<string, OptionSpec> = {
  content: { value: 'DIR', help: 'folder of posts (default: content)', commands: ['build', 'dev', 'new'], helpFor: { new: 'content folder: posts go in DIR/posts/, pages in DIR/pages/ (default: content)' } },
  out: { value: 'DIR', help: 'output folder (default: public)', commands: ['build'] },
  templates: { value: 'DIR', help: 'theme folder (default: templates)', commands: ['build', 'dev'] },
  static: { value: 'DIR', help: 'files copied verbatim to the output root (default: static)', commands: ['build', 'dev'] },
  config: { value: 'FILE', help: 'config file (default: quire.config.yml, .yaml, .json or .toml, if any)', commands: ['build', 'dev', 'new'] },
  'base-url': { value: 'URL', help: 'where the site is deployed, e.g. https://example.com/blog/', commands: ['build', 'dev'] },
  drafts: { help: 'include posts with draft: true', commands: ['build'] },
  'no-drafts': { help: 'hide drafts (dev shows them, with a Draft badge)', commands: ['dev'] },
  future: { help: 'include posts dated in the future', commands: ['build', 'dev'] },
  strict: { help: 'treat warnings as errors (for CI)', commands: ['build'] },
  verbose: { help: 'list every warning, and print the time of each build stage', commands: ['build'] },
  workers: { value: 'N', help: 'worker threads for the markdown stage (default: one per core; 1 = none)', commands: ['build'] },
  'no-cache': { help: 'ignore the build cache in .cache/quire (neither read nor written)', commands: ['build'] },
  port: { value: 'N', help: 'port to serve on (default: 4000, or the next free one)', commands: ['dev'] },
  host: { value: 'H', help: 'address to listen on (default: 127.0.0.1; 0.0.0.0 for other devices)', commands: ['dev'] },
  page: { help: 'make a standalone page in content/pages/ instead of a dated post', commands: ['new'] },
  help: { help: 'show this help', commands: ['build', 'dev', 'new'] },
};

const SUMMARIES: Record<Command, { args: string; about: string }> = {
  build: { args: '[options]', about: 'build the site into the output folder' },
  dev: { args: '[options]', about: 'build, serve and rebuild as files change, with live reload' },
  new: { args: '"Title" [options]', about: 'start a draft post in content/posts/YYYY-MM-DD-slug.md' },
};

export type Values = Record<string, string | boolean | undefined>;

export type Parsed =
  | { kind: 'run'; command: Command; values: Values; positionals: string[] }
  | { kind: 'help'; command?: Command }
  | { kind: 'usage-error'; message: string; command?: Command };

/** Reads `argv` (after the node and script paths). Never throws: mistakes are `usage-error`s. */
export function parseCommandLine(argv: string[]): Parsed {
  const values: Values = {};
  const positionals: string[] = [];
  const flags: string[] = [];
  let command: Command | undefined;
  let isHelpCommand = false;
  let rest = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // No option name has a space in it: `quire new "- a list of things"` is a title.
    if (rest || arg === '-' || !arg.startsWith('-') || /^-[^=]*\s/.test(arg)) {
      if (command === undefined && !isHelpCommand && positionals.length === 0) {
        if (arg === 'help') {
          isHelpCommand = true;
          continue;
        }
        if ((COMMANDS as readonly string[]).includes(arg)) {
          command = arg as Command;
          continue;
        }
      }
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      rest = true;
      continue;
    }
    if (arg === '-h') {
      values.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq === -1 ? undefined : eq);
    const spec = arg.startsWith('--') ? OPTIONS[name] : undefined;
    if (!spec) {
      const orTitle = command === 'new' ? ` (a title that starts with - goes after --: quire new -- "${arg}")` : '';
      return { kind: 'usage-error', message: `unknown option ${arg.slice(0, eq === -1 ? undefined : eq)}${suggest(name) || orTitle}`, ...(command ? { command } : {}) };
    }
    if (spec.value === undefined) {
      if (eq !== -1) return { kind: 'usage-error', message: `--${name} takes no value (found "${arg.slice(eq + 1)}")`, ...(command ? { command } : {}) };
      values[name] = true;
    } else if (eq !== -1) {
      values[name] = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        return { kind: 'usage-error', message: `--${name} needs a value: --${name} ${spec.value}`, ...(command ? { command } : {}) };
      }
      values[name] = next;
      i++;
    }
    flags.push(name);
  }

  if (isHelpCommand || (command !== undefined && command !== 'new' && positionals[0] === 'help')) {
    const topic = isHelpCommand ? positionals[0] : undefined;
    if (topic === undefined) return command ? { kind: 'help', command } : { kind: 'help' };
    if ((COMMANDS as readonly string[]).includes(topic)) return { kind: 'help', command: topic as Command };
    return { kind: 'usage-error', message: `there is no command "${topic}"${suggestCommand(topic) || ` (commands: ${COMMANDS.join(', ')})`}` };
  }
  if (values.help) return command ? { kind: 'help', command } : { kind: 'help' };
  if (command === undefined) {
    // `quire` alone builds; `quire foo` is a mistyped command (or a folder meant for --content).
    if (positionals.length) {
      const first = positionals[0]!;
      const guess = suggestCommand(first);
      return { kind: 'usage-error', message: `unknown command "${first}"${guess || ` (commands: ${COMMANDS.join(', ')}; to build another folder: --content ${first})`}` };
    }
    command = 'build';
  }
  for (const name of flags) {
    const spec = OPTIONS[name]!;
    if (!spec.commands.includes(command)) {
      const others = spec.commands.map((c) => `quire ${c}`).join(' and ');
      return { kind: 'usage-error', message: `--${name} is an option of ${others}, not of quire ${command}${INSTEAD[`${command} --${name}`] ?? ''}`, command };
    }
  }
  if (command !== 'new' && positionals.length) {
    const stray = positionals[0]!;
    return { kind: 'usage-error', message: `unexpected argument "${stray}" (${strayHint(command, stray)})`, command };
  }
  return { kind: 'run', command, values, positionals };
}

/** What a wrong-command flag most likely meant. */
const INSTEAD: Record<string, string> = {
  'dev --drafts': '; dev shows drafts already, --no-drafts hides them',
  'build --no-drafts': '; build leaves drafts out already, --drafts includes them',
  'dev --out': '; dev serves from memory and writes no files',
};

function strayHint(command: Command, arg: string): string {
  if (/\.(ya?ml|json|toml)$/i.test(arg)) return `to use a config file: --config ${arg}`;
  return command === 'build' ? `to build another folder: --content ${arg}` : `to serve another folder: --content ${arg}`;
}

function suggest(name: string): string {
  const guess = closest(name, Object.keys(OPTIONS));
  return guess ? ` (did you mean --${guess}?)` : '';
}

function suggestCommand(name: string): string {
  const guess = closest(name, [...COMMANDS, 'help']);
  return guess ? ` (did you mean ${guess}?)` : '';
}

/** The candidate nearest to `word`, if near enough to be a typo (or `word` is its unique prefix). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const prefixed = candidates.filter((c) => w.length >= 2 && c.startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const allowed = w.length <= 3 ? 1 : w.length <= 6 ? 2 : 3;
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (`--drfats`). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The help: one command's options, or every command with all of its options. */
export function usage(command?: Command): string {
  const commands = command ? [command] : COMMANDS;
  const lines = [`Usage: ${commands.map((c) => `quire ${c} ${SUMMARIES[c].args}`).join('\n       ')}`];
  if (!command) lines.push('       quire help [build|dev|new]', '', 'Without a command, quire builds. From npm: npm run build -- [options], npm run dev -- ..., npm run new -- "Title".');
  for (const c of commands) {
    lines.push('', `quire ${c}: ${SUMMARIES[c].about}`);
    for (const [name, spec] of Object.entries(OPTIONS)) {
      if (!spec.commands.includes(c)) continue;
      const flag = name === 'help' ? '-h, --help' : `--${name}${spec.value ? ` ${spec.value}` : ''}`;
      lines.push(`  ${flag.padEnd(17)} ${spec.helpFor?.[c] ?? spec.help}`);
    }
  }
  if (command) lines.push('', 'quire help lists every command.');
  lines.push('', 'Exit codes: 0 done (maybe with warnings), 1 errors (nothing written), 2 bad command line.');
  return lines.join('\n') + '\n';
}
