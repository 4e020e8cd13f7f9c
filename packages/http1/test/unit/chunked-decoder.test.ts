import { parseChunkSizeLine } from '../../src/chunked-decoder.js';

describe('parseChunkSizeLine', () => {
  it.each([
    ['0', 0], ['a', 10], ['FF', 255], ['ffffffff', 0xffffffff], ['1fffffffffffff', Number.MAX_SAFE_INTEGER],
    ['1;a', 1], ['1 ; a = "b\\"c" ; d', 1], ['2\t', 2],
  ])('reads %j as %d', (line, size) => {
    expect(parseChunkSizeLine(line)).toEqual({ kind: 'ok', value: size, consumed: line.length });
  });

  it.each([['', 'H1_ERR_INVALID_CHUNK_SIZE'], ['20000000000000', 'H1_ERR_INVALID_CHUNK_SIZE'], ['1;', 'H1_ERR_INVALID_CHUNK_EXTENSION'], ['1\r', 'H1_ERR_BARE_CR']])(
    'rejects %j with %s', (line, code) => {
      const result = parseChunkSizeLine(line);
      expect(result.kind === 'error' && result.error.code).toBe(code);
    },
  );
});
