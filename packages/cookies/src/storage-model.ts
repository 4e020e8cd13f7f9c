/*
 * The storage model (RFC 6265bis §5.7), steps 2 to 22: from a parsed Set-Cookie to a new cookie,
 * or the reason it is ignored. Steps 23-24 (replace, insert) and the eviction of expired and
 * excess cookies are the store's (cookie-store.ts, eviction.ts).
 *
 *   Set-Cookie ──parse §5.6──▶ name, value, attribute list ──§5.7 steps 2-22──▶ new cookie
 *        │                                   │                                     │
 *        └──▶ ignored (CTL, > 4096)          └──▶ ignored (reason)                  ▼
 *                                                          steps 23-24: replace or insert ──▶ stored
 *                                                                │                  │
 *                                                  expired ◀─────┘                  └──▶ evicted (limits)
 */
import { assertNever } from '@gunhttp/core';
import { isAscii, startsWithIgnoringCase } from './ascii.js';
import type { Cookie, SameSite } from './cookie.js';
import type { CookieStoreBackend } from './backend.js';
import { SetCookieRejections } from './errors.js';
import type { SetCookieRejection } from './errors.js';
import { defaultPath, domainMatch, pathMatch } from './matching.js';
import { isPublicSuffix } from './public-suffix.js';
import type { CookieAttribute } from './set-cookie-parser.js';
import type { RequestInfo } from './url-info.js';

/**
 * The same-site status of the request a cookie comes from or goes to (RFC 6265bis §5.2). A
 * client with no browsing context is its own top-level site, so the default is `same-site`.
 */
export type SameSiteContext = 'same-site' | 'cross-site' | 'cross-site-top-level-navigation';

/** The earliest representable time (ECMAScript's minimum Date): Max-Age ≤ 0 (§5.6.2). */
export const EARLIEST_TIME = -8.64e15;

/** What the storage steps depend on besides the cookie. */
export interface StorageContext {
  readonly request: RequestInfo;
  readonly now: number;
  readonly httpApi: boolean;
  readonly sameSiteContext: SameSiteContext;
  /** Longest lifetime in ms (§5.6.1, §5.6.2: the user agent MUST limit it; 400 days recommended). */
  readonly cookieAgeLimit: number;
  readonly rejectPublicSuffixes: boolean;
  readonly includePrivateSuffixes: boolean;
  readonly backend: CookieStoreBackend;
}

/** The outcome of steps 2 to 22. */
export type NewCookie =
  | { readonly kind: 'cookie'; readonly cookie: Cookie }
  | { readonly kind: 'rejected'; readonly reason: SetCookieRejection };

type Attr<N extends CookieAttribute['name']> = Extract<CookieAttribute, { name: N }>;

/** The last attribute of each name in the cookie-attribute-list (§5.7 uses the last one of each). */
type LastAttributes = { -readonly [N in CookieAttribute['name']]: Attr<N> | undefined };

/** One pass over the list: a later attribute of a name replaces an earlier one. */
function lastAttributes(list: readonly CookieAttribute[]): LastAttributes {
  const last: LastAttributes = {
    'expires': undefined, 'max-age': undefined, 'domain': undefined, 'path': undefined,
    'secure': undefined, 'httponly': undefined, 'samesite': undefined,
  };
  for (const a of list) {
    switch (a.name) {
      case 'expires': last.expires = a; break;
      case 'max-age': last['max-age'] = a; break;
      case 'domain': last.domain = a; break;
      case 'path': last.path = a; break;
      case 'secure': last.secure = a; break;
      case 'httponly': last.httponly = a; break;
      case 'samesite': last.samesite = a; break;
      default: assertNever(a, 'cookie attribute');
    }
  }
  return last;
}

/** Step 6, with the age limit of §5.6.1 and §5.6.2 applied: Max-Age wins over Expires. */
function expiryTime(list: LastAttributes, ctx: StorageContext): number | undefined {
  const maxAge = list['max-age'];
  if (maxAge !== undefined) {
    if (maxAge.seconds <= 0) return EARLIEST_TIME;
    return ctx.now + Math.min(maxAge.seconds * 1000, ctx.cookieAgeLimit);
  }
  const expires = list.expires;
  if (expires === undefined) return undefined;
  return Math.min(expires.time, ctx.now + ctx.cookieAgeLimit);
}

type DomainResult = { readonly hostOnly: boolean; readonly domain: string } | SetCookieRejection;

/** Steps 7 to 10: Domain attribute, public suffixes, domain-match, host-only. */
function cookieDomain(list: LastAttributes, ctx: StorageContext): DomainResult {
  const host = ctx.request.host;
  let domain = list.domain?.domain ?? '';
  if (!isAscii(domain)) return SetCookieRejections.DOMAIN_NOT_ASCII;
  if (ctx.rejectPublicSuffixes && isPublicSuffix(domain, ctx.includePrivateSuffixes)) {
    if (domain !== host) return SetCookieRejections.DOMAIN_IS_PUBLIC_SUFFIX;
    domain = '';
  }
  if (domain === '') return { hostOnly: true, domain: host };
  if (!domainMatch(host, domain)) return SetCookieRejections.DOMAIN_MATCH_FAILED;
  return { hostOnly: false, domain };
}

