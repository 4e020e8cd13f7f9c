import { CookieStore, SetCookieRejections } from '../../src/index.js';
import { NOW, outcome, storedCookie } from '../helpers.js';

const set = (header: string, url: string, jar = new CookieStore()): ReturnType<CookieStore['setCookie']> =>
  jar.setCookie(header, url, { now: NOW });

describe('RFC 6265bis §5.6.3 and §5.7 steps 7-10: Domain', () => {
  it('without Domain the cookie is host-only for the canonical host (step 10)', () => {
    const cookie = storedCookie(set('a=b', 'http://WWW.Example.COM/'));
    expect([cookie.domain, cookie.hostOnly]).toEqual(['www.example.com', true]);
  });

  it.each([
    ['Domain=example.com', 'example.com'],
    ['Domain=.example.com', 'example.com'],
    ['Domain=EXAMPLE.com', 'example.com'],
    ['Domain=www.example.com', 'www.example.com'],
    ['Domain=other.com; Domain=example.com', 'example.com'],
  ])('%j makes a domain cookie for %j (§5.6.3: one leading dot removed, lowercased)', (attr, domain) => {
    const cookie = storedCookie(set(`a=b; ${attr}`, 'http://www.example.com/'));
    expect([cookie.domain, cookie.hostOnly]).toEqual([domain, false]);
  });

  it('an empty Domain attribute is ignored (§5.6.3)', () => {
    expect(storedCookie(set('a=b; Domain=example.com; Domain=', 'http://www.example.com/')).domain).toBe('example.com');
    expect(storedCookie(set('a=b; Domain=', 'http://www.example.com/')).hostOnly).toBe(true);
  });

  it('"Domain=." leaves an empty domain-attribute: host-only (step 10)', () => {
    expect(storedCookie(set('a=b; Domain=.', 'http://www.example.com/')).hostOnly).toBe(true);
  });

  it.each([
    ['Domain=..example.com'],
    ['Domain=other.com'],
    ['Domain=ww.example.com'],
    ['Domain=sub.www.example.com'],
    ['Domain=xample.com'],
    ['Domain=example.com.'],
  ])('%j does not domain-match www.example.com and is refused (step 10)', (attr) => {
    expect(outcome(set(`a=b; ${attr}`, 'http://www.example.com/'))).toBe(SetCookieRejections.DOMAIN_MATCH_FAILED);
  });

  it('a non-ASCII Domain is refused (step 8)', () => {
    expect(outcome(set('a=b; Domain=ex\u00e4mple.com', 'http://www.example.com/'))).toBe(SetCookieRejections.DOMAIN_NOT_ASCII);
  });

  it('an IDN host is canonicalised to A-labels and matches a punycode Domain (§5.1.2)', () => {
    const cookie = storedCookie(set('a=b; Domain=xn--bcher-kva.example', 'http://www.b\u00fccher.example/'));
    expect(cookie.domain).toBe('xn--bcher-kva.example');
  });

  it.each([
    ['Domain=com', 'http://example.com/'],
    ['Domain=.com', 'http://example.com/'],
    ['Domain=co.uk', 'http://www.example.co.uk/'],
    ['Domain=localhost', 'http://foo.localhost/'],
  ])('%j from %s is a public suffix and refused (step 9)', (attr, url) => {
    expect(outcome(set(`a=b; ${attr}`, url))).toBe(SetCookieRejections.DOMAIN_IS_PUBLIC_SUFFIX);
  });

  it('a public-suffix Domain equal to the host makes a host-only cookie (step 9)', () => {
    const cookie = storedCookie(set('a=b; Domain=localhost', 'http://localhost/'));
    expect([cookie.domain, cookie.hostOnly]).toEqual(['localhost', true]);
    expect(storedCookie(set('a=b; Domain=co.uk', 'http://co.uk/')).hostOnly).toBe(true);
  });

  it('private suffixes (github.io) are suffixes only with includePrivateSuffixes', () => {
    expect(outcome(set('a=b; Domain=github.io', 'https://me.github.io/'))).toBe('stored');
    const strict = new CookieStore({ includePrivateSuffixes: true });
    expect(outcome(set('a=b; Domain=github.io', 'https://me.github.io/', strict))).toBe(SetCookieRejections.DOMAIN_IS_PUBLIC_SUFFIX);
  });

  it('rejectPublicSuffixes: false accepts a public-suffix Domain', () => {
    const jar = new CookieStore({ rejectPublicSuffixes: false });
    expect(storedCookie(set('a=b; Domain=com', 'http://example.com/', jar)).domain).toBe('com');
  });

  it('an IP address host matches only an identical Domain (§5.1.3)', () => {
    expect(outcome(set('a=b; Domain=127.0.0.1', 'http://127.0.0.1/'))).toBe('stored');
    expect(outcome(set('a=b; Domain=0.0.1', 'http://127.0.0.1/'))).toBe(SetCookieRejections.DOMAIN_MATCH_FAILED);
    expect(storedCookie(set('a=b', 'http://[::1]:8080/')).domain).toBe('[::1]');
  });
});
