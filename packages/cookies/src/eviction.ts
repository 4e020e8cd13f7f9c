/*
 * Removing expired and excess cookies (RFC 6265bis §5.7, after the storage steps). Priority:
 * expired cookies; then, in a domain over its limit, non-Secure cookies before Secure ones; then,
 * in a store over its limit, all cookies; within one priority the least recently accessed first
 * (insertion order among equal access times).
 */
import type { CookieStoreBackend } from './backend.js';
import type { Cookie } from './cookie.js';

/** The limits of a store (RFC 6265bis §6.1 asks for at least 50 per domain and 3000 in all). */
export interface CookieLimits {
  /** Most cookies sharing one domain field. */
  readonly maxCookiesPerDomain: number;
  /** Most cookies in the store. */
  readonly maxCookies: number;
}

/** Whether a cookie has expired at `now`: its expiry time is not after `now`. */
export function isExpired(cookie: Cookie, now: number): boolean {
  return cookie.expiryTime !== undefined && cookie.expiryTime <= now;
}

/** Removes every cookie expired at `now`; returns them. Runs on every call: allocates only when one expired. */
export function removeExpired(backend: CookieStoreBackend, now: number): Cookie[] {
  if (backend.removeExpired !== undefined) return backend.removeExpired(now);
  let expired: Cookie[] | undefined;
  for (const cookie of backend.all()) if (isExpired(cookie, now)) (expired ??= []).push(cookie);
  if (expired === undefined) return [];
  for (const cookie of expired) backend.remove(cookie);
  return expired;
}

/** The `count` least recently accessed cookies of a list (stable: earlier insertion first). */
function leastRecentlyAccessed(cookies: readonly Cookie[], count: number): Cookie[] {
  if (count <= 0) return [];
  return [...cookies].sort((a, b) => a.lastAccessTime - b.lastAccessTime).slice(0, count);
}

/** Brings `domain` within its limit: non-Secure cookies go first. */
function evictFromDomain(backend: CookieStoreBackend, domain: string, max: number): Cookie[] {
  // A domain cannot hold more cookies than the store: the common case needs no scan.
  if (backend.size <= max) return [];
  const inDomain = [...backend.all()].filter((c) => c.domain === domain);
  const excess = inDomain.length - max;
  if (excess <= 0) return [];
  const insecure = leastRecentlyAccessed(inDomain.filter((c) => !c.secureOnly), excess);
  const secure = leastRecentlyAccessed(inDomain.filter((c) => c.secureOnly), excess - insecure.length);
  return [...insecure, ...secure];
}

/**
 * Removes excess cookies after a cookie was stored in `domain`: first that domain, then the whole
 * store, down to the limits. Returns the evicted cookies.
 */
export function removeExcess(backend: CookieStoreBackend, domain: string, limits: CookieLimits): Cookie[] {
  const evicted = evictFromDomain(backend, domain, limits.maxCookiesPerDomain);
  for (const cookie of evicted) backend.remove(cookie);
  if (backend.size <= limits.maxCookies) return evicted;
  const overall = leastRecentlyAccessed([...backend.all()], backend.size - limits.maxCookies);
  for (const cookie of overall) backend.remove(cookie);
  return [...evicted, ...overall];
}
