import { CookieStore } from '../src/index.js';
import type { Cookie, CookieStoreOptions, SetCookieResult } from '../src/index.js';

/** A fixed clock: 2025-01-01T00:00:00Z. */
export const NOW = Date.UTC(2025, 0, 1);
export const DAY = 24 * 60 * 60 * 1000;

/** Stores every header from `url` at `now` and returns the results. */
export function jarWith(headers: Array<[string, string]>, options: CookieStoreOptions = {}, now = NOW): CookieStore {
  const jar = new CookieStore(options);
  for (const [header, url] of headers) jar.setCookie(header, url, { now });
  return jar;
}

/** The stored cookie of a result, failing the test otherwise. */
export function storedCookie(result: SetCookieResult): Cookie {
  if (!result.stored) throw new Error(`expected a stored cookie, got ${result.reason}`);
  return result.cookie;
}

/** The rejection reason of a result, or 'stored'. */
export function outcome(result: SetCookieResult): string {
  return result.stored ? 'stored' : result.reason;
}
