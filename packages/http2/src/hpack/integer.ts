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
 * Octets {@link writeInteger} may write for a value below 2^35 (a prefix octet and up to five
 * continuation octets): enough for every index and for any string length a JS string can have.
 */
export const MAX_INTEGER_OCTETS = 6;

/** Octets enough for any integer up to 2^53 (a prefix octet and eight continuation octets). */
const MAX_SAFE_INTEGER_OCTETS = 9;

/** Number of octets of an integer with an N-bit prefix (RFC 7541 §5.1). */
export function integerOctets(value: number, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) return 1;
  let octets = 2;
  for (let rest = value - max; rest >= 128; rest = Math.floor(rest / 128)) octets += 1;
  return octets;
}

/**
 * Writes an integer with an N-bit prefix (RFC 7541 §5.1) into `target` at `offset`, which must
 * have room for it; `flags` are the high bits of the first octet. Returns the offset after it.
 */
export function writeInteger(target: Uint8Array, offset: number, value: number, prefixBits: number, flags: number): number {
  const max = (1 << prefixBits) - 1;
  let o = offset;
  if (value < max) {
    target[o++] = flags | value;
    return o;
  }
  target[o++] = flags | max;
  let rest = value - max;
  while (rest >= 128) {
    target[o++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  target[o++] = rest;
  return o;
}

/**
 * Encodes an integer with an N-bit prefix (RFC 7541 §5.1); `flags` are the high bits of the
 * first octet (the representation's pattern).
 */
export function encodeInteger(writer: ByteWriter, value: number, prefixBits: number, flags: number): void {
  const target = writer.reserve(MAX_SAFE_INTEGER_OCTETS);
  writer.end = writeInteger(target, writer.end, value, prefixBits, flags);
}
