import { buildExtensionOffer, extendedConnectHeaders, WsErrors } from '../../src/index.js';

describe('RFC 8441 §4, §5 Websocket over HTTP/2', () => {
  it('builds the extended CONNECT pseudo-headers and sec-websocket-version 13, with no key (§4, §5)', () => {
    expect(extendedConnectHeaders({ authority: 'example.org', path: '/chat', scheme: 'https' })).toEqual([
      [':method', 'CONNECT'], [':protocol', 'websocket'], [':scheme', 'https'], [':authority', 'example.org'], [':path', '/chat'],
      ['sec-websocket-version', '13'],
    ]);
  });

  it('adds subprotocols and extensions after the version (§5)', () => {
    const headers = extendedConnectHeaders({ authority: 'a:8443', path: '/', scheme: 'http', protocols: ['chat'], extensions: buildExtensionOffer() });
    expect(headers.slice(6)).toEqual([
      ['sec-websocket-protocol', 'chat'], ['sec-websocket-extensions', 'permessage-deflate; client_max_window_bits; server_max_window_bits=15'],
    ]);
    expect(headers.some(([n]) => n === 'sec-websocket-key')).toBe(false);
  });

  it('throws on an empty :path (§4)', () => {
    expect(() => extendedConnectHeaders({ authority: 'a', path: '', scheme: 'https' })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
  });
});
