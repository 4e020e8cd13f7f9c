import { latin1Write } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { INLINE_BODY_LIMIT } from './request-encoder.js';

/*
 * Chunked transfer coding, encoding side (RFC 9112 §7.1):
 *   chunk      = chunk-size CRLF chunk-data CRLF     (size in lowercase hex, no extensions)
 *   last-chunk = "0" CRLF, then the trailer section and a final CRLF
 */

const LAST_CHUNK = Uint8Array.of(0x30, 0x0d, 0x0a, 0x0d, 0x0a);

/**
 * The octets of one chunk, and of the last chunk too when `last`. A small chunk is one array; a
 * large one is its size line, the data itself (not copied) and the closing CRLF.
 */
export function encodeChunk(data: Uint8Array, last: boolean): Uint8Array[] {
  const sizeLine = `${data.length.toString(16)}\r\n`;
  const tail = last ? 2 + LAST_CHUNK.length : 2;
  if (data.length > INLINE_BODY_LIMIT) {
    const end = new Uint8Array(tail);
    end[0] = 0x0d;
    end[1] = 0x0a;
    if (last) end.set(LAST_CHUNK, 2);
    const prefix = new Uint8Array(sizeLine.length);
    latin1Write(sizeLine, prefix, 0);
    return [prefix, data, end];
  }
  const out = new Uint8Array(sizeLine.length + data.length + tail);
  let off = latin1Write(sizeLine, out, 0);
  out.set(data, off);
  off += data.length;
  out[off++] = 0x0d;
  out[off++] = 0x0a;
  if (last) out.set(LAST_CHUNK, off);
  return [out];
}

/** The last chunk without trailers: `0 CRLF CRLF`. */
export function encodeLastChunk(): Uint8Array {
  return LAST_CHUNK.slice();
}

/** The last chunk followed by a trailer section (RFC 9112 §7.1.2); names go through `name`. */
export function encodeTrailers(trailers: HeaderList, name: (n: string) => string): Uint8Array {
  const fields: string[] = [];
  let size = 3 + 2;
  for (const [n, v] of trailers) {
    const written = name(n);
    fields.push(written, v);
    size += written.length + v.length + 4;
  }
  const out = new Uint8Array(size);
  out[0] = 0x30;
  out[1] = 0x0d;
  out[2] = 0x0a;
  let off = 3;
  for (let i = 0; i < fields.length; i += 2) {
    off = latin1Write(fields[i]!, out, off);
    out[off++] = 0x3a;
    out[off++] = 0x20;
    off = latin1Write(fields[i + 1]!, out, off);
    out[off++] = 0x0d;
    out[off++] = 0x0a;
  }
  out[off++] = 0x0d;
  out[off] = 0x0a;
  return out;
}
