/// <reference lib="dom" />
/**
 * Checks run inside a page (pass to page.evaluate): what a reader would see as broken layout or
 * unreadable controls. Self-contained, since the browser gets the function's source; tsx names
 * inner functions with __name(), so the page needs `window.__name = (fn) => fn` first.
 */

/** Layout checks in the page: overflow, boxes their content sticks out of, and the contrast of controls. */
export function layoutProblems(): string[] {
  const problems: string[] = [];
  const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.classList.length ? '.' + [...el.classList].join('.') : ''}`;
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw) problems.push(`horizontal overflow: the page is ${document.documentElement.scrollWidth}px wide in ${vw}px`);
  // Boxes whose content must stay inside them (drawn boxes; scroll boxes scroll).
  const BOXES = '.code-block, .code-bar, .table-scroll, .site-header-inner, .post-meta, .chip, .post-nav-link, .pagination, .toc, .related, .search-row, .site-footer .wrap, .theme-switch';
  const scroller = (el: Element): Element | null => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (/auto|scroll/.test(getComputedStyle(p).overflowX)) return p;
    return null;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.sr-only, .skip-link, script, noscript, template')) continue;
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    const inScroller = scroller(el);
    if (!inScroller && (r.left < -0.5 || r.right > vw + 0.5)) problems.push(`${name(el)} sticks out of the viewport (${Math.round(r.left)}–${Math.round(r.right)} of ${vw}px)`);
    const box = el.parentElement?.closest(BOXES);
    if (box && !(inScroller && box.contains(inScroller))) {
      const b = box.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5) problems.push(`${name(el)} sticks out of ${name(box)}`);
    }
    if (/hidden|clip/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && !el.matches('.sr-only')) problems.push(`${name(el)} clips its content`);
  }
  // Controls: their border or their fill at least 3:1 against what is behind them (WCAG 1.4.11).
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]: number[]) => [r!, g!, b!].map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i]!, 0);
  const ratio = (a: string, b: string) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((m, n) => n - m);
    return (x! + 0.05) / (y! + 0.05);
  };
  const opaque = (c: string) => c !== 'transparent' && rgb(c)[3] !== 0;
  const behind = (el: Element) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const c = getComputedStyle(p).backgroundColor;
      if (opaque(c)) return c;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  for (const el of document.querySelectorAll('button, select, input')) {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || s.visibility === 'hidden') continue;
    const back = behind(el);
    const border = parseFloat(s.borderTopWidth) > 0 && opaque(s.borderTopColor) ? ratio(s.borderTopColor, back) : 0;
    const fill = opaque(s.backgroundColor) ? ratio(s.backgroundColor, back) : 0;
    if (Math.max(border, fill) < 3) problems.push(`${name(el)}: border ${border.toFixed(2)}:1 and fill ${fill.toFixed(2)}:1 against its background, under 3:1`);
  }
  return problems;
}

