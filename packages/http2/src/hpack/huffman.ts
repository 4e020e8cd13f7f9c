import { EOS, HUFFMAN_CODES, HUFFMAN_LENGTHS } from './huffman-table.js';

/*
 * Huffman coding of string literals (RFC 7541 §5.2, Appendix B).
 *
 * Decoding runs a 4-bit state machine built at module load from the code table: a state is an
 * internal node of the code tree (256 of them), and for each state and input nibble the table
 * gives the next state and at most one emitted symbol (the shortest code has 5 bits). A string
 * is accepted when it ends at the root or inside a run of at most 7 one-bits from the root (the
 * padding, a prefix of EOS); EOS itself is an error.
 */

const NODES = 256;
/** Entry layout: bits 0-7 next state, 8-15 symbol, bit 16 emits, bit 17 fails. */
const EMIT = 1 << 16;
const FAIL = 1 << 17;

function buildTree(): { children: Int32Array; depth: Uint8Array; allOnes: Uint8Array } {
  // children[node*2 + bit]: >= 0 internal node, < 0 leaf symbol encoded as -(symbol+1).
  const children = new Int32Array(NODES * 2).fill(0x7fffffff);
  const depth = new Uint8Array(NODES);
  const allOnes = new Uint8Array(NODES);
  allOnes[0] = 1;
  let next = 1;
  for (let symbol = 0; symbol <= EOS; symbol++) {
    const code = HUFFMAN_CODES[symbol]!;
    const length = HUFFMAN_LENGTHS[symbol]!;
    let node = 0;
    for (let i = length - 1; i >= 0; i--) {
      const bit = Math.floor(code / 2 ** i) & 1;
      const slot = node * 2 + bit;
      if (i === 0) {
        children[slot] = -(symbol + 1);
      } else {
        if (children[slot] === 0x7fffffff) {
          children[slot] = next;
          depth[next] = depth[node]! + 1;
          allOnes[next] = allOnes[node]! & bit;
          next += 1;
        }
        node = children[slot]!;
      }
    }
  }
  return { children, depth, allOnes };
}

function buildDecodeTable(): { table: Uint32Array; accepting: Uint8Array } {
  const { children, depth, allOnes } = buildTree();
  const table = new Uint32Array(NODES * 16);
  const accepting = new Uint8Array(NODES);
  for (let state = 0; state < NODES; state++) {
    accepting[state] = state === 0 || (allOnes[state] === 1 && depth[state]! <= 7) ? 1 : 0;
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let i = 3; i >= 0; i--) {
        const child = children[node * 2 + ((nibble >> i) & 1)]!;
        if (child >= 0) {
          node = child;
          continue;
        }
        const symbol = -child - 1;
        if (symbol === EOS) {
          entry = FAIL;
          break;
        }
        entry = EMIT | (symbol << 8);
        node = 0;
      }
      table[state * 16 + nibble] = (entry & FAIL) !== 0 ? FAIL : entry | node;
    }
  }
  return { table, accepting };
}

const { table: DECODE, accepting: ACCEPTING } = buildDecodeTable();

let scratch = new Uint8Array(256);

/**
 * Decodes Huffman-coded octets `input[start, end)` into a latin1 string (one char per octet);
 * `undefined` when the code is invalid: EOS decoded, padding longer than 7 bits or not all ones
 * (RFC 7541 §5.2).
 */
export function huffmanDecode(input: Uint8Array, start: number, end: number): string | undefined {
  const maxOut = Math.ceil(((end - start) * 8) / 5);
  if (scratch.length < maxOut) scratch = new Uint8Array(Math.max(maxOut, scratch.length * 2));
  const out = scratch;
  let n = 0;
  let state = 0;
  for (let i = start; i < end; i++) {
    const byte = input[i]!;
    let e = DECODE[state * 16 + (byte >> 4)]!;
    if ((e & FAIL) !== 0) return undefined;
    if ((e & EMIT) !== 0) out[n++] = (e >> 8) & 0xff;
    state = e & 0xff;
    e = DECODE[state * 16 + (byte & 0x0f)]!;
    if ((e & FAIL) !== 0) return undefined;
    if ((e & EMIT) !== 0) out[n++] = (e >> 8) & 0xff;
    state = e & 0xff;
  }
  if (ACCEPTING[state] !== 1) return undefined;
  let text = '';
  for (let i = 0; i < n; i += 8192) text += String.fromCharCode.apply(null, out.subarray(i, Math.min(n, i + 8192)) as unknown as number[]);
  return text;
}

/** Length in octets of the Huffman encoding of a latin1 string (RFC 7541 §5.2). */
export function huffmanEncodedLength(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) bits += HUFFMAN_LENGTHS[text.charCodeAt(i) & 0xff]!;
  return (bits + 7) >>> 3;
}

/**
 * Writes the Huffman encoding of a latin1 string into `target` from `offset`, padded with the
 * most significant bits of EOS (ones, RFC 7541 §5.2), and returns the offset after it; returns
 * -1 instead, having written at most up to `limit`, when the encoding would end at or past
 * `limit` (the caller then writes the string raw). `target` must hold `limit` octets.
 *
 * Bits gather in a 32-bit accumulator, `acc`, whose low `used` bits are pending (higher bits are
 * stale and shifted out before they are read); each time it fills it goes out as four octets.
 */
export function huffmanEncodeInto(text: string, target: Uint8Array, offset: number, limit: number): number {
  let o = offset;
  let acc = 0;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const symbol = text.charCodeAt(i) & 0xff;
    const code = HUFFMAN_CODES[symbol]!;
    const length = HUFFMAN_LENGTHS[symbol]!;
    const room = 32 - used;
    if (length < room) {
      acc = (acc << length) | code;
      used += length;
      continue;
    }
    // The accumulator is full: its `used` bits then the code's first `room` bits make a word.
    if (o + 4 >= limit) return -1;
    used = length - room;
    const word = (acc << room) | (code >>> used);
    target[o] = word >>> 24;
    target[o + 1] = word >>> 16;
    target[o + 2] = word >>> 8;
    target[o + 3] = word;
    o += 4;
    acc = code;
  }
  if (o + ((used + 7) >>> 3) >= limit) return -1;
  for (; used >= 8; used -= 8) target[o++] = acc >>> (used - 8);
  if (used > 0) target[o++] = (acc << (8 - used)) | (0xff >>> used);
  return o;
}

/**
 * Huffman-encodes a latin1 string (one char per octet) into a new array with the static code of
 * RFC 7541 §5.2 / Appendix B, the last octet padded with the most significant bits of EOS (ones).
 */
export function huffmanEncode(text: string): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(text));
  huffmanEncodeInto(text, out, 0, out.length + 1);
  return out;
}
