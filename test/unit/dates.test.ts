/** Unit tests for src/content/dates.ts: parsing authors' dates into one model, and formatting them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { dateFromFileName, daysInMonth, formatDate, monthName, parseDate, zonedParts, type PostDate } from '../../src/content/dates.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Parses or fails the test with the reason. */
function ok(input: string, zone: string): PostDate {
  const r = parseDate(input, zone);
  assert.ok(r.ok, `${input} should parse: ${r.ok ? '' : r.reason}`);
  return r.date;
}

test('a date-only value stays the same calendar day in a zone west of UTC', () => {
  const d = ok('2019-06-26', 'America/Los_Angeles');
  assert.equal(d.dateOnly, true);
  assert.deepEqual([d.year, d.month, d.day], [2019, 6, 26]);
  assert.equal(d.iso, '2019-06-26');
  // Midnight in Los Angeles (PDT, UTC-7) is 07:00 UTC.
  assert.equal(d.epochMs, Date.UTC(2019, 5, 26, 7));
  assert.equal(formatDate(d, 'MMMM D, YYYY', 'en'), 'June 26, 2019');
});

test('a date-only value stays the same calendar day in a zone east of UTC', () => {
  const d = ok('2019-06-26', 'Asia/Tokyo');
  assert.deepEqual([d.year, d.month, d.day], [2019, 6, 26]);
  assert.equal(d.iso, '2019-06-26');
  assert.equal(d.epochMs, Date.UTC(2019, 5, 25, 15));
  assert.equal(formatDate(d, 'MMMM D, YYYY', 'en'), 'June 26, 2019');
});

test('a Jekyll-style date-time with a -0400 offset gives the right instant', () => {
  const d = ok('2013-09-14 20:46:50 -0400', 'UTC');
  assert.equal(d.dateOnly, false);
  assert.equal(d.epochMs, Date.UTC(2013, 8, 15, 0, 46, 50));
  // Shown in the site's zone (UTC), that instant is already the 15th.
  assert.deepEqual([d.year, d.month, d.day], [2013, 9, 15]);
  assert.equal(d.iso, '2013-09-15T00:46:50Z');
});

test('a date-time with an offset is shown in the site zone with that zone\'s offset', () => {
  const d = ok('2013-09-14 20:46:50 -0400', 'America/New_York');
  assert.equal(d.epochMs, Date.UTC(2013, 8, 15, 0, 46, 50));
  assert.deepEqual([d.year, d.month, d.day], [2013, 9, 14]);
  assert.equal(d.iso, '2013-09-14T20:46:50-04:00');
});

test('an ISO date-time ending in Z is UTC whatever the site zone', () => {
  const d = ok('2019-06-26T10:00:00Z', 'Asia/Tokyo');
  assert.equal(d.epochMs, Date.UTC(2019, 5, 26, 10));
  assert.equal(d.iso, '2019-06-26T19:00:00+09:00');
  assert.equal(ok('2019-06-26T10:00:00Z', 'UTC').iso, '2019-06-26T10:00:00Z');
});

test('an ISO date-time with a +05:30 offset is honoured', () => {
  assert.equal(ok('2019-06-26T10:00:00+05:30', 'UTC').epochMs, Date.UTC(2019, 5, 26, 4, 30));
});

test('a date-time without an offset is wall-clock time in the site zone', () => {
  const la = ok('2019-06-26 10:00', 'America/Los_Angeles');
  assert.equal(la.epochMs, Date.UTC(2019, 5, 26, 17));
  assert.equal(la.iso, '2019-06-26T10:00:00-07:00');
  const tokyo = ok('2019-06-26T10:00:00', 'Asia/Tokyo');
  assert.equal(tokyo.epochMs, Date.UTC(2019, 5, 26, 1));
  // Winter time in Los Angeles is UTC-8.
  assert.equal(ok('2019-01-15 10:00', 'America/Los_Angeles').epochMs, Date.UTC(2019, 0, 15, 18));
});

test('fractional seconds and TOML-style local date-times are accepted', () => {
  assert.equal(ok('2019-06-26T10:00:00.250', 'UTC').epochMs, Date.UTC(2019, 5, 26, 10, 0, 0, 250));
});

test('Ruby Time#to_s with a repeated year is accepted, two different years are not', () => {
  assert.equal(ok('2023-01-29 18:30:22 2023 -0800', 'UTC').epochMs, Date.UTC(2023, 0, 30, 2, 30, 22));
  assert.equal(parseDate('2023-01-29 18:30:22 2022 -0800', 'UTC').ok, false);
});

