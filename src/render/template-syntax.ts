/**
 * Handlebars syntax errors in words a theme author can act on. Handlebars says
 * `Expecting 'CLOSE_RAW_BLOCK', 'CLOSE', … got 'INVALID'`; we say "a `{{` is not closed by `}}`:
 * write `{{post.title}}`", and keep its message as a detail. The parser's error only tells which
 * token it choked on, so the template is scanned here for the mustache or block that caused it.
 */

export interface Explanation {
  /** What is wrong, naming the tag. */
  message: string;
  /** What to write instead, then Handlebars' own message as `detail:`. */
  hint: string;
}

/** A `{{…}}` tag as written, with the problem found in it, if any. */
interface Tag {
  raw: string;
  line: number;
  kind: 'open' | 'close' | 'else' | 'other';
  /** Block name for open/close (`if`, `each`, a partial block's partial). */
  name: string;
  problem?: { message: string; fix: string };
}

/** Rewords a Handlebars parse error for `text` (the template); `original` is Handlebars' message. */
export function explainTemplateError(original: string, text: string, line: number): Explanation {
  const detail = `\n  detail: Handlebars: ${summarise(original)}`;
  const { tags, blocks } = scan(text);
  const say = (message: string, fix: string): Explanation => ({ message, hint: fix + detail });

  const mismatch = /^(\S+) doesn't match (\S+)/.exec(original);
  if (mismatch) {
    const [, opened, closed] = mismatch;
    const open = blocks.mismatched ?? tags.find((t) => t.kind === 'open' && t.name === opened);
    return say(`${open ? `\`${open.raw}\`` : `{{#${opened}}}`} is closed by \`{{/${closed}}}\``, `close it with \`{{/${opened}}}\`; a block opened inside another must be closed before it`);
  }
  const got = /got '(\w+)'/.exec(original)?.[1];
  if (got === 'EOF' && /OPEN_ENDBLOCK/.test(original)) {
    const open = blocks.unclosed.at(-1);
    if (open) return say(`\`${open.raw}\` (line ${open.line}) is never closed`, `add \`{{/${open.name}}}\` where the block ends`);
  }
  if (got === 'OPEN_ENDBLOCK' && blocks.stray) {
    const stray = blocks.stray;
    return say(`\`${stray.raw}\` closes a block that was never opened`, `remove it, or open the block before it with \`{{#${stray.name} …}}\``);
  }
  if ((got === 'INVERSE' || got === 'OPEN_INVERSE_CHAIN' || got === 'OPEN_INVERSE') && blocks.strayElse) {
    return say(`\`${blocks.strayElse.raw}\` is not inside an \`{{#if}}\`, \`{{#unless}}\` or \`{{#each}}\` block`, 'move it inside the block it belongs to, or remove it');
  }
  // The broken tag: the first on the reported line, else the first before it.
  const broken = tags.find((t) => t.problem && t.line === line) ?? tags.filter((t) => t.problem && t.line <= line)[0] ?? tags.find((t) => t.problem);
  if (broken?.problem) return say(broken.problem.message, broken.problem.fix);
  return say('Handlebars cannot read the template here', 'check that every `{{` has its `}}` and every `{{#block}}` its `{{/block}}`');
}

/** `Parse error on line 2: Expecting 'CLOSE', 'ID', … got 'INVALID'`: no excerpt, caret or token list past two. */
function summarise(message: string): string {
  const lines = message.split('\n').filter(Boolean);
  const expecting = lines.find((l) => l.startsWith('Expecting '));
  const shortened = expecting?.replace(/^Expecting ((?:'\w+', ){2})(?:'\w+', ){2,}/, 'Expecting $1… ');
  return [lines[0]!.replace(/ - \d+:\d+$/, ''), shortened].filter(Boolean).join(' ');
}

