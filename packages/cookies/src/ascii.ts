/*
 * Character helpers. Header values are byte strings (one code unit per octet, as `HeaderList`,
 * fetch's `getSetCookie()` and node:http deliver them); a string holding a code unit above 0xFF
 * is taken as text and measured in UTF-8 octets. They scan indices instead of using regular
 * expressions: they run on every attribute of every Set-Cookie line.
 */

const SP = 0x20;
const HTAB = 0x09;

/** ASCII-only lowercasing (RFC 4790 i;ascii-casemap): non-ASCII characters are left alone. */
export function asciiLowercase(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // `toLowerCase` would also fold non-ASCII letters (É, İ, K): only exact on ASCII strings.
    if (c > 0x7f) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  return upper ? s.toLowerCase() : s;
}

/**
 * Whether `s.slice(start, end)` equals `lower` (lowercase ASCII) under i;ascii-casemap (RFC 6265bis
 * §2.3 "case-insensitively match"), without slicing.
 */
export function rangeEqualsIgnoringCase(s: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = s.charCodeAt(start + i);
    const t = lower.charCodeAt(i);
    if (c !== t && !(c >= 0x41 && c <= 0x5a && c + 0x20 === t)) return false;
  }
  return true;
}

/** Whether `prefix` starts `s` under i;ascii-casemap (RFC 6265bis §2.3 "case-insensitively match"). */
export function startsWithIgnoringCase(s: string, prefix: string): boolean {
  if (s.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const a = s.charCodeAt(i);
    const b = prefix.charCodeAt(i);
    if (a !== b && (a >= 0x41 && a <= 0x5a ? a + 0x20 : a) !== (b >= 0x41 && b <= 0x5a ? b + 0x20 : b)) return false;
  }
  return true;
}

/** Whether every character is in US-ASCII (RFC 6265bis §5.7 step 8). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Whether `s` holds a %x00-08 / %x0A-1F / %x7F control character (CTLs except HTAB, RFC 6265bis §5.6 step 1). */
export function hasControlCharacter(s: string): boolean {
  // One native scan: faster than a charCodeAt loop on every Set-Cookie line.
  return CONTROL_CHARACTER.test(s);
}

/** The first index in [start, end) that is not WSP (SP or HTAB, RFC 5234 B.1), or `end`. */
export function skipWsp(s: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== SP && c !== HTAB) break;
    i++;
  }
  return i;
}

/** The index after the last non-WSP character in [start, end), or `start`. */
export function skipWspBack(s: string, start: number, end: number): number {
  let i = end;
  while (i > start) {
    const c = s.charCodeAt(i - 1);
    if (c !== SP && c !== HTAB) break;
    i--;
  }
  return i;
}

/** `s.slice(start, end)` without leading and trailing WSP (SP and HTAB, RFC 5234 B.1). */
export function trimmedSlice(s: string, start: number, end: number): string {
  const from = skipWsp(s, start, end);
  return s.slice(from, skipWspBack(s, from, end));
}

/** Length in octets: one per code unit for a byte string, UTF-8 octets otherwise. */
export function octetLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return new TextEncoder().encode(s).length;
  }
  return s.length;
}
