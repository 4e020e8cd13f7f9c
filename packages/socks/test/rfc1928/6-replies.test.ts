import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { SocksErrors } from '../../src/index.js';
import { BOUND, bytes, cat, norm, REPLY_OK, started } from '../support/socks.js';

const METHOD_NONE = bytes(5, 0);
const AUTHENTICATED = { type: 'authenticated', method: 'none' };

describe('RFC 1928 §6 replies', () => {
  it.each([
    ['IPv4', REPLY_OK, BOUND],
    ['IPv6', bytes(5, 0, 0, 4, 0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1, 0, 80), { host: '2001:db8:0:0:0:0:0:1', port: 80 }],
    ['domain', bytes(5, 0, 0, 3, 4, 0x70, 0x72, 0x6f, 0x78, 0x1f, 0x90), { host: 'prox', port: 8080 }],
  ])('reads a success reply with a bound %s address on every chunking', (_name, reply, bound) => {
    expectEventsForAllChunkings(() => started(), cat(METHOD_NONE, reply), [AUTHENTICATED, { type: 'connected', bound }], { normalize: norm });
  });

  it.each([
    [1, SocksErrors.GENERAL_FAILURE],
    [2, SocksErrors.NOT_ALLOWED],
    [3, SocksErrors.NETWORK_UNREACHABLE],
    [4, SocksErrors.HOST_UNREACHABLE],
    [5, SocksErrors.CONNECTION_REFUSED],
    [6, SocksErrors.TTL_EXPIRED],
    [7, SocksErrors.COMMAND_NOT_SUPPORTED],
    [8, SocksErrors.ADDRESS_TYPE_NOT_SUPPORTED],
    [9, SocksErrors.UNKNOWN_REPLY],
    [0xff, SocksErrors.UNKNOWN_REPLY],
  ])("maps REP X'%s' to a named error with socksReply set", (rep, code) => {
    const reply = bytes(5, rep, 0, 1, 0, 0, 0, 0, 0, 0);
    expectEventsForAllChunkings(() => started(), cat(METHOD_NONE, reply), [AUTHENTICATED, { type: 'error', code, socksReply: rep }], { normalize: norm });
  });

  it('reports a failure REP as soon as it arrives, without the rest of the reply', () => {
    const s = started();
    s.receive(METHOD_NONE);
    expect(norm(s.receive(bytes(5, 5)))).toEqual([{ type: 'error', code: SocksErrors.CONNECTION_REFUSED, socksReply: 5 }]);
  });

  it('fails on an unknown bound address type or version', () => {
    expectEventsForAllChunkings(() => started(), cat(METHOD_NONE, bytes(5, 0, 0, 2, 0)), [AUTHENTICATED, { type: 'error', code: SocksErrors.PROTOCOL }], { normalize: norm });
    expectEventsForAllChunkings(() => started(), cat(METHOD_NONE, bytes(4, 0, 0, 1)), [AUTHENTICATED, { type: 'error', code: SocksErrors.PROTOCOL }], { normalize: norm });
  });

  it('hands the bytes after the reply to the next layer, including later chunks', () => {
    const s = started();
    expect(norm(s.receive(cat(METHOD_NONE, REPLY_OK, bytes(0x48, 0x54))))).toEqual([AUTHENTICATED, { type: 'connected', bound: BOUND }]);
    expect(s.state).toBe('connected');
    expect(s.receive(bytes(0x54))).toEqual([]);
    expect(s.takeRemainder()).toEqual(bytes(0x48, 0x54, 0x54));
    expect(s.takeRemainder()).toEqual(bytes());
    expect(s.receiveEof()).toEqual([]);
  });

  it('keeps the trailing bytes whatever the chunking', () => {
    const input = cat(METHOD_NONE, REPLY_OK, bytes(1, 2, 3));
    expectEventsForAllChunkings(() => {
      const s = started();
      return { receive: (c: Uint8Array) => { s.receive(c); return s.state === 'connected' ? [...s.takeRemainder()] : []; } };
    }, input, [1, 2, 3]);
  });
});
