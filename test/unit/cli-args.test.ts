/** Unit tests for src/cli/args.ts: the command-line grammar and its messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance, OPTIONS, parseCommandLine, usage } from '../../src/cli/args.ts';

test('edit distance counts insertions, deletions, substitutions and swaps as one edit each', () => {
  assert.equal(editDistance('draft', 'drafts'), 1);
  assert.equal(editDistance('drfats', 'drafts'), 1);
  assert.equal(editDistance('prot', 'port'), 1);
  assert.equal(editDistance('', 'out'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('suggests the nearest option only when it is near enough to be a typo', () => {
  const names = Object.keys(OPTIONS);
  assert.equal(closest('draft', names), 'drafts');
  assert.equal(closest('verb', names), 'verbose', 'a unique prefix');
  assert.equal(closest('base_url', names), 'base-url');
  assert.equal(closest('nocache', names), 'no-cache');
  assert.equal(closest('xyzzy', names), undefined);
  assert.equal(closest('co', names), undefined, 'content and config are both possible');
});

test('reads a build command line', () => {
  assert.deepEqual(parseCommandLine(['build', '--content', 'posts', '--drafts', '--out=dist']), {
    kind: 'run',
    command: 'build',
    values: { content: 'posts', drafts: true, out: 'dist' },
    positionals: [],
  });
  assert.deepEqual(parseCommandLine([]), { kind: 'run', command: 'build', values: {}, positionals: [] }, 'no command builds');
});

test('quire new takes its title as the words after it, also after --', () => {
  const r = parseCommandLine(['new', 'My', 'post', '--page']);
  assert.equal(r.kind, 'run');
  assert.deepEqual(r.kind === 'run' && [r.command, r.positionals, r.values.page], ['new', ['My', 'post'], true]);
  const spaced = parseCommandLine(['new', '- a list of things', '--content=my posts']);
  assert.deepEqual(spaced.kind === 'run' && [spaced.positionals, spaced.values.content], [['- a list of things'], 'my posts']);
  const dashed = parseCommandLine(['new', '--', '--not-an-option']);
  assert.deepEqual(dashed.kind === 'run' && dashed.positionals, ['--not-an-option']);
});

test('help comes from --help, -h, quire help and quire help <command>', () => {
  assert.deepEqual(parseCommandLine(['--help']), { kind: 'help' });
  assert.deepEqual(parseCommandLine(['help']), { kind: 'help' });
  assert.deepEqual(parseCommandLine(['help', 'build']), { kind: 'help', command: 'build' });
  assert.deepEqual(parseCommandLine(['dev', '-h']), { kind: 'help', command: 'dev' });
  assert.deepEqual(parseCommandLine(['build', 'help']), { kind: 'help', command: 'build' });
  const unknown = parseCommandLine(['help', 'serve']);
  assert.equal(unknown.kind, 'usage-error');
});

test('mistakes are usage errors with a message that says what to type', () => {
  const message = (argv: string[]) => {
    const r = parseCommandLine(argv);
    assert.equal(r.kind, 'usage-error', argv.join(' '));
    return r.kind === 'usage-error' ? r.message : '';
  };
  assert.equal(message(['build', '--draft']), 'unknown option --draft (did you mean --drafts?)');
  assert.equal(message(['build', 'content2']), 'unexpected argument "content2" (to build another folder: --content content2)');
  assert.equal(message(['build', 'site.yml']), 'unexpected argument "site.yml" (to use a config file: --config site.yml)');
  assert.equal(message(['build', '--port', '80']), '--port is an option of quire dev, not of quire build');
  assert.match(message(['dev', '--drafts']), /dev shows drafts already/);
  assert.equal(message(['build', '--content']), '--content needs a value: --content DIR');
  assert.equal(message(['build', '--content', '--drafts']), '--content needs a value: --content DIR');
  assert.equal(message(['build', '--strict=no']), '--strict takes no value (found "no")');
  assert.equal(message(['-x']), 'unknown option -x');
  assert.equal(message(['biuld']), 'unknown command "biuld" (did you mean build?)');
  assert.match(message(['content2']), /unknown command "content2" .*--content content2/);
});

test("each command's help lists its options and no other", () => {
  for (const command of ['build', 'dev', 'new'] as const) {
    const text = usage(command);
    for (const [name, spec] of Object.entries(OPTIONS)) {
      assert.equal(new RegExp(`^  (-h, )?--${name}\\b`, 'm').test(text), spec.commands.includes(command), `${command} --${name}`);
    }
  }
});
