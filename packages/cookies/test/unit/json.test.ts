import { CookieErrors, CookieStore } from '../../src/index.js';
import { jarWith, NOW } from '../helpers.js';

const sample = (): CookieStore => jarWith([
  ['a=b; Domain=example.com; Path=/x; Max-Age=3600; Secure; HttpOnly; SameSite=Strict', 'https://www.example.com/'],
  ['s=1', 'http://example.com/'],
  ['lone', 'http://[::1]:8080/'],
]);

describe('toJSON / fromJSON', () => {
  it('toJSON is a versioned plain object with ISO dates and null for session expiry', () => {
    const json = sample().toJSON();
    expect(json.version).toBe(1);
    expect(json.cookies[0]).toEqual({
      name: 'a', value: 'b', domain: 'example.com', path: '/x',
      creationTime: '2025-01-01T00:00:00.000Z', lastAccessTime: '2025-01-01T00:00:00.000Z', expiryTime: '2025-01-01T01:00:00.000Z',
      hostOnly: false, secureOnly: true, httpOnly: true, sameSite: 'strict',
    });
    expect(json.cookies[1]?.expiryTime).toBeNull();
  });

  it('a jar survives JSON.stringify and fromJSON (object or text) unchanged', () => {
    const jar = sample();
    const text = JSON.stringify(jar);
    expect(CookieStore.fromJSON(text).getAllCookies()).toEqual(jar.getAllCookies());
    expect(CookieStore.fromJSON(JSON.parse(text)).toJSON()).toEqual(jar.toJSON());
    expect(CookieStore.fromJSON(text).getCookieString('https://www.example.com/x', { now: NOW })).toBe('a=b');
  });

  it('times may also be ms numbers', () => {
    const json = { version: 1, cookies: [{ ...sample().toJSON().cookies[1], creationTime: NOW, lastAccessTime: NOW, expiryTime: NOW + 1 }] };
    expect(CookieStore.fromJSON(json).getAllCookies()[0]).toMatchObject({ creationTime: NOW, expiryTime: NOW + 1, persistent: true });
  });

  const good = (): Record<string, unknown> => ({ ...sample().toJSON().cookies[0] });
  it.each([
    ['not json', '{'],
    ['no version', { cookies: [] }],
    ['version 2', { version: 2, cookies: [] }],
    ['cookies not an array', { version: 1, cookies: {} }],
    ['a cookie that is not an object', { version: 1, cookies: [1] }],
    ['a name with =', { version: 1, cookies: [{ ...good(), name: 'a=b' }] }],
    ['a value with ;', { version: 1, cookies: [{ ...good(), value: 'a;b' }] }],
    ['a control character', { version: 1, cookies: [{ ...good(), value: 'a\nb' }] }],
    ['empty name and value', { version: 1, cookies: [{ ...good(), name: '', value: '' }] }],
    ['an uppercase domain', { version: 1, cookies: [{ ...good(), domain: 'Example.com' }] }],
    ['a relative path', { version: 1, cookies: [{ ...good(), path: 'x' }] }],
    ['a bad date', { version: 1, cookies: [{ ...good(), creationTime: 'yesterday' }] }],
    ['a bad flag', { version: 1, cookies: [{ ...good(), secureOnly: 'yes' }] }],
    ['a bad sameSite', { version: 1, cookies: [{ ...good(), sameSite: 'Lax' }] }],
    ['an oversized cookie', { version: 1, cookies: [{ ...good(), value: 'v'.repeat(4096) }] }],
  ])('rejects %s with COOKIES_ERR_INVALID_JSON', (_name, json) => {
    expect(() => CookieStore.fromJSON(json)).toThrow(expect.objectContaining({ code: CookieErrors.INVALID_JSON, origin: 'local' }));
  });
});
