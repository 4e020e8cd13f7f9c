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

import { asciiLowercase } from './ascii.js';

const TIME = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[^0-9][\s\S]*)?$/;
const DAY_OF_MONTH = /^(\d{1,2})(?:[^0-9][\s\S]*)?$/;
const YEAR = /^(\d{2,4})(?:[^0-9][\s\S]*)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

interface Fields {
  time?: { hour: number; minute: number; second: number };
  dayOfMonth?: number;
  month?: number;
  year?: number;
}

/** Whether a code unit is a delimiter of the cookie-date grammar (RFC 6265bis §5.1.1). */
function isDelimiter(c: number): boolean {
  return c === 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40)
    || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/** Step 1: the date-tokens, the runs of non-delimiters. */
function dateTokens(input: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= input.length; i++) {
    const delimiter = i === input.length || isDelimiter(input.charCodeAt(i));
    if (!delimiter && start < 0) start = i;
    if (delimiter && start >= 0) {
      tokens.push(input.slice(start, i));
      start = -1;
    }
  }
  return tokens;
}

function monthOf(token: string): number | undefined {
  const prefix = asciiLowercase(token.slice(0, 3));
  const index = MONTHS.findIndex((m) => m === prefix);
  return index < 0 ? undefined : index + 1;
}

/** Step 2: one token fills the first unset field whose production it matches. */
function readToken(token: string, fields: Fields): void {
  if (fields.time === undefined) {
    const m = TIME.exec(token);
    if (m !== null) {
      fields.time = { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3]) };
      return;
    }
  }
  if (fields.dayOfMonth === undefined) {
    const m = DAY_OF_MONTH.exec(token);
    if (m !== null) {
      fields.dayOfMonth = Number(m[1]);
      return;
    }
  }
  if (fields.month === undefined) {
    const month = monthOf(token);
    if (month !== undefined) {
      fields.month = month;
      return;
    }
  }
  if (fields.year === undefined) {
    const m = YEAR.exec(token);
    if (m !== null) fields.year = Number(m[1]);
  }
}

/** Steps 3 and 4: two-digit years; 70-99 are 19xx, 0-69 are 20xx. */
function fullYear(year: number): number {
  if (year >= 70 && year <= 99) return year + 1900;
  if (year >= 0 && year <= 69) return year + 2000;
  return year;
}

/**
 * Parses a cookie date (RFC 6265bis §5.1.1), such as `Wed, 09 Jun 2021 10:18:14 GMT`,
 * `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`, into milliseconds since the
 * epoch (UTC; the zone text is ignored, as the algorithm says). Returns `undefined` when the
 * algorithm fails: a field is missing, the day is not 1-31, the year is before 1601, the hour,
 * minute or second is out of range, or no such date exists (30 February).
 */
export function parseCookieDate(input: string): number | undefined {
  const fields: Fields = {};
  for (const token of dateTokens(input)) readToken(token, fields);
  const { time, dayOfMonth, month } = fields;
  if (time === undefined || dayOfMonth === undefined || month === undefined || fields.year === undefined) {
    return undefined;
  }
  const year = fullYear(fields.year);
  if (dayOfMonth < 1 || dayOfMonth > 31 || year < 1601) return undefined;
  if (time.hour > 23 || time.minute > 59 || time.second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth, time.hour, time.minute, time.second));
  // Step 6: "if no such date exists" — Date.UTC rolls 30 February over into March.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== dayOfMonth) return undefined;
  return date.getTime();
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
