// The index-scanning parsers and the indexed MemoryCookieBackend against straightforward
// reference versions (regular expressions, split, a linear backend): same answers on any input.
import fc from 'fast-check';
import { CookieStore, MemoryCookieBackend, parseCookieDate, parseSetCookie } from '../src/index.js';
import type { Cookie, CookieAttribute, CookieKey, CookieStoreBackend, ParsedSetCookie } from '../src/index.js';
import { DAY, NOW } from './helpers.js';

/* ---------- reference Set-Cookie parser (RFC 6265bis §5.6), written with regexes and split ---------- */

const refLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const refTrim = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');
// eslint-disable-next-line no-control-regex -- any code unit above 0xFF
const refOctets = (s: string): number => (/[^\x00-\xff]/.test(s) ? new TextEncoder().encode(s).length : s.length);

function refSplit(s: string, nameWhenNoEquals: boolean): [string, string] {
  const eq = s.indexOf('=');
  if (eq < 0) return nameWhenNoEquals ? [s, ''] : ['', s];
  return [s.slice(0, eq), s.slice(eq + 1)];
}

function refAttribute(name: string, value: string): CookieAttribute | undefined {
  switch (refLower(name)) {
    case 'expires': {
      const time = refDate(value);
      return time === undefined ? undefined : { name: 'expires', time };
    }
    case 'max-age': return /^-?[0-9]+$/.test(value) ? { name: 'max-age', seconds: Number(value) } : undefined;
    case 'domain': return value === '' ? undefined : { name: 'domain', domain: refLower(value.startsWith('.') ? value.slice(1) : value) };
    case 'path': return { name: 'path', path: value.startsWith('/') ? value : undefined };
    case 'secure': return { name: 'secure' };
    case 'httponly': return { name: 'httponly' };
    case 'samesite': {
      const v = refLower(value);
      return { name: 'samesite', sameSite: v === 'none' || v === 'strict' || v === 'lax' ? v : 'default' };
    }
    default: return undefined;
  }
}

function refParse(header: string): ParsedSetCookie {
  // eslint-disable-next-line no-control-regex -- the CTLs of §5.6 step 1
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(header)) return { kind: 'rejected', reason: 'control_character' };
  const semicolon = header.indexOf(';');
  const [rawName, rawValue] = refSplit(semicolon < 0 ? header : header.slice(0, semicolon), false);
  const name = refTrim(rawName);
  const value = refTrim(rawValue);
  if (refOctets(name) + refOctets(value) > 4096) return { kind: 'rejected', reason: 'larger_than_4096_bytes' };
  const attributes: CookieAttribute[] = [];
  if (semicolon >= 0) {
    for (const av of header.slice(semicolon + 1).split(';')) {
      const [n, v] = refSplit(av, true);
      const trimmed = refTrim(v);
      if (refOctets(trimmed) > 1024) continue;
      const a = refAttribute(refTrim(n), trimmed);
      if (a !== undefined) attributes.push(a);
    }
  }
  return { kind: 'ok', name, value, attributes };
}

/* ---------- reference cookie-date parser (RFC 6265bis §5.1.1), token by token with regexes ---------- */

function refDate(input: string): number | undefined {
  // eslint-disable-next-line no-control-regex -- the delimiters of §5.1.1 include HTAB
  const tokens = input.split(/[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/).filter((t) => t !== '');
  let time: number[] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  for (const t of tokens) {
    const tm = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[^0-9][\s\S]*)?$/.exec(t);
    if (time === undefined && tm !== null) { time = [Number(tm[1]), Number(tm[2]), Number(tm[3])]; continue; }
    const dm = /^(\d{1,2})(?:[^0-9][\s\S]*)?$/.exec(t);
    if (day === undefined && dm !== null) { day = Number(dm[1]); continue; }
    const mi = months.indexOf(refLower(t.slice(0, 3)));
    if (month === undefined && mi >= 0) { month = mi + 1; continue; }
    const ym = /^(\d{2,4})(?:[^0-9][\s\S]*)?$/.exec(t);
    if (year === undefined && ym !== null) year = Number(ym[1]);
  }
  if (time === undefined || day === undefined || month === undefined || year === undefined) return undefined;
  const [h = 0, m = 0, s = 0] = time;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  if (day < 1 || day > 31 || year < 1601 || h > 23 || m > 59 || s > 59) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day, h, m, s));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d.getTime() : undefined;
}

/* ---------- a linear reference backend, without the optional removeExpired ---------- */

