import { CookieStore, parseSetCookie, SetCookieRejections } from '../../src/index.js';
import { NOW, outcome, storedCookie } from '../helpers.js';

const URL_ = 'http://example.com/';
const set = (header: string): ReturnType<CookieStore['setCookie']> => new CookieStore().setCookie(header, URL_, { now: NOW });

describe('RFC 6265bis §5.6 Set-Cookie name and value', () => {
  it.each([
    ['a=b', 'a', 'b'],
    ['  a  =  b  ', 'a', 'b'],
    ['a=b=c', 'a', 'b=c'],
    ['a=', 'a', ''],
    ['=b', '', 'b'],
    ['b', '', 'b'],
    ['a="b"', 'a', '"b"'],
    ['a=b c', 'a', 'b c'],
    ['\ta=b\t', 'a', 'b'],
    ['a=b;c=d', 'a', 'b'],
    ['a=\u00e9', 'a', '\u00e9'],
  ])('%j gives name %j and value %j (step 3, step 4)', (header, name, value) => {
    const cookie = storedCookie(set(header));
    expect([cookie.name, cookie.value]).toEqual([name, value]);
  });

  it('a header with only "=" or whitespace is ignored: no name and no value (§5.7 step 2)', () => {
    expect(outcome(set('='))).toBe(SetCookieRejections.EMPTY_NAME_AND_VALUE);
    expect(outcome(set('  '))).toBe(SetCookieRejections.EMPTY_NAME_AND_VALUE);
    expect(outcome(set('; Path=/'))).toBe(SetCookieRejections.EMPTY_NAME_AND_VALUE);
  });

  const controls = [...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x09), 0x7f];
  it.each(controls.map((c) => [c]))('a control character 0x%s anywhere ignores the whole header (step 1)', (c) => {
    const ch = String.fromCharCode(c);
    for (const header of [`a${ch}=b`, `a=b${ch}`, `a=b; Path=/${ch}`, `a=b; ${ch}Secure`, `a=b; SameSite=Lax${ch}`]) {
      expect(outcome(set(header))).toBe(SetCookieRejections.CONTROL_CHARACTER);
    }
  });

  it('a horizontal tab is not a control character for this rule (step 1)', () => {
    expect(storedCookie(set('a=b\tc')).value).toBe('b\tc');
  });

  it('name plus value may be 4096 octets, not 4097 (step 5)', () => {
    expect(outcome(set(`n=${'v'.repeat(4095)}`))).toBe('stored');
    expect(outcome(set(`n=${'v'.repeat(4096)}`))).toBe(SetCookieRejections.LARGER_THAN_4096_BYTES);
    expect(outcome(set(`${'n'.repeat(4096)}=`))).toBe('stored');
    expect(outcome(set(`${'n'.repeat(4097)}=`))).toBe(SetCookieRejections.LARGER_THAN_4096_BYTES);
    expect(outcome(set('v'.repeat(4097)))).toBe(SetCookieRejections.LARGER_THAN_4096_BYTES);
  });

  it('the size limit counts after trimming whitespace (steps 4 and 5)', () => {
    expect(outcome(set(`n = ${'v'.repeat(4095)}   `))).toBe('stored');
  });

  it('text outside latin1 is measured in UTF-8 octets (step 5)', () => {
    expect(outcome(set(`n=${'\u20ac'.repeat(1365)}`))).toBe('stored'); // 1 + 4095 octets
    expect(outcome(set(`n=${'\u20ac'.repeat(1366)}`))).toBe(SetCookieRejections.LARGER_THAN_4096_BYTES);
  });
});

describe('RFC 6265bis §5.6 cookie attributes', () => {
  it('attribute names are case-insensitive and unknown attributes are ignored (step 7)', () => {
    const parsed = parseSetCookie('a=b; sEcUrE; HTTPONLY; Foo=bar; Comment=x; Version=1');
    expect(parsed).toEqual({ kind: 'ok', name: 'a', value: 'b', attributes: [{ name: 'secure' }, { name: 'httponly' }] });
  });

  it('an attribute value of 1024 octets is used, 1025 ignores the attribute only (step 6)', () => {
    const path1024 = `/${'p'.repeat(1023)}`;
    const path1025 = `/${'p'.repeat(1024)}`;
    expect(storedCookie(set(`a=b; Path=${path1024}`)).path).toBe(path1024);
    expect(storedCookie(set(`a=b; Path=${path1025}`)).path).toBe('/');
    expect(storedCookie(set(`a=b; Path=/x; Path=${path1025}`)).path).toBe('/x');
  });

  it('Secure and HttpOnly ignore their values (§5.6.5, §5.6.6)', () => {
    const cookie = storedCookie(new CookieStore().setCookie('a=b; Secure=no; HttpOnly=false', 'https://example.com/', { now: NOW }));
    expect([cookie.secureOnly, cookie.httpOnly]).toEqual([true, true]);
  });

  it.each([
    ['SameSite=Strict', 'strict'],
    ['samesite=lax', 'lax'],
    ['SameSite=NONE; Secure', 'none'],
    ['SameSite=bogus', 'default'],
    ['SameSite', 'default'],
    ['SameSite=Strict; SameSite=Lax', 'lax'],
    ['SameSite=Lax; SameSite=bogus', 'default'],
    ['', 'default'],
  ])('%j gives same-site-flag %j (§5.6.7, §5.7 step 17)', (attrs, expected) => {
    const cookie = storedCookie(new CookieStore().setCookie(`a=b; ${attrs}`, 'https://example.com/', { now: NOW }));
    expect(cookie.sameSite).toBe(expected);
  });

  it.each([
    ['Path=/a/b', '/a/b'],
    ['Path=', '/dir'],
    ['Path=relative', '/dir'],
    ['Path = /x ', '/x'],
    ['Path=/x; Path=', '/dir'],
    ['Path=/x;Path=/y', '/y'],
  ])('%j gives path %j (§5.6.4, default-path when empty or relative)', (attrs, expected) => {
    const cookie = storedCookie(new CookieStore().setCookie(`a=b; ${attrs}`, 'http://example.com/dir/page', { now: NOW }));
    expect(cookie.path).toBe(expected);
  });
});
