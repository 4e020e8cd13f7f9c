import fc from 'fast-check';
import { ByteWriter } from '../../../src/hpack/byte-writer.js';
import { huffmanEncodedLength, huffmanEncodeInto } from '../../../src/hpack/huffman.js';
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from '../../../src/hpack/huffman-table.js';
import { decodeString, encodeString, type HuffmanPolicy } from '../../../src/hpack/string-literal.js';
import { toHex } from '../../helpers.js';

/** The Huffman code of a string one bit at a time, straight from the Appendix B table. */
function referenceHuffman(text: string): Uint8Array {
  const bits: number[] = [];
  for (const char of text) {
    const symbol = char.charCodeAt(0);
    const length = HUFFMAN_LENGTHS[symbol]!;
    for (let i = length - 1; i >= 0; i--) bits.push(Math.floor(HUFFMAN_CODES[symbol]! / 2 ** i) & 1);
  }
  while (bits.length % 8 !== 0) bits.push(1);
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((bit, i) => { out[i >> 3]! |= bit << (7 - (i & 7)); });
  return out;
}

function encoded(text: string, policy: HuffmanPolicy): Uint8Array {
  const writer = new ByteWriter();
  encodeString(writer, text, policy);
  return writer.finish();
}

const latin1 = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength });
/** Strings of few distinct characters, so both short codes (digits) and long ones (control, high octets) run long. */
const skewed = fc.string({ unit: fc.constantFrom('0', '1', 'a', 'e', '%', '\u0000', '\u00ff', '\u00e9'), maxLength: 300 });

describe('RFC 7541 §5.2 string literals: Huffman only when shorter (default policy)', () => {
  it('Huffman-encodes every string like the bit-by-bit reference, codes of 5 to 30 bits', () => {
    fc.assert(fc.property(fc.oneof(latin1(80), skewed), (text) => {
      const target = new Uint8Array(huffmanEncodedLength(text) + 1);
      const end = huffmanEncodeInto(text, target, 0, target.length);
      expect(toHex(target.subarray(0, end))).toBe(toHex(referenceHuffman(text)));
    }), { numRuns: 500 });
  });

  it('uses the Huffman code exactly when it is shorter than the raw octets, and decodes back', () => {
    fc.assert(fc.property(fc.oneof(latin1(200), skewed), fc.constantFrom<HuffmanPolicy>('shorter', 'always', 'never'), (text, policy) => {
      const block = encoded(text, policy);
      const huffmanLength = referenceHuffman(text).length;
      const huffman = policy === 'always' || (policy === 'shorter' && huffmanLength < text.length);
      expect((block[0]! & 0x80) !== 0).toBe(huffman);
      const cursor = { pos: 0 };
      expect(decodeString(block, cursor)).toBe(text);
      expect(cursor.pos).toBe(block.length);
    }), { numRuns: 500 });
  });

  it('writes a raw string when its Huffman code is as long as the raw octets', () => {
    // "&" has an 8-bit code: three of them take 3 octets either way.
    expect(toHex(encoded('&&&', 'shorter'))).toBe('03262626');
  });

  it('writes a one-octet length prefix when the raw string needs two and its code is under 127 octets', () => {
    const text = '0'.repeat(130); // 130 raw octets (prefix 7f 03), 82 Huffman-coded (5-bit codes)
    const block = encoded(text, 'shorter');
    expect(block[0]).toBe(0x80 | 82);
    expect(block.length).toBe(83);
    expect(toHex(block.subarray(1))).toBe(toHex(referenceHuffman(text)));
  });

  it('writes a raw string whose code would be longer, such as high octets (§5.2)', () => {
    expect(toHex(encoded('\u00ff\u00fe', 'shorter'))).toBe('02fffe');
    expect(encoded('\u00ff\u00fe', 'always')[0]).toBe(0x80 | 7);
  });

  it('writes the empty string as a zero-length raw literal', () => {
    expect(toHex(encoded('', 'shorter'))).toBe('00');
    expect(toHex(encoded('', 'always'))).toBe('80');
  });
});
