import fc from 'fast-check';
import type { HeaderList } from '@gunhttp/core';
import { HpackDecoder, HpackEncoder, huffmanDecode, huffmanEncode } from '../src/index.js';

const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const name = fc.oneof(
  fc.constantFrom(':method', ':path', 'cookie', 'authorization', 'content-length', 'accept', 'x-a', 'x-b'),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-0123456789'), minLength: 1, maxLength: 20 }),
);
const headerList = fc.array(fc.tuple(name, latin1), { maxLength: 20 }) as fc.Arbitrary<HeaderList>;

describe('HPACK properties', () => {
  it('decode(encode(list)) = list over a sequence of blocks sharing tables, any table size and Huffman policy', () => {
    fc.assert(fc.property(
      fc.array(headerList, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 4096 }),
      fc.constantFrom('shorter' as const, 'always' as const, 'never' as const),
      (blocks, size, huffman) => {
        const enc = new HpackEncoder({ maxTableSize: size, huffman });
        const dec = new HpackDecoder({ maxTableSize: size });
        for (const headers of blocks) expect(dec.decode(enc.encode(headers))).toEqual(headers);
      },
    ), { numRuns: 300 });
  });

  it('Huffman decode(encode(s)) = s for any latin1 string', () => {
    fc.assert(fc.property(latin1, (s) => {
      const bytes = huffmanEncode(s);
      expect(huffmanDecode(bytes, 0, bytes.length)).toBe(s);
    }), { numRuns: 500 });
  });

  it('arbitrary bytes never make the decoder throw from tryDecode', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 4 }), (blocks) => {
      const dec = new HpackDecoder();
      for (const block of blocks) expect(['ok', 'error']).toContain(dec.tryDecode(block).kind);
    }), { numRuns: 1000 });
  });

  it('arbitrary bytes never make the Huffman decoder throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const out = huffmanDecode(bytes, 0, bytes.length);
      expect(out === undefined || typeof out === 'string').toBe(true);
    }), { numRuns: 1000 });
  });
});
