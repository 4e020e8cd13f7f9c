import { GunError, getHeaders, ok, parseError } from '@gunhttp/core';
import type { HeaderList, ParseResult } from '@gunhttp/core';
import { Http1Errors } from './errors.js';
import { listElements, trimOws } from './field-list.js';
import type { ResponseHead } from './response-head.js';

/** How the body of a final response is delimited (RFC 9112 §6.3). */
export type ResponseFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'close' };

const NONE: ResponseFraming = { kind: 'none' };
const CHUNKED: ResponseFraming = { kind: 'chunked' };
const CLOSE: ResponseFraming = { kind: 'close' };

function invalidLength(message: string): GunError {
  return new GunError(Http1Errors.INVALID_CONTENT_LENGTH, message, { origin: 'remote' });
}

/** The last transfer coding's name, without parameters (RFC 9112 §6.1). */
function lastCoding(headers: HeaderList): string | undefined {
  const codings = listElements(headers, 'transfer-encoding');
  const last = codings[codings.length - 1];
  if (last === undefined) return undefined;
  const semi = last.indexOf(';');
  return semi === -1 ? last : trimOws(last.slice(0, semi));
}

function parseDigits(text: string): number | undefined {
  if (text.length === 0 || text.length > 16) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Content-Length = 1*DIGIT (RFC 9110 §8.6). Several fields, or a list, are accepted only when all
 * values are the same number; anything else, or a length above 2^53-1, is an error.
 * `undefined` when there is no content-length field.
 */
export function parseContentLength(headers: HeaderList): ParseResult<number | undefined> {
  const fields = getHeaders(headers, 'content-length');
  if (fields.length === 0) return ok(undefined, 0);
  if (fields.length === 1 && fields[0]!.indexOf(',') === -1) {
    const n = parseDigits(trimOws(fields[0]!));
    return n === undefined ? parseError(invalidLength('Content-Length must be 1*DIGIT below 2^53 (RFC 9110 §8.6)')) : ok(n, 0);
  }
  let length: number | undefined;
  for (const field of fields) {
    for (const element of field.split(',')) {
      const n = parseDigits(trimOws(element));
      if (n === undefined) {
        return parseError(invalidLength('Content-Length must be 1*DIGIT below 2^53 (RFC 9110 §8.6)'));
      }
      if (length !== undefined && n !== length) {
        return parseError(invalidLength('Content-Length values must not conflict (RFC 9112 §6.3)'));
      }
      length = n;
    }
  }
  return ok(length, 0);
}

/**
 * The framing of a final (non-1xx) response to `method`, in the order of RFC 9112 §6.3:
 * 1. HEAD, 204 and 304 have no body.
 * 2. (2xx to CONNECT is handled by the caller: the connection switches.)
 * 3./4. Transfer-Encoding on an HTTP/1.1 response overrides Content-Length (the defence against
 *    response smuggling): last coding `chunked` → chunked, else read until close. HTTP/1.0
 *    responses ignore Transfer-Encoding, as Gun does.
 * 5. A valid Content-Length gives the length; an invalid one is an error.
 * 7. Otherwise read until the connection closes.
 */
export function responseFraming(method: string, head: ResponseHead): ParseResult<ResponseFraming> {
  if (method === 'HEAD' || head.status === 204 || head.status === 304) return ok(NONE, 0);
  if (head.version === 'HTTP/1.1') {
    const coding = lastCoding(head.headers);
    if (coding !== undefined) return ok(coding === 'chunked' ? CHUNKED : CLOSE, 0);
  }
  const length = parseContentLength(head.headers);
  if (length.kind !== 'ok') return length;
  if (length.value === undefined) return ok(CLOSE, 0);
  return ok(length.value === 0 ? NONE : { kind: 'length', length: length.value }, 0);
}
