import { GunError } from '@gunhttp/core';

/**
 * Error codes thrown by `@gunhttp/cookies` (always caller misuse, origin `local`). A refused
 * cookie is not an error: it is a {@link SetCookieRejection} in the result of `setCookie`.
 */
export const CookieErrors = {
  /** A URL given to a retrieval call does not parse or its scheme is not http, https, ws or wss. */
  INVALID_URL: 'COOKIES_ERR_INVALID_URL',
  /** `now` is neither a valid Date nor a finite number of milliseconds since the epoch. */
  INVALID_TIME: 'COOKIES_ERR_INVALID_TIME',
  /** An argument is of the wrong type (a Set-Cookie value that is not a string, a bad cookie key). */
  INVALID_ARGUMENT: 'COOKIES_ERR_INVALID_ARGUMENT',
  /** A store option is out of range or of the wrong type. */
  INVALID_OPTION: 'COOKIES_ERR_INVALID_OPTION',
  /** `CookieStore.fromJSON` was given something that is not a version 1 jar. */
  INVALID_JSON: 'COOKIES_ERR_INVALID_JSON',
} as const;

/** One of the {@link CookieErrors} codes. */
export type CookieErrorCode = (typeof CookieErrors)[keyof typeof CookieErrors];

/**
 * Why `setCookie` did not store a cookie. The values are stable; the first nine are Gun's
 * (`gun_cookies:set_cookie/5`), the others name the remaining RFC 6265bis steps.
 */
export const SetCookieRejections = {
  /** The URL does not parse or its scheme is not http, https, ws or wss. */
  INVALID_URL: 'invalid_url',
  /** A control character other than HTAB in the header (RFC 6265bis §5.6 step 1, §5.7 step 3). */
  CONTROL_CHARACTER: 'control_character',
  /** Name plus value exceed 4096 octets (RFC 6265bis §5.6 step 5, §5.7 step 4). */
  LARGER_THAN_4096_BYTES: 'larger_than_4096_bytes',
  /** Both the name and the value are empty (RFC 6265bis §5.7 step 2). */
  EMPTY_NAME_AND_VALUE: 'empty_name_and_value',
  /** The Domain attribute holds a non-ASCII character (RFC 6265bis §5.7 step 8). */
  DOMAIN_NOT_ASCII: 'domain_not_ascii',
  /** The Domain attribute is a public suffix other than the host itself (RFC 6265bis §5.7 step 9). */
  DOMAIN_IS_PUBLIC_SUFFIX: 'domain_is_public_suffix',
  /** The request host does not domain-match the Domain attribute (RFC 6265bis §5.7 step 10). */
  DOMAIN_MATCH_FAILED: 'domain_match_failed',
  /** A Secure cookie from a non-secure URL (RFC 6265bis §5.7 step 13). */
  SECURE_SCHEME_ONLY: 'secure_scheme_only',
  /** An HttpOnly cookie given to the non-HTTP API (RFC 6265bis §5.7 step 15). */
  HTTP_ONLY_FROM_NON_HTTP_API: 'http_only_from_non_http_api',
  /** A non-secure URL would overwrite or shadow a Secure cookie (RFC 6265bis §5.7 step 16). */
  SECURE_COOKIE_MATCHES: 'secure_cookie_matches',
  /** A SameSite cookie other than None from a cross-site context (RFC 6265bis §5.7 step 18). */
  SAME_SITE_CROSS_SITE: 'same_site_cross_site',
  /** `SameSite=None` without Secure (RFC 6265bis §5.7 step 19). */
  SAME_SITE_NONE_REQUIRES_SECURE: 'same_site_none_requires_secure',
  /** A `__Secure-` name without Secure (RFC 6265bis §5.7 step 20). */
  NAME_PREFIX_SECURE_REQUIRES_SECURE_ONLY: 'name_prefix_secure_requires_secure_only',
  /** A `__Host-` name without Secure (RFC 6265bis §5.7 step 21). */
  NAME_PREFIX_HOST_REQUIRES_SECURE_ONLY: 'name_prefix_host_requires_secure_only',
  /** A `__Host-` name with a Domain attribute (RFC 6265bis §5.7 step 21). */
  NAME_PREFIX_HOST_REQUIRES_HOST_ONLY: 'name_prefix_host_requires_host_only',
  /** A `__Host-` name without `Path=/` (RFC 6265bis §5.7 step 21). */
  NAME_PREFIX_HOST_REQUIRES_TOP_LEVEL_PATH: 'name_prefix_host_requires_top_level_path',
  /** A nameless cookie whose value starts with `__Secure-` or `__Host-` (RFC 6265bis §5.7 step 22). */
  NAMELESS_VALUE_HAS_PREFIX: 'nameless_value_has_prefix',
  /** The non-HTTP API tried to replace an HttpOnly cookie (RFC 6265bis §5.7 step 23). */
  HTTP_ONLY_COOKIE_EXISTS: 'http_only_cookie_exists',
  /** The cookie expired on arrival: it was not kept, and it removed the cookie it replaced (RFC 6265bis §5.7). */
  EXPIRED: 'expired',
  /** The cookie was evicted at once to keep the store within its limits (RFC 6265bis §5.7, "remove excess cookies"). */
  EVICTED: 'evicted',
} as const;

/** One of the {@link SetCookieRejections} reasons. */
export type SetCookieRejection = (typeof SetCookieRejections)[keyof typeof SetCookieRejections];

/** Builds a caller-misuse error of this package. */
export function cookieError(code: CookieErrorCode, message: string, cause?: unknown): GunError {
  return new GunError(code, message, cause === undefined ? { origin: 'local' } : { origin: 'local', cause });
}
