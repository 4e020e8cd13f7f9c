import { isToken, latin1Write, localError } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { parseContentLength } from './body-framing.js';
import { Http1Errors } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { Http1Request } from './types.js';

/** How the body of a request is written after its head. */
export type RequestFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'raw' };

/** The bytes of a request (head, and a full body) and how a streamed body continues. */
export interface EncodedRequest {
  readonly chunks: Uint8Array[];
  readonly framing: RequestFraming;
}

/** Bodies up to this size are copied into the head's array so the request is one write. */
export const INLINE_BODY_LIMIT = 16384;

const NONE: RequestFraming = { kind: 'none' };

function checkMethod(method: string): void {
  if (!isToken(method)) throw localError(Http1Errors.INVALID_METHOD, 'The method must be a token (RFC 9110 §9.1)');
}

/** request-target: no CTL, SP or DEL, and one octet per char (RFC 9112 §3.2). */
function checkTarget(target: string): void {
  if (target.length === 0) throw localError(Http1Errors.INVALID_TARGET, 'The request target must not be empty (RFC 9112 §3.2)');
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c > 0xff) {
      throw localError(Http1Errors.INVALID_TARGET, 'The request target must not contain control characters or spaces (RFC 9112 §3.2)');
    }
  }
}

/** The user's content-length of a streamed body, if any; must be valid (RFC 9110 §8.6). */
function userLength(headers: HeaderList): number | undefined {
  const parsed = parseContentLength(headers);
  if (parsed.kind !== 'ok') {
    throw localError(Http1Errors.INVALID_CONTENT_LENGTH, 'The content-length header must be 1*DIGIT, without conflicting values (RFC 9110 §8.6)');
  }
  return parsed.value;
}

interface HeadPlan {
  /** The field the codec adds first (content-length or transfer-encoding), if any. */
  readonly framingField: readonly [string, string] | undefined;
  readonly framing: RequestFraming;
  /** Whether the user's content-length fields are written. */
  readonly keepUserLength: boolean;
  /** Bytes appended to the head, if any. */
  readonly body: Uint8Array | undefined;
}

function plan(req: Http1Request, options: ResolvedOptions): HeadPlan {
  const body = req.body;
  if (req.method === 'CONNECT') {
    if (body.kind === 'streamed' || (body.kind === 'full' && body.data.length > 0)) {
      throw localError(Http1Errors.BODY_NOT_ALLOWED, 'A CONNECT request has no content (RFC 9110 §9.3.6)');
    }
    return { framingField: undefined, framing: NONE, keepUserLength: false, body: undefined };
  }
  switch (body.kind) {
    case 'none':
      return { framingField: undefined, framing: NONE, keepUserLength: false, body: undefined };
    case 'full':
      return { framingField: ['content-length', String(body.data.length)], framing: NONE, keepUserLength: false, body: body.data };
    case 'streamed': {
      const length = userLength(req.headers);
      if (length !== undefined) return { framingField: undefined, framing: { kind: 'length', remaining: length }, keepUserLength: true, body: undefined };
      if (options.version === 'HTTP/1.0') return { framingField: undefined, framing: { kind: 'raw' }, keepUserLength: false, body: undefined };
      return { framingField: ['transfer-encoding', 'chunked'], framing: { kind: 'chunked' }, keepUserLength: false, body: undefined };
    }
  }
}

/** Whether a user header is written in the user part of the head. */
function written(name: string, keepUserLength: boolean): boolean {
  return name !== 'host' && name !== 'transfer-encoding' && (keepUserLength || name !== 'content-length');
}

/**
 * Serialises a request head (RFC 9112 §3, §5): the request line; the framing field the codec adds
 * (content-length or transfer-encoding, never for CONNECT); `host` (the user's first, else
 * `authority`); the user's fields in order, without `transfer-encoding`, and without
 * `content-length` unless a streamed body keeps it. The size is computed first and the head
 * written into one array, with a full body under {@link INLINE_BODY_LIMIT} octets appended.
 *
 * @throws GunError (local) `H1_ERR_INVALID_METHOD`, `H1_ERR_INVALID_TARGET`,
 *   `H1_ERR_BODY_NOT_ALLOWED`, `H1_ERR_INVALID_CONTENT_LENGTH`.
 */
export function encodeRequest(req: Http1Request, options: ResolvedOptions): EncodedRequest {
  checkMethod(req.method);
  checkTarget(req.target);
  const p = plan(req, options);
  const transform = options.transformHeaderName;
  const name = transform === undefined ? (n: string): string => n : transform;
  let host = req.authority;
  for (const [n, v] of req.headers) {
    if (n === 'host') {
      host = v;
      break;
    }
  }
  const fields: string[] = [];
  if (p.framingField !== undefined) fields.push(name(p.framingField[0]), p.framingField[1]);
  fields.push(name('host'), host);
  for (const [n, v] of req.headers) if (written(n, p.keepUserLength)) fields.push(name(n), v);

  const requestLine = `${req.method} ${req.target} ${options.version}\r\n`;
  let size = requestLine.length + 2;
  for (let i = 0; i < fields.length; i += 2) size += fields[i]!.length + fields[i + 1]!.length + 4;
  const inline = p.body !== undefined && p.body.length <= INLINE_BODY_LIMIT ? p.body : undefined;
  const head = new Uint8Array(size + (inline === undefined ? 0 : inline.length));
  let off = latin1Write(requestLine, head, 0);
  for (let i = 0; i < fields.length; i += 2) {
    off = latin1Write(fields[i]!, head, off);
    head[off++] = 0x3a;
    head[off++] = 0x20;
    off = latin1Write(fields[i + 1]!, head, off);
    head[off++] = 0x0d;
    head[off++] = 0x0a;
  }
  head[off++] = 0x0d;
  head[off++] = 0x0a;
  if (inline !== undefined) head.set(inline, off);
  const chunks = p.body !== undefined && inline === undefined && p.body.length > 0 ? [head, p.body] : [head];
  return { chunks, framing: p.framing };
}
