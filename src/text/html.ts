/** Escaping for HTML written as strings (outside the templates, which escape on their own). */

/** Text or a double-quoted attribute value: `&`, `<`, `>` and `"`. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A URL for a double-quoted attribute: `&` and `"` only (what the HTML serialiser escapes). */
export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
