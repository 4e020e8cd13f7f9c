import { ByteWriter } from '../../../src/hpack/byte-writer.js';
import { encodeString } from '../../../src/hpack/string-literal.js';
import { toHex } from '../../helpers.js';

describe('ByteWriter: the blocks of one encoder share a buffer', () => {
  it('hands out each block as a view that later blocks never overwrite', () => {
    const writer = new ByteWriter(8);
    const blocks: Uint8Array[] = [];
    for (let i = 0; i < 20; i++) {
      for (let k = 0; k <= i % 5; k++) writer.byte(i);
      blocks.push(writer.finish());
    }
    blocks.forEach((block, i) => expect(Array.from(block)).toEqual(new Array<number>((i % 5) + 1).fill(i)));
  });

  it('moves a block in progress that outgrows the buffer, keeping what was written', () => {
    const writer = new ByteWriter(4);
    writer.byte(1);
    writer.finish();
    writer.byte(2);
    encodeString(writer, 'abcdefghij', 'never');
    expect(toHex(writer.finish())).toBe('020a6162636465666768696a');
  });

  it('returns an empty block when nothing was written', () => {
    expect(new ByteWriter().finish().length).toBe(0);
  });
});
