import { CookieStore, CookieErrors } from '../../src/index.js';
import { jarWith, NOW } from '../helpers.js';

describe('RFC 6265bis §5.8.3 retrieval', () => {
  it('a host-only cookie goes only to its exact host', () => {
    const jar = jarWith([['a=b', 'http://example.com/']]);
    expect(jar.getCookieString('http://example.com/', { now: NOW })).toBe('a=b');
    expect(jar.getCookieString('http://www.example.com/', { now: NOW })).toBe('');
  });

  it('a domain cookie goes to the domain and its subdomains', () => {
    const jar = jarWith([['a=b; Domain=example.com', 'http://example.com/']]);
    expect(jar.getCookieString('http://example.com/', { now: NOW })).toBe('a=b');
    expect(jar.getCookieString('http://x.y.example.com/', { now: NOW })).toBe('a=b');
    expect(jar.getCookieString('http://notexample.com/', { now: NOW })).toBe('');
  });

  it('cookies are shared across ports and between http and ws', () => {
    const jar = jarWith([['a=b', 'http://example.com:8080/']]);
    expect(jar.getCookieString('ws://example.com:9090/', { now: NOW })).toBe('a=b');
  });

  it('the request path must path-match the cookie path; query and fragment are not part of it', () => {
    const jar = jarWith([['a=b; Path=/docs', 'http://example.com/']]);
    expect(jar.getCookieString('http://example.com/docs', { now: NOW })).toBe('a=b');
    expect(jar.getCookieString('http://example.com/docs/x?y=1#z', { now: NOW })).toBe('a=b');
    expect(jar.getCookieString('http://example.com/docsx', { now: NOW })).toBe('');
    expect(jar.getCookieString('http://example.com/?p=/docs', { now: NOW })).toBe('');
  });

  it('Secure cookies go only to https and wss', () => {
    const jar = jarWith([['a=b; Secure', 'https://example.com/']]);
    expect(jar.getCookieString('https://example.com/', { now: NOW })).toBe('a=b');
    expect(jar.getCookieString('wss://example.com/', { now: NOW })).toBe('a=b');
    expect(jar.getCookieString('http://example.com/', { now: NOW })).toBe('');
    expect(jar.getCookieString('ws://example.com/', { now: NOW })).toBe('');
  });

  it('HttpOnly cookies are invisible to the non-HTTP API', () => {
    const jar = jarWith([['a=b; HttpOnly', 'http://example.com/'], ['c=d', 'http://example.com/']]);
    expect(jar.getCookieString('http://example.com/', { now: NOW, httpApi: false })).toBe('c=d');
    expect(jar.getCookieString('http://example.com/', { now: NOW })).toBe('a=b; c=d');
  });

  it('longer paths come first, then earlier creation times', () => {
    const jar = new CookieStore();
    jar.setCookie('late=1; Path=/', 'http://example.com/', { now: NOW + 2 });
    jar.setCookie('early=1; Path=/', 'http://example.com/', { now: NOW });
    jar.setCookie('deep=1; Path=/a/b', 'http://example.com/', { now: NOW + 3 });
    jar.setCookie('mid=1; Path=/a', 'http://example.com/', { now: NOW + 1 });
    expect(jar.getCookieString('http://example.com/a/b/c', { now: NOW + 4 })).toBe('deep=1; mid=1; early=1; late=1');
  });

  it('retrieval updates the last-access time of the cookies it returns', () => {
    const jar = jarWith([['a=b', 'http://example.com/'], ['c=d; Path=/x', 'http://example.com/']]);
    const [cookie] = jar.getCookies('http://example.com/', { now: NOW + 500 });
    expect(cookie?.lastAccessTime).toBe(NOW + 500);
    expect(jar.getAllCookies().map((c) => c.lastAccessTime)).toEqual([NOW + 500, NOW]);
  });

  it('the Cookie header joins name=value pairs with "; " and writes a nameless cookie as its value', () => {
    const jar = jarWith([['a=b', 'http://example.com/'], ['lone', 'http://example.com/'], ['e=', 'http://example.com/']]);
    expect(jar.getCookieString('http://example.com/', { now: NOW })).toBe('a=b; lone; e=');
    // Nameless cookies share the empty name: a second one replaces the first, in place.
    jar.setCookie('=f=g', 'http://example.com/', { now: NOW });
    expect(jar.getCookieString('http://example.com/', { now: NOW })).toBe('a=b; f=g; e=');
  });

  it('nothing applies: the empty string', () => {
    expect(new CookieStore().getCookieString('https://example.com/', { now: NOW })).toBe('');
  });

  it('cross-site requests get only SameSite=None cookies, except Lax and Default on safe top-level navigations', () => {
    const jar = jarWith([
      ['n=1; SameSite=None; Secure', 'https://example.com/'],
      ['l=1; SameSite=Lax', 'https://example.com/'],
      ['s=1; SameSite=Strict', 'https://example.com/'],
      ['d=1', 'https://example.com/'],
    ]);
    const url = 'https://example.com/';
    expect(jar.getCookieString(url, { now: NOW })).toBe('n=1; l=1; s=1; d=1');
    expect(jar.getCookieString(url, { now: NOW, sameSiteContext: 'cross-site' })).toBe('n=1');
    expect(jar.getCookieString(url, { now: NOW, sameSiteContext: 'cross-site-top-level-navigation' })).toBe('n=1; l=1; d=1');
    expect(jar.getCookieString(url, { now: NOW, sameSiteContext: 'cross-site-top-level-navigation', method: 'POST' })).toBe('n=1');
  });

  it.each(['not a url', 'ftp://example.com/', 'file:///etc/passwd', 'data:text/plain,x'])('a bad URL %j throws COOKIES_ERR_INVALID_URL', (url) => {
    expect(() => new CookieStore().getCookieString(url, { now: NOW })).toThrow(expect.objectContaining({ code: CookieErrors.INVALID_URL, origin: 'local' }));
  });

  it('URL objects are accepted', () => {
    const jar = jarWith([['a=b', 'http://example.com/']]);
    expect(jar.getCookieString(new URL('http://EXAMPLE.com/x'), { now: new Date(NOW) })).toBe('a=b');
  });
});
