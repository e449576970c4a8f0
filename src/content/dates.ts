/**
 * Dates as authors write them, read into one model. A date-only value is a calendar date in the
 * site's time zone (June 26 stays June 26 on every machine and in every TZ); a date-time without
 * an offset is wall-clock time in the site's zone; an offset is honoured. Nothing here reads the
 * machine's own time zone.
 */

export interface PostDate {
  /** The instant (for a date-only value: midnight in the site's zone), for sorting and feeds. */
  epochMs: number;
  /** True when the author gave only a day. */
  dateOnly: boolean;
  /** The calendar day in the site's zone: what pages show. */
  year: number;
  month: number;
  day: number;
  /** Machine-readable form for `<time datetime>`: `2019-06-26` or `2013-09-15T00:46:50Z`. */
  iso: string;
}

export type DateParse = { ok: true; date: PostDate } | { ok: false; reason: string };

const DATE_RE =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s+(\d{4}))?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Parses `2019-06-26`, `2019-06-26 10:00`, `2013-09-14 20:46:50 -0400`, `2019-06-26T10:00:00Z`... */
export function parseDate(input: string, timeZone: string): DateParse {
  const text = input.trim();
  const m = DATE_RE.exec(text);
  if (!m) return { ok: false, reason: `"${clip(text)}" is not a date; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +hh:mm` };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Ruby's Time#to_s-like `2023-01-29 18:30:22 2023 -0800` (a real Jekyll post) repeats the year.
  if (m[8] !== undefined && Number(m[8]) !== year) return { ok: false, reason: `"${clip(text)}" names two different years` };
  if (year < 1 || year > 9999) return { ok: false, reason: `year ${clip(m[1]!)} is out of range (0001 to 9999)` };
  if (month < 1 || month > 12) return { ok: false, reason: `month ${m[2]} does not exist in "${clip(text)}"` };
  const dim = daysInMonth(year, month);
  if (day < 1 || day > dim) return { ok: false, reason: `day ${m[3]} does not exist in ${monthNameEn(month)} ${year} (it has ${dim} days)` };
  if (m[4] === undefined) {
    const epochMs = zonedToEpoch(year, month, day, 0, 0, 0, 0, timeZone);
    return { ok: true, date: { epochMs, dateOnly: true, year, month, day, iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}` } };
  }
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: `time ${m[4]}:${m[5]}${m[6] ? ':' + m[6] : ''} does not exist` };
  let epochMs: number;
  const zone = m[9];
  if (zone === undefined) {
    epochMs = zonedToEpoch(year, month, day, hour, minute, second, ms, timeZone);
  } else {
    let offsetMin = 0;
    if (!/^(z|utc|gmt)$/i.test(zone)) {
      const digits = zone.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
      if (oh > 14 || om > 59) return { ok: false, reason: `time zone offset ${zone} does not exist` };
      offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
    }
    epochMs = utc(year, month, day, hour, minute, second, ms) - offsetMin * 60_000;
  }
  const date = instantDate(epochMs, timeZone);
  // 9999-12-31 23:00 -05:00 is already year 10000 in UTC: dates must stay in range where they are shown.
  if (date.year < 1 || date.year > 9999) return { ok: false, reason: `"${clip(text)}" is year ${date.year} in the site's time zone (${timeZone}); dates must be in 0001 to 9999` };
  return { ok: true, date };
}

/** A date for an instant (git commit time, file mtime), with its calendar day in the site's zone. */
export function instantDate(epochMs: number, timeZone: string): PostDate {
  const p = zonedParts(epochMs, timeZone);
  // RFC 3339 in the site's zone, e.g. 2013-09-14T20:46:50-04:00 (never a 5-digit year for 9999-12-31).
  const offsetMin = Math.round((utc(p.year, p.month, p.day, p.hour, p.minute, p.second, 0) - Math.floor(epochMs / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const zone = offsetMin === 0 ? 'Z' : `${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  const iso = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${zone}`;
  return { epochMs, dateOnly: false, year: p.year, month: p.month, day: p.day, iso };
}

/** Formats the calendar day with YYYY, MMMM, MMM, MM, M, DD, D tokens; `[text]` is literal. */
export function formatDate(date: PostDate, pattern: string, language: string): string {
  return pattern.replace(/\[([^\]]*)\]|YYYY|MMMM|MMM|MM|M|DD|D/g, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY':
        return pad(date.year, 4);
      case 'MMMM':
        return monthName(date.month, language, 'long');
      case 'MMM':
        return monthName(date.month, language, 'short');
      case 'MM':
        return pad(date.month);
      case 'M':
        return String(date.month);
      case 'DD':
        return pad(date.day);
      default:
        return String(date.day);
    }
  });
}

/** `2019-06-26-my-post.md` → the date 2019-06-26 (Jekyll's convention), or null. */
export function dateFromFileName(fileName: string, timeZone: string): PostDate | null {
  const m = /^(\d{4}-\d{2}-\d{2})[-_]/.exec(fileName);
  if (!m) return null;
  const parsed = parseDate(m[1]!, timeZone);
  return parsed.ok ? parsed.date : null;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Zone names that are UTC, always (no offset, no daylight saving time), as Intl reads them: in any case. */
const UTC_ZONE = /^(?:Etc\/)?(?:UTC|GMT)$/i;
export function zonedParts(epochMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  if (UTC_ZONE.test(timeZone)) {
    // The site's default zone: the same parts as Intl gives (tested), without loading a time zone
    // formatter (~30 ms a process: a worker parsing one post waited for it).
    const t = new Date(epochMs);
    return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds() };
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(epochMs)) parts[p.type] = p.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  return { year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/**
 * Wall-clock time in `timeZone` → instant, like Temporal's "compatible" rule: a time that occurs
 * twice (autumn) is the earlier one; a time skipped by a DST jump (spring) moves forward.
 */
function zonedToEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, timeZone: string): number {
  const asUtc = utc(y, mo, d, h, mi, s, ms);
  const offset = (t: number) => {
    const p = zonedParts(t, timeZone);
    return utc(p.year, p.month, p.day, p.hour, p.minute, p.second, 0) - (t - (((t % 1000) + 1000) % 1000));
  };
  const day = 86_400_000;
  const before = offset(asUtc - day);
  const after = offset(asUtc + day);
  const candidates = [asUtc - before, asUtc - after].filter((t) => asUtc - offset(t) === t).sort((a, b) => a - b);
  return candidates[0] ?? asUtc - before;
}

/**
 * Month names by language and width: English's as written here (what Intl gives for `en`,
 * tested), so that a site in English loads no date formatter (~25 ms a process, and a few
 * milliseconds for each); the others from Intl, twelve from one formatter.
 */
const monthNames = new Map<string, string[]>([
  ['en|long', ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']],
  ['en|short', ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']],
]);
export function monthName(month: number, language: string, width: 'long' | 'short'): string {
  const key = `${language}|${width}`;
  let names = monthNames.get(key);
  if (names === undefined) {
    const format = new Intl.DateTimeFormat(language, { month: width, timeZone: 'UTC' });
    names = Array.from({ length: 12 }, (_, i) => format.format(Date.UTC(2001, i, 15)));
    monthNames.set(key, names);
  }
  return names[month - 1]!;
}

function monthNameEn(month: number): string {
  return monthName(month, 'en', 'long');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
