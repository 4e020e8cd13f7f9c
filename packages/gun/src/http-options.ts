import { validateContentHandlers } from './content-handlers/options.js';
import type { ContentHandlerSpec } from './content-handlers/content-handler.js';
import { checkKeys, fail, isObject, isPositiveTimeout } from './option-checks.js';

/** HTTP/1.1 options (Gun's `http_opts`). */
export interface HttpOpts {
  /** ms before a graceful close gives up waiting for streams in flight. Default 15000. */
  readonly closingTimeout?: number;
  /** ms between bare CRLFs sent to keep the connection up; `Infinity` (default) sends none. */
  readonly keepalive?: number;
  /** `HTTP/1.1` (default) or `HTTP/1.0` (one request per connection, no chunked bodies). */
  readonly version?: 'HTTP/1.1' | 'HTTP/1.0';
  /** Rewrites every header name written (for servers that want a particular case). */
  readonly transformHeaderName?: (name: string) => string;
  /** Octets of a response head before `H1_ERR_HEADER_BLOCK_TOO_LARGE`. Default 100000. */
  readonly maxHeaderBlockSize?: number;
  /** Octets of a trailer section before `H1_ERR_TRAILER_BLOCK_TOO_LARGE`. Default 10000. */
  readonly maxTrailerBlockSize?: number;
  /** Ignore `set-cookie` in 1xx responses (Gun's `cookie_ignore_informational`). Default false. */
  readonly cookieIgnoreInformational?: boolean;
  /**
   * The handlers each response body runs through (Gun's `content_handlers`), bare or as
   * `[handler, options]`; default `[gunDataHandler]`. `[gunSseHandler, gunDataHandler]` turns
   * `text/event-stream` bodies into `sse` messages.
   */
  readonly contentHandlers?: readonly ContentHandlerSpec[];
  /**
   * Gun's default message-count `flow` for every request on the connection: the `data`
   * messages a response may deliver before the socket stops being read (a request's own `flow`
   * wins). A positive integer; absent: unlimited.
   */
  readonly flow?: number;
}

const HTTP_KEYS = [
  'closingTimeout', 'keepalive', 'version', 'transformHeaderName', 'maxHeaderBlockSize', 'maxTrailerBlockSize', 'cookieIgnoreInformational', 'contentHandlers', 'flow',
] as const;


/** Checks `httpOpts` (or `{ http: ... }` in `protocols`); throws `GUN_ERR_INVALID_OPTION`. */
export function validateHttpOpts(value: unknown, path: string): HttpOpts {
  if (!isObject(value)) fail(path, 'an object');
  checkKeys(value, HTTP_KEYS, path);
  if (value.closingTimeout !== undefined && !isPositiveTimeout(value.closingTimeout)) fail(`${path}.closingTimeout`, 'a positive integer (ms) or Infinity');
  if (value.keepalive !== undefined && !isPositiveTimeout(value.keepalive)) fail(`${path}.keepalive`, 'a positive integer (ms) or Infinity');
  if (value.version !== undefined && value.version !== 'HTTP/1.1' && value.version !== 'HTTP/1.0') fail(`${path}.version`, "'HTTP/1.1' or 'HTTP/1.0'");
  if (value.transformHeaderName !== undefined && typeof value.transformHeaderName !== 'function') fail(`${path}.transformHeaderName`, 'a function');
  for (const k of ['maxHeaderBlockSize', 'maxTrailerBlockSize'] as const) {
    const v = value[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v > 0)) fail(`${path}.${k}`, 'a positive integer (octets)');
  }
  if (value.cookieIgnoreInformational !== undefined && typeof value.cookieIgnoreInformational !== 'boolean') fail(`${path}.cookieIgnoreInformational`, 'a boolean');
  if (value.flow !== undefined && !(typeof value.flow === 'number' && Number.isInteger(value.flow) && value.flow > 0)) fail(`${path}.flow`, 'a positive integer (messages)');
  if (value.contentHandlers !== undefined) validateContentHandlers(value.contentHandlers, `${path}.contentHandlers`);
  return value as HttpOpts;
}
