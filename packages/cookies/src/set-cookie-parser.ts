/*
 * The Set-Cookie parsing algorithm (RFC 6265bis §5.6) and the attribute rules of §5.6.1-§5.6.7.
 * Unknown attributes, attribute values over 1024 octets and invalid values are ignored one by
 * one; only control characters and an oversized name plus value drop the whole header.
 */
import { asciiLowercase, hasControlCharacter, octetLength, trimWsp } from './ascii.js';
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

/** §5.6.1: an Expires value that is not a cookie-date is ignored. */
function expires(value: string): CookieAttribute | undefined {
  const time = parseCookieDate(value);
  return time === undefined ? undefined : { name: 'expires', time };
}

/** §5.6.2: `-`? DIGIT+ or the attribute is ignored. */
function maxAge(value: string): CookieAttribute | undefined {
  if (!/^-?[0-9]+$/.test(value)) return undefined;
  return { name: 'max-age', seconds: Number(value) };
}

/** §5.6.3: an empty value is ignored; one leading dot is removed; lowercased. */
function domain(value: string): CookieAttribute | undefined {
  if (value === '') return undefined;
  return { name: 'domain', domain: asciiLowercase(value.startsWith('.') ? value.slice(1) : value) };
}

/** §5.6.4: an empty or relative value means the default-path. */
function path(value: string): CookieAttribute {
  return { name: 'path', path: value.startsWith('/') ? value : undefined };
}

/** §5.6.7: None, Strict or Lax (case-insensitive), anything else Default. */
function sameSite(value: string): CookieAttribute {
  const v = asciiLowercase(value);
  const mode: SameSite = v === 'none' || v === 'strict' || v === 'lax' ? v : 'default';
  return { name: 'samesite', sameSite: mode };
}

/** §5.6 attribute step 7: dispatch on the case-insensitive attribute name. */
function attribute(name: string, value: string): CookieAttribute | undefined {
  switch (asciiLowercase(name)) {
    case 'expires': return expires(value);
    case 'max-age': return maxAge(value);
    case 'domain': return domain(value);
    case 'path': return path(value);
    case 'secure': return { name: 'secure' };
    case 'httponly': return { name: 'httponly' };
    case 'samesite': return sameSite(value);
    default: return undefined;
  }
}

/** Splits at the first `=`: [before, after], or [whole, ''] / ['', whole] when there is none. */
function splitPair(s: string, nameWhenNoEquals: boolean): [string, string] {
  const eq = s.indexOf('=');
  if (eq < 0) return nameWhenNoEquals ? [s, ''] : ['', s];
  return [s.slice(0, eq), s.slice(eq + 1)];
}

/** The cookie-av steps of §5.6: one `;`-separated attribute at a time. */
function parseAttributes(unparsed: string): CookieAttribute[] {
  const list: CookieAttribute[] = [];
  for (const av of unparsed.split(';')) {
    const [rawName, rawValue] = splitPair(av, true);
    const value = trimWsp(rawValue);
    if (octetLength(value) > MAX_ATTRIBUTE_VALUE_OCTETS) continue;
    const parsed = attribute(trimWsp(rawName), value);
    if (parsed !== undefined) list.push(parsed);
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
  const pair = semicolon < 0 ? header : header.slice(0, semicolon);
  const [rawName, rawValue] = splitPair(pair, false);
  const name = trimWsp(rawName);
  const value = trimWsp(rawValue);
  if (octetLength(name) + octetLength(value) > MAX_NAME_VALUE_OCTETS) {
    return { kind: 'rejected', reason: SetCookieRejections.LARGER_THAN_4096_BYTES };
  }
  const attributes = semicolon < 0 ? [] : parseAttributes(header.slice(semicolon + 1));
  return { kind: 'ok', name, value, attributes };
}
