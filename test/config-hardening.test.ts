/**
 * The config can never crash the build (issue: `__proto__`, `hasOwnProperty` and a YAML alias
 * bomb gave an internal error and a stack trace, exit 70; `constructor` and `toString` gave
 * nonsense messages). Every key name of Object.prototype, at the top and nested, in YAML, JSON
 * and TOML, gives a config or a located diagnostic; parseConfig never throws for any text or any
 * JSON-ish object (fast-check with a fixed seed, FC_SEED to try another); and real builds and the
 * real CLI treat such configs as ordinary input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { stringify as stringifyToml } from 'smol-toml';
import { DEFAULT_CONFIG, parseConfig, type Config } from '../src/config.ts';
import type { Diagnostic } from '../src/diagnostics.ts';
import { buildSite, page, runCli, tempDir, text, writeFiles } from './helpers.ts';

const SEED = Number(process.env.FC_SEED ?? 20261121);
/** Cases per property. */
const RUNS = { text: 1500, fragments: 1500, objects: 600 };

/** `__proto__`, `constructor`, `hasOwnProperty`, `toString`, `__defineGetter__`, … */
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype);
const KNOWN_KEYS = ['title', 'description', 'author', 'baseUrl', 'language', 'timezone', 'postsPerPage', 'dateFormat', 'wordsPerMinute', 'markdown', 'allowHtml', 'taxonomies', 'splitCamelCase', 'displayNames', 'layoutAliases', 'feeds', 'content', 'relatedPosts', 'math', 'links'];
const FILES = { YAML: 'quire.config.yml', JSON: 'quire.config.json', TOML: 'quire.config.toml' } as const;
type Format = keyof typeof FILES;

/** Nothing a config did reached Object.prototype (checked after every case). */
function assertNoPollution(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), [...PROTO_KEYS].sort());
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
  assert.equal(({} as Record<string, unknown>)['title'], undefined);
}

/** A complete config of the right shape: every default key, nothing else, each of the default's type. */
function assertShape(config: Config): void {
  assert.equal(Object.getPrototypeOf(config), Object.prototype);
  assert.deepEqual(Object.keys(config).sort(), Object.keys(DEFAULT_CONFIG).sort());
  for (const [key, value] of Object.entries(DEFAULT_CONFIG)) {
    assert.equal(typeof (config as unknown as Record<string, unknown>)[key], typeof value, key);
  }
  assert.equal(typeof config.markdown.allowHtml, 'boolean');
  assert.equal(typeof config.taxonomies.splitCamelCase, 'boolean');
  assert.ok(config.feeds.content === 'full' || config.feeds.content === 'summary');
  assert.ok(config.links === 'warning' || config.links === 'error');
  for (const map of [config.taxonomies.displayNames, config.layoutAliases]) {
    for (const key of Object.keys(map)) assert.equal(typeof map[key], 'string');
  }
}

