/*
 * The persisted form of a jar: a plain, versioned object that `JSON.stringify` can write and
 * `CookieStore.fromJSON` validates field by field.
 */
import { hasControlCharacter, isAscii, octetLength } from './ascii.js';
import type { Cookie, SameSite } from './cookie.js';
import { cookieError, CookieErrors } from './errors.js';
import { MAX_NAME_VALUE_OCTETS } from './set-cookie-parser.js';

/** One cookie in a {@link CookieJarJson}: times as ISO 8601 strings (UTC, ms precision). */
export interface CookieJson {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  readonly creationTime: string;
  readonly lastAccessTime: string;
  /** `null` for a session cookie. */
  readonly expiryTime: string | null;
  readonly hostOnly: boolean;
  readonly secureOnly: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: SameSite;
}

/** What `CookieStore.toJSON()` returns: `{ version: 1, cookies }`, cookies in store order. */
export interface CookieJarJson {
  readonly version: 1;
  readonly cookies: readonly CookieJson[];
}

/** The persisted form of one cookie. */
export function cookieToJson(c: Cookie): CookieJson {
  return {
    name: c.name,
    value: c.value,
    domain: c.domain,
    path: c.path,
    creationTime: new Date(c.creationTime).toISOString(),
    lastAccessTime: new Date(c.lastAccessTime).toISOString(),
    expiryTime: c.expiryTime === undefined ? null : new Date(c.expiryTime).toISOString(),
    hostOnly: c.hostOnly,
    secureOnly: c.secureOnly,
    httpOnly: c.httpOnly,
    sameSite: c.sameSite,
  };
}

const SAME_SITE: ReadonlySet<string> = new Set(['default', 'none', 'lax', 'strict']);

function invalid(index: number, field: string, rule: string): never {
  throw cookieError(CookieErrors.INVALID_JSON, `cookies[${index}].${field} ${rule} (CookieStore.fromJSON, version 1)`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A time field: an ISO 8601 string or milliseconds since the epoch. */
function time(v: unknown, index: number, field: string): number {
  const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) invalid(index, field, 'must be an ISO date or ms number');
  return ms;
}

function text(v: unknown, index: number, field: string, forbidden: RegExp): string {
  if (typeof v !== 'string' || hasControlCharacter(v) || forbidden.test(v)) {
    invalid(index, field, 'must be a string without control characters or separators');
  }
  return v;
}

function flag(v: unknown, index: number, field: string): boolean {
  if (typeof v !== 'boolean') invalid(index, field, 'must be a boolean');
  return v;
}

function nameAndValue(o: Record<string, unknown>, i: number): { name: string; value: string } {
  const name = text(o.name, i, 'name', /[;=]|^[ \t]|[ \t]$/);
  const value = text(o.value, i, 'value', /;|^[ \t]|[ \t]$/);
  if (name === '' && value === '') invalid(i, 'value', 'must not be empty when the name is');
  if (octetLength(name) + octetLength(value) > MAX_NAME_VALUE_OCTETS) invalid(i, 'value', 'name plus value exceed 4096 octets');
  return { name, value };
}

/** Validates one persisted cookie and rebuilds the frozen {@link Cookie}. */
function cookieFromJson(o: unknown, i: number): Cookie {
  if (!isRecord(o)) invalid(i, '', 'must be an object');
  const domain = text(o.domain, i, 'domain', /[^a-z0-9.\-_[\]:]/);
  if (domain === '' || !isAscii(domain)) invalid(i, 'domain', 'must be a lowercase ASCII host');
  const path = text(o.path, i, 'path', /;/);
  if (!path.startsWith('/')) invalid(i, 'path', 'must start with /');
  const expiryTime = o.expiryTime === null || o.expiryTime === undefined ? undefined : time(o.expiryTime, i, 'expiryTime');
  const sameSite = o.sameSite;
  if (typeof sameSite !== 'string' || !SAME_SITE.has(sameSite)) invalid(i, 'sameSite', 'must be default, none, lax or strict');
  const { name, value } = nameAndValue(o, i);
  return Object.freeze({
    name,
    value,
    domain,
    path,
    creationTime: time(o.creationTime, i, 'creationTime'),
    lastAccessTime: time(o.lastAccessTime, i, 'lastAccessTime'),
    expiryTime,
    persistent: expiryTime !== undefined,
    hostOnly: flag(o.hostOnly, i, 'hostOnly'),
    secureOnly: flag(o.secureOnly, i, 'secureOnly'),
    httpOnly: flag(o.httpOnly, i, 'httpOnly'),
    sameSite: sameSite as SameSite,
  });
}

/**
 * Validates a persisted jar (the object, or its JSON text) and returns its cookies in order.
 * Throws `COOKIES_ERR_INVALID_JSON` for anything else.
 */
export function cookiesFromJson(input: unknown): Cookie[] {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (cause) {
      throw cookieError(CookieErrors.INVALID_JSON, 'The jar is not valid JSON (CookieStore.fromJSON)', cause);
    }
  }
  if (!isRecord(json) || json.version !== 1 || !Array.isArray(json.cookies)) {
    throw cookieError(CookieErrors.INVALID_JSON, 'A jar is { version: 1, cookies: [...] } (CookieStore.fromJSON)');
  }
  return json.cookies.map((c: unknown, i: number) => cookieFromJson(c, i));
}
