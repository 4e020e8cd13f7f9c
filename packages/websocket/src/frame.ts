import { MORE, ok, parseError } from '@gunhttp/core';
import type { ByteQueue, ParseResult } from '@gunhttp/core';
import { protocolError } from './errors.js';

/**
 * Websocket frame header (RFC 6455 §5.2):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 */

/** Opcodes (RFC 6455 §5.2, §11.8). */
export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

/** Largest payload of a control frame (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;

/** A decoded frame header. `rsv` holds the three RSV bits as RSV1=4, RSV2=2, RSV3=1. */
export interface FrameHeader {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  /** Payload length in octets. */
  readonly length: number;
  /** The 4-octet masking key, or null when the frame is not masked. */
  readonly maskKey: Uint8Array | null;
  /** Octets the header occupies on the wire (2 to 14). */
  readonly headerLength: number;
}

/** Whether an opcode is a control frame's (RFC 6455 §5.5: the high bit of the opcode). */
export function isControl(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** Parses one frame header from the front of `q` without consuming it (RFC 6455 §5.2). */
export function parseFrameHeader(q: ByteQueue): ParseResult<FrameHeader> {
  if (q.length < 2) return MORE;
  const b0 = q.byteAt(0)!;
  const b1 = q.byteAt(1)!;
  const masked = (b1 & 0x80) !== 0;
  const len7 = b1 & 0x7f;
  const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  const headerLength = 2 + extra + (masked ? 4 : 0);
  if (q.length < headerLength) return MORE;
  const length = parsePayloadLength(q, len7);
  if (typeof length !== 'number') return parseError(length.error);
  const maskKey = masked ? q.peek(headerLength).slice(headerLength - 4, headerLength) : null;
  return ok(
    { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 0x7, opcode: b0 & 0xf, length, maskKey, headerLength },
    headerLength,
  );
}

/** The 7-bit, 16-bit or 64-bit payload length; non-minimal encodings are errors (RFC 6455 §5.2). */
function parsePayloadLength(q: ByteQueue, len7: number): number | { error: ReturnType<typeof protocolError> } {
  if (len7 < 126) return len7;
  if (len7 === 126) {
    const n = (q.byteAt(2)! << 8) | q.byteAt(3)!;
    if (n < 126) return { error: protocolError('A 16-bit payload length must be at least 126: the minimal number of bytes MUST be used (RFC 6455 §5.2)') };
    return n;
  }
  const high = ((q.byteAt(2)! << 24) | (q.byteAt(3)! << 16) | (q.byteAt(4)! << 8) | q.byteAt(5)!) >>> 0;
  const low = ((q.byteAt(6)! << 24) | (q.byteAt(7)! << 16) | (q.byteAt(8)! << 8) | q.byteAt(9)!) >>> 0;
  if (high >= 0x80000000) return { error: protocolError('The most significant bit of a 64-bit payload length MUST be 0 (RFC 6455 §5.2)') };
  const n = high * 0x100000000 + low;
  if (n <= 0xffff) return { error: protocolError('A 64-bit payload length must exceed 65535: the minimal number of bytes MUST be used (RFC 6455 §5.2)') };
  return n;
}

/** XORs `data` in place with the 4-octet `key`, starting at key position `offset` (RFC 6455 §5.3). */
export function applyMask(data: Uint8Array, key: Uint8Array, offset = 0): void {
  const n = data.length;
  // Octet by octet up to a 4-aligned address, then 32 bits at a time, then the tail.
  const head = Math.min(n, (4 - (data.byteOffset & 3)) & 3);
  for (let i = 0; i < head; i++) data[i] = data[i]! ^ key[(i + offset) & 3]!;
  const words = (n - head) >>> 2;
  if (words >= WORD_MASK_MIN) {
    const k = (head + offset) & 3;
    KEY_BYTES[0] = key[k]!;
    KEY_BYTES[1] = key[(k + 1) & 3]!;
    KEY_BYTES[2] = key[(k + 2) & 3]!;
    KEY_BYTES[3] = key[(k + 3) & 3]!;
    // The key is read in the platform's byte order, as the words are: endianness cancels out.
    // Signed words keep the XOR in int32 arithmetic; four per turn halve the loop's overhead.
    const word = KEY_WORD[0]!;
    const view = new Int32Array(data.buffer, data.byteOffset + head, words);
    let i = 0;
    for (; i + 4 <= words; i += 4) {
      view[i] = view[i]! ^ word;
      view[i + 1] = view[i + 1]! ^ word;
      view[i + 2] = view[i + 2]! ^ word;
      view[i + 3] = view[i + 3]! ^ word;
    }
    for (; i < words; i++) view[i] = view[i]! ^ word;
  }
  for (let i = words >= WORD_MASK_MIN ? head + words * 4 : head; i < n; i++) data[i] = data[i]! ^ key[(i + offset) & 3]!;
}

/** Below this many 32-bit words, making the word view costs more than it saves. */
const WORD_MASK_MIN = 16;
const KEY_WORD = new Int32Array(1);
const KEY_BYTES = new Uint8Array(KEY_WORD.buffer);

/** What {@link encodeFrame} writes. */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** Defaults to true: gunhttp never fragments outgoing messages. */
  readonly fin?: boolean;
  /** RSV bits as RSV1=4, RSV2=2, RSV3=1; 0 unless an extension set them. */
  readonly rsv?: number;
  /** The 4-octet masking key; clients always mask (RFC 6455 §5.3), servers never do. */
  readonly maskKey?: Uint8Array;
}

/** Encodes one frame, header and (masked) payload, in one array (RFC 6455 §5.2). */
export function encodeFrame(spec: FrameSpec): Uint8Array {
  const { payload, maskKey } = spec;
  const n = payload.length;
  const extra = n < 126 ? 0 : n <= 0xffff ? 2 : 8;
  const headerLength = 2 + extra + (maskKey === undefined ? 0 : 4);
  const out = new Uint8Array(headerLength + n);
  out[0] = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | spec.opcode;
  const maskBit = maskKey === undefined ? 0 : 0x80;
  if (extra === 0) {
    out[1] = maskBit | n;
  } else if (extra === 2) {
    out[1] = maskBit | 126;
    out[2] = n >>> 8;
    out[3] = n & 0xff;
  } else {
    out[1] = maskBit | 127;
    const view = new DataView(out.buffer);
    view.setUint32(2, Math.floor(n / 0x100000000));
    view.setUint32(6, n >>> 0);
  }
  out.set(payload, headerLength);
  if (maskKey !== undefined) {
    out.set(maskKey, headerLength - 4);
    applyMask(out.subarray(headerLength), maskKey);
  }
  return out;
}
