import { latin1Decode } from '../../src/index.js';

describe('latin1Decode', () => {
  it.each([
    ['ASCII', [0x48, 0x54, 0x0d, 0x0a]],
    ['a valid UTF-8 sequence, read octet by octet', [0x61, 0xc3, 0xa9]],
    ['a lone high octet', [0xff]],
    ['a UTF-8 BOM', [0xef, 0xbb, 0xbf, 0x41]],
    ['an encoded U+FFFD', [0xef, 0xbf, 0xbd]],
    ['a 4-octet sequence', [0xf0, 0x9f, 0x98, 0x80]],
  ])('gives one char per octet for %s', (_name, octets) => {
    expect(latin1Decode(Uint8Array.from(octets))).toBe(String.fromCharCode(...octets));
  });
});
