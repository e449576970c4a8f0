/** XML text: what may appear in an XML 1.0 document, and escaping for element content and attributes. */

/** Characters XML 1.0 forbids even as references: C0 controls but tab/LF/CR, lone surrogates, U+FFFE and U+FFFF. */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drops characters that may not appear in an XML 1.0 document (front matter can hold any). */
export function xmlSafe(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

/** Escapes text for XML element content, dropping illegal characters. */
export function escapeXml(s: string): string {
  return xmlSafe(s).replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);
}

/** Escapes a double-quoted attribute value; tabs and line breaks as references, which parsers would turn into spaces. */
export function escapeXmlAttr(s: string): string {
  return xmlSafe(s).replace(/[&<>"\t\n\r]/g, (c) => XML_ESCAPES[c]!);
}
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
