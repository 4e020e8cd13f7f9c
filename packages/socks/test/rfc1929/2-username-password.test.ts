import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { Socks5Client, SocksErrors } from '../../src/index.js';
import { BOUND, bytes, cat, DEST, norm, REPLY_OK, started } from '../support/socks.js';

const AUTH = [{ username: 'user', password: 'pässword' }] as const;

describe('RFC 1929 §2 username/password authentication', () => {
  it('sends VER 1, ULEN, UNAME, PLEN, PASSWD (UTF-8) when the server picks X\'02\'', () => {
    const s = new Socks5Client({ destination: DEST, auth: AUTH });
    s.start();
    expect(s.takeOutput()).toEqual([bytes(5, 1, 2)]);
    expect(s.receive(bytes(5, 2))).toEqual([]);
    expect(s.state).toBe('authenticating');
    expect(s.takeOutput()).toEqual([cat(bytes(1, 4), new TextEncoder().encode('user'), bytes(9), new TextEncoder().encode('pässword'))]);
    s.receive(bytes(1, 0));
    const [connect] = s.takeOutput();
    expect(connect!.subarray(0, 4)).toEqual(bytes(5, 1, 0, 3));
  });

  it('reports authenticated on STATUS X\'00\' and then connected, on every chunking', () => {
    expectEventsForAllChunkings(() => started({ auth: AUTH }), cat(bytes(5, 2, 1, 0), REPLY_OK), [
      { type: 'authenticated', method: 'usernamePassword' }, { type: 'connected', bound: BOUND },
    ], { normalize: norm });
  });

  it.each([1, 0xff])('fails with SOCKS_ERR_AUTH_FAILED on STATUS %i', (status) => {
    expectEventsForAllChunkings(() => started({ auth: AUTH }), bytes(5, 2, 1, status), [{ type: 'error', code: SocksErrors.AUTH_FAILED }], { normalize: norm });
  });

  it('fails on a subnegotiation version other than 1', () => {
    expectEventsForAllChunkings(() => started({ auth: AUTH }), bytes(5, 2, 5, 0), [{ type: 'error', code: SocksErrors.PROTOCOL }], { normalize: norm });
  });

  it("authenticates with nothing when the server picks X'00' from both offered", () => {
    expectEventsForAllChunkings(() => started({ auth: [...AUTH, 'none'] }), bytes(5, 0), [{ type: 'authenticated', method: 'none' }], { normalize: norm });
  });

  it('accepts 255-octet credentials and throws on 256 octets or empty ones', () => {
    expect(() => new Socks5Client({ destination: DEST, auth: [{ username: 'u'.repeat(255), password: 'p'.repeat(255) }] })).not.toThrow();
    for (const c of [{ username: 'u'.repeat(256), password: 'p' }, { username: 'u', password: 'p'.repeat(256) }, { username: '', password: 'p' }, { username: 'u', password: '' }]) {
      expect(() => new Socks5Client({ destination: DEST, auth: [c] })).toThrow(expect.objectContaining({ code: SocksErrors.BAD_ARGUMENT }));
    }
  });
});
