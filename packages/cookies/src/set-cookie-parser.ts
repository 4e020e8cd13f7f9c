/*
 * The Set-Cookie parsing algorithm (RFC 6265bis §5.6) and the attribute rules of §5.6.1-§5.6.7.
 * Unknown attributes, attribute values over 1024 octets and invalid values are ignored one by
 * one; only control characters and an oversized name plus value drop the whole header.
 */
import { assertNever } from '@gunhttp/core';
import { asciiLowercase, hasControlCharacter, octetLength, rangeEqualsIgnoringCase, skipWsp, skipWspBack, trimmedSlice } from './ascii.js';
import { parseCookieDate } from './cookie-date.js';
import type { SameSite } from './cookie.js';
import { SetCookieRejections } from './errors.js';

/** Name plus value may not exceed this many octets (RFC 6265bis §5.6 step 5). */
export const MAX_NAME_VALUE_OCTETS = 4096;
/** An attribute value over this many octets is ignored (RFC 6265bis §5.6 attribute step 6). */
export const MAX_ATTRIBUTE_VALUE_OCTETS = 1024;

/** One entry of the cookie-attribute-list, already interpreted per §5.6.1-§5.6.7. */
export type CookieAttribute =
  | { readonly name: 'expires'; readonly time: number }
  | { readonly name: 'max-age'; readonly seconds: number }
  | { readonly name: 'domain'; readonly domain: string }
  /** `path: undefined` stands for the default-path (an empty or relative Path attribute). */
  | { readonly name: 'path'; readonly path: string | undefined }
  | { readonly name: 'secure' }
  | { readonly name: 'httponly' }
  | { readonly name: 'samesite'; readonly sameSite: SameSite };

/** A parsed Set-Cookie value, or why the header is ignored. */
export type ParsedSetCookie =
  | { readonly kind: 'ok'; readonly name: string; readonly value: string; readonly attributes: readonly CookieAttribute[] }
  | { readonly kind: 'rejected'; readonly reason: typeof SetCookieRejections.CONTROL_CHARACTER | typeof SetCookieRejections.LARGER_THAN_4096_BYTES };

/** Shared: these attributes carry nothing but their name. */
const SECURE: CookieAttribute = Object.freeze({ name: 'secure' });
const HTTP_ONLY: CookieAttribute = Object.freeze({ name: 'httponly' });

/** §5.6.1: an Expires value that is not a cookie-date is ignored. */
function expires(value: string): CookieAttribute | undefined {
  const time = parseCookieDate(value);
  return time === undefined ? undefined : { name: 'expires', time };
}

/** §5.6.2: `-`? DIGIT+ or the attribute is ignored. Read in place from `s[start, end)`. */
function maxAge(s: string, start: number, end: number): CookieAttribute | undefined {
  const negative = s.charCodeAt(start) === 0x2d;
  const first = negative ? start + 1 : start;
  if (first === end) return undefined;
  let n = 0;
  for (let i = first; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    n = n * 10 + (c - 0x30);
  }
  // Up to 15 digits the sum is exact; longer values are rounded as Number() rounds them.
  const seconds = end - first <= 15 ? (negative ? -n : n) : Number(s.slice(start, end));
  return { name: 'max-age', seconds };
}

/** §5.6.3: an empty value is ignored; one leading dot is removed; lowercased. */
function domain(value: string): CookieAttribute | undefined {
  if (value === '') return undefined;
  return { name: 'domain', domain: asciiLowercase(value.charCodeAt(0) === 0x2e ? value.slice(1) : value) };
}

/** §5.6.4: an empty or relative value means the default-path. */
function path(value: string): CookieAttribute {
  return { name: 'path', path: value.charCodeAt(0) === 0x2f ? value : undefined };
}

/** §5.6.7: None, Strict or Lax (case-insensitive), anything else Default. */
function sameSiteMode(s: string, start: number, end: number): SameSite {
  if (rangeEqualsIgnoringCase(s, start, end, 'lax')) return 'lax';
  if (rangeEqualsIgnoringCase(s, start, end, 'strict')) return 'strict';
  if (rangeEqualsIgnoringCase(s, start, end, 'none')) return 'none';
  return 'default';
}

/** The attribute names of §5.6.1-§5.6.7, lowercase. */
type AttributeName = CookieAttribute['name'];

/**
 * §5.6 attribute step 7: the case-insensitive attribute name in `s` from `start` to `end`, or
 * `undefined` for an unknown one (ignored). Compared in place: no slice, no lowercased copy.
 */
