import { cookieKeyString } from './cookie.js';
import type { Cookie, CookieKey } from './cookie.js';

/**
 * Where a {@link CookieStore} keeps its cookies. The store applies every RFC 6265bis rule; a
 * backend only stores, finds and removes. Implement it to keep cookies elsewhere (a database, a
 * shared map); the default is {@link MemoryCookieBackend}. Calls are synchronous.
 *
 * Order matters: `all()` and `query()` return cookies in insertion order, and `put` of a cookie
 * whose key exists replaces it in place. Retrieval sorts by path length then creation time
 * (RFC 6265bis §5.8.3) and keeps this order among equals.
 */
export interface CookieStoreBackend {
  /** Every cookie, in insertion order. */
  all(): Iterable<Cookie>;
  /**
   * Candidates for a request to `host` (a canonical host): at least every cookie whose domain is
   * `host` or a parent domain of it, in insertion order. Returning more is allowed; the store
   * filters.
   */
  query(host: string): Iterable<Cookie>;
  /** The cookie with this identity (name, domain, host-only flag, path), if any. */
  get(key: CookieKey): Cookie | undefined;
  /** Inserts a cookie, or replaces in place the one with the same identity. */
  put(cookie: Cookie): void;
  /** Removes the cookie with this identity; `true` if there was one. */
  remove(key: CookieKey): boolean;
  /** Removes every cookie. */
  clear(): void;
  /** How many cookies are stored. */
  readonly size: number;
}

/** The default {@link CookieStoreBackend}: a `Map` in memory, in insertion order. */
export class MemoryCookieBackend implements CookieStoreBackend {
  readonly #cookies = new Map<string, Cookie>();

  all(): Iterable<Cookie> {
    return this.#cookies.values();
  }

  *query(host: string): Iterable<Cookie> {
    for (const cookie of this.#cookies.values()) {
      if (host === cookie.domain || host.endsWith(`.${cookie.domain}`)) yield cookie;
    }
  }

  get(key: CookieKey): Cookie | undefined {
    return this.#cookies.get(cookieKeyString(key));
  }

  put(cookie: Cookie): void {
    this.#cookies.set(cookieKeyString(cookie), cookie);
  }

  remove(key: CookieKey): boolean {
    return this.#cookies.delete(cookieKeyString(key));
  }

  clear(): void {
    this.#cookies.clear();
  }

  get size(): number {
    return this.#cookies.size;
  }
}
