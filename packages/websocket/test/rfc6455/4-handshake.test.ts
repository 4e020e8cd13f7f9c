import { createHash } from 'node:crypto';
import {
  buildProtocolHeader, checkAccept, computeAccept, generateKey, parseProtocolResponse, upgradeRequestHeaders, WsErrors,
} from '../../src/index.js';

const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest());

describe('RFC 6455 §4 opening handshake helpers', () => {
  it('computes the accept of the §1.3 example key', () => {
    expect(computeAccept('dGhlIHNhbXBsZSBub25jZQ==', sha1)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('checks the accept, ignoring surrounding whitespace (§4.1)', () => {
    expect(checkAccept('dGhlIHNhbXBsZSBub25jZQ==', ' s3pPLMBiTxaQ9kYGzzhZRbK+xOo=', sha1)).toBe(true);
    expect(checkAccept('dGhlIHNhbXBsZSBub25jZQ==', 's3pPLMBiTxaQ9kYGzzhZRbK+xOp=', sha1)).toBe(false);
    expect(checkAccept('dGhlIHNhbXBsZSBub25jZQ==', undefined, sha1)).toBe(false);
  });

  it('generates a key from 16 injected random octets (§4.1)', () => {
    const sizes: number[] = [];
    const key = generateKey((n) => { sizes.push(n); return new TextEncoder().encode('the sample nonce'); });
    expect(key).toBe('dGhlIHNhbXBsZSBub25jZQ==');
    expect(sizes).toEqual([16]);
    expect(() => generateKey(() => new Uint8Array(15))).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
  });

  it('builds the subprotocol offer in order, refusing non-tokens and duplicates (§4.1)', () => {
    expect(buildProtocolHeader(['chat', 'superchat'])).toBe('chat, superchat');
    expect(() => buildProtocolHeader(['a b'])).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
    expect(() => buildProtocolHeader(['a', 'a'])).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
  });

  it('accepts a selected subprotocol only if it was offered (§4.1)', () => {
    expect(parseProtocolResponse(undefined, ['chat'])).toEqual({ kind: 'none' });
    expect(parseProtocolResponse('chat', ['chat'])).toEqual({ kind: 'selected', protocol: 'chat' });
    const bad = parseProtocolResponse('other', ['chat']);
    expect(bad.kind === 'error' && bad.error.code).toBe(WsErrors.INVALID_PROTOCOL);
    expect(parseProtocolResponse('chat, superchat', ['chat', 'superchat']).kind).toBe('error');
  });

  it("builds Gun's upgrade request headers (§4.1)", () => {
    expect(upgradeRequestHeaders({ key: 'k', protocols: ['a', 'b'], extensions: 'permessage-deflate' })).toEqual([
      ['connection', 'upgrade'], ['upgrade', 'websocket'], ['sec-websocket-version', '13'], ['sec-websocket-key', 'k'],
      ['sec-websocket-protocol', 'a, b'], ['sec-websocket-extensions', 'permessage-deflate'],
    ]);
    expect(upgradeRequestHeaders({ key: 'k', protocols: [] })).toHaveLength(4);
  });
});