function attributeName(s: string, start: number, end: number): AttributeName | undefined {
  switch (end - start) {
    case 4: return rangeEqualsIgnoringCase(s, start, end, 'path') ? 'path' : undefined;
    case 6:
      if (rangeEqualsIgnoringCase(s, start, end, 'domain')) return 'domain';
      return rangeEqualsIgnoringCase(s, start, end, 'secure') ? 'secure' : undefined;
    case 7:
      if (rangeEqualsIgnoringCase(s, start, end, 'expires')) return 'expires';
      return rangeEqualsIgnoringCase(s, start, end, 'max-age') ? 'max-age' : undefined;
    case 8:
      if (rangeEqualsIgnoringCase(s, start, end, 'samesite')) return 'samesite';
      return rangeEqualsIgnoringCase(s, start, end, 'httponly') ? 'httponly' : undefined;
    default: return undefined;
  }
}

/** §5.6 attribute steps 6 and 7: the interpreted attribute for the value `s[start, end)` (trimmed). */
function attribute(name: AttributeName, s: string, start: number, end: number): CookieAttribute | undefined {
  // A code unit is at most 3 UTF-8 octets: shorter values cannot exceed the limit.
  if ((end - start) * 3 > MAX_ATTRIBUTE_VALUE_OCTETS && octetLength(s.slice(start, end)) > MAX_ATTRIBUTE_VALUE_OCTETS) {
    return undefined;
  }
  switch (name) {
    case 'expires': return expires(s.slice(start, end));
    case 'max-age': return maxAge(s, start, end);
    case 'domain': return domain(s.slice(start, end));
    case 'path': return path(s.slice(start, end));
    case 'secure': return SECURE;
    case 'httponly': return HTTP_ONLY;
    case 'samesite': return { name: 'samesite', sameSite: sameSiteMode(s, start, end) };
    default: return assertNever(name, 'cookie attribute');
  }
}

/** The cookie-av steps of §5.6: one `;`-separated attribute at a time, from index `from` of `header`. */
function parseAttributes(header: string, from: number): CookieAttribute[] {
  const list: CookieAttribute[] = [];
  let start = from;
  // The next `=` at or after `start` (-1: none left), found once for many attributes without one.
  let nextEq = header.indexOf('=', start);
  while (start <= header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    if (nextEq >= 0 && nextEq < start) nextEq = header.indexOf('=', start);
    const eq = nextEq < 0 || nextEq > end ? end : nextEq;
    const nameStart = skipWsp(header, start, eq);
    const name = attributeName(header, nameStart, skipWspBack(header, nameStart, eq));
    if (name !== undefined) {
      const valueStart = eq === end ? end : skipWsp(header, eq + 1, end);
      const parsed = attribute(name, header, valueStart, skipWspBack(header, valueStart, end));
      if (parsed !== undefined) list.push(parsed);
    }
    start = end + 1;
  }
  return list;
}

/**
 * Parses one Set-Cookie header value (RFC 6265bis §5.6). Never throws. A header without `=` is
 * a nameless cookie whose value is the whole pair. Rejected when it holds a control character
 * other than HTAB (`control_character`) or its name plus value exceed 4096 octets
 * (`larger_than_4096_bytes`).
 */
export function parseSetCookie(header: string): ParsedSetCookie {
  if (hasControlCharacter(header)) return { kind: 'rejected', reason: SetCookieRejections.CONTROL_CHARACTER };
  const semicolon = header.indexOf(';');
  const pairEnd = semicolon < 0 ? header.length : semicolon;
  const eq = header.indexOf('=');
  // No `=` in the pair: the name is empty and the value is the whole pair.
  const name = eq < 0 || eq > pairEnd ? '' : trimmedSlice(header, 0, eq);
  const value = eq < 0 || eq > pairEnd ? trimmedSlice(header, 0, pairEnd) : trimmedSlice(header, eq + 1, pairEnd);
  if (name.length + value.length > MAX_NAME_VALUE_OCTETS / 3
    && octetLength(name) + octetLength(value) > MAX_NAME_VALUE_OCTETS) {
    return { kind: 'rejected', reason: SetCookieRejections.LARGER_THAN_4096_BYTES };
  }
  const attributes = semicolon < 0 ? [] : parseAttributes(header, semicolon + 1);
  return { kind: 'ok', name, value, attributes };
}
