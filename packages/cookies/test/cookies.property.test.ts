import fc from 'fast-check';
import { CookieStore, parseCookieDate, parseSetCookie, serializeSetCookie } from '../src/index.js';
import { NOW } from './helpers.js';

const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const byteString = fc.string({ unit: byte, maxLength: 200 });
const anyString = fc.oneof(byteString, fc.string({ unit: 'binary', maxLength: 200 }));

/** Set-Cookie-like strings built from the interesting pieces, to reach deep into the rules. */
const attributePiece = fc.constantFrom(
  'Secure', 'HttpOnly', 'Path=/', 'Path=/a', 'Path=', 'Domain=example.com', 'Domain=.com', 'Domain=', 'Max-Age=0',
  'Max-Age=60', 'Max-Age=-1', 'Expires=Wed, 09 Jun 2021 10:18:14 GMT', 'SameSite=None', 'SameSite=Lax', 'x', '=',
);
const setCookieLike = fc.tuple(anyString, fc.array(fc.oneof(attributePiece, anyString), { maxLength: 6 }))
  .map(([pair, attrs]) => [pair, ...attrs].join('; '));

const tokenChar = fc.constantFrom(...'abcXYZ019!#$%&\'*+-.^_`|~'.split(''));
const cookieOctet = fc.constantFrom(...'abcXYZ019!#$%&\'()*+-./:<=>?@[]^_`{|}~'.split(''));
const validCookie = fc.record({
  name: fc.string({ unit: tokenChar, minLength: 1, maxLength: 20 }),
  value: fc.string({ unit: cookieOctet, maxLength: 40 }),
  domain: fc.constantFrom(undefined, 'example.com', 'www.example.com'),
  path: fc.constantFrom(undefined, '/', '/a', '/a/b/'),
  maxAge: fc.option(fc.integer({ min: 1, max: 500 * 86400 }), { nil: undefined }),
  secure: fc.boolean(),
  httpOnly: fc.boolean(),
  sameSite: fc.constantFrom(undefined, 'Strict', 'Lax', 'None', 'bogus'),
}).map((c) => [
  `${c.name}=${c.value}`,
  ...(c.domain === undefined ? [] : [`Domain=${c.domain}`]),
  ...(c.path === undefined ? [] : [`Path=${c.path}`]),
  ...(c.maxAge === undefined ? [] : [`Max-Age=${c.maxAge}`]),
  ...(c.secure ? ['Secure'] : []),
  ...(c.httpOnly ? ['HttpOnly'] : []),
  ...(c.sameSite === undefined ? [] : [`SameSite=${c.sameSite}`]),
].join('; '));

const URLS = ['http://www.example.com/a/b', 'https://www.example.com/', 'https://example.com/a/b/c', 'http://127.0.0.1/x'];

describe('properties', () => {
  it('parsing arbitrary input never throws', () => {
    fc.assert(fc.property(anyString, (s) => {
      parseSetCookie(s);
      parseCookieDate(s);
    }), { numRuns: 500 });
  });

  it('storing and retrieving arbitrary Set-Cookie values never throws, and the result is stored or has a reason', () => {
    fc.assert(fc.property(fc.array(fc.tuple(setCookieLike, fc.constantFrom(...URLS)), { maxLength: 8 }), (list) => {
      const jar = new CookieStore();
      for (const [header, url] of list) {
        const result = jar.setCookie(header, url, { now: NOW });
        expect(result.stored || typeof result.reason === 'string').toBe(true);
      }
      for (const url of URLS) expect(typeof jar.getCookieString(url, { now: NOW })).toBe('string');
    }), { numRuns: 300 });
  });

  it('a stored cookie, written back as Set-Cookie, parses and stores as the same cookie', () => {
    fc.assert(fc.property(validCookie, fc.constantFrom(...URLS.slice(0, 3)), (header, url) => {
      const first = new CookieStore().setCookie(header, url, { now: NOW });
      fc.pre(first.stored);
      if (!first.stored) return;
      const again = new CookieStore().setCookie(serializeSetCookie(first.cookie), url, { now: NOW });
      expect(again).toEqual({ stored: true, cookie: first.cookie });
    }), { numRuns: 300 });
  });

  it('a jar survives toJSON, JSON text and fromJSON unchanged', () => {
    fc.assert(fc.property(fc.array(fc.tuple(validCookie, fc.constantFrom(...URLS)), { maxLength: 10 }), (list) => {
      const jar = new CookieStore();
      for (const [header, url] of list) jar.setCookie(header, url, { now: NOW });
      const back = CookieStore.fromJSON(JSON.stringify(jar));
      expect(back.getAllCookies()).toEqual(jar.getAllCookies());
    }), { numRuns: 200 });
  });

  it('the Cookie header lists exactly the returned cookies as name=value pairs', () => {
    fc.assert(fc.property(fc.array(validCookie, { maxLength: 10 }), (headers) => {
      const jar = new CookieStore();
      for (const header of headers) jar.setCookie(header, 'https://www.example.com/a/b', { now: NOW });
      const cookies = jar.getCookies('https://www.example.com/a/b', { now: NOW });
      const header = jar.getCookieString('https://www.example.com/a/b', { now: NOW });
      expect(header === '' ? [] : header.split('; ')).toEqual(cookies.map((c) => `${c.name}=${c.value}`));
    }), { numRuns: 200 });
  });
});
