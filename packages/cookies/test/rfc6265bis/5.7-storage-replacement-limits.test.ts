import { CookieStore, DEFAULT_MAX_COOKIES, DEFAULT_MAX_COOKIES_PER_DOMAIN, SetCookieRejections } from '../../src/index.js';
import { NOW, outcome, storedCookie } from '../helpers.js';

const HTTP = 'http://example.com/';

describe('RFC 6265bis §5.7 step 23: replacing a cookie', () => {
  it('a cookie with the same name, domain, host-only flag and path replaces the old one and keeps its creation time', () => {
    const jar = new CookieStore();
    jar.setCookie('a=1', HTTP, { now: NOW });
    const result = jar.setCookie('a=2', HTTP, { now: NOW + 1000 });
    expect(result).toMatchObject({ stored: true, cookie: { value: '2', creationTime: NOW, lastAccessTime: NOW + 1000 }, replaced: { value: '1' } });
    expect(jar.size).toBe(1);
  });

  it('a host-only and a domain cookie of the same name and domain are different cookies', () => {
    const jar = new CookieStore();
    jar.setCookie('a=host', HTTP, { now: NOW });
    jar.setCookie('a=domain; Domain=example.com', HTTP, { now: NOW });
    expect(jar.size).toBe(2);
    expect(jar.getCookieString(HTTP, { now: NOW })).toBe('a=host; a=domain');
  });

  it('a different path makes a different cookie', () => {
    const jar = new CookieStore();
    jar.setCookie('a=1; Path=/', HTTP, { now: NOW });
    jar.setCookie('a=2; Path=/x', HTTP, { now: NOW });
    expect(jar.getCookieString('http://example.com/x', { now: NOW })).toBe('a=2; a=1');
  });

  it('a replacement keeps its place among cookies created at the same time', () => {
    const jar = new CookieStore();
    jar.setCookie('a=1', HTTP, { now: NOW });
    jar.setCookie('b=1', HTTP, { now: NOW });
    jar.setCookie('a=2', HTTP, { now: NOW });
    expect(jar.getCookieString(HTTP, { now: NOW })).toBe('a=2; b=1');
  });
});

describe('RFC 6265bis §5.7 and §6.1: limits and eviction', () => {
  it('defaults are 180 per domain and 3000 in all (§6.1 asks for at least 50 and 3000)', () => {
    expect([DEFAULT_MAX_COOKIES_PER_DOMAIN, DEFAULT_MAX_COOKIES]).toEqual([180, 3000]);
  });

  it('a domain holds maxCookiesPerDomain cookies; one more evicts the least recently accessed', () => {
    const jar = new CookieStore({ maxCookiesPerDomain: 3 });
    for (const n of ['a', 'b', 'c']) jar.setCookie(`${n}=1`, HTTP, { now: NOW });
    expect(jar.size).toBe(3);
    jar.getCookies('http://example.com/', { now: NOW + 1 }); // touches a, b, c
    jar.setCookie('a=2', HTTP, { now: NOW + 2 }); // replacing does not add
    const result = jar.setCookie('d=1', HTTP, { now: NOW + 3 });
    expect(result).toMatchObject({ stored: true, evicted: [{ name: 'b' }] });
    expect(jar.getAllCookies().map((c) => c.name)).toEqual(['a', 'c', 'd']);
  });

  it('non-Secure cookies of the domain are evicted before Secure ones', () => {
    const jar = new CookieStore({ maxCookiesPerDomain: 2 });
    jar.setCookie('s=1; Secure', 'https://example.com/', { now: NOW });
    jar.setCookie('i=1', HTTP, { now: NOW + 1 });
    const result = jar.setCookie('t=1; Secure', 'https://example.com/', { now: NOW + 2 });
    expect(result).toMatchObject({ stored: true, evicted: [{ name: 'i' }] });
  });

  it('a new non-Secure cookie in a domain full of Secure cookies is itself evicted', () => {
    const jar = new CookieStore({ maxCookiesPerDomain: 1 });
    jar.setCookie('s=1; Secure', 'https://example.com/', { now: NOW });
    expect(outcome(jar.setCookie('i=1', HTTP, { now: NOW + 1 }))).toBe(SetCookieRejections.EVICTED);
    expect(jar.getAllCookies().map((c) => c.name)).toEqual(['s']);
  });

  it('the store holds maxCookies cookies; one more evicts the least recently accessed anywhere', () => {
    const jar = new CookieStore({ maxCookies: 2 });
    jar.setCookie('a=1', 'http://a.example/', { now: NOW });
    jar.setCookie('b=1', 'http://b.example/', { now: NOW + 1 });
    expect(jar.size).toBe(2);
    jar.getCookies('http://a.example/', { now: NOW + 2 });
    const result = jar.setCookie('c=1', 'http://c.example/', { now: NOW + 3 });
    expect(result).toMatchObject({ stored: true, evicted: [{ name: 'b' }] });
    expect(jar.size).toBe(2);
  });

  it('expired cookies go first: they are removed before limits are counted', () => {
    const jar = new CookieStore({ maxCookiesPerDomain: 2 });
    jar.setCookie('old=1; Max-Age=1', HTTP, { now: NOW });
    jar.setCookie('keep=1', HTTP, { now: NOW });
    const result = jar.setCookie('new=1', HTTP, { now: NOW + 5000 });
    expect(storedCookie(result).name).toBe('new');
    expect(result).not.toHaveProperty('evicted');
    expect(jar.getAllCookies().map((c) => c.name)).toEqual(['keep', 'new']);
  });
});
