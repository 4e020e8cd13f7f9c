/**
 * `@gunhttp/http2`: a sans-I/O HTTP/2 client codec (RFC 9113) with HPACK (RFC 7541). Drive it
 * over any duplex: `start()`, write `takeOutput()`, feed `receive(bytes)`, act on events.
 */
export { Http2ClientConnection } from './connection.js';
export type { RequestOptions, SendDataOptions } from './connection.js';
export type { ConnectionState } from './core.js';
export type { Http2Event } from './events.js';
export type { Http2ConnectionOptions } from './options.js';
export { DEFAULT_FLOOD_LIMITS } from './flood-guard.js';
export type { FloodKind, FloodLimit, FloodLimits, FloodLimitsOption } from './flood-guard.js';
export { DEFAULT_SETTINGS } from './settings.js';
export type { Http2Settings } from './settings.js';
export { H2ErrorCodes, Http2Errors, h2ErrorName } from './errors.js';
export type { H2ErrorName, Http2ErrorCode } from './errors.js';
export { parseFrame, peekFrameHeader, decodeFramePayload } from './frame-parser.js';
export type { ParseFrameOptions } from './frame-parser.js';
export { serializeFrame, serializeRawFrame } from './frame-serializer.js';
export type { FrameInput } from './frame-serializer.js';
export type { Frame, FrameHeader, PriorityFields, SettingEntry } from './frame.js';
export {
  FrameType, FrameFlag, SettingId, CLIENT_PREFACE, DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE, MAX_WINDOW_SIZE, DEFAULT_WINDOW_SIZE,
} from './frame-types.js';
export { HpackEncoder, DEFAULT_HEADER_TABLE_SIZE } from './hpack/encoder.js';
export type { HpackEncoderOptions } from './hpack/encoder.js';
export { HpackDecoder, DEFAULT_MAX_HEADER_LIST_SIZE, DEFAULT_MAX_HEADER_FIELDS } from './hpack/decoder.js';
export type { HpackDecoderOptions, DecodeResult } from './hpack/decoder.js';
export type { HuffmanPolicy } from './hpack/string-literal.js';
export { markNeverIndexed, isNeverIndexed } from './hpack/never-indexed.js';
export { huffmanEncode, huffmanDecode } from './hpack/huffman.js';
export { STREAM_TRANSITIONS, nextStreamState, STREAM_EVENT_OUTCOMES, CLOSED_STREAM_RECEIPTS, streamEventOutcome } from './stream-state.js';
export type { StreamState, StreamTransition, StreamEventOutcome, ClosedStreamCause, ReceiveTransition } from './stream-state.js';