class ListBackend implements CookieStoreBackend {
  readonly #list: Cookie[] = [];
  all(): Iterable<Cookie> { return [...this.#list]; }
  query(): Iterable<Cookie> { return [...this.#list]; }
  get(key: CookieKey): Cookie | undefined { return this.#list.find((c) => same(c, key)); }
  put(cookie: Cookie): void {
    const i = this.#list.findIndex((c) => same(c, cookie));
    if (i < 0) this.#list.push(cookie);
    else this.#list[i] = cookie;
  }
  remove(key: CookieKey): boolean {
    const i = this.#list.findIndex((c) => same(c, key));
    if (i >= 0) this.#list.splice(i, 1);
    return i >= 0;
  }
  clear(): void { this.#list.length = 0; }
  get size(): number { return this.#list.length; }
}

function same(a: CookieKey, b: CookieKey): boolean {
  return a.name === b.name && a.domain === b.domain && a.hostOnly === b.hostOnly && a.path === b.path;
}

/* ---------- inputs ---------- */

/** Characters where the fast paths could go wrong: case, WSP, separators, digits, non-ASCII letters that toLowerCase folds. */
const tricky = fc.constantFrom(...'aAeEsSxX ;=\t.-/:0123456789,İKſé\u00ff\u0100\x7f\x01'.split(''));
const name = fc.constantFrom(
  'Expires', 'EXPIRES', 'expireS', 'Max-Age', 'MAX-AGE', 'max_age', 'Domain', 'DOMAİN', 'Path', 'PATH', 'pat',
  'Secure', 'SECURE', 'ſecure', 'HttpOnly', 'HTTPONLY', 'SameSite', 'SAMESITE', 'Same-Site', 'x', '',
);
const value = fc.oneof(
  fc.constantFrom('Lax', 'STRICT', 'nOnE', 'none ', 'lax', '0', '-0', '-', '60', '0060', '99999999999999999999', '-12345678901234567',
    'Wed, 09 Jun 2021 10:18:14 GMT', '.Example.COM', 'EXAMPLE.CO\u212A', '/a', '', ' \t', 'Thu, 14-Oct-2027 08:30:00 GMT'),
  fc.string({ unit: tricky, maxLength: 20 }),
);
const attribute = fc.tuple(fc.constantFrom('', ' ', '\t '), name, fc.constantFrom('', '=', ' = ', '\t='), value)
  .map(([ws, n, eq, v]) => `${ws}${n}${eq}${v}`);
const header = fc.tuple(fc.string({ unit: tricky, maxLength: 30 }), fc.array(attribute, { maxLength: 6 }), fc.constantFrom('', ';', '; '))
  .map(([pair, attrs, tail]) => [pair, ...attrs].join(';') + tail);

const dateChar = fc.constantFrom(...'0123456789:  ,-JanFebNOVdecGMT+/\tİſ'.split(''));
const dateLike = fc.oneof(
  fc.string({ unit: dateChar, maxLength: 40 }),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('Jan', 'feb', 'FEB', 'Sept', 'mar'), fc.integer({ min: 0, max: 10000 }),
    fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .map(([d, m, y, h, mi, s]) => `${d} ${m} ${y} ${h}:${mi}:${s} GMT`),
);

const HOSTS = ['example.com', 'www.example.com', 'a.www.example.com', 'other.org', '127.0.0.1'];
const storeOp = fc.tuple(
  fc.constantFrom('set', 'get'),
  fc.constantFrom(...HOSTS),
  fc.constantFrom('/', '/a', '/a/b'),
  fc.constantFrom('a', 'b', 'c'),
  fc.constantFrom('', '; Domain=example.com', '; Domain=www.example.com', '; Path=/', '; Path=/a', '; Secure'),
  fc.constantFrom('', '; Max-Age=0', '; Max-Age=1', '; Max-Age=100', '; Expires=Thu, 01 Jan 1970 00:00:00 GMT'),
  fc.integer({ min: 0, max: 200 }),
);

describe('fast paths agree with the reference algorithms', () => {
  it('parseSetCookie (RFC 6265bis §5.6) equals the split/regex reference on tricky input', () => {
    fc.assert(fc.property(header, (h) => {
      expect(parseSetCookie(h)).toEqual(refParse(h));
    }), { numRuns: 2000 });
  });

  it('parseCookieDate (RFC 6265bis §5.1.1) equals the regex reference', () => {
    fc.assert(fc.property(dateLike, (d) => {
      expect(parseCookieDate(d)).toEqual(refDate(d));
    }), { numRuns: 2000 });
  });

  it('a CookieStore on MemoryCookieBackend behaves as one on a linear backend (§5.7, §5.8.3)', () => {
    fc.assert(fc.property(fc.array(storeOp, { maxLength: 30 }), (ops) => {
      const fast = new CookieStore();
      const slow = new CookieStore({ backend: new ListBackend() });
      let now = NOW;
      for (const [op, host, path, n, attr, life, step] of ops) {
        now += step * 1000;
        const url = `https://${host}${path}`;
        if (op === 'set') {
          expect(fast.setCookie(`${n}=${step}${attr}${life}`, url, { now })).toEqual(slow.setCookie(`${n}=${step}${attr}${life}`, url, { now }));
        } else {
          expect(fast.getCookies(url, { now })).toEqual(slow.getCookies(url, { now }));
        }
        expect(fast.getAllCookies()).toEqual(slow.getAllCookies());
      }
      expect(fast.removeExpiredCookies({ now: now + DAY })).toEqual(slow.removeExpiredCookies({ now: now + DAY }));
      expect(fast.toJSON()).toEqual(slow.toJSON());
    }), { numRuns: 300 });
  });
});

describe('MemoryCookieBackend', () => {
  const cookie = (name: string, domain: string, extra: Partial<Cookie> = {}): Cookie => ({
    name, value: 'v', domain, path: '/', creationTime: NOW, lastAccessTime: NOW, expiryTime: undefined,
    persistent: false, hostOnly: false, secureOnly: false, httpOnly: false, sameSite: 'default', ...extra,
  });

  it('query returns the cookies of the host and its parent domains in insertion order', () => {
    const b = new MemoryCookieBackend();
    b.put(cookie('1', 'www.example.com'));
    b.put(cookie('2', 'example.com'));
    b.put(cookie('3', 'other.com'));
    b.put(cookie('4', 'www.example.com'));
    b.put(cookie('5', 'com'));
    b.put(cookie('2', 'example.com', { value: 'replaced' }));
    expect([...b.query('www.example.com')].map((c) => `${c.name}${c.value}`)).toEqual(['1v', '2replaced', '4v', '5v']);
    expect([...b.query('example.com')].map((c) => c.name)).toEqual(['2', '5']);
    expect([...b.query('wwwexample.com')].map((c) => c.name)).toEqual(['5']);
  });

  it('the identity is name, domain, host-only flag and path, whatever characters they hold', () => {
    const b = new MemoryCookieBackend();
    b.put(cookie('a:1', 'x.com', { path: '/p' }));
    b.put(cookie('a', 'x.com', { path: ':1/p' }));
    b.put(cookie('a:1', 'x.com', { path: '/p', hostOnly: true }));
    expect(b.size).toBe(3);
    expect(b.get({ name: 'a', domain: 'x.com', hostOnly: false, path: ':1/p' })?.path).toBe(':1/p');
    expect(b.remove({ name: 'a:1', domain: 'x.com', hostOnly: true, path: '/p' })).toBe(true);
    expect(b.remove({ name: 'a:1', domain: 'x.com', hostOnly: true, path: '/p' })).toBe(false);
    expect([...b.all()].map((c) => `${c.name}|${c.path}|${String(c.hostOnly)}`)).toEqual(['a:1|/p|false', 'a|:1/p|false']);
  });

  it('removeExpired removes exactly the cookies expired at now, in insertion order, also after a replacement shortened a lifetime', () => {
    const b = new MemoryCookieBackend();
    b.put(cookie('late', 'x.com', { expiryTime: NOW + 3000 }));
    b.put(cookie('session', 'x.com'));
    b.put(cookie('soon', 'x.com', { expiryTime: NOW + 2000 }));
    expect(b.removeExpired(NOW + 1000)).toEqual([]);
    b.put(cookie('late', 'x.com', { expiryTime: NOW + 500 }));
    expect(b.removeExpired(NOW + 1000).map((c) => c.name)).toEqual(['late']);
    expect(b.removeExpired(NOW + 1999)).toEqual([]);
    expect(b.removeExpired(NOW + 2000).map((c) => c.name)).toEqual(['soon']);
    expect([...b.all()].map((c) => c.name)).toEqual(['session']);
    b.clear();
    expect(b.size).toBe(0);
    expect(b.removeExpired(Infinity)).toEqual([]);
  });
});

describe('ASCII case mapping (RFC 6265bis §2.3, i;ascii-casemap)', () => {
  it('Domain is lowercased in ASCII only: non-ASCII letters that toLowerCase would fold stay', () => {
    const parsed = parseSetCookie('a=b; Domain=.EXAMPLE.CO\u212A; DOMAIN=\u0130X.Com');
    expect(parsed.kind === 'ok' && parsed.attributes).toEqual([
      { name: 'domain', domain: 'example.co\u212A' },
      { name: 'domain', domain: '\u0130x.com' },
    ]);
  });

  it('an attribute name with a non-ASCII look-alike (ſecure, DOMAİN) is unknown and ignored', () => {
    const parsed = parseSetCookie('a=b; \u017Fecure; DOMA\u0130N=x.com');
    expect(parsed.kind === 'ok' && parsed.attributes).toEqual([]);
  });

  it('Max-Age beyond 15 digits is read as Number() reads it (§5.6.2)', () => {
    const parsed = parseSetCookie('a=b; Max-Age=12345678901234567890; Max-Age=-0');
    expect(parsed.kind === 'ok' && parsed.attributes).toEqual([
      { name: 'max-age', seconds: Number('12345678901234567890') },
      { name: 'max-age', seconds: -0 },
    ]);
  });
});
