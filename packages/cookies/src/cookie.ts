/** The enforcement mode of a cookie's SameSite attribute (RFC 6265bis §5.6.7): `default` when absent or unknown. */
export type SameSite = 'default' | 'none' | 'lax' | 'strict';

/**
 * A stored cookie (RFC 6265bis §5.7): a plain, frozen object. Times are milliseconds since the
 * epoch (UTC).
 */
export interface Cookie {
  /** The cookie-name; empty for a nameless cookie (`Set-Cookie: value`). */
  readonly name: string;
  readonly value: string;
  /** The canonical host (host-only) or the Domain attribute without its leading dot, lowercase. */
  readonly domain: string;
  /** Always starts with `/`. */
  readonly path: string;
  /** When the first cookie of this identity was stored; a replacement keeps it (§5.7 step 23). */
  readonly creationTime: number;
  /** The last time a retrieval returned this cookie (§5.8.3). */
  readonly lastAccessTime: number;
  /** When the cookie expires; `undefined` for a session cookie (persistent-flag false). */
  readonly expiryTime: number | undefined;
  /** `true` when Max-Age or Expires gave an expiry time; always `expiryTime !== undefined`. */
  readonly persistent: boolean;
  /** `true` when there was no (usable) Domain attribute: only the exact host gets the cookie. */
  readonly hostOnly: boolean;
  /** The Secure attribute: sent only over https and wss. */
  readonly secureOnly: boolean;
  /** The HttpOnly attribute: invisible to the non-HTTP API (`httpApi: false`). */
  readonly httpOnly: boolean;
  readonly sameSite: SameSite;
}

/** What identifies a cookie in the store: a new cookie with the same key replaces the old one (§5.7 step 23). */
export type CookieKey = Pick<Cookie, 'name' | 'domain' | 'hostOnly' | 'path'>;

/** A frozen copy of `cookie` with other creation and last-access times (ms since the epoch). */
export function withTimes(cookie: Cookie, creationTime: number, lastAccessTime: number): Cookie {
  return Object.freeze({
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    creationTime,
    lastAccessTime,
    expiryTime: cookie.expiryTime,
    persistent: cookie.persistent,
    hostOnly: cookie.hostOnly,
    secureOnly: cookie.secureOnly,
    httpOnly: cookie.httpOnly,
    sameSite: cookie.sameSite,
  });
}