test('rejects February 30th', () => {
  assert.equal(parseDate('2021-02-30', 'UTC').ok, false);
});

test('rejects month 13', () => {
  assert.equal(parseDate('2019-13-01', 'UTC').ok, false);
});

test('rejects hour 25 and minute 60', () => {
  assert.equal(parseDate('2019-06-26 25:00', 'UTC').ok, false);
  assert.equal(parseDate('2019-06-26 10:60', 'UTC').ok, false);
});

test('rejects text that is not a date and an offset that does not exist', () => {
  for (const bad of ['yesterday', '26/06/2019', '2019-06', '', '2019-06-26 10:00 +1500']) {
    assert.equal(parseDate(bad, 'UTC').ok, false, bad);
  }
});

test('accepts the leap day 2020-02-29 and rejects 2019-02-29', () => {
  assert.equal(ok('2020-02-29', 'UTC').iso, '2020-02-29');
  assert.equal(parseDate('2019-02-29', 'UTC').ok, false);
});

test('follows the Gregorian century rule for leap years', () => {
  assert.equal(parseDate('2000-02-29', 'UTC').ok, true);
  assert.equal(parseDate('1900-02-29', 'UTC').ok, false);
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(2023, 4), 30);
  assert.equal(daysInMonth(2023, 12), 31);
});

test('year 0050 is year 50, not 1950', () => {
  const d = ok('0050-03-04', 'UTC');
  assert.equal(d.year, 50);
  assert.equal(d.iso, '0050-03-04');
  assert.equal(new Date(d.epochMs).getUTCFullYear(), 50);
  assert.equal(formatDate(d, 'YYYY-MM-DD', 'en'), '0050-03-04');
  const withTime = ok('0050-03-04 10:00', 'UTC');
  assert.equal(withTime.iso, '0050-03-04T10:00:00Z');
});

test('9999-12-31 works as a date and as a date-time in zones on both sides of UTC', () => {
  const d = ok('9999-12-31', 'UTC');
  assert.equal(d.iso, '9999-12-31');
  assert.equal(formatDate(d, 'MMMM D, YYYY', 'en'), 'December 31, 9999');
  assert.equal(ok('9999-12-31 23:59:59', 'Asia/Tokyo').iso, '9999-12-31T23:59:59+09:00');
  assert.equal(ok('9999-12-31 23:59:59', 'America/Los_Angeles').iso, '9999-12-31T23:59:59-08:00');
});

test('year 0000 is out of range', () => {
  assert.equal(parseDate('0000-01-01', 'UTC').ok, false);
});

test('formatDate understands MMMM D, YYYY', () => {
  assert.equal(formatDate(ok('2019-06-05', 'UTC'), 'MMMM D, YYYY', 'en'), 'June 5, 2019');
});

test('formatDate understands YYYY-MM-DD with zero padding', () => {
  assert.equal(formatDate(ok('2019-06-05', 'UTC'), 'YYYY-MM-DD', 'en'), '2019-06-05');
  assert.equal(formatDate(ok('2019-06-05', 'UTC'), 'M/D/YYYY', 'en'), '6/5/2019');
});

test('formatDate understands MMM as the short month name', () => {
  assert.equal(formatDate(ok('2019-06-05', 'UTC'), 'MMM', 'en'), 'Jun');
  assert.equal(formatDate(ok('2019-09-05', 'UTC'), 'D MMM', 'en'), '5 Sep');
});

test('formatDate keeps text in [brackets] literally, tokens included', () => {
  const d = ok('2019-06-05', 'UTC');
  assert.equal(formatDate(d, '[Posted on] D [of] MMMM', 'en'), 'Posted on 5 of June');
  assert.equal(formatDate(d, '[YYYY] YYYY', 'en'), 'YYYY 2019');
});

test('formatDate uses the language for month names', () => {
  assert.equal(formatDate(ok('2019-06-05', 'UTC'), 'D. MMMM YYYY', 'de'), '5. Juni 2019');
});

test('dateFromFileName reads a Jekyll date prefix', () => {
  const d = dateFromFileName('2019-06-26-hello.md', 'America/Los_Angeles');
  assert.ok(d);
  assert.equal(d.iso, '2019-06-26');
  assert.equal(d.dateOnly, true);
  assert.equal(d.epochMs, Date.UTC(2019, 5, 26, 7));
});

