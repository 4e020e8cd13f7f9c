/*
 * The retrieval model (RFC 6265bis §5.8.3): which stored cookies a request gets, in which order,
 * and the Cookie header that carries them.
 */
import { assertNever } from '@gunhttp/core';
import type { Cookie } from './cookie.js';
import { domainMatch, pathMatch } from './matching.js';
import type { SameSiteContext } from './storage-model.js';
import type { RequestInfo } from './url-info.js';

/** What retrieval depends on besides the store. */
export interface RetrievalContext {
  readonly request: RequestInfo;
  readonly httpApi: boolean;
  readonly sameSiteContext: SameSiteContext;
  /** The request method, for the Lax exception on cross-site top-level navigations. */
  readonly method: string;
}

/** "Safe" methods (RFC 9110 §9.2.1), as the SameSite rule of §5.8.3 uses them. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

function hostMatches(cookie: Cookie, host: string): boolean {
  return cookie.hostOnly ? host === cookie.domain : domainMatch(host, cookie.domain);
}

/** The SameSite condition of §5.8.3: cookies other than None stay home on cross-site requests. */
function sameSiteAllows(cookie: Cookie, ctx: RetrievalContext): boolean {
  if (cookie.sameSite === 'none') return true;
  switch (ctx.sameSiteContext) {
    case 'same-site': return true;
    case 'cross-site': return false;
    case 'cross-site-top-level-navigation':
      return ctx.httpApi && cookie.sameSite !== 'strict' && SAFE_METHODS.has(ctx.method.toUpperCase());
    default: return assertNever(ctx.sameSiteContext, 'same-site context');
  }
}

/** Whether a stored, unexpired cookie goes with the request (the conditions of §5.8.3 step 1). */
export function cookieApplies(cookie: Cookie, ctx: RetrievalContext): boolean {
  return hostMatches(cookie, ctx.request.host)
    && pathMatch(ctx.request.path, cookie.path)
    && (!cookie.secureOnly || ctx.request.secure)
    && (!cookie.httpOnly || ctx.httpApi)
    && sameSiteAllows(cookie, ctx);
}

/**
 * The order §5.8.3 step 2 recommends, for a stable sort: longer paths first, then earlier
 * creation times; the store's insertion order breaks the remaining ties.
 */
export function retrievalOrder(a: Cookie, b: Cookie): number {
  return b.path.length - a.path.length || a.creationTime - b.creationTime;
}

/**
 * Serialises cookies into a Cookie header value (RFC 6265bis §5.8.3 step 4): `name=value`
 * pairs joined by `; `, a nameless cookie as its value alone. `''` for no cookies.
 */
export function serializeCookieHeader(cookies: readonly Cookie[]): string {
  let header = '';
  for (let i = 0; i < cookies.length; i++) {
    const c = cookies[i] as Cookie;
    if (i > 0) header += '; ';
    header += c.name === '' ? c.value : `${c.name}=${c.value}`;
  }
  return header;
}
