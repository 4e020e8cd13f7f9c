import { formatCookieDate } from './cookie-date.js';
import type { Cookie } from './cookie.js';

const SAME_SITE_NAMES = { none: 'None', lax: 'Lax', strict: 'Strict' } as const;

/**
 * Writes a stored cookie back as a Set-Cookie value that, received from a URL on its host and
 * path at a time before it expires, stores the same cookie (RFC 6265bis §4.1): `name=value`
 * (`=value` when nameless), Domain unless host-only, Path, Expires (seconds precision), Secure,
 * HttpOnly, SameSite unless `default`. An expiry outside years 1601-9999 is written as Max-Age=0.
 */
export function serializeSetCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (!cookie.hostOnly) parts.push(`Domain=${cookie.domain}`);
  parts.push(`Path=${cookie.path}`);
  if (cookie.expiryTime !== undefined) {
    const date = formatCookieDate(cookie.expiryTime);
    parts.push(date === undefined ? 'Max-Age=0' : `Expires=${date}`);
  }
  if (cookie.secureOnly) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite !== 'default') parts.push(`SameSite=${SAME_SITE_NAMES[cookie.sameSite]}`);
  return parts.join('; ');
}
