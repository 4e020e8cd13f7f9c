import fc from 'fast-check';
import { concatBytes, isLatin1, latin1Decode, latin1Encode, toLatin1 } from '../../src/index.js';

const reference = (bytes: Uint8Array): string => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

describe('latin1 helpers', () => {
  it('decodes every octet to the char of the same code, ASCII or not (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expect(latin1Decode(bytes)).toBe(reference(bytes))));
  });

  it('keeps octets that are U+FFFD or valid UTF-8 in UTF-8 as separate chars', () => {
    expect(latin1Decode(Uint8Array.of(0xef, 0xbf, 0xbd))).toBe('\u00ef\u00bf\u00bd');
    expect(latin1Decode(Uint8Array.of(0xc3, 0xa9))).toBe('\u00c3\u00a9');
    expect(latin1Decode(Uint8Array.of(0x80, 0x9f))).toBe('\u0080\u009f');
  });

  it('decodes a range of a larger array', () => {
    expect(latin1Decode(latin1Encode('abcdef'), 1, 4)).toBe('bcd');
  });

  it('round-trips latin1 strings and converts wider chars to their UTF-8 octets', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => expect([...latin1Encode(latin1Decode(bytes))]).toEqual([...bytes])));
    expect(isLatin1('é')).toBe(true);
    expect(isLatin1('€')).toBe(false);
    expect(toLatin1('€')).toBe(latin1Decode(new TextEncoder().encode('€')));
  });

  it('concatenates chunks', () => {
    expect([...concatBytes([Uint8Array.of(1), Uint8Array.of(), Uint8Array.of(2, 3)])]).toEqual([1, 2, 3]);
  });
});
