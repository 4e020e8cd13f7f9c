import { latin1Decode } from '@gunhttp/core';
import type { ByteWriter } from './byte-writer.js';
import { huffmanDecode, huffmanEncodedLength, huffmanEncodeInto } from './huffman.js';
import { decodeInteger, encodeInteger, type Cursor } from './integer.js';

/** When the encoder Huffman-codes strings: `shorter` when that saves octets (default), `always` or `never`. */
export type HuffmanPolicy = 'shorter' | 'always' | 'never';

/**
 * Decodes a string literal (RFC 7541 §5.2) at `cursor.pos` into a latin1 string, advancing the
 * cursor; `undefined` when the block ends inside it or its Huffman code is invalid.
 */
export function decodeString(block: Uint8Array, cursor: Cursor): string | undefined {
  if (cursor.pos >= block.length) return undefined;
  const huffman = (block[cursor.pos]! & 0x80) !== 0;
  const length = decodeInteger(block, cursor, 7);
  if (length < 0 || cursor.pos + length > block.length) return undefined;
  const start = cursor.pos;
  cursor.pos += length;
  return huffman ? huffmanDecode(block, start, start + length) : latin1Decode(block, start, start + length);
}

/** Encodes a latin1 string as a string literal (RFC 7541 §5.2) following `policy`. */
export function encodeString(writer: ByteWriter, text: string, policy: HuffmanPolicy): void {
  const huffmanLength = policy === 'never' ? Infinity : huffmanEncodedLength(text);
  if (policy === 'always' || huffmanLength < text.length) {
    encodeInteger(writer, huffmanLength, 7, 0x80);
    const target = writer.reserve(huffmanLength);
    writer.length = huffmanEncodeInto(text, target, writer.length);
    return;
  }
  encodeInteger(writer, text.length, 7, 0);
  const target = writer.reserve(text.length);
  for (let i = 0; i < text.length; i++) target[writer.length + i] = text.charCodeAt(i);
  writer.length += text.length;
}