/** Every diagnostic about the file names it with a line and a column; command-line ones name the option. */
function assertLocated(diagnostics: Diagnostic[], file: string): void {
  for (const d of diagnostics) {
    assert.match(d.code, /^config\//);
    if (d.file === undefined) {
      assert.match(d.message, /^(unknown config key )?"?--/, d.message);
      continue;
    }
    assert.equal(d.file, file);
    assert.ok(Number.isInteger(d.line) && d.line! >= 1, `line of ${JSON.stringify(d)}`);
    assert.ok(Number.isInteger(d.column) && d.column! >= 1, `column of ${JSON.stringify(d)}`);
  }
}

/** parseConfig must return, whatever it is given; the result is checked as above. */
function parseSafely(textValue: string, file: string, overrides: Partial<Config> = {}) {
  let result: ReturnType<typeof parseConfig>;
  try {
    result = parseConfig(textValue, file, overrides);
  } catch (e) {
    assert.fail(`parseConfig threw for ${JSON.stringify(textValue.slice(0, 200))} (${file}): ${(e as Error).stack}`);
  }
  assertShape(result.value);
  assertLocated(result.diagnostics, file);
  assertNoPollution();
  return result;
}

// ── Every key name of Object.prototype, everywhere a key can go ─────────────────────────────────

/** A config holding `key` at one place, and the line the key is on. */
interface Placement {
  where: string;
  /** True when the place is a map of the user's own names, where any key is an ordinary entry. */
  userMap: boolean;
  text: (format: Format, key: string) => { text: string; line: number };
}

const PLACES: Placement[] = [
  {
    where: 'at the top level',
    userMap: false,
    text: (f, k) =>
      f === 'YAML'
        ? { text: `title: T\n${k}: 1\n`, line: 2 }
        : f === 'JSON'
          ? { text: `{\n  "title": "T",\n  ${JSON.stringify(k)}: 1\n}\n`, line: 3 }
          : { text: `title = "T"\n${k} = 1\n`, line: 2 },
  },
  {
    where: 'at the top level, holding a map that tries to set keys',
    userMap: false,
    text: (f, k) =>
      f === 'YAML'
        ? { text: `${k}:\n  title: Polluted\n  links: error\n`, line: 1 }
        : f === 'JSON'
          ? { text: `{\n  ${JSON.stringify(k)}: {"title": "Polluted", "links": "error"}\n}\n`, line: 2 }
          : { text: `[${k}]\ntitle = "Polluted"\nlinks = "error"\n`, line: 1 },
  },
  {
    where: 'under markdown:',
    userMap: false,
    text: (f, k) =>
      f === 'YAML'
        ? { text: `markdown:\n  allowHtml: true\n  ${k}: 1\n`, line: 3 }
        : f === 'JSON'
          ? { text: `{\n  "markdown": {\n    "allowHtml": true,\n    ${JSON.stringify(k)}: 1\n  }\n}\n`, line: 4 }
          : { text: `[markdown]\nallowHtml = true\n${k} = 1\n`, line: 3 },
  },
  {
    where: 'under taxonomies:',
    userMap: false,
    text: (f, k) =>
      f === 'YAML'
        ? { text: `taxonomies:\n  ${k}: true\n`, line: 2 }
        : f === 'JSON'
          ? { text: `{"taxonomies": {\n  ${JSON.stringify(k)}: true\n}}\n`, line: 2 }
          : { text: `[taxonomies]\n${k} = true\n`, line: 2 },
  },
  {
    where: 'under feeds:',
    userMap: false,
    text: (f, k) =>
      f === 'YAML'
        ? { text: `feeds:\n  content: summary\n  ${k}: full\n`, line: 3 }
        : f === 'JSON'
          ? { text: `{"feeds": {"content": "summary",\n  ${JSON.stringify(k)}: "full"}}\n`, line: 2 }
          : { text: `[feeds]\ncontent = "summary"\n${k} = "full"\n`, line: 3 },
  },
  {
    where: 'under taxonomies.displayNames: (a map of the user’s names)',
    userMap: true,
    text: (f, k) =>
      f === 'YAML'
        ? { text: `taxonomies:\n  displayNames:\n    ${k}: Foo\n`, line: 3 }
        : f === 'JSON'
          ? { text: `{"taxonomies": {"displayNames": {\n  ${JSON.stringify(k)}: "Foo"}}}\n`, line: 2 }
          : { text: `[taxonomies.displayNames]\n${k} = "Foo"\n`, line: 2 },
  },
  {
    where: 'under layoutAliases: (a map of the user’s names)',
    userMap: true,
    text: (f, k) =>
      f === 'YAML'
        ? { text: `layoutAliases:\n  ${k}: post\n`, line: 2 }
        : f === 'JSON'
          ? { text: `{"layoutAliases": {\n  ${JSON.stringify(k)}: "post"}}\n`, line: 2 }
          : { text: `[layoutAliases]\n${k} = "post"\n`, line: 2 },
  },
];

for (const place of PLACES) {
  for (const format of Object.keys(FILES) as Format[]) {
    test(`every Object.prototype key name ${place.where} in ${format} ${place.userMap ? 'is an ordinary entry' : 'is an unknown-key warning at its line'}`, () => {
      const file = FILES[format];
      for (const key of PROTO_KEYS) {
        const { text: configText, line } = place.text(format, key);
        const r = parseSafely(configText, file);
        if (place.userMap) {
          assert.deepEqual(r.diagnostics, [], key);
          const map = place.where.includes('displayNames') ? r.value.taxonomies.displayNames : r.value.layoutAliases;
          assert.equal(Object.getPrototypeOf(map), null, key);
          assert.deepEqual(Object.keys(map), [key], key);
          assert.equal(map[key], place.where.includes('displayNames') ? 'Foo' : 'post', key);
        } else {
          assert.deepEqual(
            r.diagnostics.map((d) => [d.code, d.severity, d.line]),
            [['config/unknown-key', 'warning', line]],
            `${key}: ${JSON.stringify(r.diagnostics)}`,
          );
          assert.ok(r.diagnostics[0]!.message.includes(JSON.stringify(key)) || r.diagnostics[0]!.message.includes(key), key);
          assert.notEqual(r.value.title, 'Polluted', key);
          assert.equal(r.value.links, 'warning', key);
        }
      }
    });
  }
}

test('every Object.prototype key name as a command-line override is an unknown-key warning', () => {
  for (const key of PROTO_KEYS) {
    const overrides = Object.defineProperty({}, key, { value: 'x', enumerable: true }) as Partial<Config>;
    const r = parseSafely('', FILES.YAML, overrides);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['config/unknown-key'], key);
  }
});

// ── Any text, any object ───────────────────────────────────────────────────────────────────────

test(`parseConfig never throws for arbitrary text as YAML, JSON or TOML (${RUNS.text} cases each, seed ${SEED})`, () => {
  for (const file of Object.values(FILES)) {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (s) => {
        parseSafely(s, file);
      }),
      { seed: SEED, numRuns: RUNS.text },
    );
  }
});

