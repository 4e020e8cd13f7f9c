import { ByteQueue, GunError, MORE, ok, parseError } from '@gunhttp/core';
import type { HeaderList, ParseResult } from '@gunhttp/core';
import { Http1Errors } from './errors.js';

/*
 * A field block is a run of lines ended by an empty line: the response head (status line, then
 * field lines, RFC 9112 §2.1) or a trailer section (RFC 9112 §7.1.2). It is found in two passes:
 * `scanBlock` looks for the empty line across received chunks, enforcing the limits as soon as
 * they are passed (no unbounded buffering); then the block is taken as one array, decoded once as
 * latin1 and its lines parsed.
 *
 * Line endings: CRLF, or a bare LF, which RFC 9112 §2.2 lets a recipient accept (Node's llhttp,
 * undici and Gun's Cowlib do). A CR not followed by LF is an error (RFC 9112 §2.2).
 */

const LF = 0x0a;
const CR = 0x0d;

/** Where the scan of a block has got to; kept between `receive` calls. */
export interface BlockScan {
  /** Offset from the front of the queue of the line being scanned. */
  lineStart: number;
  /** Complete non-empty lines seen so far. */
  lines: number;
}

/** The limits of one kind of block, and the codes reported when they are passed. */
export interface BlockLimits {
  readonly firstLineMax: number;
  readonly firstLineCode: string;
  readonly lineMax: number;
  /** Most non-empty lines (fields, plus the status line for a head). */
  readonly maxLines: number;
  readonly maxBlock: number;
  readonly blockCode: string;
  /** Section cited in the messages. */
  readonly what: string;
}

export function newScan(): BlockScan {
  return { lineStart: 0, lines: 0 };
}

function limitError(code: string, message: string): GunError {
  return new GunError(code, message, { origin: 'remote' });
}

function lineTooLong(scan: BlockScan, limits: BlockLimits, length: number): GunError | undefined {
  const first = scan.lines === 0;
  const max = first ? limits.firstLineMax : limits.lineMax;
  if (length <= max) return undefined;
  return first
    ? limitError(limits.firstLineCode, `The first line of the ${limits.what} exceeds ${max} octets`)
    : limitError(Http1Errors.FIELD_LINE_TOO_LONG, `A field line of the ${limits.what} exceeds ${max} octets`);
}

/**
 * Scans `queue` for the end of a block; `ok` carries the block's length including the final
 * empty line. Limits are checked on every line and on the bytes buffered so far.
 */
export function scanBlock(queue: ByteQueue, scan: BlockScan, limits: BlockLimits): ParseResult<number> {
  for (;;) {
    const lf = queue.indexOf(LF, scan.lineStart);
    if (lf === -1) {
      // Allow one octet for a CR that may precede the coming LF.
      const buffered = queue.length - scan.lineStart;
      const tooLong = buffered > 1 ? lineTooLong(scan, limits, buffered - 1) : undefined;
      if (tooLong !== undefined) return parseError(tooLong);
      if (queue.length > limits.maxBlock) {
        return parseError(limitError(limits.blockCode, `The ${limits.what} exceeds ${limits.maxBlock} octets`));
      }
      return MORE;
    }
    if (lf + 1 > limits.maxBlock) {
      return parseError(limitError(limits.blockCode, `The ${limits.what} exceeds ${limits.maxBlock} octets`));
    }
    const end = lf > scan.lineStart && queue.byteAt(lf - 1) === CR ? lf - 1 : lf;
    const length = end - scan.lineStart;
    scan.lineStart = lf + 1;
    if (length === 0) return ok(lf + 1, lf + 1);
    const tooLong = lineTooLong(scan, limits, length);
    if (tooLong !== undefined) return parseError(tooLong);
    scan.lines += 1;
    if (scan.lines > limits.maxLines) {
      return parseError(limitError(Http1Errors.TOO_MANY_FIELDS, `The ${limits.what} has too many fields`));
    }
  }
}

/** Octets allowed in a field value: VCHAR, obs-text, SP, HTAB (RFC 9110 §5.5). */
const VALUE_OCTET = new Uint8Array(256);
for (let c = 0x20; c <= 0xff; c++) VALUE_OCTET[c] = 1;
VALUE_OCTET[0x7f] = 0;
VALUE_OCTET[0x09] = 1;

/** tchar (RFC 9110 §5.6.2). */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

export function isTcharCode(code: number): boolean {
  return TCHAR[code] === 1;
}

export function isValueCode(code: number): boolean {
  return VALUE_OCTET[code] === 1;
}

function fieldError(code: string, message: string): GunError {
  return new GunError(code, message, { origin: 'remote' });
}

/** Error for a forbidden octet in a line: a bare CR has its own code. */
export function badOctet(code: number, otherwise: string, message: string): GunError {
  return code === CR
    ? fieldError(Http1Errors.BARE_CR, 'A CR must be followed by LF (RFC 9112 §2.2)')
    : fieldError(otherwise, message);
}

/** The end of the line content that starts at `start` in a decoded block (before CRLF or LF). */
export function lineEnd(text: string, start: number): { end: number; next: number } {
  const lf = text.indexOf('\n', start);
  const end = lf > start && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
  return { end, next: lf + 1 };
}

/**
 * field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). Appends `[lowercase name, value]`
 * to `out`; returns an error for obs-fold, a bad name, whitespace before the colon or a bad value.
 */
export function parseFieldLine(text: string, start: number, end: number, out: HeaderList): GunError | undefined {
  const first = text.charCodeAt(start);
  if (first === 0x20 || first === 0x09) {
    return fieldError(Http1Errors.OBS_FOLD, 'Obsolete line folding is not accepted (RFC 9112 §5.2)');
  }
  const colon = text.indexOf(':', start);
  if (colon === -1 || colon >= end) {
    return fieldError(Http1Errors.INVALID_FIELD_LINE, 'A field line must contain a colon (RFC 9112 §5)');
  }
  if (colon === start) return fieldError(Http1Errors.INVALID_FIELD_NAME, 'A field name must not be empty (RFC 9110 §5.1)');
  for (let i = start; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (TCHAR[c] !== 1) {
      return c === 0x20 || c === 0x09
        ? fieldError(Http1Errors.INVALID_FIELD_NAME, 'No whitespace is allowed between a field name and the colon (RFC 9112 §5.1)')
        : badOctet(c, Http1Errors.INVALID_FIELD_NAME, 'A field name must be a token (RFC 9110 §5.1)');
    }
  }
  let vStart = colon + 1;
  let vEnd = end;
  while (vStart < vEnd && isOws(text.charCodeAt(vStart))) vStart++;
  while (vEnd > vStart && isOws(text.charCodeAt(vEnd - 1))) vEnd--;
  for (let i = vStart; i < vEnd; i++) {
    const c = text.charCodeAt(i);
    if (VALUE_OCTET[c] !== 1) {
      return badOctet(c, Http1Errors.INVALID_FIELD_VALUE, 'A field value must not contain control characters (RFC 9110 §5.5)');
    }
  }
  out.push([text.slice(start, colon).toLowerCase(), text.slice(vStart, vEnd)]);
  return undefined;
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Parses the field lines of a decoded block from `start` up to its final empty line. */
export function parseFieldLines(text: string, start: number): ParseResult<HeaderList> {
  const headers: HeaderList = [];
  let pos = start;
  for (;;) {
    const { end, next } = lineEnd(text, pos);
    if (end === pos) return ok(headers, next);
    const error = parseFieldLine(text, pos, end, headers);
    if (error !== undefined) return parseError(error);
    pos = next;
  }
}
