import fc from 'fast-check';
import { encodeConnect, encodeDestinationHost, formatAddress, parseIpv6, Socks5Client } from '../src/index.js';
import type { Socks5Event } from '../src/index.js';
import { DEST } from './support/socks.js';

describe('properties', () => {
  it('arbitrary server bytes never make the client throw; an error is always the last event', () => {
    const auth = fc.constantFrom<Array<'none' | { username: string; password: string }>>(['none'], [{ username: 'u', password: 'p' }], ['none', { username: 'u', password: 'p' }]);
    fc.assert(fc.property(auth, fc.array(fc.uint8Array({ maxLength: 24 }), { maxLength: 6 }), fc.boolean(), (a, chunks, eof) => {
      const s = new Socks5Client({ destination: DEST, auth: a });
      s.start();
      const events: Socks5Event[] = [];
      for (const c of chunks) events.push(...s.receive(c));
      if (eof) events.push(...s.receiveEof());
      const firstError = events.findIndex((e) => e.type === 'error');
      expect(firstError === -1 || firstError === events.length - 1).toBe(true);
    }), { numRuns: 1000 });
  });

  it('IPv6 addresses round-trip through the text form', () => {
    fc.assert(fc.property(fc.ipV6(), (text) => {
      const bytes = parseIpv6(text);
      expect(bytes).not.toBeNull();
      expect(parseIpv6(formatAddress(4, bytes!))).toEqual(bytes);
    }), { numRuns: 500 });
  });

  it('IPv4 literals become ATYP 1 and their CONNECT carries the 4 octets and the port', () => {
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (ip, port) => {
      const addr = encodeDestinationHost(ip);
      expect(addr.type).toBe(1);
      const req = encodeConnect(addr, port);
      expect(formatAddress(1, req.subarray(4, 8))).toBe(ip);
      expect((req[8]! << 8) | req[9]!).toBe(port);
    }));
  });
});
