import type { ByteWriter } from './byte-writer.js';

/**
 * Largest integer accepted in a header block. Every integer HPACK carries (an index, a table
 * size, a string length) fits in 31 bits; a longer one is an attack or garbage (RFC 7541 §5.1
 * lets decoders limit integer size).
 */
export const MAX_HPACK_INTEGER = 0x7fffffff;

/** Where a decode function left off: a cursor the decoder reuses (no allocation per field). */
export interface Cursor {
  pos: number;
}

/**
 * Decodes an integer with an N-bit prefix (RFC 7541 §5.1) starting at `cursor.pos`, advancing
 * the cursor. Returns -1 when the block ends inside the integer or the value exceeds
 * {@link MAX_HPACK_INTEGER}.
 */
export function decodeInteger(block: Uint8Array, cursor: Cursor, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (cursor.pos >= block.length) return -1;
  let value = block[cursor.pos++]! & max;
  if (value < max) return value;
  let shift = 0;
  for (;;) {
    if (cursor.pos >= block.length) return -1;
    const byte = block[cursor.pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (value > MAX_HPACK_INTEGER) return -1;
    if ((byte & 0x80) === 0) return value;
    shift += 7;
  }
}

/**
 * Encodes an integer with an N-bit prefix (RFC 7541 §5.1); `flags` are the high bits of the
 * first octet (the representation's pattern).
 */
export function encodeInteger(writer: ByteWriter, value: number, prefixBits: number, flags: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    writer.byte(flags | value);
    return;
  }
  writer.byte(flags | max);
  let rest = value - max;
  while (rest >= 128) {
    writer.byte((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  writer.byte(rest);
}
