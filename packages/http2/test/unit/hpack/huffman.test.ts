import { huffmanDecode, huffmanEncode } from '../../../src/index.js';
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from '../../../src/hpack/huffman-table.js';
import { hex, toHex } from '../../helpers.js';

function decode(bytes: Uint8Array): string | undefined {
  return huffmanDecode(bytes, 0, bytes.length);
}

describe('RFC 7541 §5.2 Huffman coding (Appendix B)', () => {
  it.each([
    [0, 0x1ff8, 13], [1, 0x7fffd8, 23], [10, 0x3ffffffc, 30], [32, 0x14, 6], [48, 0x0, 5], [97, 0x3, 5],
    [255, 0x3ffffee, 26], [256, 0x3fffffff, 30],
  ])('rebuilds the Appendix B code of symbol %i from the canonical lengths', (symbol, code, length) => {
    expect(HUFFMAN_CODES[symbol]).toBe(code);
    expect(HUFFMAN_LENGTHS[symbol]).toBe(length);
  });

  it('is a prefix code: Kraft sum of exactly 1', () => {
    let sum = 0;
    for (const l of HUFFMAN_LENGTHS) sum += 2 ** -l;
    expect(sum).toBe(1);
  });

  it('encodes the Appendix C.4.1 string', () => {
    expect(toHex(huffmanEncode('www.example.com'))).toBe('f1e3c2e5f23a6ba0ab90f4ff');
    expect(decode(hex('f1e3c2e5f23a6ba0ab90f4ff'))).toBe('www.example.com');
  });

  it('round-trips every octet value', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    expect(decode(huffmanEncode(all))).toBe(all);
    expect(decode(new Uint8Array(0))).toBe('');
  });

  it('rejects a string containing EOS', () => {
    expect(decode(hex('ffffffff'))).toBeUndefined();
  });

  it('rejects padding longer than 7 bits', () => {
    // "0" is 00000; then 11 one-bits of padding spill into a second octet.
    expect(decode(hex('07 ff'))).toBeUndefined();
    expect(decode(hex('07'))).toBe('0');
  });

  it('rejects padding that is not all ones (not a prefix of EOS)', () => {
    // "0" (00000) followed by 110 — the padding must be 111.
    expect(decode(hex('06'))).toBeUndefined();
  });
});