/** Config-shaped lines: keys (ours and Object.prototype's) at a few indents, values, and some noise (anchors, aliases, brackets, quotes, tabs). */
const KEY = fc.oneof(fc.constantFrom(...KNOWN_KEYS, ...PROTO_KEYS), fc.string({ maxLength: 5 }));
const VALUE = fc.oneof(
  fc.constantFrom('', 'true', 'false', '3', '-1', '0', '1e400', 'null', '~', '.inf', '1979-05-27', '"x"', "'y'", '[a, b]', '{a: 1}', '[]', '{}'),
  fc.constantFrom('https://example.com/blög/', '//evil.example/', '/my%20blog/', 'error', 'warning', 'summary', 'Europe/Berlin', '&a [1, 2]', '*a', '&b x', '*b', '!!str 1', '|', '>'),
  fc.string({ maxLength: 6 }),
);
const NOISE = fc.oneof({ weight: 12, arbitrary: fc.constant('') }, fc.constantFrom('\t', ' #', '"', "'", '[', ']', '{', '}', ',', ': ', '- ', '? ', '---', '\\', '&a ', '*a'));
const yamlLine = fc.tuple(fc.constantFrom('', '', '', '  ', '  ', '    ', '- '), KEY, fc.constantFrom(': ', ': ', ': ', ':', ' '), VALUE, NOISE).map(([i, k, s, v, n]) => i + k + s + v + n);
const tomlLine = fc.oneof(
  fc.tuple(KEY, fc.constantFrom(' = ', '=', ' '), VALUE, NOISE).map(([k, s, v, n]) => k + s + (/^[\d"'\[{tf-]/.test(v) ? v : JSON.stringify(v)) + n),
  fc.tuple(fc.constantFrom('[', '[[', '["'), fc.array(KEY, { minLength: 1, maxLength: 3 }), fc.constantFrom(']', ']]', '"]', '')).map(([o, ks, c]) => o + ks.join('.') + c),
);

test(`parseConfig never throws for config-shaped lines in YAML, JSON and TOML files (${RUNS.fragments} cases per format, seed ${SEED})`, (t) => {
  for (const [file, line] of [
    [FILES.YAML, yamlLine],
    [FILES.JSON, yamlLine],
    [FILES.TOML, tomlLine],
  ] as const) {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const r = parseSafely(lines.join('\n') + '\n', file);
        const outcome = [...new Set(r.diagnostics.map((d) => d.code))].sort().join('+') || 'clean';
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: RUNS.fragments },
    );
    t.diagnostic(`${file}: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${n} ${o}`).join(', ')}`);
  }
});

const jsonKey = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN_KEYS, ...PROTO_KEYS) }, fc.string({ maxLength: 8 }));
const jsonish = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 12 }),
    fc.constantFrom('full', 'summary', 'error', 'warning', '/blog/', 'https://example.com/', 'Europe/Berlin', 'pt-BR'),
    fc.integer({ min: -5, max: 30 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(jsonKey, tie('value'), { maxKeys: 5 }),
  ),
})).value;
const jsonishConfig = fc.dictionary(jsonKey, jsonish, { maxKeys: 8 });

test(`parseConfig never throws for arbitrary JSON-ish objects, written as JSON, YAML and TOML and given as overrides (${RUNS.objects} cases, seed ${SEED})`, () => {
  fc.assert(
    fc.property(jsonishConfig, (object) => {
      parseSafely(JSON.stringify(object), FILES.JSON);
      parseSafely(YAML.stringify(object), FILES.YAML);
      let toml: string | null = null;
      try {
        toml = stringifyToml(object); // TOML has no null: some objects cannot be written
      } catch {
        toml = null;
      }
      if (toml !== null) parseSafely(toml, FILES.TOML);
      parseSafely('', FILES.YAML, object as Partial<Config>);
    }),
    { seed: SEED, numRuns: RUNS.objects },
  );
});

test('a JSON-ish object that is a valid config reads back the same in all three formats', () => {
  const object = { title: 'T', links: 'error', markdown: { allowHtml: true }, taxonomies: { displayNames: { constructor: 'Foo', __proto__x: 'Bar' } }, layoutAliases: { toString: 'post' } };
  for (const [file, configText] of [
    [FILES.JSON, JSON.stringify(object)],
    [FILES.YAML, YAML.stringify(object)],
    [FILES.TOML, stringifyToml(object)],
  ] as const) {
    const r = parseSafely(configText, file);
    assert.deepEqual(r.diagnostics, [], file);
    assert.equal(r.value.links, 'error');
    assert.deepEqual({ ...r.value.taxonomies.displayNames }, { constructor: 'Foo', __proto__x: 'Bar' });
    assert.deepEqual({ ...r.value.layoutAliases }, { toString: 'post' });
  }
});

// ── Real builds and the real CLI ───────────────────────────────────────────────────────────────

const POST = '---\ntitle: Prototype names\ndate: 2024-05-01\ntags: [constructor, toString, hasOwnProperty]\n---\n\nA post whose tags are named like Object.prototype members.\n';

test('a build with Object.prototype key names in the config succeeds, and displayNames.constructor names the tag', async (t) => {
  const dir = await tempDir(t);
  const config = ['title: Hardened', '__proto__: 1', 'hasOwnProperty: 1', 'toString: x', 'markdown:', '  constructor: 1', 'taxonomies:', '  displayNames:', '    constructor: Foo', '    __proto__: Bar', ''].join('\n');
  await writeFiles(dir, { 'quire.config.yml': config, 'content/a.md': POST });
  const out = path.join(dir, 'public');
  const report = await buildSite({ root: dir, outDir: out, contentDir: path.join(dir, 'content'), configFile: path.join(dir, 'quire.config.yml'), workers: 1, cache: false });
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  assert.equal(report.ok, true);
  assert.deepEqual(
    report.diagnostics.filter((d) => d.code === 'config/unknown-key').map((d) => d.line),
    [2, 3, 4, 6],
  );
  assert.match(text((await page(out, 'tags/constructor/')).querySelector('h1')), /\bFoo$/);
  assert.equal(text((await page(out, '')).querySelector('title')), 'Hardened');
});

test('the CLI reports a YAML alias bomb as a located config/syntax error and exits 1, without a stack trace', async (t) => {
  const dir = await tempDir(t);
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
    lines.push(`${name}: &${name} [${Array(9).fill('*' + prev).join(', ')}]`);
  }
  await writeFiles(dir, { 'bomb.yml': lines.join('\n') + '\n', 'content/a.md': POST });
  const r = await runCli(['build', '--config', path.join(dir, 'bomb.yml'), '--content', path.join(dir, 'content'), '--out', path.join(dir, 'public'), '--no-cache', '--workers', '1']);
  const output = r.stdout + r.stderr;
  assert.equal(r.code, 1, output);
  assert.match(output, /bomb\.yml:\d+:\d+: error: .*\[config\/syntax\]/);
  assert.doesNotMatch(output, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
});

test('the CLI builds with __proto__ and hasOwnProperty in the config: warnings, exit 0', async (t) => {
  const dir = await tempDir(t);
  await writeFiles(dir, { 'quire.config.json': '{\n  "__proto__": {"title": "Polluted"},\n  "hasOwnProperty": 1\n}\n', 'content/a.md': POST });
  const r = await runCli(['build', '--config', path.join(dir, 'quire.config.json'), '--content', path.join(dir, 'content'), '--out', path.join(dir, 'public'), '--no-cache', '--workers', '1']);
  const output = r.stdout + r.stderr;
  assert.equal(r.code, 0, output);
  assert.match(output, /quire\.config\.json:2:\d+: warning: unknown config key "__proto__" is ignored \[config\/unknown-key\]/);
  assert.match(output, /quire\.config\.json:3:\d+: warning: unknown config key "hasOwnProperty" is ignored \[config\/unknown-key\]/);
});
