import { CookieErrors, CookieStore, MemoryCookieBackend, SetCookieRejections } from '../../src/index.js';
import type { Cookie, CookieKey, CookieStoreBackend } from '../../src/index.js';
import { jarWith, NOW, outcome } from '../helpers.js';

describe('CookieStore API', () => {
  it('setCookie refuses an unparsable or non-HTTP URL with invalid_url', () => {
    const jar = new CookieStore();
    for (const url of ['nope', 'ftp://example.com/', 'mailto:a@example.com']) {
      expect(outcome(jar.setCookie('a=b', url, { now: NOW }))).toBe(SetCookieRejections.INVALID_URL);
    }
  });

  it('setCookies stores each value in order', () => {
    const jar = new CookieStore();
    const results = jar.setCookies(['a=1', 'b=2; Secure', 'c=3'], 'http://example.com/', { now: NOW });
    expect(results.map(outcome)).toEqual(['stored', SetCookieRejections.SECURE_SCHEME_ONLY, 'stored']);
  });

  it('now defaults to the clock at the call', () => {
    const jar = new CookieStore();
    const before = Date.now();
    const result = jar.setCookie('a=b', 'http://example.com/');
    expect(result.stored && result.cookie.creationTime).toBeGreaterThanOrEqual(before);
  });

  it.each([Number.NaN, Infinity, new Date('invalid')])('an invalid now (%s) throws COOKIES_ERR_INVALID_TIME', (now) => {
    expect(() => new CookieStore().setCookie('a=b', 'http://example.com/', { now })).toThrow(expect.objectContaining({ code: CookieErrors.INVALID_TIME }));
  });

  it('a Set-Cookie value that is not a string throws COOKIES_ERR_INVALID_ARGUMENT', () => {
    expect(() => new CookieStore().setCookie(42 as unknown as string, 'http://example.com/')).toThrow(expect.objectContaining({ code: CookieErrors.INVALID_ARGUMENT }));
  });

  it.each([
    { maxCookies: 0 }, { maxCookiesPerDomain: 1.5 }, { cookieAgeLimit: -1 },
  ])('option %j throws COOKIES_ERR_INVALID_OPTION', (options) => {
    expect(() => new CookieStore(options)).toThrow(expect.objectContaining({ code: CookieErrors.INVALID_OPTION }));
  });

  it('removeCookie removes by identity; removeAll empties the store', () => {
    const jar = jarWith([['a=b', 'http://example.com/'], ['c=d', 'http://example.com/']]);
    const key: CookieKey = { name: 'a', domain: 'example.com', hostOnly: true, path: '/' };
    expect(jar.removeCookie(key)).toBe(true);
    expect(jar.removeCookie(key)).toBe(false);
    expect(jar.getCookieString('http://example.com/', { now: NOW })).toBe('c=d');
    jar.removeAll();
    expect(jar.size).toBe(0);
  });

  it('removeExpiredCookies collects the expired cookies; removeSessionCookies the session ones', () => {
    const jar = jarWith([['a=1; Max-Age=10', 'http://example.com/'], ['b=1; Max-Age=100', 'http://example.com/'], ['s=1', 'http://example.com/']]);
    expect(jar.removeExpiredCookies({ now: NOW + 10_000 }).map((c) => c.name)).toEqual(['a']);
    expect(jar.removeSessionCookies().map((c) => c.name)).toEqual(['s']);
    expect(jar.getAllCookies().map((c) => c.name)).toEqual(['b']);
  });

  it('stored cookies are frozen plain objects', () => {
    const jar = jarWith([['a=b', 'http://example.com/']]);
    const [cookie] = jar.getAllCookies();
    expect(Object.isFrozen(cookie)).toBe(true);
  });

  it('a custom backend receives every storage operation', () => {
    const calls: string[] = [];
    const inner = new MemoryCookieBackend();
    const backend: CookieStoreBackend = {
      all: () => inner.all(),
      query: (host: string) => { calls.push(`query ${host}`); return inner.query(host); },
      get: (key: CookieKey) => inner.get(key),
      put: (cookie: Cookie) => { calls.push(`put ${cookie.name}`); inner.put(cookie); },
      remove: (key: CookieKey) => { calls.push(`remove ${key.name}`); return inner.remove(key); },
      clear: () => inner.clear(),
      get size() { return inner.size; },
    };
    const jar = new CookieStore({ backend });
    jar.setCookie('a=b', 'http://example.com/', { now: NOW });
    jar.getCookieString('http://example.com/', { now: NOW });
    jar.setCookie('a=; Max-Age=0', 'http://example.com/', { now: NOW });
    expect(calls).toEqual(['put a', 'query example.com', 'put a', 'remove a']);
  });
});
