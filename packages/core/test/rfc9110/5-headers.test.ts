import fc from 'fast-check';
import { CoreErrors, GunError, getHeader, headerTokens, isToken, normalizeHeaders, toLatin1 } from '../../src/index.js';

describe('header normalisation (RFC 9110 §5, Gun header handling)', () => {
  it('lowercases names and keeps order and duplicates', () => {
    expect(normalizeHeaders([['Accept', 'a'], ['X-Thing', '1'], ['accept', 'b']])).toEqual([['accept', 'a'], ['x-thing', '1'], ['accept', 'b']]);
  });

  it('takes an object, with arrays for repeated fields and numbers as decimal', () => {
    expect(normalizeHeaders({ 'Content-Length': 5, Vary: ['a', 'b'] })).toEqual([['content-length', '5'], ['vary', 'a'], ['vary', 'b']]);
  });

  it.each(['a\r\nb', 'a\nb', 'a\rb', 'a\u0000b'])('rejects a value with CR, LF or NUL (RFC 9110 §5.5): %j', (value) => {
    try {
      normalizeHeaders([['x-evil', value]]);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(GunError);
      expect((e as GunError).code).toBe(CoreErrors.INVALID_HEADER_VALUE);
      expect((e as GunError).origin).toBe('local');
      expect((e as GunError).message).toContain('x-evil');
    }
  });

  it("lets such a value through with 'ignore' (Gun's invalid_request_headers => ignore)", () => {
    expect(normalizeHeaders([['x-evil', 'a\r\nb']], 'ignore')).toEqual([['x-evil', 'a\r\nb']]);
  });

  it.each(['', 'a b', 'a:b', 'é', 'a\tb', '(x)'])('rejects a name that is not a token (RFC 9110 §5.1): %j', (name) => {
    expect(() => normalizeHeaders([[name, 'v']])).toThrow(expect.objectContaining({ code: CoreErrors.INVALID_HEADER_NAME }));
  });

  it('encodes chars above 255 as their UTF-8 octets (one latin1 char each)', () => {
    expect(toLatin1('€')).toBe('\u00e2\u0082\u00ac');
    expect(normalizeHeaders([['x', 'café']])).toEqual([['x', 'café']]);
  });

  it('splits list fields into lowercase tokens (RFC 9110 §5.6.1)', () => {
    expect(headerTokens([['connection', 'Keep-Alive, Upgrade'], ['connection', ' ,close']], 'connection')).toEqual(['keep-alive', 'upgrade', 'close']);
    expect(getHeader([['a', '1'], ['a', '2']], 'a')).toBe('1');
  });

  it('accepts exactly the tchar set (property, RFC 9110 §5.6.2)', () => {
    const tchar = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
    fc.assert(fc.property(fc.string(), (s) => expect(isToken(s)).toBe(tchar.test(s))));
  });
});
