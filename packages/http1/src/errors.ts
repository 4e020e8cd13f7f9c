/**
 * Error codes of `@gunhttp/http1`. Codes with origin `remote` come from the peer's bytes and end
 * the connection (an `error` event, the last of its batch); codes with origin `local` are thrown
 * at a caller that misused the codec, before anything is written.
 */
export const Http1Errors = {
  // --- remote: response parsing (RFC 9112) ---
  /** The status line is not `HTTP/1.x SP 3DIGIT [SP reason]` (RFC 9112 §4). */
  INVALID_STATUS_LINE: 'H1_ERR_INVALID_STATUS_LINE',
  /** A field line has no colon (RFC 9112 §5). */
  INVALID_FIELD_LINE: 'H1_ERR_INVALID_FIELD_LINE',
  /** A field name is not a token, or whitespace precedes the colon (RFC 9112 §5.1). */
  INVALID_FIELD_NAME: 'H1_ERR_INVALID_FIELD_NAME',
  /** A field value holds a control character other than HTAB (RFC 9110 §5.5). */
  INVALID_FIELD_VALUE: 'H1_ERR_INVALID_FIELD_VALUE',
  /** A field line starts with whitespace: obsolete line folding (RFC 9112 §5.2). */
  OBS_FOLD: 'H1_ERR_OBS_FOLD',
  /** A CR not followed by LF (RFC 9112 §2.2). */
  BARE_CR: 'H1_ERR_BARE_CR',
  /** Content-Length is not 1*DIGIT, conflicts with another value, or exceeds 2^53-1 (RFC 9112 §6.3, RFC 9110 §8.6). */
  INVALID_CONTENT_LENGTH: 'H1_ERR_INVALID_CONTENT_LENGTH',
  /** A chunk-size is not 1 to 16 hex digits (RFC 9112 §7.1; Cowlib 2.16.1). */
  INVALID_CHUNK_SIZE: 'H1_ERR_INVALID_CHUNK_SIZE',
  /** A chunk extension does not follow `*( BWS ";" BWS name [ BWS "=" BWS value ] )` (RFC 9112 §7.1.1). */
  INVALID_CHUNK_EXTENSION: 'H1_ERR_INVALID_CHUNK_EXTENSION',
  /** Chunk data is not followed by CRLF (RFC 9112 §7.1). */
  INVALID_CHUNK_END: 'H1_ERR_INVALID_CHUNK_END',
  /** A 101 answered a request that did not ask to upgrade (Gun 2.4). */
  UNEXPECTED_101: 'H1_ERR_UNEXPECTED_101',
  /** A 101 lacks `connection: upgrade` or names a protocol that was not requested (RFC 9110 §7.8). */
  INVALID_UPGRADE: 'H1_ERR_INVALID_UPGRADE',
  /** Bytes arrived while no request was outstanding (Gun closes the connection). */
  UNEXPECTED_DATA: 'H1_ERR_UNEXPECTED_DATA',
  /** The peer closed the connection in the middle of a response (RFC 9112 §8). */
  PREMATURE_EOF: 'H1_ERR_PREMATURE_EOF',
  // --- remote: limits ---
  /** The status line is longer than `maxStatusLineLength`. */
  STATUS_LINE_TOO_LONG: 'H1_ERR_STATUS_LINE_TOO_LONG',
  /** A header or trailer field line is longer than `maxFieldLineLength`. */
  FIELD_LINE_TOO_LONG: 'H1_ERR_FIELD_LINE_TOO_LONG',
  /** A header or trailer section has more than `maxHeaderCount` fields. */
  TOO_MANY_FIELDS: 'H1_ERR_TOO_MANY_FIELDS',
  /** A response head is larger than `maxHeaderBlockSize` (Gun's `max_header_block_size`). */
  HEADER_BLOCK_TOO_LARGE: 'H1_ERR_HEADER_BLOCK_TOO_LARGE',
  /** A trailer section is larger than `maxTrailerBlockSize` (Gun's `max_trailer_block_size`). */
  TRAILER_BLOCK_TOO_LARGE: 'H1_ERR_TRAILER_BLOCK_TOO_LARGE',
  /** A chunk-size line (with extensions) is longer than `maxChunkSizeLineLength`. */
  CHUNK_SIZE_LINE_TOO_LONG: 'H1_ERR_CHUNK_SIZE_LINE_TOO_LONG',
  // --- local: caller misuse ---
  /** The method is not a token (RFC 9110 §9.1). */
  INVALID_METHOD: 'H1_ERR_INVALID_METHOD',
  /** The request target is empty or holds a control character, a space or a char above 255 (RFC 9112 §3.2). */
  INVALID_TARGET: 'H1_ERR_INVALID_TARGET',
  /** A request was made while another request's body is still streaming. */
  BODY_IN_PROGRESS: 'H1_ERR_BODY_IN_PROGRESS',
  /** `sendData`/`sendTrailers` for a request whose body is not streaming. */
  NOT_STREAMING: 'H1_ERR_NOT_STREAMING',
  /** Streamed data overruns, or at `fin` underruns, the declared content-length (RFC 9112 §6.2). */
  BODY_LENGTH: 'H1_ERR_BODY_LENGTH',
  /** Trailers were sent for a body that is not chunked (RFC 9112 §7.1.2). */
  NOT_CHUNKED: 'H1_ERR_NOT_CHUNKED',
  /** A CONNECT request was given a body (RFC 9110 §9.3.6). */
  BODY_NOT_ALLOWED: 'H1_ERR_BODY_NOT_ALLOWED',
  /** A request was made on a connection that is closing, closed, switched or failed (RFC 9112 §9.6). */
  NOT_ACCEPTING_REQUESTS: 'H1_ERR_NOT_ACCEPTING_REQUESTS',
} as const;

/** One of the {@link Http1Errors} codes. */
export type Http1ErrorCode = (typeof Http1Errors)[keyof typeof Http1Errors];
