/**
 * Long posts are parsed in parts. micromark's cost grows with the size of the document it holds:
 * its event lists are spliced and walked whole, and a long release note (thousands of list items
 * with links) makes large live arrays that the garbage collector copies again and again. Parsed
 * section by section, a 900 KB release note takes about 30 % less time, a 180 KB one about 20 %
 * (issue 15, measured with mdast-util-from-markdown and GFM on the link-dense bench corpus).
 *
 * The parts are cut only where nothing can reach across the cut, so their trees, put side by side
 * with positions shifted, are exactly the tree of the whole (tested on every fixture and the bench
 * corpora, cut at every possible place):
 *
 * - at a line that starts in column 1 after a blank line, outside a fenced code block, and that is
 *   not a list item (it could continue the list above) or a block quote marker. A blank line has
 *   closed every paragraph, table, HTML block of kinds 6 and 7 and indented code block above, and a
 *   line in column 1 is not inside any list item or block quote (no lazy continuation after a blank
 *   line), so every container is closed;
 * - between two items of a list, before a line in column 1 that starts an item of the same kind
 *   (the same bullet, or numbers with the same delimiter) inside a run of such items that began
 *   after a blank line (or at the start), where every line since is such an item or is indented at
 *   least to its item's content (a line indented less could start a list, quote or heading of its
 *   own, or be a lazy continuation), and outside a fence or an HTML block. A release note can be
 *   one list of thousands of items with no blank line, which micromark would hold whole (1 MB:
 *   about 600 MB). The two parts' lists are joined into one: items of the first, then of the
 *   second, loose if either was (no blank line is at the cut, so no looseness comes from it), from
 *   the first's start to the second's end;
 * - never in a document with a definition or a footnote (`]:` or `[^` anywhere: a reference can
 *   point across the cut), nor with an HTML block that can span blank lines (`<!--`, `<?`, `<!X`,
 *   `<![CDATA[`, `<script`, `<pre`, `<style`, `<textarea`), nor with a code fence that does not
 *   start its line: in a list item, a fence left open runs on over blank lines until the list
 *   ends, and the part would end it a line later (found by the property test). Math (`$$`
 *   blocks) is handled by the caller, which parses math posts whole.
 */
import type { Point, Position } from 'unist';
import type { Nodes, Root } from 'mdast';

/** Below this size a post is parsed whole: the gain is too small to measure. */
export const MIN_PART_BYTES = 16 * 1024;

/**
 * Content that makes a document unsafe to cut anywhere: a definition or footnote, HTML that can span
 * blank lines, and a code fence that does not start its line (in a list item it can run on over
 * blank lines until the list ends).
 */
