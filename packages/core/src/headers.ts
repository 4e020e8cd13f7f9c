import { toLatin1 } from './bytes.js';
import { CoreErrors, localError } from './errors.js';

/**
 * Header fields in order, duplicates kept: `[name, value]` pairs with lowercase names and values
 * as latin1 strings (one char per octet, so any octet survives). The shape of every header list
 * gunhttp takes or gives (DESIGN §2).
 */
export type HeaderList = Array<[name: string, value: string]>;

/** A header value as users may give it. Numbers are written in decimal. */
export type HeaderValueInput = string | number;

/**
 * Headers as users may give them: a list of pairs (any case), or an object whose values may be
 * arrays for repeated fields. Normalised by {@link normalizeHeaders}.
 */
export type HeadersInput =
  | ReadonlyArray<readonly [string, HeaderValueInput]>
  | Readonly<Record<string, HeaderValueInput | readonly HeaderValueInput[]>>;

/**
 * What to do with a value holding CR, LF or NUL: `raise` (the default) throws before anything
 * is sent, `ignore` lets it through verbatim (Gun's `invalid_request_headers` option, 2.4).
 */
export type InvalidRequestHeaders = 'raise' | 'ignore';

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** Whether the octet is a `tchar` (RFC 9110 §5.6.2). */
export function isTchar(octet: number): boolean {
  return octet < 128 && TCHAR[octet] === 1;
}

/** Whether `text` is a non-empty `token` (RFC 9110 §5.6.2). */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isTchar(text.charCodeAt(i))) return false;
  return true;
}

/** Whether a field value holds CR, LF or NUL, which RFC 9110 §5.5 forbids. */
export function hasForbiddenValueChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0d || c === 0x0a || c === 0x00) return true;
  }
  return false;
}

function entries(input: HeadersInput): Array<readonly [string, HeaderValueInput]> {
  if (Array.isArray(input)) return input as Array<readonly [string, HeaderValueInput]>;
  const out: Array<readonly [string, HeaderValueInput]> = [];
  for (const [name, value] of Object.entries(input as Record<string, HeaderValueInput | readonly HeaderValueInput[]>)) {
    if (Array.isArray(value)) for (const v of value) out.push([name, v as HeaderValueInput]);
    else out.push([name, value as HeaderValueInput]);
  }
  return out;
}

/**
 * Normalises user headers (Gun's header normalisation): names lowercased and checked to be
 * tokens; values turned into latin1 strings (UTF-8 octets for chars above 255) and checked for
 * CR, LF and NUL unless `invalid` is `ignore`.
 *
 * @throws GunError `GUN_ERR_INVALID_HEADER_NAME` for a name that is not a token, or
 *   `GUN_ERR_INVALID_REQUEST_HEADER` for a forbidden char in a value; both name the header and
 *   are thrown before anything is sent.
 */
export function normalizeHeaders(input: HeadersInput | undefined, invalid: InvalidRequestHeaders = 'raise'): HeaderList {
  if (input === undefined) return [];
  if (typeof input !== 'object' || input === null) {
    throw localError(CoreErrors.BAD_ARGUMENT, 'Headers must be a list of [name, value] pairs or an object.');
  }
  const out: HeaderList = [];
  for (const pair of entries(input)) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw localError(CoreErrors.BAD_ARGUMENT, 'Each header must be a [name, value] pair.');
    }
    const [rawName, rawValue] = pair;
    if (typeof rawName !== 'string' || !isToken(rawName)) {
      throw localError(CoreErrors.INVALID_HEADER_NAME, `The header name ${JSON.stringify(rawName)} is not a token (RFC 9110 §5.1).`);
    }
    if (typeof rawValue !== 'string' && typeof rawValue !== 'number') {
      throw localError(CoreErrors.BAD_ARGUMENT, `The value of header ${rawName} must be a string or a number.`);
    }
    const name = rawName.toLowerCase();
    const value = toLatin1(String(rawValue));
    if (invalid === 'raise' && hasForbiddenValueChar(value)) {
      throw localError(
        CoreErrors.INVALID_HEADER_VALUE,
        `An invalid request header was detected: the value of ${name} contains CR, LF or NUL (RFC 9110 §5.5).`,
      );
    }
    out.push([name, value]);
  }
  return out;
}

/** The value of the first field named `name` (lowercase), or `undefined`. */
export function getHeader(headers: HeaderList, name: string): string | undefined {
  for (const [n, v] of headers) if (n === name) return v;
  return undefined;
}

/** Every value of the fields named `name` (lowercase), in order. */
export function getHeaders(headers: HeaderList, name: string): string[] {
  const out: string[] = [];
  for (const [n, v] of headers) if (n === name) out.push(v);
  return out;
}

/** Whether a field named `name` (lowercase) is present. */
export function hasHeader(headers: HeaderList, name: string): boolean {
  for (const [n] of headers) if (n === name) return true;
  return false;
}

/**
 * Splits a comma-separated list field (RFC 9110 §5.6.1) across all fields named `name` into
 * trimmed, lowercased, non-empty elements.
 */
export function headerTokens(headers: HeaderList, name: string): string[] {
  const out: string[] = [];
  for (const [n, v] of headers) {
    if (n !== name) continue;
    for (const part of v.split(',')) {
      const t = part.trim().toLowerCase();
      if (t !== '') out.push(t);
    }
  }
  return out;
}
