import { formatCookieDate, parseCookieDate } from '../../src/index.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, mo - 1, d, h, mi, s);

describe('RFC 6265bis §5.1.1 cookie-date algorithm', () => {
  const valid: Array<[string, number]> = [
    ['Wed, 09 Jun 2021 10:18:14 GMT', utc(2021, 6, 9, 10, 18, 14)],
    ['Thu, 01-Jan-1970 00:00:00 GMT', utc(1970, 1, 1)],
    ['Sunday, 06-Nov-94 08:49:37 GMT', utc(1994, 11, 6, 8, 49, 37)],
    ['Sun Nov  6 08:49:37 1994', utc(1994, 11, 6, 8, 49, 37)],
    ['1 Jan 2020 00:00:00', utc(2020, 1, 1)],
    ['Sun, 06 Nov 1994 08:49:37 GMT', utc(1994, 11, 6, 8, 49, 37)],
    // Two-digit years: 70-99 are 19xx, 0-69 are 20xx (steps 3 and 4).
    ['01 Jan 69 00:00:00', utc(2069, 1, 1)],
    ['01 Jan 70 00:00:00', utc(1970, 1, 1)],
    ['01 Jan 99 00:00:00', utc(1999, 1, 1)],
    ['01 Jan 00 00:00:00', utc(2000, 1, 1)],
    ['01 Jan 069 00:00:00', utc(2069, 1, 1)],
    // Fields in any order, any delimiters, case-insensitive months, trailing junk on tokens.
    ['2021 10:18:14 Jun 09', utc(2021, 6, 9, 10, 18, 14)],
    ['09/jUNE/2021/10:18:14', utc(2021, 6, 9, 10, 18, 14)],
    ['  ,;09-Jun-2021 10:18:14GMT+0200', utc(2021, 6, 9, 10, 18, 14)],
    ['9 Jun 2021 1:2:3', utc(2021, 6, 9, 1, 2, 3)],
    ['Jun 9th 2021 10:18:14', utc(2021, 6, 9, 10, 18, 14)],
    ['10:18:14 09 Jun 2021 garbage', utc(2021, 6, 9, 10, 18, 14)],
    // The first matching token fills a field; later ones of the same kind are skipped.
    ['09 Jun 2021 10:18:14 11:11:11 Jul', utc(2021, 6, 9, 10, 18, 14)],
    // Leap days exist only in leap years.
    ['29 Feb 2024 00:00:00', utc(2024, 2, 29)],
    ['29 Feb 2000 00:00:00', utc(2000, 2, 29)],
    ['Mon, 01 Jan 1601 00:00:00 GMT', utc(1601, 1, 1)],
    ['31 Dec 9999 23:59:59', utc(9999, 12, 31, 23, 59, 59)],
    ['\t09 Jun 2021 10:18:14\t', utc(2021, 6, 9, 10, 18, 14)],
  ];
  it.each(valid)('parses %j', (input, expected) => {
    expect(parseCookieDate(input)).toBe(expected);
  });

  const invalid: Array<[string, string]> = [
    ['', 'no tokens'],
    ['Jun 2021 10:18:14', 'no day-of-month'],
    ['09 2021 10:18:14', 'no month'],
    ['09 Jun 10:18:14', 'no year'],
    ['09 Jun 2021', 'no time'],
    ['09 Jun 1600 10:18:14', 'year before 1601'],
    ['24:00:00 09 Jun 2021', 'hour 24'],
    ['10:60:00 09 Jun 2021', 'minute 60'],
    ['10:00:60 09 Jun 2021', 'second 60 (no leap seconds)'],
    ['00 Jun 2021 10:18:14', 'day 0'],
    ['32 Jun 2021 10:18:14', 'day 32'],
    ['30 Feb 2021 10:18:14', 'no 30 February'],
    ['31 Apr 2021 10:18:14', 'no 31 April'],
    ['29 Feb 2023 00:00:00', 'no 29 February in a common year'],
    ['29 Feb 1900 00:00:00', 'no 29 February in 1900'],
    ['09 Jun 2021 100:18:14', 'time-field of three digits'],
    ['009 Jun 2021 10:18:14', 'three-digit day is not a day-of-month, and the year slot takes it'],
    ['09 Jun 12345 10:18:14', 'five-digit year'],
    ['09 Ju 2021 10:18:14', 'month shorter than three letters'],
    ['09 Jun 2 10:18:14', 'one-digit year'],
  ];
  it.each(invalid)('fails on %j (%s)', (input) => {
    expect(parseCookieDate(input)).toBeUndefined();
  });

  it('formats the sane-cookie-date of §4.1.1 and reads it back', () => {
    const t = utc(2021, 6, 9, 10, 18, 14);
    expect(formatCookieDate(t)).toBe('Wed, 09 Jun 2021 10:18:14 GMT');
    expect(parseCookieDate(formatCookieDate(t) ?? '')).toBe(t);
    expect(formatCookieDate(utc(1600, 1, 1))).toBeUndefined();
  });
});
