import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { Socks5Client, SocksErrors } from '../../src/index.js';
import { BOUND, bytes, cat, DEST, norm, REPLY_OK, started } from '../support/socks.js';

describe('RFC 1928 §3 version identifier / method selection', () => {
  it("sends VER 5 with the offered methods in order (default: X'00' only)", () => {
    const s = new Socks5Client({ destination: DEST });
    s.start();
    expect(s.takeOutput()).toEqual([bytes(5, 1, 0)]);
    const t = new Socks5Client({ destination: DEST, auth: [{ username: 'u', password: 'p' }, 'none'] });
    t.start();
    expect(t.takeOutput()).toEqual([bytes(5, 2, 2, 0)]);
    expect(t.state).toBe('greeting');
  });

  it("reports authenticated when the server selects X'00', then connected, on every chunking", () => {
    expectEventsForAllChunkings(() => started(), cat(bytes(5, 0), REPLY_OK), [
      { type: 'authenticated', method: 'none' }, { type: 'connected', bound: BOUND },
    ], { normalize: norm });
  });

  it("fails with SOCKS_ERR_NO_ACCEPTABLE_METHODS on METHOD X'FF'", () => {
    expectEventsForAllChunkings(() => started(), bytes(5, 0xff), [{ type: 'error', code: SocksErrors.NO_ACCEPTABLE_METHODS }], { normalize: norm });
  });

  it('fails on a method that was not offered', () => {
    expectEventsForAllChunkings(() => started(), bytes(5, 2), [{ type: 'error', code: SocksErrors.PROTOCOL }], { normalize: norm });
  });

  it('fails on a version other than 5', () => {
    expectEventsForAllChunkings(() => started(), bytes(4, 0), [{ type: 'error', code: SocksErrors.PROTOCOL }], { normalize: norm });
  });

  it('reports SOCKS_ERR_CLOSED when the server closes mid-handshake, and nothing once failed', () => {
    expectEventsForAllChunkings(() => started(), bytes(5), [{ type: 'error', code: SocksErrors.CLOSED }], { normalize: norm, eof: true });
    const s = started();
    s.receive(bytes(5, 0xff));
    expect(s.state).toBe('failed');
    expect(s.receive(bytes(5, 0))).toEqual([]);
    expect(s.receiveEof()).toEqual([]);
  });

  it('throws on misuse: start twice, receive before start, bad auth lists', () => {
    const s = new Socks5Client({ destination: DEST });
    expect(() => s.receive(bytes(5, 0))).toThrow(expect.objectContaining({ code: SocksErrors.BAD_ARGUMENT, origin: 'local' }));
    s.start();
    expect(() => s.start()).toThrow(expect.objectContaining({ code: SocksErrors.BAD_ARGUMENT }));
    for (const auth of [[], ['none', 'none'], [{ username: 'a', password: 'b' }, { username: 'c', password: 'd' }]] as const) {
      expect(() => new Socks5Client({ destination: DEST, auth })).toThrow(expect.objectContaining({ code: SocksErrors.BAD_ARGUMENT }));
    }
  });
});
