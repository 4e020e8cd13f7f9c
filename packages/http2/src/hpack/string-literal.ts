import { latin1Decode } from '@gunhttp/core';
import type { ByteWriter } from './byte-writer.js';
import { huffmanDecode, huffmanEncodedLength, huffmanEncodeInto } from './huffman.js';
import { decodeInteger, integerOctets, MAX_INTEGER_OCTETS, writeInteger, type Cursor } from './integer.js';

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

/**
 * Encodes a latin1 string as a string literal (RFC 7541 §5.2) following `policy`, straight into
 * the writer's buffer. Under `shorter` the Huffman code is written first where the raw string
 * would go and kept only if it ended up shorter (no separate pass to measure it); its length
 * prefix then needs at most as many octets as the raw one, and the code moves back when fewer.
 */
export function encodeString(writer: ByteWriter, text: string, policy: HuffmanPolicy): void {
  const length = text.length;
  if (policy === 'always') {
    const huffmanLength = huffmanEncodedLength(text);
    const target = writer.reserve(MAX_INTEGER_OCTETS + huffmanLength);
    const start = writeInteger(target, writer.end, huffmanLength, 7, 0x80);
    writer.end = huffmanEncodeInto(text, target, start, start + huffmanLength + 1);
    return;
  }
  const prefix = integerOctets(length, 7);
  const target = writer.reserve(prefix + length);
  const at = writer.end; // read after reserve(), which may move the block
  if (policy === 'shorter') {
    const start = at + prefix;
    const end = huffmanEncodeInto(text, target, start, start + length);
    if (end !== -1) {
      const huffmanPrefix = integerOctets(end - start, 7);
      if (huffmanPrefix < prefix) target.copyWithin(at + huffmanPrefix, start, end);
      writeInteger(target, at, end - start, 7, 0x80);
      writer.end = end - prefix + huffmanPrefix;
      return;
    }
  }
  let o = writeInteger(target, at, length, 7, 0);
  for (let i = 0; i < length; i++) target[o++] = text.charCodeAt(i);
  writer.end = o;
}
