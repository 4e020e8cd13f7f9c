import { HpackDecoder, HpackEncoder } from '../../../src/index.js';
import { hex } from '../../helpers.js';

function codeOf(dec: HpackDecoder, block: Uint8Array): unknown {
  const r = dec.tryDecode(block);
  return r.kind === 'error' ? { code: r.error.code, h2Code: r.error.h2Code, scope: r.error.scope } : r.headers;
}

const compression = { code: 'H2_ERR_COMPRESSION', h2Code: 'COMPRESSION_ERROR', scope: 'connection' };

describe('HpackDecoder errors and limits (RFC 7541)', () => {
  it.each([
    ['index 0 (§6.1)', '80'],
    ['an index past the tables (§2.3.3)', 'be'],
    ['a truncated integer', 'ff'],
    ['a truncated string', '4003 6162'],
    ['a literal whose name index is past the tables', '7f 20 01 61'],
    ['an invalid Huffman string', '40 81 ff 01 61'],
  ])('treats %s as a COMPRESSION_ERROR', (_name, block) => {
    expect(codeOf(new HpackDecoder(), hex(block))).toEqual(compression);
  });

  it('throws the GunError from decode() (documented)', () => {
    expect(() => new HpackDecoder().decode(hex('80'))).toThrow(expect.objectContaining({ code: 'H2_ERR_COMPRESSION' }));
  });

  it('accepts table size updates only at the start of a block (§4.2)', () => {
    expect(codeOf(new HpackDecoder(), hex('3f e1 01 20 82'))).toEqual([[':method', 'GET']]);
    expect(codeOf(new HpackDecoder(), hex('82 20'))).toEqual(compression);
  });

  it('accepts a size update equal to the limit and refuses one above it (§6.3)', () => {
    expect(codeOf(new HpackDecoder(), hex('3f e1 1f'))).toEqual([]);
    expect(codeOf(new HpackDecoder(), hex('3f e2 1f'))).toEqual(compression);
  });

  it('requires a size update after the limit was lowered below the table size (§4.2)', () => {
    const dec = new HpackDecoder();
    dec.setMaxTableSize(100);
    expect(codeOf(dec, hex('82'))).toEqual(compression);
    const dec2 = new HpackDecoder();
    dec2.setMaxTableSize(100);
    expect(codeOf(dec2, hex('3f 45 82'))).toEqual([[':method', 'GET']]);
  });

  it('evicts entries as the table size shrinks (§4.3, §4.4)', () => {
    const dec = new HpackDecoder();
    dec.decode(hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'));
    expect(dec.tableSize).toBe(55);
    dec.decode(hex('20'));
    expect(dec.tableSize).toBe(0);
    expect(codeOf(dec, hex('be'))).toEqual(compression);
  });

  it('caps a block at maxHeaderFields: N accepted, N+1 is ENHANCE_YOUR_CALM (Cowlib 100)', () => {
    expect((codeOf(new HpackDecoder(), new Uint8Array(100).fill(0x82)) as unknown[]).length).toBe(100);
    expect(codeOf(new HpackDecoder(), new Uint8Array(101).fill(0x82))).toEqual({ code: 'H2_ERR_HEADER_BLOCK_TOO_LARGE', h2Code: 'ENHANCE_YOUR_CALM', scope: 'connection' });
  });

  it('caps the decoded list at maxHeaderListSize (N accepted, N+1 a stream error) while keeping the table in step', () => {
    // ':method: GET' counts 7 + 3 + 32 = 42 octets.
    expect((codeOf(new HpackDecoder({ maxHeaderListSize: 84 }), hex('8282')) as unknown[]).length).toBe(2);
    const dec = new HpackDecoder({ maxHeaderListSize: 83 });
    const enc = new HpackEncoder();
    expect(codeOf(dec, concatBlock(hex('8282'), enc.encode([['x-kept', 'in-table']])))).toEqual({ code: 'H2_ERR_HEADER_LIST_TOO_LARGE', h2Code: 'PROTOCOL_ERROR', scope: 'stream' });
    expect(dec.decode(enc.encode([['x-kept', 'in-table']]))).toEqual([['x-kept', 'in-table']]);
  });

  it('keeps a small block from inflating: 100 references to a 4000-octet entry stay under the default cap', () => {
    const enc = new HpackEncoder({ huffman: 'never' });
    const big = enc.encode([['x', 'a'.repeat(3000)]]);
    const dec = new HpackDecoder({ maxHeaderListSize: 65536 });
    dec.decode(big);
    const r = dec.tryDecode(new Uint8Array(99).fill(0xbe));
    expect(r.kind === 'error' && r.error.code).toBe('H2_ERR_HEADER_LIST_TOO_LARGE');
  });
});

function concatBlock(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
