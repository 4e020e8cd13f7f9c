import { Http2Errors, misuse } from './errors.js';
import { DEFAULT_MAX_FRAME_SIZE, DEFAULT_WINDOW_SIZE, MAX_MAX_FRAME_SIZE, MAX_WINDOW_SIZE } from './frame-types.js';
import { resolveFloodLimits, type FloodLimits, type FloodLimitsOption } from './flood-guard.js';
import type { HuffmanPolicy } from './hpack/string-literal.js';

/**
 * Options of `Http2ClientConnection`. Names and defaults follow Gun's `http2_opts` (camelCased);
 * sizes are octets.
 */
export interface Http2ConnectionOptions {
  /** Connection receive window target (65535..2^31-1, default 8000000, Gun). Sent as a WINDOW_UPDATE of (size − 65535) after SETTINGS. */
  readonly initialConnectionWindowSize?: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE and stream receive window target (0..2^31-1, default 8000000, Gun). */
  readonly initialStreamWindowSize?: number;
  /** Cap on the connection receive window (default 2^31-1). */
  readonly maxConnectionWindowSize?: number;
  /** Cap on each stream receive window (default 2^31-1). */
  readonly maxStreamWindowSize?: number;
  /** Top up the connection window only when it is at or below this (default 163840). */
  readonly connectionWindowUpdateThreshold?: number;
  /** Extra octets granted above the connection target (default 65535). */
  readonly connectionWindowMarginSize?: number;
  /** Top up a stream window only when it is at or below this (default 163840). */
  readonly streamWindowUpdateThreshold?: number;
  /** Extra octets granted above the stream target (default 65535). */
  readonly streamWindowMarginSize?: number;
  /** SETTINGS_HEADER_TABLE_SIZE: the HPACK table the server may use for our decoder (default 4096). */
  readonly maxDecodeTableSize?: number;
  /** Cap on our HPACK encoder's table, below the server's SETTINGS_HEADER_TABLE_SIZE (default 4096). */
  readonly maxEncodeTableSize?: number;
  /** SETTINGS_MAX_FRAME_SIZE: largest frame accepted (16384..16777215, default 16384). */
  readonly maxFrameSizeReceived?: number;
  /** Cap on the DATA frames we send, below the server's SETTINGS_MAX_FRAME_SIZE (default: no cap). */
  readonly maxFrameSizeSent?: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS for server pushes (default: not sent, unlimited, as Cowlib 2.17). */
  readonly maxConcurrentStreams?: number;
  /** SETTINGS_ENABLE_PUSH (default true, as Gun). */
  readonly enablePush?: boolean;
  /** SETTINGS_MAX_HEADER_LIST_SIZE, sent and enforced (default: not sent; the decoder still caps lists at 262144). */
  readonly maxHeaderListSize?: number;
  /** Cap on fields per header block (default 100, as Cowlib; more is ENHANCE_YOUR_CALM). */
  readonly maxHeaderFields?: number;
  /** Cap on a HEADERS/PUSH_PROMISE + CONTINUATION block (16384..2^31-1, default 32768, Gun). */
  readonly maxFragmentedHeaderBlockSize?: number;
  /** Cap on the frames of one header block (default 64): stops floods of tiny CONTINUATION frames. */
  readonly maxHeaderBlockFragments?: number;
  /** When the server's SETTINGS_MAX_CONCURRENT_STREAMS is reached: `refuse` throws (default, as Gun), `queue` holds the request. */
  readonly onStreamLimit?: 'refuse' | 'queue';
  /** Huffman policy of the HPACK encoder (default `shorter`). */
  readonly huffman?: HuffmanPolicy | boolean;
  /**
   * Flood limits (RFC 9113 §10.5): per kind (`settings`, `ping`, `rstStream`, `emptyData`,
   * `continuation`), at most `count` frames per `windowMs` ms of the `now` given to `receive`;
   * one more is a connection error `H2_ERR_FLOOD` (ENHANCE_YOUR_CALM). Kinds and fields left
   * out keep `DEFAULT_FLOOD_LIMITS` (settings 100, ping 1000, the others 10000, per 10000 ms).
   */
  readonly floodLimits?: FloodLimitsOption;
}

