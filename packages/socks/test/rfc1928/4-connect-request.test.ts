import { Socks5Client, SocksErrors } from '../../src/index.js';
import { bytes } from '../support/socks.js';

function connectRequest(host: string, port = 0x1f90): Uint8Array {
  const s = new Socks5Client({ destination: { host, port } });
  s.start();
  s.takeOutput();
  s.receive(bytes(5, 0));
  const [req] = s.takeOutput();
  return req!;
}

describe('RFC 1928 §4, §5 CONNECT request and addressing', () => {
  it("sends an IPv4 literal as ATYP X'01'", () => {
    expect(connectRequest('192.168.1.20')).toEqual(bytes(5, 1, 0, 1, 192, 168, 1, 20, 0x1f, 0x90));
  });

  it.each([
    ['::1', [...new Array(15).fill(0), 1]],
    ['[::1]', [...new Array(15).fill(0), 1]],
    ['2001:db8::8:800:200c:417a', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]],
    ['[::ffff:10.1.2.3]', [...new Array(10).fill(0), 0xff, 0xff, 10, 1, 2, 3]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
  ])("sends the IPv6 literal %s as ATYP X'04'", (host, addr) => {
    expect(connectRequest(host)).toEqual(bytes(5, 1, 0, 4, ...addr, 0x1f, 0x90));
  });

  it("sends a name as ATYP X'03' with its length, up to 255 octets", () => {
    expect(connectRequest('ex.org', 80)).toEqual(bytes(5, 1, 0, 3, 6, 0x65, 0x78, 0x2e, 0x6f, 0x72, 0x67, 0, 80));
    const long = 'a'.repeat(255);
    expect(connectRequest(long)[4]).toBe(255);
    expect(() => connectRequest('a'.repeat(256))).toThrow(expect.objectContaining({ code: SocksErrors.BAD_ARGUMENT }));
  });

  it('treats non-canonical dotted quads as names', () => {
    expect(connectRequest('256.1.1.1')[3]).toBe(3);
    expect(connectRequest('01.1.1.1')[3]).toBe(3);
  });

  it.each([
    ['an empty host', { host: '', port: 80 }],
    ['port 0', { host: 'a', port: 0 }],
    ['port 65536', { host: 'a', port: 65536 }],
    ['a bracketed non-IPv6', { host: '[nope]', port: 80 }],
    ['an IPv6 zone', { host: 'fe80::1%eth0', port: 80 }],
  ])('throws on %s', (_name, destination) => {
    expect(() => new Socks5Client({ destination })).toThrow(expect.objectContaining({ code: SocksErrors.BAD_ARGUMENT }));
  });

  it('accepts port 1 and port 65535', () => {
    expect(connectRequest('a', 1).subarray(-2)).toEqual(bytes(0, 1));
    expect(connectRequest('a', 65535).subarray(-2)).toEqual(bytes(0xff, 0xff));
  });
});
