import { AddressType, encodeDestinationHost, formatAddress, parseIpv4, parseIpv6 } from '../../src/index.js';

describe('address parsing', () => {
  it.each(['1.2.3', '1.2.3.4.5', '1.2.3.x', '1.2.3.256', '1.2.3.04', ''])('%j is not an IPv4 literal', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });

  it.each([':::', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '12345::', 'g::', '::1.2.3', 'abc'])('%j is not an IPv6 literal', (text) => {
    expect(parseIpv6(text)).toBeNull();
  });

  it('parses :: and formats without compression', () => {
    expect(parseIpv6('::')).toEqual(new Uint8Array(16));
    expect(formatAddress(AddressType.IPV6, parseIpv6('fe80::a')!)).toBe('fe80:0:0:0:0:0:0:a');
  });

  it('chooses the address type from the host', () => {
    expect(encodeDestinationHost('10.0.0.1').type).toBe(AddressType.IPV4);
    expect(encodeDestinationHost('[2001:db8::1]').type).toBe(AddressType.IPV6);
    expect(encodeDestinationHost('example.org')).toEqual({ type: AddressType.DOMAIN, bytes: new TextEncoder().encode('example.org') });
  });
});
