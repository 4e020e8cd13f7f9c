import { buildExtensionOffer, GUN_DEFLATE_OFFER, parseExtensionResponse, WsErrors } from '../../src/index.js';
import type { DeflateOffer } from '../../src/index.js';

const defaults = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };

describe('RFC 7692 §7.1 permessage-deflate negotiation', () => {
  it("builds Gun's offer by default", () => {
    expect(buildExtensionOffer()).toBe('permessage-deflate; client_max_window_bits; server_max_window_bits=15');
  });

  it('builds an offer with every parameter (§7.1)', () => {
    const offer: DeflateOffer = { serverNoContextTakeover: true, clientNoContextTakeover: true, clientMaxWindowBits: 10, serverMaxWindowBits: 12 };
    expect(buildExtensionOffer(offer)).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits=10; server_max_window_bits=12');
  });

  it.each([7, 16, 9.5])('throws on window bits %s outside 8..15 in an offer (§7.1.2)', (bits) => {
    expect(() => buildExtensionOffer({ serverMaxWindowBits: bits })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
  });

  it('reads no header or an empty one as no extension', () => {
    expect(parseExtensionResponse(undefined, GUN_DEFLATE_OFFER)).toEqual({ kind: 'none' });
    expect(parseExtensionResponse('', GUN_DEFLATE_OFFER)).toEqual({ kind: 'none' });
  });

  it.each([
    ['permessage-deflate', defaults],
    ['permessage-deflate; server_no_context_takeover; client_no_context_takeover', { ...defaults, serverNoContextTakeover: true, clientNoContextTakeover: true }],
    ['permessage-deflate; server_max_window_bits=10; client_max_window_bits=12', { ...defaults, serverMaxWindowBits: 10, clientMaxWindowBits: 12 }],
    ['permessage-deflate; server_max_window_bits="10"', { ...defaults, serverMaxWindowBits: 10 }],
    ['Permessage-Deflate ;Client_Max_Window_Bits = 15', defaults],
    ['permessage-deflate; client_max_window_bits=8; server_max_window_bits=8', { ...defaults, serverMaxWindowBits: 9, clientMaxWindowBits: 9 }],
  ])('accepts %s (8 bits become 9 for zlib)', (value, params) => {
    expect(parseExtensionResponse(value, GUN_DEFLATE_OFFER)).toEqual({ kind: 'deflate', params });
  });

  it('takes values from several field lines joined', () => {
    expect(parseExtensionResponse(['permessage-deflate; server_no_context_takeover'], GUN_DEFLATE_OFFER)).toEqual({ kind: 'deflate', params: { ...defaults, serverNoContextTakeover: true } });
  });

  it.each([
    ['an extension never offered', 'x-webkit-deflate-frame'],
    ['permessage-deflate twice', 'permessage-deflate, permessage-deflate'],
    ['an unknown parameter', 'permessage-deflate; foo'],
    ['a duplicate parameter', 'permessage-deflate; server_no_context_takeover; server_no_context_takeover'],
    ['a value on server_no_context_takeover', 'permessage-deflate; server_no_context_takeover=1'],
    ['a value on client_no_context_takeover', 'permessage-deflate; client_no_context_takeover=1'],
    ['window bits 7', 'permessage-deflate; server_max_window_bits=7'],
    ['window bits 16', 'permessage-deflate; server_max_window_bits=16'],
    ['window bits with a leading zero', 'permessage-deflate; server_max_window_bits=010'],
    ['window bits without a value', 'permessage-deflate; server_max_window_bits'],
    ['client_max_window_bits without a value', 'permessage-deflate; client_max_window_bits'],
    ['a malformed list', 'permessage-deflate;;'],
    ['an unterminated quoted string', 'permessage-deflate; server_max_window_bits="10'],
  ])('refuses %s (RFC 7692 §7.1, RFC 6455 §9.1)', (_name, value) => {
    const result = parseExtensionResponse(value, GUN_DEFLATE_OFFER);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.error.code).toBe(WsErrors.INVALID_EXTENSIONS);
  });

  it('refuses permessage-deflate when nothing was offered', () => {
    expect(parseExtensionResponse('permessage-deflate', null).kind).toBe('error');
  });

  it('refuses client_max_window_bits when the offer did not carry it (§7.1.2.2)', () => {
    expect(parseExtensionResponse('permessage-deflate; client_max_window_bits=10', { serverMaxWindowBits: 15 }).kind).toBe('error');
  });

  it('accepts a server window at the offered size and refuses one above it (§7.1.2.1)', () => {
    const offer: DeflateOffer = { serverMaxWindowBits: 10 };
    expect(parseExtensionResponse('permessage-deflate; server_max_window_bits=10', offer)).toEqual({ kind: 'deflate', params: { ...defaults, serverMaxWindowBits: 10 } });
    expect(parseExtensionResponse('permessage-deflate; server_max_window_bits=11', offer).kind).toBe('error');
    expect(parseExtensionResponse('permessage-deflate', offer).kind).toBe('error');
  });

  it('keeps our own client window limit and no_context_takeover hint when the server is silent (§7.1.2.2)', () => {
    expect(parseExtensionResponse('permessage-deflate', { clientMaxWindowBits: 11, clientNoContextTakeover: true })).toEqual({
      kind: 'deflate', params: { ...defaults, clientMaxWindowBits: 11, clientNoContextTakeover: true },
    });
    expect(parseExtensionResponse('permessage-deflate; client_max_window_bits=12', { clientMaxWindowBits: 11 }).kind).toBe('error');
  });

  it('refuses a response that drops a requested server_no_context_takeover (§7.1.1.1)', () => {
    expect(parseExtensionResponse('permessage-deflate', { serverNoContextTakeover: true }).kind).toBe('error');
  });
});
