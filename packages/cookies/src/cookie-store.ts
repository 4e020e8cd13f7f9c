import { MemoryCookieBackend } from './backend.js';
import type { CookieStoreBackend } from './backend.js';
import { withTimes } from './cookie.js';
import type { Cookie, CookieKey } from './cookie.js';
import { cookieError, CookieErrors, SetCookieRejections } from './errors.js';
import type { SetCookieRejection } from './errors.js';
import { isExpired, removeExcess, removeExpired } from './eviction.js';
import type { CookieLimits } from './eviction.js';
import { cookiesFromJson, cookieToJson } from './json.js';
import type { CookieJarJson } from './json.js';
import { cookieApplies, retrievalOrder, serializeCookieHeader } from './retrieval.js';
import { parseSetCookie } from './set-cookie-parser.js';
import { newCookie } from './storage-model.js';
import type { SameSiteContext, StorageContext } from './storage-model.js';
import { requestInfo } from './url-info.js';
import type { RequestInfo } from './url-info.js';

/** 400 days in ms: the longest lifetime RFC 6265bis §5.6.1/§5.6.2 recommend (§7.2). */
export const DEFAULT_COOKIE_AGE_LIMIT = 400 * 24 * 60 * 60 * 1000;
/** Cookies per domain field: Chromium's number, above the 50 that RFC 6265bis §6.1 asks for. */
export const DEFAULT_MAX_COOKIES_PER_DOMAIN = 180;
/** Cookies in a store: the 3000 that RFC 6265bis §6.1 asks for. */
export const DEFAULT_MAX_COOKIES = 3000;

/** Options of {@link CookieStore}. */
export interface CookieStoreOptions {
  /** Where cookies live; default a new {@link MemoryCookieBackend}. */
  readonly backend?: CookieStoreBackend;
  /** Most cookies sharing one domain field; default 180. Integer ≥ 1. */
  readonly maxCookiesPerDomain?: number;
  /** Most cookies in the store; default 3000. Integer ≥ 1. */
  readonly maxCookies?: number;
  /** Longest lifetime given by Max-Age or Expires, in ms; default 400 days. */
  readonly cookieAgeLimit?: number;
  /** Refuse Domain attributes that are public suffixes (RFC 6265bis §5.7 step 9); default `true`. */
  readonly rejectPublicSuffixes?: boolean;
  /** Count the private section of the Public Suffix List (github.io, ...); default `false` (ICANN only). */
  readonly includePrivateSuffixes?: boolean;
}

/** Options of every call that applies the rules. */
export interface CookieCallOptions {
  /** The current time: a Date or ms since the epoch. Default `Date.now()`, read once at the call. */
  readonly now?: Date | number;
  /** `true` (default): the HTTP API. `false`: a non-HTTP API, which cannot set or see HttpOnly cookies. */
  readonly httpApi?: boolean;
  /** Same-site status of the request (RFC 6265bis §5.2); default `'same-site'` (no browsing context). */
  readonly sameSiteContext?: SameSiteContext;
}

/** Options of the retrieval calls. */
export interface GetCookiesOptions extends CookieCallOptions {
  /** Request method, for SameSite=Lax on cross-site top-level navigations; default `GET`. */
  readonly method?: string;
}

/** What `setCookie` did. A rejection that deleted a cookie (expired on arrival) lists it in `removed`. */
export type SetCookieResult =
  | { readonly stored: true; readonly cookie: Cookie; readonly replaced?: Cookie; readonly evicted?: readonly Cookie[] }
  | { readonly stored: false; readonly reason: SetCookieRejection; readonly removed?: Cookie };

function toTime(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw cookieError(CookieErrors.INVALID_TIME, '`now` must be a valid Date or finite ms since the epoch');
  }
  return ms;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw cookieError(CookieErrors.INVALID_OPTION, `CookieStore option ${name} must be an integer ≥ 1`);
  }
  return value;
}

function rejected(reason: SetCookieRejection, removed?: Cookie): SetCookieResult {
  return removed === undefined ? { stored: false, reason } : { stored: false, reason, removed };
}

/**
 * A cookie jar following RFC 6265bis (draft-ietf-httpbis-rfc6265bis) for HTTP clients: feed it
 * the Set-Cookie values of each response with `setCookie`, ask it for the Cookie header of each
 * request with `getCookieString`. Time is an argument (`now`) of every call.
 */
