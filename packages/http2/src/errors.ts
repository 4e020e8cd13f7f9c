import { GunError } from '@gunhttp/core';

/**
 * HTTP/2 error codes (RFC 9113 §7), as sent in RST_STREAM and GOAWAY frames.
 */
export const H2ErrorCodes = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

/** The name of a known HTTP/2 error code (`PROTOCOL_ERROR`, ...). */
export type H2ErrorName = keyof typeof H2ErrorCodes;

const NAMES: readonly string[] = Object.keys(H2ErrorCodes);

/**
 * The name of an HTTP/2 error code; unknown codes (RFC 9113 §7: they MUST NOT trigger special
 * behaviour) are named `UNKNOWN_0x<hex>`.
 */
export function h2ErrorName(code: number): string {
  return NAMES[code] ?? `UNKNOWN_0x${code.toString(16)}`;
}

/** Resolves an error code given by name or number to its number. */
export function h2ErrorNumber(code: H2ErrorName | number): number {
  return typeof code === 'number' ? code : H2ErrorCodes[code];
}

/** Error codes (`GunError.code`) produced by `@gunhttp/http2`. */
export const Http2Errors = {
  /** Generic protocol violation by the server (h2Code PROTOCOL_ERROR). */
  PROTOCOL: 'H2_ERR_PROTOCOL',
  /** The server's first frame is not SETTINGS (RFC 9113 §3.4). */
  PREFACE: 'H2_ERR_PREFACE',
  /** The server's first bytes look like an HTTP/1 response (RFC 9113 §3.4). */
  PREFACE_HTTP1: 'H2_ERR_PREFACE_HTTP1',
  /** A frame is larger than allowed or has a length its type forbids (RFC 9113 §4.2). */
  FRAME_SIZE: 'H2_ERR_FRAME_SIZE',
  /** A SETTINGS value is out of range (RFC 9113 §6.5.2). */
  SETTINGS: 'H2_ERR_SETTINGS',
  /** A window exceeded 2^31-1 or the server sent more than a window allowed (RFC 9113 §6.9). */
  FLOW_CONTROL: 'H2_ERR_FLOW_CONTROL',
  /** A frame arrived on a stream in a state that forbids it (RFC 9113 §5.1). */
  STREAM_CLOSED: 'H2_ERR_STREAM_CLOSED',
  /** An HPACK block cannot be decoded (RFC 7541; h2Code COMPRESSION_ERROR, scope connection). */
  COMPRESSION: 'H2_ERR_COMPRESSION',
  /** A header block is larger than maxFragmentedHeaderBlockSize or has too many fragments or fields. */
  HEADER_BLOCK_TOO_LARGE: 'H2_ERR_HEADER_BLOCK_TOO_LARGE',
  /** A decoded header list exceeds maxHeaderListSize (RFC 9113 §6.5.2). */
  HEADER_LIST_TOO_LARGE: 'H2_ERR_HEADER_LIST_TOO_LARGE',
  /** A response, trailers or pushed request is malformed (RFC 9113 §8.1.1). */
  MALFORMED: 'H2_ERR_MALFORMED',
  /** The server reset the stream (RST_STREAM, RFC 9113 §6.4). */
  STREAM_RESET: 'H2_ERR_STREAM_RESET',
  /** The server went away before processing the stream (GOAWAY, RFC 9113 §6.8). */
  GOAWAY: 'H2_ERR_GOAWAY',
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS is reached (Gun's too_many_streams). */
  TOO_MANY_STREAMS: 'H2_ERR_TOO_MANY_STREAMS',
  /** Caller misuse: a command that the connection or stream state does not allow. */
  BAD_STATE: 'H2_ERR_BAD_STATE',
  /** Caller misuse: an argument of the wrong shape (bad request headers, ping payload, ...). */
  BAD_ARGUMENT: 'H2_ERR_BAD_ARGUMENT',
  /**
   * The server sent too many frames of one kind in a window of time (SETTINGS, PING,
   * RST_STREAM, empty DATA, CONTINUATION; option `floodLimits`): a connection error with h2Code
   * ENHANCE_YOUR_CALM (RFC 9113 §10.5).
   */
  FLOOD: 'H2_ERR_FLOOD',
  /** The 2^31-1 stream identifiers of the connection are used up (RFC 9113 §5.1.1). */
  STREAM_IDS_EXHAUSTED: 'H2_ERR_STREAM_IDS_EXHAUSTED',
} as const;

/** One of the {@link Http2Errors} codes. */
export type Http2ErrorCode = (typeof Http2Errors)[keyof typeof Http2Errors];

/** Builds a peer's violation with its wire consequence (DESIGN §9 example 3). */
export function h2Error(code: Http2ErrorCode, message: string, h2Code: H2ErrorName, scope: 'connection' | 'stream'): GunError {
  return new GunError(code, message, { origin: 'remote', h2Code, scope });
}

/** Builds a connection error. */
export function connectionError(code: Http2ErrorCode, message: string, h2Code: H2ErrorName = 'PROTOCOL_ERROR'): GunError {
  return h2Error(code, message, h2Code, 'connection');
}

/** Builds a stream error. */
export function streamError(code: Http2ErrorCode, message: string, h2Code: H2ErrorName = 'PROTOCOL_ERROR'): GunError {
  return h2Error(code, message, h2Code, 'stream');
}

/** Builds a caller-misuse error. */
export function misuse(code: Http2ErrorCode, message: string): GunError {
  return new GunError(code, message, { origin: 'local' });
}
