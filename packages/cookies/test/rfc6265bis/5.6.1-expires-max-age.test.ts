import { CookieStore, DEFAULT_COOKIE_AGE_LIMIT, SetCookieRejections } from '../../src/index.js';
import { DAY, NOW, outcome, storedCookie } from '../helpers.js';

const URL_ = 'http://example.com/';
const set = (header: string, jar = new CookieStore()): ReturnType<CookieStore['setCookie']> => jar.setCookie(header, URL_, { now: NOW });

describe('RFC 6265bis §5.6.1 Expires and §5.6.2 Max-Age', () => {
  it('without Max-Age or Expires the cookie is a session cookie (§5.7 step 6)', () => {
    const cookie = storedCookie(set('a=b'));
    expect([cookie.persistent, cookie.expiryTime]).toEqual([false, undefined]);
  });

  it('Expires sets a persistent expiry time (§5.6.1)', () => {
    const cookie = storedCookie(set('a=b; Expires=Wed, 01 Jan 2025 10:00:00 GMT'));
    expect([cookie.persistent, cookie.expiryTime]).toEqual([true, NOW + 10 * 3600 * 1000]);
  });

  it('an Expires value that is not a cookie-date is ignored (§5.6.1)', () => {
    expect(storedCookie(set('a=b; Expires=tomorrow')).persistent).toBe(false);
    expect(storedCookie(set('a=b; Expires=Wed, 01 Jan 2025 10:00:00 GMT; Expires=soon')).expiryTime).toBe(NOW + 36e6);
  });

  it('Max-Age counts seconds from now (§5.6.2)', () => {
    expect(storedCookie(set('a=b; Max-Age=60')).expiryTime).toBe(NOW + 60_000);
  });

  it('Max-Age wins over Expires whatever their order (§5.7 step 6)', () => {
    expect(storedCookie(set('a=b; Max-Age=60; Expires=Wed, 01 Jan 2025 10:00:00 GMT')).expiryTime).toBe(NOW + 60_000);
    expect(storedCookie(set('a=b; Expires=Wed, 01 Jan 2025 10:00:00 GMT; Max-Age=60')).expiryTime).toBe(NOW + 60_000);
  });

  it.each(['', '+5', ' ', '5s', '1.5', '--1', '- 1', 'abc', '0x10'])('an invalid Max-Age %j is ignored (§5.6.2)', (v) => {
    expect(storedCookie(set(`a=b; Max-Age=${v}`)).persistent).toBe(false);
  });

  it.each(['0', '-1', '-0', '-99999999999999999999'])('Max-Age=%s expires the cookie at once (§5.6.2)', (v) => {
    expect(outcome(set(`a=b; Max-Age=${v}`))).toBe(SetCookieRejections.EXPIRED);
  });

  it('Max-Age and Expires are capped at 400 days (§5.6.1, §5.6.2: the user agent MUST limit them)', () => {
    expect(DEFAULT_COOKIE_AGE_LIMIT).toBe(400 * DAY);
    expect(storedCookie(set(`a=b; Max-Age=${400 * 86400}`)).expiryTime).toBe(NOW + 400 * DAY);
    expect(storedCookie(set(`a=b; Max-Age=${400 * 86400 + 1}`)).expiryTime).toBe(NOW + 400 * DAY);
    expect(storedCookie(set('a=b; Max-Age=99999999999999999999999')).expiryTime).toBe(NOW + 400 * DAY);
    expect(storedCookie(set('a=b; Expires=Fri, 31 Dec 9999 23:59:59 GMT')).expiryTime).toBe(NOW + 400 * DAY);
  });

  it('the age limit is an option', () => {
    const jar = new CookieStore({ cookieAgeLimit: DAY });
    expect(storedCookie(set('a=b; Max-Age=172800', jar)).expiryTime).toBe(NOW + DAY);
  });

  it('an Expires in the past deletes the cookie it replaces and is not stored (§5.7)', () => {
    const jar = new CookieStore();
    set('a=b', jar);
    const result = set('a=; Expires=Thu, 01-Jan-1970 00:00:00 GMT', jar);
    expect(result).toMatchObject({ stored: false, reason: SetCookieRejections.EXPIRED, removed: { name: 'a', value: 'b' } });
    expect(jar.getCookieString(URL_, { now: NOW })).toBe('');
  });

  it('a cookie whose expiry time has passed is no longer sent, and is removed (§5.7)', () => {
    const jar = new CookieStore();
    set('a=b; Max-Age=10', jar);
    expect(jar.getCookieString(URL_, { now: NOW + 9_999 })).toBe('a=b');
    expect(jar.getCookieString(URL_, { now: NOW + 10_000 })).toBe('');
    expect(jar.size).toBe(0);
  });
});
