import { ByteWriter } from '../../src/hpack/byte-writer.js';
import { decodeInteger, encodeInteger, MAX_HPACK_INTEGER } from '../../src/hpack/integer.js';
import { hex, toHex } from '../helpers.js';

function encode(value: number, prefix: number, flags = 0): string {
  const w = new ByteWriter();
  encodeInteger(w, value, prefix, flags);
  return toHex(w.finish());
}

describe('RFC 7541 §5.1 / Appendix C.1 integer representation', () => {
  it.each([
    ['C.1.1: 10 with a 5-bit prefix', 10, 5, '0a'],
    ['C.1.2: 1337 with a 5-bit prefix', 1337, 5, '1f9a0a'],
    ['C.1.3: 42 starting at an octet boundary', 42, 8, '2a'],
  ])('%s', (_name, value, prefix, bytes) => {
    expect(encode(value, prefix)).toBe(bytes);
    expect(decodeInteger(hex(bytes), { pos: 0 }, prefix)).toBe(value);
  });

  it('keeps the pattern bits of the first octet (§5.1)', () => {
    expect(encode(10, 5, 0xe0)).toBe('ea');
    expect(decodeInteger(hex('ea'), { pos: 0 }, 5)).toBe(10);
  });

  it('encodes the prefix maximum itself with a zero continuation octet (§5.1)', () => {
    expect(encode(31, 5)).toBe('1f00');
    expect(decodeInteger(hex('1f00'), { pos: 0 }, 5)).toBe(31);
  });

  it('reports a truncated integer as -1 rather than throwing', () => {
    expect(decodeInteger(hex('1f9a'), { pos: 0 }, 5)).toBe(-1);
    expect(decodeInteger(new Uint8Array(0), { pos: 0 }, 5)).toBe(-1);
  });

  it('accepts 2^31-1 and rejects 2^31 (limit on integer size, §5.1)', () => {
    const w = new ByteWriter();
    encodeInteger(w, MAX_HPACK_INTEGER, 5, 0);
    expect(decodeInteger(w.finish(), { pos: 0 }, 5)).toBe(MAX_HPACK_INTEGER);
    encodeInteger(w, MAX_HPACK_INTEGER + 1, 5, 0);
    expect(decodeInteger(w.finish(), { pos: 0 }, 5)).toBe(-1);
  });

  it('advances the cursor past the integer', () => {
    const cursor = { pos: 1 };
    expect(decodeInteger(hex('00 1f9a0a ff'), cursor, 5)).toBe(1337);
    expect(cursor.pos).toBe(4);
  });
});
