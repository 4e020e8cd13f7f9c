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
  /**
   * Optional: removes the cookies expired at `now` (ms since the epoch: expiry time not after it)
   * and returns them in insertion order. Without it the store scans `all()` and calls `remove`.
   */
  removeExpired?(now: number): Cookie[];
  /** Removes every cookie. */
  clear(): void;
  /** How many cookies are stored. */
  readonly size: number;
}

/** A stored cookie and its insertion number, which orders cookies of different domains. */
interface Entry {
  cookie: Cookie;
  readonly seq: number;
}

/** The cookies of one domain field: in insertion order, and by name (few cookies share a name). */
interface DomainIndex {
  readonly entries: Set<Entry>;
  readonly byName: Map<string, Entry[]>;
}

function bySeq(a: Entry, b: Entry): number {
  return a.seq - b.seq;
}

/**
 * The default {@link CookieStoreBackend}: in memory, in insertion order. Cookies are indexed by
 * domain then name, so `query` walks the request host and its parent domains instead of every
 * cookie, and lookups build no key strings.
 */
export class MemoryCookieBackend implements CookieStoreBackend {
  /** Every entry, in insertion order (a replaced cookie keeps its entry, so its place). */
  readonly #entries = new Set<Entry>();
  readonly #domains = new Map<string, DomainIndex>();
  #seq = 0;
  /** No cookie expires before this time (ms): a lower bound, exact after each `removeExpired`. */
  #earliestExpiry = Infinity;

  *all(): Iterable<Cookie> {
    for (const entry of this.#entries) yield entry.cookie;
  }

  query(host: string): Iterable<Cookie> {
    const entries: Entry[] = [];
    let domains = 0;
    // The candidate domains are `host` and every suffix of it that follows a dot.
    let domain = host;
    for (;;) {
      const index = this.#domains.get(domain);
      if (index !== undefined) {
        domains++;
        for (const entry of index.entries) entries.push(entry);
      }
      const dot = domain.indexOf('.');
      if (dot < 0) break;
      domain = domain.slice(dot + 1);
    }
    // Several domains: back to insertion order.
    if (domains > 1) entries.sort(bySeq);
    const found: Cookie[] = [];
    for (const entry of entries) found.push(entry.cookie);
    return found;
  }

  get(key: CookieKey): Cookie | undefined {
    return this.#find(key)?.cookie;
  }

  put(cookie: Cookie): void {
    if (cookie.expiryTime !== undefined && cookie.expiryTime < this.#earliestExpiry) this.#earliestExpiry = cookie.expiryTime;
    let index = this.#domains.get(cookie.domain);
    if (index === undefined) {
      index = { entries: new Set(), byName: new Map() };
      this.#domains.set(cookie.domain, index);
    }
    const named = index.byName.get(cookie.name);
    const old = named === undefined ? undefined : sameKey(named, cookie);
    if (old !== undefined) {
      old.cookie = cookie;
      return;
    }
    const entry: Entry = { cookie, seq: this.#seq++ };
    if (named === undefined) index.byName.set(cookie.name, [entry]);
    else named.push(entry);
    index.entries.add(entry);
    this.#entries.add(entry);
  }

  remove(key: CookieKey): boolean {
    const index = this.#domains.get(key.domain);
    const named = index?.byName.get(key.name);
    const entry = named === undefined ? undefined : sameKey(named, key);
    if (index === undefined || named === undefined || entry === undefined) return false;
    named.splice(named.indexOf(entry), 1);
    if (named.length === 0) index.byName.delete(key.name);
    index.entries.delete(entry);
    if (index.entries.size === 0) this.#domains.delete(key.domain);
    this.#entries.delete(entry);
    return true;
  }

  /**
   * Removes the cookies expired at `now`, in insertion order. Scans only when the earliest
   * expiry time has passed, so most calls cost one comparison.
   */
  removeExpired(now: number): Cookie[] {
    if (now < this.#earliestExpiry) return [];
    const expired: Cookie[] = [];
    let earliest = Infinity;
    for (const { cookie } of this.#entries) {
      const expiry = cookie.expiryTime;
      if (expiry === undefined) continue;
      if (expiry <= now) expired.push(cookie);
      else if (expiry < earliest) earliest = expiry;
    }
    for (const cookie of expired) this.remove(cookie);
    this.#earliestExpiry = earliest;
    return expired;
  }

  clear(): void {
    this.#entries.clear();
    this.#domains.clear();
    this.#earliestExpiry = Infinity;
  }

  get size(): number {
    return this.#entries.size;
  }

  #find(key: CookieKey): Entry | undefined {
    const named = this.#domains.get(key.domain)?.byName.get(key.name);
    return named === undefined ? undefined : sameKey(named, key);
  }
}

/** The entry among cookies of one domain and name whose path and host-only flag are the key's. */
function sameKey(named: readonly Entry[], key: CookieKey): Entry | undefined {
  for (const entry of named) {
    if (entry.cookie.path === key.path && entry.cookie.hostOnly === key.hostOnly) return entry;
  }
  return undefined;
}
