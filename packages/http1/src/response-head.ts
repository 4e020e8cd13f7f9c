import { GunError, latin1Decode, ok, parseError } from '@gunhttp/core';
import type { HeaderList, ParseResult } from '@gunhttp/core';
import { Http1Errors } from './errors.js';

import { badOctet, isValueCode, lineEnd, parseFieldLines } from './field-block.js';
import type { BlockLimits } from './field-block.js';
import type { ResolvedOptions } from './options.js';

/** A parsed response head (RFC 9112 §4, §5). */
export interface ResponseHead {
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  readonly status: number;
  readonly reason: string;
  readonly headers: HeaderList;
}

interface StatusLine {
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  readonly status: number;
  readonly reason: string;
}

function invalid(message: string): GunError {
  return new GunError(Http1Errors.INVALID_STATUS_LINE, message, { origin: 'remote' });
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3). Major 1 only; a minor above 1 is
 * read as 1.1, the highest this client speaks (RFC 9110 §2.5).
 */
function parseVersion(text: string): 'HTTP/1.0' | 'HTTP/1.1' | undefined {
  if (!text.startsWith('HTTP/1.') || !isDigit(text.charCodeAt(7))) return undefined;
  return text.charCodeAt(7) === 0x30 ? 'HTTP/1.0' : 'HTTP/1.1';
}

/**
 * status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). A missing
 * `SP reason` after the code is tolerated (RFC 9112 §4 asks clients to accept an empty reason).
 */
export function parseStatusLine(text: string, end: number): ParseResult<StatusLine> {
  const version = parseVersion(text);
  if (version === undefined || text.charCodeAt(8) !== 0x20) {
    return parseError(invalid('The status line must start with HTTP/1.x and a space (RFC 9112 §4)'));
  }
  const a = text.charCodeAt(9);
  const b = text.charCodeAt(10);
  const c = text.charCodeAt(11);
  if (end < 12 || !isDigit(a) || !isDigit(b) || !isDigit(c) || a === 0x30) {
    return parseError(invalid('The status code must be three digits, 100 to 999 (RFC 9110 §15)'));
  }
  const status = (a - 0x30) * 100 + (b - 0x30) * 10 + (c - 0x30);
  if (end === 12) return ok({ version, status, reason: '' }, end);
  if (text.charCodeAt(12) !== 0x20) {
    return parseError(invalid('The status code must be followed by a space (RFC 9112 §4)'));
  }
  for (let i = 13; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isValueCode(code)) {
      return parseError(badOctet(code, Http1Errors.INVALID_STATUS_LINE, 'The reason phrase must not contain control characters (RFC 9112 §4)'));
    }
  }
  return ok({ version, status, reason: text.slice(13, end) }, end);
}

/** Parses a whole response head block (status line, field lines, empty line). */
export function parseResponseHead(block: Uint8Array): ParseResult<ResponseHead> {
  const text = latin1Decode(block);
  const { end, next } = lineEnd(text, 0);
  const line = parseStatusLine(text, end);
  if (line.kind !== 'ok') return line;
  const fields = parseFieldLines(text, next);
  if (fields.kind !== 'ok') return fields;
  const { version, status, reason } = line.value;
  return ok({ version, status, reason, headers: fields.value }, block.length);
}

/** The limits of a response head: status line, field lines, field count, block size. */
export function headLimits(options: ResolvedOptions): BlockLimits {
  return {
    firstLineMax: options.maxStatusLineLength,
    firstLineCode: Http1Errors.STATUS_LINE_TOO_LONG,
    lineMax: options.maxFieldLineLength,
    maxLines: options.maxHeaderCount + 1,
    maxBlock: options.maxHeaderBlockSize,
    blockCode: Http1Errors.HEADER_BLOCK_TOO_LARGE,
    what: 'response head (RFC 9112 §2.1)',
  };
}
