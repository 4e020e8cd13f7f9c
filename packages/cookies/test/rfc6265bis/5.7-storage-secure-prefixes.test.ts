import { CookieStore, SetCookieRejections } from '../../src/index.js';
import { NOW, outcome } from '../helpers.js';

const HTTP = 'http://example.com/';
const HTTPS = 'https://example.com/';
const set = (header: string, url: string, jar = new CookieStore()): string => outcome(jar.setCookie(header, url, { now: NOW }));

describe('RFC 6265bis §5.7 steps 12-13: Secure', () => {
  it('a Secure cookie is stored from https and wss, refused from http and ws', () => {
    expect(set('a=b; Secure', HTTPS)).toBe('stored');
    expect(set('a=b; Secure', 'wss://example.com/')).toBe('stored');
    expect(set('a=b; Secure', HTTP)).toBe(SetCookieRejections.SECURE_SCHEME_ONLY);
    expect(set('a=b; Secure', 'ws://example.com/')).toBe(SetCookieRejections.SECURE_SCHEME_ONLY);
  });
});

describe('RFC 6265bis §5.7 step 16: an insecure origin cannot overwrite or shadow a Secure cookie', () => {
  const withSecure = (): CookieStore => {
    const jar = new CookieStore();
    jar.setCookie('a=secret; Secure; Domain=example.com; Path=/p', 'https://www.example.com/', { now: NOW });
    return jar;
  };
  it.each([
    ['a=x; Domain=example.com; Path=/p', 'http://www.example.com/'],
    ['a=x; Path=/p', 'http://www.example.com/'],
    ['a=x; Path=/p/deeper', 'http://example.com/'],
    ['a=x; Domain=example.com; Path=/p; Max-Age=0', 'http://example.com/'],
  ])('%j from %s is refused', (header, url) => {
    expect(set(header, url, withSecure())).toBe(SetCookieRejections.SECURE_COOKIE_MATCHES);
  });

  it.each([
    ['b=x; Path=/p', 'http://www.example.com/'],
    ['a=x; Path=/', 'http://www.example.com/'],
    ['a=x; Path=/pq', 'http://www.example.com/'],
    ['a=x; Path=/p', 'http://other.com/'],
    ['a=x; Path=/p', 'https://www.example.com/'],
  ])('%j from %s is allowed (other name, path not matching, other domain, or secure)', (header, url) => {
    expect(set(header, url, withSecure())).toBe('stored');
  });
});

describe('RFC 6265bis §5.7 steps 14-15 and 23: HttpOnly and the non-HTTP API', () => {
  it('the non-HTTP API cannot set an HttpOnly cookie', () => {
    const jar = new CookieStore();
    expect(outcome(jar.setCookie('a=b; HttpOnly', HTTP, { now: NOW, httpApi: false }))).toBe(SetCookieRejections.HTTP_ONLY_FROM_NON_HTTP_API);
    expect(outcome(jar.setCookie('a=b; HttpOnly', HTTP, { now: NOW }))).toBe('stored');
  });

  it('the non-HTTP API cannot replace an HttpOnly cookie', () => {
    const jar = new CookieStore();
    jar.setCookie('a=b; HttpOnly', HTTP, { now: NOW });
    expect(outcome(jar.setCookie('a=c', HTTP, { now: NOW, httpApi: false }))).toBe(SetCookieRejections.HTTP_ONLY_COOKIE_EXISTS);
    expect(jar.getCookieString(HTTP, { now: NOW })).toBe('a=b');
  });
});

describe('RFC 6265bis §5.7 steps 18-19: SameSite', () => {
  it('SameSite=None requires Secure (step 19)', () => {
    expect(set('a=b; SameSite=None', HTTPS)).toBe(SetCookieRejections.SAME_SITE_NONE_REQUIRES_SECURE);
    expect(set('a=b; SameSite=None; Secure', HTTPS)).toBe('stored');
  });

  it('a cross-site response may only set SameSite=None cookies, unless it is a top-level navigation (step 18)', () => {
    const jar = new CookieStore();
    const cross = { now: NOW, sameSiteContext: 'cross-site' } as const;
    expect(outcome(jar.setCookie('a=b', HTTPS, cross))).toBe(SetCookieRejections.SAME_SITE_CROSS_SITE);
    expect(outcome(jar.setCookie('a=b; SameSite=Lax', HTTPS, cross))).toBe(SetCookieRejections.SAME_SITE_CROSS_SITE);
    expect(outcome(jar.setCookie('a=b; SameSite=None; Secure', HTTPS, cross))).toBe('stored');
    const nav = { now: NOW, sameSiteContext: 'cross-site-top-level-navigation' } as const;
    expect(outcome(jar.setCookie('c=d; SameSite=Strict', HTTPS, nav))).toBe('stored');
    expect(outcome(jar.setCookie('c=d', HTTPS, { ...nav, httpApi: false }))).toBe(SetCookieRejections.SAME_SITE_CROSS_SITE);
  });
});

describe('RFC 6265bis §5.7 steps 20-22: cookie name prefixes, case-insensitive', () => {
  it.each([
    ['__Secure-a=b; Secure', HTTPS, 'stored'],
    ['__secure-a=b; Secure', HTTPS, 'stored'],
    ['__Secure-a=b; Secure; Domain=example.com', HTTPS, 'stored'],
    ['__Secure-a=b', HTTPS, SetCookieRejections.NAME_PREFIX_SECURE_REQUIRES_SECURE_ONLY],
    ['__SECURE-a=b', HTTPS, SetCookieRejections.NAME_PREFIX_SECURE_REQUIRES_SECURE_ONLY],
    ['__Secure-a=b; Secure', HTTP, SetCookieRejections.SECURE_SCHEME_ONLY],
    ['__Host-a=b; Secure; Path=/', HTTPS, 'stored'],
    ['__HOST-a=b; Secure; Path=/', HTTPS, 'stored'],
    ['__Host-a=b; Path=/', HTTPS, SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_SECURE_ONLY],
    ['__host-a=b; Path=/', HTTPS, SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_SECURE_ONLY],
    ['__Host-a=b; Secure; Path=/; Domain=example.com', HTTPS, SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_HOST_ONLY],
    ['__Host-a=b; Secure; Path=/x', HTTPS, SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_TOP_LEVEL_PATH],
    ['__Host-a=b; Secure', HTTPS, SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_TOP_LEVEL_PATH],
    ['__Host-a=b; Secure; Path=/', HTTP, SetCookieRejections.SECURE_SCHEME_ONLY],
    ['__Hostile=b', HTTP, 'stored'],
    ['__Secure-', HTTPS, SetCookieRejections.NAMELESS_VALUE_HAS_PREFIX],
    ['=__Host-a; Secure; Path=/', HTTPS, SetCookieRejections.NAMELESS_VALUE_HAS_PREFIX],
    ['__secure-a; Secure', HTTPS, SetCookieRejections.NAMELESS_VALUE_HAS_PREFIX],
  ])('%j from %s: %s', (header, url, expected) => {
    expect(set(header, url)).toBe(expected);
  });

  it('a __Host- cookie with Path=relative gets the default-path, "/" from the root (§5.6.4)', () => {
    expect(set('__Host-a=b; Secure; Path=x', 'https://example.com/page')).toBe('stored');
    expect(set('__Host-a=b; Secure; Path=x', 'https://example.com/dir/page')).toBe(SetCookieRejections.NAME_PREFIX_HOST_REQUIRES_TOP_LEVEL_PATH);
  });
});