export class CookieStore {
  readonly #backend: CookieStoreBackend;
  readonly #limits: CookieLimits;
  readonly #ageLimit: number;
  readonly #rejectPublicSuffixes: boolean;
  readonly #includePrivateSuffixes: boolean;
  /** The last URL string read and what it gave: the Set-Cookie lines of one response share it. */
  #lastRequest: { readonly url: string; readonly info: RequestInfo | undefined } | undefined;

  /** Throws `COOKIES_ERR_INVALID_OPTION` for out-of-range limits. */
  constructor(options: CookieStoreOptions = {}) {
    this.#backend = options.backend ?? new MemoryCookieBackend();
    this.#limits = {
      maxCookiesPerDomain: positiveInteger(options.maxCookiesPerDomain, DEFAULT_MAX_COOKIES_PER_DOMAIN, 'maxCookiesPerDomain'),
      maxCookies: positiveInteger(options.maxCookies, DEFAULT_MAX_COOKIES, 'maxCookies'),
    };
    this.#ageLimit = positiveInteger(options.cookieAgeLimit, DEFAULT_COOKIE_AGE_LIMIT, 'cookieAgeLimit');
    this.#rejectPublicSuffixes = options.rejectPublicSuffixes ?? true;
    this.#includePrivateSuffixes = options.includePrivateSuffixes ?? false;
  }

  /**
   * Rebuilds a store from `toJSON()` output (the object or its JSON text), in the same order.
   * Throws `COOKIES_ERR_INVALID_JSON` when the input is not a valid version 1 jar.
   */
  static fromJSON(json: unknown, options: CookieStoreOptions = {}): CookieStore {
    const cookies = cookiesFromJson(json);
    const store = new CookieStore(options);
    for (const cookie of cookies) store.#backend.put(cookie);
    return store;
  }

  /** How many cookies are stored (expired ones included until the next call with `now`). */
  get size(): number {
    return this.#backend.size;
  }

  /**
   * Processes one Set-Cookie value received from `url` (RFC 6265bis §5.6, §5.7). Never throws
   * for bad input: the result says whether the cookie was stored and why not. Throws only for
   * an invalid `now` (`COOKIES_ERR_INVALID_TIME`) or a non-string value.
   */
  setCookie(setCookieValue: string, url: string | URL, options: CookieCallOptions = {}): SetCookieResult {
    if (typeof setCookieValue !== 'string') {
      throw cookieError(CookieErrors.INVALID_ARGUMENT, 'A Set-Cookie value must be a string');
    }
    const now = toTime(options.now);
    const request = this.#requestInfo(url);
    if (request === undefined) return rejected(SetCookieRejections.INVALID_URL);
    removeExpired(this.#backend, now);
    const parsed = parseSetCookie(setCookieValue);
    if (parsed.kind === 'rejected') return rejected(parsed.reason);
    const made = newCookie(parsed.name, parsed.value, parsed.attributes, this.#context(request, now, options));
    if (made.kind === 'rejected') return rejected(made.reason);
    return this.#store(made.cookie, now, options.httpApi ?? true);
  }

  /** `setCookie` for each value, such as `response.headers.getSetCookie()`, in order. */
  setCookies(setCookieValues: Iterable<string>, url: string | URL, options: CookieCallOptions = {}): SetCookieResult[] {
    const now = toTime(options.now);
    return [...setCookieValues].map((value) => this.setCookie(value, url, Object.assign({}, options, { now })));
  }

  /**
   * The cookies a request to `url` carries (RFC 6265bis §5.8.3), sorted longer paths first then
   * older first; their last-access time becomes `now`. Throws `COOKIES_ERR_INVALID_URL` when
   * the URL does not parse or is not http, https, ws or wss.
   */
  getCookies(url: string | URL, options: GetCookiesOptions = {}): Cookie[] {
    const now = toTime(options.now);
    const request = this.#requestInfo(url);
    if (request === undefined) {
      throw cookieError(CookieErrors.INVALID_URL, 'Cookies apply to http, https, ws and wss URLs with a host (RFC 6265bis §5.8.3)');
    }
    removeExpired(this.#backend, now);
    const ctx = {
      request,
      httpApi: options.httpApi ?? true,
      sameSiteContext: options.sameSiteContext ?? 'same-site',
      method: options.method ?? 'GET',
    } as const;
    const selected: Cookie[] = [];
    for (const cookie of this.#backend.query(request.host)) if (cookieApplies(cookie, ctx)) selected.push(cookie);
    selected.sort(retrievalOrder);
    for (let i = 0; i < selected.length; i++) {
      const cookie = selected[i] as Cookie;
      // Already accessed at `now`: the stored object is the touched one, no copy needed.
      const touched = cookie.lastAccessTime === now ? cookie : withTimes(cookie, cookie.creationTime, now);
      this.#backend.put(touched);
      selected[i] = touched;
    }
    return selected;
  }

  /** The Cookie header value for a request to `url` (RFC 6265bis §5.8.3); `''` when none applies. */
  getCookieString(url: string | URL, options: GetCookiesOptions = {}): string {
    return serializeCookieHeader(this.getCookies(url, options));
  }

  /** Every stored cookie in store order, without touching last-access times or removing expired ones. */
  getAllCookies(): Cookie[] {
    return [...this.#backend.all()];
  }

  /** Removes the cookie with this identity (name, domain, hostOnly, path); `true` if it existed. */
  removeCookie(key: CookieKey): boolean {
    return this.#backend.remove(key);
  }

  /** Removes every cookie. */
  removeAll(): void {
    this.#backend.clear();
  }

  /** Garbage collection: removes the cookies expired at `now` and returns them. */
  removeExpiredCookies(options: Pick<CookieCallOptions, 'now'> = {}): Cookie[] {
    return removeExpired(this.#backend, toTime(options.now));
  }

  /** Ends a session: removes the cookies without an expiry time and returns them (RFC 6265bis §5.7). */
  removeSessionCookies(): Cookie[] {
    const session = [...this.#backend.all()].filter((c) => !c.persistent);
    for (const cookie of session) this.#backend.remove(cookie);
    return session;
  }

  /** The jar as a plain versioned object, `{ version: 1, cookies }`, for `JSON.stringify`. */
  toJSON(): CookieJarJson {
    return { version: 1, cookies: [...this.#backend.all()].map(cookieToJson) };
  }

  /** `requestInfo`, remembering the last URL string (a `URL` object may change, so it is read each time). */
  #requestInfo(url: string | URL): RequestInfo | undefined {
    if (typeof url !== 'string') return requestInfo(url);
    const last = this.#lastRequest;
    if (last !== undefined && last.url === url) return last.info;
    const info = requestInfo(url);
    this.#lastRequest = { url, info };
    return info;
  }

  #context(request: RequestInfo, now: number, options: CookieCallOptions): StorageContext {
    return {
      request,
      now,
      httpApi: options.httpApi ?? true,
      sameSiteContext: options.sameSiteContext ?? 'same-site',
      cookieAgeLimit: this.#ageLimit,
      rejectPublicSuffixes: this.#rejectPublicSuffixes,
      includePrivateSuffixes: this.#includePrivateSuffixes,
      backend: this.#backend,
    };
  }

  /** Steps 23 and 24 of §5.7, then the removal of expired and excess cookies. */
  #store(fresh: Cookie, now: number, httpApi: boolean): SetCookieResult {
    const old = this.#backend.get(fresh);
    if (old !== undefined && !httpApi && old.httpOnly) return rejected(SetCookieRejections.HTTP_ONLY_COOKIE_EXISTS);
    const cookie = old === undefined ? fresh : withTimes(fresh, old.creationTime, fresh.lastAccessTime);
    if (isExpired(cookie, now)) {
      if (old !== undefined) this.#backend.remove(old);
      return rejected(SetCookieRejections.EXPIRED, old);
    }
    this.#backend.put(cookie);
    const evicted = removeExcess(this.#backend, cookie.domain, this.#limits);
    if (evicted.length > 0 && this.#backend.get(cookie) !== cookie) return rejected(SetCookieRejections.EVICTED, old);
    return {
      stored: true,
      cookie,
      ...(old === undefined ? {} : { replaced: old }),
      ...(evicted.length === 0 ? {} : { evicted }),
    };
  }
}