/** The tags of `text` and how its blocks nest. */
function scan(text: string): { tags: Tag[]; blocks: { unclosed: Tag[]; stray?: Tag; strayElse?: Tag; mismatched?: Tag } } {
  const tags: Tag[] = [];
  const stack: Tag[] = [];
  const blocks: { unclosed: Tag[]; stray?: Tag; strayElse?: Tag; mismatched?: Tag } = { unclosed: stack };
  const lineAt = (i: number) => text.slice(0, i).split('\n').length;
  let i = 0;
  while ((i = text.indexOf('{{', i)) !== -1) {
    if (text[i - 1] === '\\') {
      i += 2;
      continue;
    }
    const line = lineAt(i);
    const comment = /^\{\{~?!(--)?/.exec(text.slice(i, i + 6));
    if (comment) {
      const closer = comment[1] ? '--}}' : '}}';
      const end = text.indexOf(closer, i);
      if (end === -1) {
        tags.push({ raw: clip(text.slice(i, i + 20)), line, kind: 'other', name: '', problem: { message: `a \`{{!${comment[1] ?? ''}\` comment is not closed by \`${closer}\``, fix: `end the comment with \`${closer}\`` } });
        break;
      }
      i = end + closer.length;
      continue;
    }
    const tag = readTag(text, i, line);
    tags.push(tag.tag);
    i = tag.end;
    const t = tag.tag;
    if (t.kind === 'open') stack.push(t);
    else if (t.kind === 'close') {
      const top = stack.at(-1);
      if (!top) blocks.stray ??= t;
      else {
        if (top.name !== t.name) blocks.mismatched ??= top;
        stack.pop();
      }
    } else if (t.kind === 'else' && !stack.length) blocks.strayElse ??= t;
  }
  return { tags, blocks };
}

/** Reads the tag starting at `start` (`{{` or `{{{`), up to its `}}`, a new `{{` or the end. */
function readTag(text: string, start: number, line: number): { tag: Tag; end: number } {
  const triple = text[start + 2] === '{';
  let j = start + (triple ? 3 : 2);
  let depth = 0;
  let problem: Tag['problem'];
  for (; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, j + 1);
      const nextOpen = text.indexOf('{{', j + 1);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        const end = text.indexOf('}}', j);
        const raw = text.slice(start, end === -1 ? j + 1 : end + 2);
        problem = { message: `a quoted string in \`${clip(raw)}\` is not closed`, fix: `add the closing ${c}` };
        return { tag: { raw, line, kind: 'other', name: '', problem }, end: end === -1 ? text.length : end + 2 };
      }
      j = close;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (text.startsWith('}}', j) || text.startsWith('{{', j)) break;
  }
  const body = text.slice(start + (triple ? 3 : 2), j);
  if (j >= text.length || text.startsWith('{{', j)) {
    // `{{post.title}</p>`: show the tag up to where it visibly ends, and the fix.
    const cut = /^[^}<\n]*\}?/.exec(body)![0];
    const raw = (triple ? '{{{' : '{{') + cut;
    const fix = raw.replace(/\}*$/, '') + (triple ? '}}}' : '}}');
    return { tag: { raw, line, kind: 'other', name: '', problem: { message: `a \`${triple ? '{{{' : '{{'}\` is not closed by \`${triple ? '}}}' : '}}'}\`: \`${clip(raw)}\``, fix: `write \`${clip(fix)}\`` } }, end: j };
  }
  let end = j + 2;
  const extra = text[end] === '}';
  if (triple && !extra) {
    const raw = text.slice(start, end);
    problem = { message: `\`${clip(raw)}\` opens with three braces and closes with two`, fix: `write \`{{{${body.trim()}}}}\` (or \`{{${body.trim()}}}\` to escape the value)` };
  } else if (triple) end++;
  else if (extra) {
    const raw = text.slice(start, end + 1);
    problem = { message: `\`${clip(raw)}\` has one \`}\` too many`, fix: `write \`{{${body.trim()}}}\`` };
  }
  const raw = text.slice(start, end + (extra && !triple ? 1 : 0));
  const inner = body.replace(/^~|~$/g, '').trim();
  if (!problem && depth > 0) problem = { message: `a \`(\` in \`${clip(raw)}\` is not closed by \`)\``, fix: 'close the sub-expression with `)` before the `}}`' };
  if (!problem && depth < 0) problem = { message: `\`${clip(raw)}\` has a \`)\` that closes nothing`, fix: 'remove it, or open the sub-expression with `(`' };
  if (!problem && /^>\s*$/.test(inner)) problem = { message: `\`${clip(raw)}\` names no partial`, fix: 'write the partial\'s name after the `>`, e.g. `{{> post-meta}}`' };
  if (!problem && !inner) problem = { message: `\`${clip(raw)}\` is empty`, fix: 'write a value between the braces, e.g. `{{post.title}}`, or remove it' };
  const open = /^(?:#\*?>?|\^)\s*([^\s}~)]+)/.exec(inner);
  const close = /^\/\s*([^\s}~]+)/.exec(inner);
  const kind: Tag['kind'] = close ? 'close' : open ? 'open' : inner === '^' || /^else\b/.test(inner) ? 'else' : 'other';
  return { tag: { raw, line, kind, name: (close ?? open)?.[1] ?? '', ...(problem ? { problem } : {}) }, end };
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? one.slice(0, 57) + '…' : one;
}
