/*
 * Chunked transfer coding, decoding side (RFC 9112 §7.1):
 *
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *
 *        ┌──────────────────────── CRLF ◀──────────────────────┐
 *        ▼                                                     │
 *   ┌─────────┐ size > 0 ┌──────────────┐ all read ┌─────────┐  │
 *   │  size   │─────────▶│ data(remain) │─────────▶│ dataEnd │──┘
 *   └─────────┘          └──────────────┘          └─────────┘
 *        │ size = 0 (last-chunk)
 *        ▼
 *   ┌──────────┐ empty line ┌──────┐
 *   │ trailers │───────────▶│ done │
 *   └──────────┘            └──────┘
 */
import { ByteQueue, GunError, assertNever, latin1Decode, MORE, ok, parseError } from '@gunhttp/core';
import type { HeaderList, ParseResult } from '@gunhttp/core';
import { Http1Errors } from './errors.js';

import { badOctet, isTcharCode, newScan, parseFieldLines, scanBlock } from './field-block.js';
import type { BlockLimits, BlockScan } from './field-block.js';
import type { ResolvedOptions } from './options.js';

const LF = 0x0a;
const CR = 0x0d;
const MAX_CHUNK_SIZE_DIGITS = 16;

type ChunkedState =
  | { readonly name: 'size' }
  | { readonly name: 'data'; remaining: number }
  | { readonly name: 'dataEnd' }
  | { readonly name: 'trailers'; readonly scan: BlockScan };

function chunkError(code: string, message: string): GunError {
  return new GunError(code, message, { origin: 'remote' });
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function skipBws(text: string, i: number, end: number): number {
  while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i;
}

function skipToken(text: string, i: number, end: number): number {
  while (i < end && isTcharCode(text.charCodeAt(i))) i++;
  return i;
}

/** quoted-string (RFC 9110 §5.6.4) starting at the DQUOTE at `i`; the index after it, or -1. */
function skipQuotedString(text: string, i: number, end: number): number {
  for (i += 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      i += 1;
      const escaped = text.charCodeAt(i);
      if (i >= end || !(escaped === 0x09 || (escaped >= 0x20 && escaped !== 0x7f))) return -1;
    } else if (!(c === 0x09 || (c >= 0x20 && c !== 0x7f))) {
      return -1;
    }
  }
  return -1;
}

/** chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) (RFC 9112 §7.1.1); ignored. */
function checkExtensions(text: string, i: number, end: number): GunError | undefined {
  const bad = (): GunError => chunkError(Http1Errors.INVALID_CHUNK_EXTENSION, 'Invalid chunk extension (RFC 9112 §7.1.1)');
  for (;;) {
    i = skipBws(text, i, end);
    if (i === end) return undefined; // trailing whitespace tolerated
    if (text.charCodeAt(i) !== 0x3b) return bad();
    i = skipBws(text, i + 1, end);
    const nameEnd = skipToken(text, i, end);
    if (nameEnd === i) return bad();
    i = skipBws(text, nameEnd, end);
    if (i < end && text.charCodeAt(i) === 0x3d) {
      i = skipBws(text, i + 1, end);
      const valueEnd = text.charCodeAt(i) === 0x22 ? skipQuotedString(text, i, end) : skipToken(text, i, end);
      if (valueEnd <= i) return bad();
      i = valueEnd;
    }
  }
}

/** chunk-size [ chunk-ext ] (RFC 9112 §7.1), on a decoded line without its line ending. */
export function parseChunkSizeLine(text: string): ParseResult<number> {
  const end = text.length;
  const cr = text.indexOf('\r');
  if (cr !== -1) return parseError(badOctet(CR, Http1Errors.INVALID_CHUNK_SIZE, ''));
  let size = 0;
  let digits = 0;
  for (; digits < end; digits++) {
    const v = hexValue(text.charCodeAt(digits));
    if (v === -1) break;
    size = size * 16 + v;
  }
  const next = text.charCodeAt(digits);
  if (digits === 0 || digits > MAX_CHUNK_SIZE_DIGITS || !Number.isSafeInteger(size)
    || (digits < end && next !== 0x3b && next !== 0x20 && next !== 0x09)) {
    return parseError(chunkError(Http1Errors.INVALID_CHUNK_SIZE, 'Chunk size must be 1 to 16 hex digits (RFC 9112 §7.1)'));
  }
  const extError = checkExtensions(text, digits, end);
  return extError === undefined ? ok(size, end) : parseError(extError);
}