/** Step 16: a non-secure origin may not overwrite or shadow a Secure cookie. */
function shadowsSecureCookie(cookie: Cookie, ctx: StorageContext): boolean {
  if (cookie.secureOnly || ctx.request.secure) return false;
  for (const old of ctx.backend.all()) {
    if (old.name === cookie.name && old.secureOnly
      && (domainMatch(old.domain, cookie.domain) || domainMatch(cookie.domain, old.domain))
      && pathMatch(cookie.path, old.path)) {
      return true;
    }
  }
  return false;
}

/** Step 18: a cookie other than SameSite=None only from a same-site request or a top-level navigation. */
function refusedCrossSite(sameSite: SameSite, ctx: StorageContext): boolean {
  if (sameSite === 'none') return false;
  switch (ctx.sameSiteContext) {
    case 'same-site': return false;
    case 'cross-site-top-level-navigation': return !ctx.httpApi;
    case 'cross-site': return true;
    default: return assertNever(ctx.sameSiteContext, 'same-site context');
  }
}

/** Steps 20 to 22: the `__Secure-` and `__Host-` prefixes, case-insensitive. */
function prefixRejection(cookie: Cookie, list: LastAttributes): SetCookieRejection | undefined {
  if (startsWithIgnoringCase(cookie.name, '__Secure-') && !cookie.secureOnly) {
    return SetCookieRejections.NAME_PREFIX_SECURE_REQUIRES_SECURE_ONLY;
  }
  if (startsWithIgnoringCase(cookie.name, '__Host-')) {
    if (!cookie.secureOnly) return SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_SECURE_ONLY;
    if (!cookie.hostOnly) return SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_HOST_ONLY;
    if (list.path === undefined || cookie.path !== '/') {
      return SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_TOP_LEVEL_PATH;
    }
  }
  if (cookie.name === '' && (startsWithIgnoringCase(cookie.value, '__Secure-') || startsWithIgnoringCase(cookie.value, '__Host-'))) {
    return SetCookieRejections.NAMELESS_VALUE_HAS_PREFIX;
  }
  return undefined;
}

/** Steps 12 to 22 on the cookie built by steps 5 to 11, in the draft's order. */
function checks(cookie: Cookie, list: LastAttributes, ctx: StorageContext): SetCookieRejection | undefined {
  if (cookie.secureOnly && !ctx.request.secure) return SetCookieRejections.SECURE_SCHEME_ONLY;
  if (cookie.httpOnly && !ctx.httpApi) return SetCookieRejections.HTTP_ONLY_FROM_NON_HTTP_API;
  if (shadowsSecureCookie(cookie, ctx)) return SetCookieRejections.SECURE_COOKIE_MATCHES;
  if (refusedCrossSite(cookie.sameSite, ctx)) return SetCookieRejections.SAME_SITE_CROSS_SITE;
  if (cookie.sameSite === 'none' && !cookie.secureOnly) return SetCookieRejections.SAME_SITE_NONE_REQUIRES_SECURE;
  return prefixRejection(cookie, list);
}

/**
 * Steps 2 to 22 of the storage model (RFC 6265bis §5.7): builds the new cookie from a parsed
 * Set-Cookie, or says why it is ignored. The caller has already refused control characters and
 * oversized names and values (§5.6, the same as steps 3 and 4).
 */
export function newCookie(name: string, value: string, attributes: readonly CookieAttribute[], ctx: StorageContext): NewCookie {
  if (name === '' && value === '') return { kind: 'rejected', reason: SetCookieRejections.EMPTY_NAME_AND_VALUE };
  const list = lastAttributes(attributes);
  const expiry = expiryTime(list, ctx);
  const domain = cookieDomain(list, ctx);
  if (typeof domain === 'string') return { kind: 'rejected', reason: domain };
  const pathAttr = list.path;
  const cookie: Cookie = Object.freeze({
    name,
    value,
    domain: domain.domain,
    path: pathAttr?.path ?? defaultPath(ctx.request.path),
    creationTime: ctx.now,
    lastAccessTime: ctx.now,
    expiryTime: expiry,
    persistent: expiry !== undefined,
    hostOnly: domain.hostOnly,
    secureOnly: list.secure !== undefined,
    httpOnly: list.httponly !== undefined,
    sameSite: list.samesite?.sameSite ?? 'default',
  });
  const reason = checks(cookie, list, ctx);
  return reason === undefined ? { kind: 'cookie', cookie } : { kind: 'rejected', reason };
}
