import { encodeChunk, encodeLastChunk, encodeTrailers } from '../../src/chunk-encoder.js';

const text = (chunks: Uint8Array[]): string => chunks.map((c) => String.fromCharCode(...c)).join('');

describe('chunk encoder (RFC 9112 §7.1)', () => {
  it('writes the size in lowercase hex', () => {
    expect(text(encodeChunk(new Uint8Array(255).fill(0x61), false))).toBe(`ff\r\n${'a'.repeat(255)}\r\n`);
    expect(text(encodeChunk(Uint8Array.of(0x62), true))).toBe('1\r\nb\r\n0\r\n\r\n');
  });

  it('writes the last chunk and trailer sections', () => {
    expect(text([encodeLastChunk()])).toBe('0\r\n\r\n');
    expect(text([encodeTrailers([], (n) => n)])).toBe('0\r\n\r\n');
    expect(text([encodeTrailers([['a', '1']], (n) => n.toUpperCase())])).toBe('0\r\nA: 1\r\n\r\n');
  });
});