/** What one `decode` call ended with. */
export type ChunkedStep =
  | { readonly kind: 'more' }
  | { readonly kind: 'done'; readonly trailers: HeaderList }
  | { readonly kind: 'error'; readonly error: GunError };

/** Decodes one chunked body from a queue; body octets are appended to `pieces`. */
export class ChunkedDecoder {
  private state: ChunkedState = { name: 'size' };
  private readonly trailerLimits: BlockLimits;

  constructor(private readonly options: ResolvedOptions) {
    this.trailerLimits = {
      firstLineMax: options.maxFieldLineLength,
      firstLineCode: Http1Errors.FIELD_LINE_TOO_LONG,
      lineMax: options.maxFieldLineLength,
      maxLines: options.maxHeaderCount,
      maxBlock: options.maxTrailerBlockSize,
      blockCode: Http1Errors.TRAILER_BLOCK_TOO_LARGE,
      what: 'trailer section (RFC 9112 §7.1.2)',
    };
  }

  decode(queue: ByteQueue, pieces: Uint8Array[]): ChunkedStep {
    for (;;) {
      const state = this.state;
      switch (state.name) {
        case 'size': {
          const line = this.readSizeLine(queue);
          if (line.kind !== 'ok') return line;
          this.state = line.value === 0 ? { name: 'trailers', scan: newScan() } : { name: 'data', remaining: line.value };
          break;
        }
        case 'data': {
          const n = Math.min(state.remaining, queue.length);
          if (n === 0) return MORE;
          pieces.push(queue.take(n));
          state.remaining -= n;
          if (state.remaining === 0) this.state = { name: 'dataEnd' };
          break;
        }
        case 'dataEnd': {
          const end = readLineEnd(queue);
          if (end.kind !== 'ok') return end;
          this.state = { name: 'size' };
          break;
        }
        case 'trailers':
          return this.readTrailers(queue, state.scan);
        default:
          return assertNever(state, 'chunked state');
      }
    }
  }

  private readSizeLine(queue: ByteQueue): ParseResult<number> {
    const max = this.options.maxChunkSizeLineLength;
    const lf = queue.indexOf(LF, 0, max + 2);
    if (lf === -1) {
      if (queue.length > max + 1) {
        return parseError(chunkError(Http1Errors.CHUNK_SIZE_LINE_TOO_LONG, `A chunk-size line exceeds ${max} octets`));
      }
      return MORE;
    }
    const end = lf > 0 && queue.byteAt(lf - 1) === CR ? lf - 1 : lf;
    if (end > max) {
      return parseError(chunkError(Http1Errors.CHUNK_SIZE_LINE_TOO_LONG, `A chunk-size line exceeds ${max} octets`));
    }
    const text = latin1Decode(queue.take(lf + 1), 0, end);
    return parseChunkSizeLine(text);
  }

  private readTrailers(queue: ByteQueue, scan: BlockScan): ChunkedStep {
    const found = scanBlock(queue, scan, this.trailerLimits);
    if (found.kind !== 'ok') return found;
    const fields = parseFieldLines(latin1Decode(queue.take(found.value)), 0);
    if (fields.kind !== 'ok') return fields;
    return { kind: 'done', trailers: fields.value };
  }
}

/** The CRLF (or bare LF, RFC 9112 §2.2) that ends chunk data. */
function readLineEnd(queue: ByteQueue): ParseResult<null> {
  const first = queue.byteAt(0);
  if (first === undefined) return MORE;
  if (first === LF) {
    queue.skip(1);
    return ok(null, 1);
  }
  if (first === CR) {
    const second = queue.byteAt(1);
    if (second === undefined) return MORE;
    if (second === LF) {
      queue.skip(2);
      return ok(null, 2);
    }
  }
  return parseError(chunkError(Http1Errors.INVALID_CHUNK_END, 'Chunk data must be followed by CRLF (RFC 9112 §7.1)'));
}
