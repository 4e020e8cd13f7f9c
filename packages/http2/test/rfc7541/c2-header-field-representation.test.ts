import { HpackDecoder, HpackEncoder, isNeverIndexed } from '../../src/index.js';
import { hex, toHex } from '../helpers.js';

describe('RFC 7541 Appendix C.2 header field representation examples', () => {
  it('C.2.1: literal header field with indexing adds the field to the dynamic table', () => {
    const dec = new HpackDecoder();
    const block = hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572');
    expect(dec.decode(block)).toEqual([['custom-key', 'custom-header']]);
    expect(dec.tableSize).toBe(55);
    expect(dec.decode(hex('be'))).toEqual([['custom-key', 'custom-header']]);
  });

  it('C.2.2: literal header field without indexing leaves the table empty', () => {
    const dec = new HpackDecoder();
    expect(dec.decode(hex('040c 2f73 616d 706c 652f 7061 7468'))).toEqual([[':path', '/sample/path']]);
    expect(dec.tableSize).toBe(0);
  });

  it('C.2.3: literal header field never indexed leaves the table empty and marks the field', () => {
    const dec = new HpackDecoder();
    const headers = dec.decode(hex('1008 7061 7373 776f 7264 0673 6563 7265 74'));
    expect(headers).toEqual([['password', 'secret']]);
    expect(dec.tableSize).toBe(0);
    expect(isNeverIndexed(headers[0]!)).toBe(true);
  });

  it('C.2.3: a never-indexed field stays never-indexed when re-encoded (§7.1.3)', () => {
    const headers = new HpackDecoder().decode(hex('1008 7061 7373 776f 7264 0673 6563 7265 74'));
    expect(toHex(new HpackEncoder({ huffman: 'never' }).encode(headers))).toBe('100870617373776f726406736563726574');
  });

  it('C.2.4: indexed header field from the static table', () => {
    const dec = new HpackDecoder();
    expect(dec.decode(hex('82'))).toEqual([[':method', 'GET']]);
    expect(dec.tableSize).toBe(0);
  });
});
