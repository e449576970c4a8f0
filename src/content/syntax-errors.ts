/**
 * YAML and TOML syntax errors in words an author can act on: "a value contains `: ` — put the
 * value in quotes" with the line rewritten as it should be, instead of the parser's "Nested
 * mappings are not allowed in compact mappings", which is kept as a `detail:` line.
 */
import type * as Yaml from 'yaml';
import { onFirstUse } from '../lazy.ts';

const YAML = onFirstUse<typeof Yaml>('yaml');

export interface Explanation {
  /** What is wrong — and what to do about it. */
  message: string;
  /** The line as it should be written (where that can be worked out), then the parser's own words. */
  hint: string;
}

/** Explains a `yaml` parse error (`code` and `message` as the library gives them) found on `lineText`. */
export function explainYamlError(code: string, message: string, lineText: string): Explanation {
  const detail = `\n  detail: YAML: ${firstLine(message)}`;
  const say = (what: string, fix: string): Explanation => ({ message: what, hint: fix + detail });
  const kv = keyValue(lineText);
  const quoted = kv ? `write ${kv.key}: ${quote(unwrap(kv.value))}` : 'put the value in quotes';

  if (code === 'BLOCK_AS_IMPLICIT_KEY' && /block sequence/i.test(message)) return say('a list item is indented differently from the items above it', 'indent every `- ` item of one list the same way');
  if (code === 'BLOCK_AS_IMPLICIT_KEY') {
    if (kv && kv.value.includes(': ')) return say('a value contains `: ` — put the value in quotes', quoted);
    return say('the next line is indented under this value, so YAML reads the value as a map', 'start every key at the beginning of its line; to continue a value on the next line, put it in quotes');
  }
  if (code === 'MISSING_CHAR' && /closing (["'])quote/.test(message)) {
    const q = /closing (["'])/.exec(message)![1]!;
    return say(`a value starts with \`${q}\` but its closing \`${q}\` is missing`, q === '"' ? 'end the value with `"`; a `"` inside it is written `\\"`' : "end the value with `'`; a `'` inside it is written `''`");
  }
  if (code === 'MISSING_CHAR' || code === 'MULTILINE_IMPLICIT_KEY') {
    return say('a line is not `key: value`', 'add `: ` after the key, indent the line if it continues the value above, or remove it');
  }
  if (code === 'BAD_INDENT' && /Flow sequence/.test(message)) return say('a `[` list is not closed by `]` on its line — close it, or quote the value', kv ? `write ${kv.key}: [${unwrap(kv.value).replace(/^\[|\]$/g, '')}]` : 'end the list with `]`');
  if (code === 'BAD_INDENT' && /Flow map/.test(message)) return say('a `{` map is not closed by `}` on its line — close it, or quote the value', 'end the map with `}`, or put the value in quotes if the `{` is text');
  if (code === 'BAD_INDENT') return say('this key does not line up with the keys above it', 'start every key at the beginning of its line');
  if (code === 'TAB_AS_INDENT') return say('a tab is used for indentation — YAML indents with spaces only', 'replace the tab with spaces, or remove it');
  if (code === 'BAD_SCALAR_START') {
    const ch = /character (\S)/.exec(message)?.[1] ?? kv?.value[0] ?? '';
    return say(`a value starts with ${ch === '`' ? 'a backquote (`)' : `\`${ch}\``}, which YAML reserves — put the value in quotes`, quoted);
  }
  if (code === 'UNEXPECTED_TOKEN' && /block-seq-ind on same line/.test(message)) return say('a value starts with `- ` — put the value in quotes, or start the list on the next line', quoted);
  if (code === 'UNEXPECTED_TOKEN' && /scalar at node end/.test(message) && kv && /^(["']).*\1$/.test(kv.value)) {
    const q = kv.value[0];
    return say(`a \`${q}\` inside a ${q === '"' ? 'double' : 'single'}-quoted value ends it early — write it as \`${q === '"' ? '\\"' : "''"}\`, or quote the value with the other quote`, quoted);
  }
  if (code === 'UNEXPECTED_TOKEN' && /scalar at node end/.test(message)) return say('text follows a quoted value — put the whole value in quotes', quoted);
  if (code === 'BAD_DQ_ESCAPE') {
    const esc = /sequence (\S+)/.exec(message)?.[1] ?? '\\';
    return say(`\`${esc}\` is not an escape YAML knows inside double quotes`, "write a backslash as `\\\\`, or put the value in single quotes ('…'), where `\\` is just a character");
  }
  if (/Unresolved alias/.test(message)) return say('a value starts with `*`, which YAML reads as a reference to an anchor — put the value in quotes', 'write e.g. `title: "*Hello*"`');
  return say('YAML cannot read this line', 'put a value in quotes if it contains `: ` or ` #`, or starts with one of [ ] { } * & ! | > % @ ` - ? \' "');
}

/** Explains a smol-toml error (its message, `Invalid TOML document: …`) found on `lineText`. */
export function explainTomlError(message: string, lineText: string): Explanation {
  const what = firstLine(message).replace(/^Invalid TOML document:\s*/, '');
  const detail = `\n  detail: TOML: ${what}`;
  const say = (problem: string, fix: string): Explanation => ({ message: problem, hint: fix + detail });
  const kv = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(lineText);
  if (/illegal character in key|cannot find end of key|unexpected end of key|empty bare key/.test(what) && /^\s*[\w"'.-]+\s*:/.test(lineText) && !lineText.includes('=')) {
    const colon = /^\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(lineText)!;
    return say('TOML writes `key = value`, not `key: value`', `write ${colon[1]} = ${tomlValue(colon[2]!)}`);
  }
  if (what === 'invalid value' && kv && kv[2] === '') return say(`"${kv[1]}" has no value`, `write a value after \`=\`, e.g. ${kv[1]} = "text"`);
  if (what === 'invalid value' && kv) return say('a value is not valid TOML — text must be in quotes', `write ${kv[1]} = ${tomlValue(kv[2]!)}`);
  // A basic string left open runs into the line break, which smol-toml reports as a control character.
  if (what === 'unfinished string' || (/control characters are not allowed in strings/.test(what) && (lineText.match(/"/g) ?? []).length % 2 === 1)) return say('a string is not closed', 'end it with the quote it starts with (on the same line, or use """ for several lines)');
  if (/expected comma or end of structure|unfinished array|unfinished table/.test(what)) return say('a list `[` or table `{` is not closed, or a comma is missing between its items', 'write e.g. tags = ["one", "two"]');
  if (/redefine/.test(what)) return say('this key is set twice', 'TOML allows each key once: remove one of them');
  if (/date/.test(what)) return say('a date is not a valid TOML date', 'write 2020-01-31, 2020-01-31T10:30:00Z or 2020-01-31 10:30:00, or put it in quotes');
  if (/end-of-line/.test(what)) return say('text follows a value on the same line', 'write one `key = value` per line, and text in quotes');
  if (/illegal character in key|key/.test(what)) return say('a key has a character bare TOML keys cannot have', 'use letters, digits, - and _ in keys, or put the key in quotes');
  return say('TOML cannot read this line', 'TOML needs `key = "value"`, with text in quotes');
}

/** `key: value` of a top-level line (value as written), if the line has that shape. */
function keyValue(line: string): { key: string; value: string } | null {
  const m = /^\s*([^\s:#][^:]*?):[ \t]+(.*?)\s*$/.exec(line);
  return m ? { key: m[1]!, value: m[2]! } : null;
}

/** The text the author meant: `'It's'` → It's, `"a" b` stays as written. */
function unwrap(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}

/** `value` as a YAML double-quoted string. */
function quote(value: string): string {
  return YAML.stringify(value, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0 }).trimEnd();
}

/** `value` as TOML: kept when it is already a number, boolean, date, quoted string or list; else quoted. */
function tomlValue(value: string): string {
  if (/^(true|false|[-+]?\d[\d_]*(\.\d+)?|\d{4}-\d{2}-\d{2}.*|".*"|'.*'|\[.*\])$/.test(value)) return value;
  return JSON.stringify(value);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
