/*
 * The cookie-date algorithm (RFC 6265bis §5.1.1). It is deliberately liberal: the date is split
 * into tokens on delimiters, and each token is tried, in this order, as a time, a day of the month,
 * a month and a year; the first production a token matches (whose field is still unset) wins.
 *
 *   cookie-date     = *delimiter date-token-list *delimiter
 *   date-token-list = date-token *( 1*delimiter date-token )
 *   delimiter       = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
 *   time            = hms-time [ non-digit *OCTET ]
 *   hms-time        = time-field ":" time-field ":" time-field
 *   time-field      = 1*2DIGIT
 *   day-of-month    = 1*2DIGIT [ non-digit *OCTET ]
 *   month           = ( "jan" / "feb" / ... / "dec" ) *OCTET
 *   year            = 2*4DIGIT [ non-digit *OCTET ]
 */

import { rangeEqualsIgnoringCase } from './ascii.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** The fields found so far; -1 while unset. Tokens are read in place (index ranges), never sliced. */
interface Fields {
  hour: number;
  minute: number;
  second: number;
  dayOfMonth: number;
  month: number;
  year: number;
}

/** Whether a code unit is a delimiter of the cookie-date grammar (RFC 6265bis §5.1.1). */
function isDelimiter(c: number): boolean {
  return c === 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40)
    || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The end of the run of DIGITs starting at `i` (`i` itself when there is none). */
function digitsEnd(s: string, i: number, end: number): number {
  let j = i;
  while (j < end && isDigit(s.charCodeAt(j))) j++;
  return j;
}

/** The value of the DIGITs in [start, end). */
function digitsValue(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + s.charCodeAt(i) - 0x30;
  return n;
}

/** The end of a `time-field` (1*2DIGIT) starting at `i`, or -1. */
function timeFieldEnd(s: string, i: number, end: number): number {
  const j = digitsEnd(s, i, end);
  return j === i || j - i > 2 ? -1 : j;
}

/**
 * `time = hms-time [ non-digit *OCTET ]`: three 1*2DIGIT fields separated by `:`. A maximal run
 * of digits is what `1*2DIGIT [ non-digit ...]` needs: a third digit would be neither.
 */
function readTime(s: string, start: number, end: number, fields: Fields): boolean {
  const h = timeFieldEnd(s, start, end);
  if (h < 0 || h >= end || s.charCodeAt(h) !== 0x3a) return false;
  const m = timeFieldEnd(s, h + 1, end);
  if (m < 0 || m >= end || s.charCodeAt(m) !== 0x3a) return false;
  const sec = timeFieldEnd(s, m + 1, end);
  if (sec < 0) return false;
  fields.hour = digitsValue(s, start, h);
  fields.minute = digitsValue(s, h + 1, m);
  fields.second = digitsValue(s, m + 1, sec);
  return true;
}

/** `month = ( "jan" / ... / "dec" ) *OCTET`, case-insensitive: 1-12, or -1. */
function monthOf(s: string, start: number, end: number): number {
  if (end - start < 3) return -1;
  for (let m = 0; m < MONTHS.length; m++) {
    if (rangeEqualsIgnoringCase(s, start, start + 3, MONTHS[m] ?? '')) return m + 1;
  }
  return -1;
}

/** Step 2: the token [start, end) fills the first unset field whose production it matches. */
function readToken(s: string, start: number, end: number, fields: Fields): void {
  if (fields.hour < 0 && readTime(s, start, end, fields)) return;
  const digits = digitsEnd(s, start, end) - start;
  // day-of-month = 1*2DIGIT [ non-digit *OCTET ]
  if (fields.dayOfMonth < 0 && digits >= 1 && digits <= 2) {
    fields.dayOfMonth = digitsValue(s, start, start + digits);
    return;
  }
  if (fields.month < 0) {
    const month = monthOf(s, start, end);
    if (month > 0) {
      fields.month = month;
      return;
    }
  }
  // year = 2*4DIGIT [ non-digit *OCTET ]
  if (fields.year < 0 && digits >= 2 && digits <= 4) fields.year = digitsValue(s, start, start + digits);
}

/** Steps 3 and 4: two-digit years; 70-99 are 19xx, 0-69 are 20xx. */
function fullYear(year: number): number {
  if (year >= 70 && year <= 99) return year + 1900;
  if (year >= 0 && year <= 69) return year + 2000;
  return year;
}

/** Days in a month (1-12) of the proleptic Gregorian calendar, as ECMAScript dates use. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses a cookie date (RFC 6265bis §5.1.1), such as `Wed, 09 Jun 2021 10:18:14 GMT`,
 * `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`, into milliseconds since the
 * epoch (UTC; the zone text is ignored, as the algorithm says). Returns `undefined` when the
 * algorithm fails: a field is missing, the day is not 1-31, the year is before 1601, the hour,
 * minute or second is out of range, or no such date exists (30 February).
 */
export function parseCookieDate(input: string): number | undefined {
  const fields: Fields = { hour: -1, minute: -1, second: -1, dayOfMonth: -1, month: -1, year: -1 };
  // Step 1: the date-tokens are the runs of non-delimiters.
  let i = 0;
  while (i < input.length) {
    while (i < input.length && isDelimiter(input.charCodeAt(i))) i++;
    const start = i;
    while (i < input.length && !isDelimiter(input.charCodeAt(i))) i++;
    if (i > start) readToken(input, start, i, fields);
  }
  const { hour, minute, second, dayOfMonth, month } = fields;
  if (hour < 0 || dayOfMonth < 0 || month < 0 || fields.year < 0) return undefined;
  const year = fullYear(fields.year);
  if (dayOfMonth < 1 || dayOfMonth > 31 || year < 1601) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // Step 6: "if no such date exists" (30 February).
  if (dayOfMonth > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, dayOfMonth, hour, minute, second);
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * Formats milliseconds since the epoch as the `sane-cookie-date` of RFC 6265bis §4.1.1
 * (the IMF-fixdate of RFC 9110 §5.6.7), e.g. `Wed, 09 Jun 2021 10:18:14 GMT`. Milliseconds are
 * dropped. Years outside 1601-9999 cannot be written and return `undefined`.
 */
export function formatCookieDate(ms: number): string | undefined {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(ms) || year < 1601 || year > 9999) return undefined;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAY_NAMES[d.getUTCDay()] ?? ''}, ${two(d.getUTCDate())} ${MONTH_NAMES[d.getUTCMonth()] ?? ''} ${year} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}