/** Options with defaults applied. */
export type ResolvedOptions = { readonly [K in Exclude<keyof Http2ConnectionOptions, 'floodLimits'>]-?: Exclude<Http2ConnectionOptions[K], undefined> } & {
  readonly floodLimits: FloodLimits;
};

function range(name: string, value: number, min: number, max: number, unlimited = false): number {
  if (typeof value !== 'number') throw misuse(Http2Errors.BAD_ARGUMENT, `Option ${name} must be a number.`);
  if (value === Infinity && unlimited) return value;
  if (!Number.isInteger(value) || value < min || value > max) throw misuse(Http2Errors.BAD_ARGUMENT, `Option ${name} must be an integer between ${min} and ${max}.`);
  return value;
}

/**
 * Applies defaults and checks ranges.
 * @throws GunError `H2_ERR_BAD_ARGUMENT` naming the option.
 */
export function resolveOptions(o: Http2ConnectionOptions): ResolvedOptions {
  const w = MAX_WINDOW_SIZE;
  return {
    initialConnectionWindowSize: range('initialConnectionWindowSize', o.initialConnectionWindowSize ?? 8000000, DEFAULT_WINDOW_SIZE, w),
    initialStreamWindowSize: range('initialStreamWindowSize', o.initialStreamWindowSize ?? 8000000, 0, w),
    maxConnectionWindowSize: range('maxConnectionWindowSize', o.maxConnectionWindowSize ?? w, 0, w),
    maxStreamWindowSize: range('maxStreamWindowSize', o.maxStreamWindowSize ?? w, 0, w),
    connectionWindowUpdateThreshold: range('connectionWindowUpdateThreshold', o.connectionWindowUpdateThreshold ?? 163840, 0, w),
    connectionWindowMarginSize: range('connectionWindowMarginSize', o.connectionWindowMarginSize ?? 65535, 0, w),
    streamWindowUpdateThreshold: range('streamWindowUpdateThreshold', o.streamWindowUpdateThreshold ?? 163840, 0, w),
    streamWindowMarginSize: range('streamWindowMarginSize', o.streamWindowMarginSize ?? 65535, 0, w),
    maxDecodeTableSize: range('maxDecodeTableSize', o.maxDecodeTableSize ?? 4096, 0, 0xffffffff),
    maxEncodeTableSize: range('maxEncodeTableSize', o.maxEncodeTableSize ?? 4096, 0, 0xffffffff),
    maxFrameSizeReceived: range('maxFrameSizeReceived', o.maxFrameSizeReceived ?? DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE),
    maxFrameSizeSent: range('maxFrameSizeSent', o.maxFrameSizeSent ?? Infinity, DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE, true),
    maxConcurrentStreams: range('maxConcurrentStreams', o.maxConcurrentStreams ?? Infinity, 0, 0xffffffff, true),
    enablePush: o.enablePush ?? true,
    maxHeaderListSize: range('maxHeaderListSize', o.maxHeaderListSize ?? Infinity, 0, 0xffffffff, true),
    maxHeaderFields: range('maxHeaderFields', o.maxHeaderFields ?? 100, 1, 0xffffffff, true),
    maxFragmentedHeaderBlockSize: range('maxFragmentedHeaderBlockSize', o.maxFragmentedHeaderBlockSize ?? 32768, DEFAULT_MAX_FRAME_SIZE, w),
    maxHeaderBlockFragments: range('maxHeaderBlockFragments', o.maxHeaderBlockFragments ?? 64, 1, 0xffffffff, true),
    onStreamLimit: o.onStreamLimit ?? 'refuse',
    huffman: o.huffman ?? 'shorter',
    floodLimits: resolveFloodLimits(o.floodLimits),
  };
}
