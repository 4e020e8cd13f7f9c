import { integerOctets, writeInteger } from '../../../src/hpack/integer.js';

describe('RFC 7541 §5.1 integer sizes', () => {
  it.each([
    [0, 5, 1], [30, 5, 1], [31, 5, 2], [31 + 127, 5, 2], [31 + 128, 5, 3], [126, 7, 1], [127, 7, 2], [127 + 16383, 7, 3],
    [127 + 16384, 7, 4], [2 ** 31 - 1, 7, 6],
  ])('integerOctets(%i, %i-bit prefix) is %i, the octets writeInteger writes', (value, prefix, octets) => {
    expect(integerOctets(value, prefix)).toBe(octets);
    expect(writeInteger(new Uint8Array(8), 0, value, prefix, 0)).toBe(octets);
  });
});
