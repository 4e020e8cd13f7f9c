/*
 * Character helpers. Header values are byte strings (one code unit per octet, as `HeaderList`,
 * fetch's `getSetCookie()` and node:http deliver them); a string holding a code unit above 0xFF
 * is taken as text and measured in UTF-8 octets.
 */

/** ASCII-only lowercasing (RFC 4790 i;ascii-casemap): non-ASCII characters are left alone. */
export function asciiLowercase(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Whether `prefix` starts `s` under i;ascii-casemap (RFC 6265bis §2.3 "case-insensitively match"). */
export function startsWithIgnoringCase(s: string, prefix: string): boolean {
  return asciiLowercase(s.slice(0, prefix.length)) === asciiLowercase(prefix);
}

/** Whether every character is in US-ASCII (RFC 6265bis §5.7 step 8). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Whether `s` holds a %x00-08 / %x0A-1F / %x7F control character (CTLs except HTAB, RFC 6265bis §5.6 step 1). */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Removes leading and trailing WSP (SP and HTAB, RFC 5234 B.1). */
export function trimWsp(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** Length in octets: one per code unit for a byte string, UTF-8 octets otherwise. */
export function octetLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return new TextEncoder().encode(s).length;
  }
  return s.length;
}
