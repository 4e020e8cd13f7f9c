import { formatExtension, parseExtensionList } from '../../src/index.js';

describe('RFC 6455 §9.1 Sec-WebSocket-Extensions grammar', () => {
  it('parses a list of extensions with bare, token and quoted parameters', () => {
    const result = parseExtensionList('foo, bar; baz=2;qux, permessage-deflate ; a="b"');
    expect(result.kind === 'ok' && result.value).toEqual([
      { name: 'foo', params: [] },
      { name: 'bar', params: [{ name: 'baz', value: '2' }, { name: 'qux' }] },
      { name: 'permessage-deflate', params: [{ name: 'a', value: 'b' }] },
    ]);
  });

  it('skips empty list elements (RFC 9110 §5.6.1)', () => {
    const result = parseExtensionList(' , foo ,, ');
    expect(result.kind === 'ok' && result.value).toEqual([{ name: 'foo', params: [] }]);
  });

  it.each(['foo;', 'foo; =1', 'foo; a=', 'foo; a="b c"', 'foo bar', '"foo"', 'foo; a=b c'])('rejects %j', (value) => {
    expect(parseExtensionList(value).kind).toBe('error');
  });

  it('formats an extension', () => {
    expect(formatExtension({ name: 'x', params: [{ name: 'a' }, { name: 'b', value: '1' }] })).toBe('x; a; b=1');
  });
});