test('dateFromFileName returns null for a name without a date prefix', () => {
  assert.equal(dateFromFileName('hello.md', 'UTC'), null);
  assert.equal(dateFromFileName('2019-06-26.md', 'UTC'), null);
});

test('dateFromFileName returns null for an impossible date prefix', () => {
  assert.equal(dateFromFileName('2019-02-30-hello.md', 'UTC'), null);
});

test('results do not depend on the process TZ', async () => {
  const script = [
    "import { parseDate, formatDate } from './src/content/dates.ts';",
    "const r = parseDate('2019-06-26', 'UTC');",
    "if (!r.ok) throw new Error(r.reason);",
    "console.log(JSON.stringify({ tz: process.env.TZ, offset: new Date(Date.UTC(2019, 5, 26)).getTimezoneOffset(), text: formatDate(r.date, 'MMMM D, YYYY', 'en'), iso: r.date.iso, epochMs: r.date.epochMs }));",
  ].join('\n');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...process.env, TZ: 'America/Los_Angeles' } },
      (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)),
    );
  });
  const result = JSON.parse(stdout.trim()) as { tz: string; offset: number; text: string; iso: string; epochMs: number };
  // The child really runs in Los Angeles time (UTC-7 in June)...
  assert.equal(result.tz, 'America/Los_Angeles');
  assert.equal(result.offset, 420);
  // ...and the date is still June 26 at midnight UTC.
  assert.equal(result.text, 'June 26, 2019');
  assert.equal(result.iso, '2019-06-26');
  assert.equal(result.epochMs, Date.UTC(2019, 5, 26));
});

test('a wall time in the spring-forward gap moves forward, not back', () => {
  // 2019-03-10 02:00 does not exist in New York (clocks jump to 03:00). Moving the post an hour
  // later (03:30 EDT = 07:30Z, what Temporal's "compatible" does) is the expected answer;
  // moving it back to 01:30 EST makes it earlier than the time the author wrote.
  const d = ok('2019-03-10 02:30', 'America/New_York');
  assert.equal(d.epochMs, Date.UTC(2019, 2, 10, 7, 30));
  assert.equal(d.iso, '2019-03-10T03:30:00-04:00');
});

test('an ambiguous fall-back wall time takes the earlier instant', () => {
  // 01:30 happens twice on 2019-11-03 in New York; the first one is EDT (UTC-4).
  assert.equal(ok('2019-11-03 01:30', 'America/New_York').epochMs, Date.UTC(2019, 10, 3, 5, 30));
});

test('a five-digit year is out of range, not "not a date"', () => {
  const r = parseDate('10000-01-01', 'UTC');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /out of range/);
});

test('a date-time that falls outside years 1 to 9999 in the site zone is rejected (regression: year 10000 reached the feeds)', () => {
  assert.equal(parseDate('9999-12-31 23:00 -05:00', 'UTC').ok, false);
  assert.equal(parseDate('0001-01-01 01:00 +05:00', 'UTC').ok, false);
  assert.equal(parseDate('9999-12-31 23:00 -05:00', 'America/New_York').ok, true);
});

test('UTC and GMT zones give the parts Intl gives for an equivalent zone it is asked about (the fast path for the default zone)', () => {
  const instant = fc.integer({ min: -62_198_755_200_000, max: 253_402_300_799_999 }); // years 0 to 9999
  fc.assert(
    fc.property(instant, fc.constantFrom('UTC', 'utc', 'Etc/UTC', 'GMT', 'etc/gmt'), (t, zone) => {
      assert.deepEqual(zonedParts(t, zone), zonedParts(t, 'Etc/Universal'));
    }),
    { numRuns: 3000 },
  );
  assert.deepEqual(zonedParts(Date.UTC(2019, 5, 26, 7, 8, 9), 'UTC'), { year: 2019, month: 6, day: 26, hour: 7, minute: 8, second: 9 });
  assert.equal(ok('2019-06-26 10:00', 'UTC').iso, '2019-06-26T10:00:00Z');
});

test('English month names are the ones Intl gives for en, long and short', () => {
  for (const width of ['long', 'short'] as const) {
    const intl = new Intl.DateTimeFormat('en', { month: width, timeZone: 'UTC' });
    for (let m = 1; m <= 12; m++) assert.equal(monthName(m, 'en', width), intl.format(Date.UTC(2001, m - 1, 15)));
  }
  assert.equal(monthName(9, 'de', 'long'), 'September');
  assert.equal(monthName(3, 'fr', 'long'), 'mars');
});