const UNCUTTABLE = /\]:|\[\^|<!--|<\?|<!\[CDATA\[|<![A-Za-z]|<(?:script|pre|style|textarea)(?:[\s/>]|$)|[^\n\r`]`{3}|[^\n\r~]~{3}/i;
const LINE_END = /\r\n|\r|\n/g;
const BLANK = /^[ \t]*$/;
/** A line a cut may come before: starts in column 1, not a list item, not a block quote. */
const CUTTABLE_LINE = /^(?![ \t>+*-]|\d{1,9}[.)](?:[ \t]|$))./;
/** An opening code fence (a backtick fence's info string has no backtick); one that does not start its line is UNCUTTABLE. */
const FENCE = /^(`{3,}(?=[^`]*$)|~{3,})/;
/** A closing code fence: nothing but white space after the marks. */
const CLOSING_FENCE = /^(`{3,}|~{3,})[ \t]*$/;
/** The start of an HTML block of kind 6 or 7 (it ends at the next blank line). */
const HTML_START = /^ {0,3}<[A-Za-z/]/;
/** A list item in column 1 with text on its line: the bullet, or the ordered list's delimiter, and the white space after it. */
const LIST_ITEM = /^(?:([-*+])|\d{1,9}([.)]))([ \t]+)\S/;
/** A thematic break, which `* * *` or `- - -` would otherwise pass for an item. */
const THEMATIC_BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** Where a part starts: the offset of its first character and the number of lines before it. */
export interface Cut {
  offset: number;
  line: number;
  /** The part starts with the next item of the list that ends the part before: their lists are one. */
  join?: true;
}

/**
 * The places where `doc` can be cut into parts of at least `partBytes` each (none when the
 * document is shorter than two parts, or cannot be cut safely). Offsets and lines are 0-based
 * counts of what comes before.
 *
 * Fences are followed to know which lines are code: every fence starts its line (see
 * UNCUTTABLE), where it is exactly a fence of the document itself, except right after the start of
 * an HTML block, which holds it: such a document is not cut at all.
 */
export function cutsOf(doc: string, partBytes = MIN_PART_BYTES): Cut[] {
  if (doc.length < 2 * partBytes || UNCUTTABLE.test(doc)) return [];
  const cuts: Cut[] = [];
  let fence: { char: string; length: number } | null = null;
  let blankBefore = false;
  let inHtml = false;
  /** The kind of the top-level list whose run of items goes on at this line (see LIST_ITEM); null outside one. */
  let run: string | null = null;
  /** The column where the content of the run's current item starts: a line indented less may start a block of its own. */
  let contentColumn = 0;
  let start = 0;
  let line = 0;
  let lastCut = 0;
  let marks: RegExpExecArray | null;
  LINE_END.lastIndex = 0;
  while (start < doc.length) {
    const end = LINE_END.exec(doc);
    const stop = end ? end.index : doc.length;
    const text = doc.slice(start, stop);
    if (fence) {
      const marks = CLOSING_FENCE.exec(text);
      if (marks && marks[1]![0] === fence.char && marks[1]!.length >= fence.length) fence = null;
    } else if ((marks = FENCE.exec(text))) {
      if (inHtml) return [];
      fence = { char: marks[1]![0]!, length: marks[1]!.length };
    } else {
      const roomy = start - lastCut >= partBytes && doc.length - start >= partBytes;
      const item = !inHtml && !THEMATIC_BREAK.test(text) ? LIST_ITEM.exec(text) : null;
      const kind = item ? (item[1] ?? item[2]!) : null;
      if (blankBefore && CUTTABLE_LINE.test(text) && roomy) {
        cuts.push({ offset: start, line });
        lastCut = start;
      } else if (kind && kind === run && roomy) {
        cuts.push({ offset: start, line, join: true });
        lastCut = start;
      }
      // A run starts at an item after a blank line or at the start, goes on through its items of
      // the same kind and the lines indented to their content, and ends at anything else (a line
      // indented less could start a list, a quote or a heading of its own, or be a lazy one).
      if (kind) {
        run = blankBefore || start === 0 || run === kind ? kind : null;
        const marker = item![0].length - item![3]!.length - 1;
        const gap = columnOf(text, marker + item![3]!.length) - marker;
        contentColumn = marker + (gap > 4 ? 1 : gap);
      } else if (run && columnOf(text, /^[ \t]*/.exec(text)![0].length) < contentColumn) run = null;
      blankBefore = BLANK.test(text);
      inHtml = !blankBefore && (inHtml || HTML_START.test(text));
      if (blankBefore || inHtml) run = null;
    }
    if (fence) (blankBefore = inHtml = false), (run = null);
    if (!end) break;
    start = end.index + end[0].length;
    line++;
  }
  return cuts;
}

/** The column (0-based, tabs to the next multiple of 4) at which the character at `index` of `line` starts. */
function columnOf(line: string, index: number): number {
  let column = 0;
  for (let i = 0; i < index; i++) column = line[i] === '\t' ? column + 4 - (column % 4) : column + 1;
  return column;
}

/**
 * Parses `doc` part by part with `parse` and joins the trees into one, with every position as it
 * is in the whole document. `onPart` sees each part's tree and how many lines come before it.
 */
export function parseInParts(doc: string, cuts: Cut[], parse: (text: string) => Root, onPart?: (part: Root, lines: number) => void): Root {
  const bounds = [{ offset: 0, line: 0 }, ...cuts];
  const children: Root['children'] = [];
  let end: Point | undefined;
  for (const [i, cut] of bounds.entries()) {
    const part = parse(doc.slice(cut.offset, bounds[i + 1]?.offset ?? doc.length));
    if (cut.offset) shiftPositions(part, cut);
    onPart?.(part, cut.line);
    if ('join' in cut) {
      const [first, ...rest] = part.children;
      const before = children.at(-1);
      // Not the lists the cut was made between: not a document cutsOf has seen; parsed whole.
      if (before?.type !== 'list' || first?.type !== 'list' || before.ordered !== first.ordered || !before.position || !first.position) return parse(doc);
      before.children.push(...first.children);
      before.spread = before.spread || first.spread;
      before.position = { start: before.position.start, end: first.position.end };
      children.push(...rest);
    } else children.push(...part.children);
    end = part.position?.end;
  }
  return { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end: end ?? { line: 1, column: 1, offset: 0 } } };
}

/** Moves every position in `tree` by the lines and characters before its part (new objects: points may be shared). */
function shiftPositions(tree: Root, by: Cut): void {
  const shift = (p: Point): Point => (p.offset === undefined ? { line: p.line + by.line, column: p.column } : { line: p.line + by.line, column: p.column, offset: p.offset + by.offset });
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    const at: Position | undefined = node.position;
    if (at) node.position = { start: shift(at.start), end: shift(at.end) };
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
}
