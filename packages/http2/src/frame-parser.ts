import { ByteQueue, GunError, MORE, ok, parseError, type ParseResult } from '@gunhttp/core';
import { Http2Errors, connectionError, streamError } from './errors.js';
import type { Frame, FrameHeader, PriorityFields, SettingEntry } from './frame.js';
import { DEFAULT_MAX_FRAME_SIZE, FRAME_HEADER_LENGTH, FrameFlag, FrameType } from './frame-types.js';

/** Options of {@link parseFrame}. */
export interface ParseFrameOptions {
  /**
   * Largest payload accepted, in octets: our SETTINGS_MAX_FRAME_SIZE (default 16384, RFC 9113
   * §4.2). A larger frame is a FRAME_SIZE_ERROR.
   */
  readonly maxFrameSize?: number;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Reads the frame header at the front of `queue` without consuming it; `undefined` when fewer than 9 octets are queued. */
export function peekFrameHeader(queue: ByteQueue): FrameHeader | undefined {
  if (queue.length < FRAME_HEADER_LENGTH) return undefined;
  // Runs once per frame: direct reads, no closure (cheaper before the JIT has warmed up).
  return {
    length: (queue.byteAt(0)! << 16) | (queue.byteAt(1)! << 8) | queue.byteAt(2)!,
    frameType: queue.byteAt(3)!,
    flags: queue.byteAt(4)!,
    streamId: ((queue.byteAt(5)! & 0x7f) << 24) | (queue.byteAt(6)! << 16) | (queue.byteAt(7)! << 8) | queue.byteAt(8)!,
  };
}

function frameSize(what: string, section: string, scope: 'connection' | 'stream' = 'connection'): GunError {
  const make = scope === 'connection' ? connectionError : streamError;
  return make(Http2Errors.FRAME_SIZE, `${what} (RFC 9113 ${section})`, 'FRAME_SIZE_ERROR');
}

function protocol(what: string, section: string, scope: 'connection' | 'stream' = 'connection'): GunError {
  const make = scope === 'connection' ? connectionError : streamError;
  return make(Http2Errors.PROTOCOL, `${what} (RFC 9113 ${section})`, 'PROTOCOL_ERROR');
}

/** Strips padding (RFC 9113 §6.1): returns [start, end, padLength] of the content, or an error. */
function unpad(h: FrameHeader, p: Uint8Array, section: string): [number, number, number] | GunError {
  if ((h.flags & FrameFlag.PADDED) === 0) return [0, p.length, 0];
  if (p.length < 1) return frameSize('A padded frame must hold the Pad Length field', section);
  const padLength = p[0]!;
  if (padLength >= p.length) return protocol('Padding MUST NOT be as long as or longer than the payload', section);
  return [1, p.length - padLength, padLength];
}

function priorityFields(p: Uint8Array, at: number): PriorityFields {
  return { exclusive: (p[at]! & 0x80) !== 0, dependency: u32(p, at) & 0x7fffffff, weight: p[at + 4]! };
}

function selfDependency(streamId: number, priority: PriorityFields): GunError | undefined {
  return priority.dependency === streamId ? protocol('A stream cannot depend on itself', '§5.3.1', 'stream') : undefined;
}

function parseData(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId === 0) return protocol('DATA frames MUST be associated with a stream', '§6.1');
  const r = unpad(h, p, '§6.1');
  if (!Array.isArray(r)) return r;
  const data = p.subarray(r[0], r[1]);
  return { type: 'data', streamId: h.streamId, endStream: (h.flags & FrameFlag.END_STREAM) !== 0, data, padLength: r[2], flowLength: p.length };
}

function parseHeaders(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId === 0) return protocol('HEADERS frames MUST be associated with a stream', '§6.2');
  const r = unpad(h, p, '§6.2');
  if (!Array.isArray(r)) return r;
  let [start] = r;
  const [, end, padLength] = r;
  let priority: PriorityFields | undefined;
  if ((h.flags & FrameFlag.PRIORITY) !== 0) {
    if (end - start < 5) return frameSize('A HEADERS frame with PRIORITY must hold 5 priority octets', '§6.2');
    priority = priorityFields(p, start);
    start += 5;
  }
  return {
    type: 'headers', streamId: h.streamId, endStream: (h.flags & FrameFlag.END_STREAM) !== 0,
    endHeaders: (h.flags & FrameFlag.END_HEADERS) !== 0, fragment: p.subarray(start, end), padLength, priority,
  };
}

function parsePriority(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId === 0) return protocol('PRIORITY frames MUST be associated with a stream', '§6.3');
  if (p.length !== 5) return frameSize('A PRIORITY frame MUST be 5 octets long', '§6.3', 'stream');
  const priority = priorityFields(p, 0);
  return selfDependency(h.streamId, priority) ?? { type: 'priority', streamId: h.streamId, priority };
}

function parseRstStream(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId === 0) return protocol('RST_STREAM frames MUST be associated with a stream', '§6.4');
  if (p.length !== 4) return frameSize('A RST_STREAM frame MUST be 4 octets long', '§6.4');
  return { type: 'rstStream', streamId: h.streamId, errorCode: u32(p, 0) };
}

function parseSettings(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId !== 0) return protocol('SETTINGS frames MUST have stream identifier 0', '§6.5');
  const ack = (h.flags & FrameFlag.ACK) !== 0;
  if (ack && p.length !== 0) return frameSize('A SETTINGS frame with ACK MUST be empty', '§6.5');
  if (p.length % 6 !== 0) return frameSize('A SETTINGS frame length MUST be a multiple of 6', '§6.5');
  const settings: SettingEntry[] = [];
  for (let i = 0; i < p.length; i += 6) settings.push([(p[i]! << 8) | p[i + 1]!, u32(p, i + 2)]);
  return { type: 'settings', streamId: 0, ack, settings };
}

function parsePushPromise(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId === 0) return protocol('PUSH_PROMISE frames MUST be associated with a stream', '§6.6');
  const r = unpad(h, p, '§6.6');
  if (!Array.isArray(r)) return r;
  const [start, end, padLength] = r;
  if (end - start < 4) return frameSize('A PUSH_PROMISE frame must hold the Promised Stream ID', '§6.6');
  return {
    type: 'pushPromise', streamId: h.streamId, endHeaders: (h.flags & FrameFlag.END_HEADERS) !== 0,
    promisedStreamId: u32(p, start) & 0x7fffffff, fragment: p.subarray(start + 4, end), padLength,
  };
}

function parsePing(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId !== 0) return protocol('PING frames MUST have stream identifier 0', '§6.7');
  if (p.length !== 8) return frameSize('A PING frame MUST be 8 octets long', '§6.7');
  return { type: 'ping', streamId: 0, ack: (h.flags & FrameFlag.ACK) !== 0, opaque: p };
}

function parseGoAway(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId !== 0) return protocol('GOAWAY frames MUST have stream identifier 0', '§6.8');
  if (p.length < 8) return frameSize('A GOAWAY frame must be at least 8 octets long', '§6.8');
  return { type: 'goAway', streamId: 0, lastStreamId: u32(p, 0) & 0x7fffffff, errorCode: u32(p, 4), debugData: p.subarray(8) };
}

function parseWindowUpdate(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (p.length !== 4) return frameSize('A WINDOW_UPDATE frame MUST be 4 octets long', '§6.9');
  const increment = u32(p, 0) & 0x7fffffff;
  if (increment === 0) {
    const err = connectionError(Http2Errors.PROTOCOL, 'A WINDOW_UPDATE increment of 0 is an error (RFC 9113 §6.9)');
    return h.streamId === 0 ? err : streamError(Http2Errors.PROTOCOL, err.message);
  }
  return { type: 'windowUpdate', streamId: h.streamId, increment };
}

function parseContinuation(h: FrameHeader, p: Uint8Array): Frame | GunError {
  if (h.streamId === 0) return protocol('CONTINUATION frames MUST be associated with a stream', '§6.10');
  return { type: 'continuation', streamId: h.streamId, endHeaders: (h.flags & FrameFlag.END_HEADERS) !== 0, fragment: p };
}

/**
 * Decodes a frame payload given its header (RFC 9113 §6). Unknown types give an `unknown` frame
 * (to be ignored, §4.1); unknown flags are ignored. Errors carry `scope` `stream` when the RFC
 * allows a stream error (a PRIORITY of bad length, a self-dependency, a 0 increment on a stream).
 */
export function decodeFramePayload(header: FrameHeader, payload: Uint8Array): Frame | GunError {
  switch (header.frameType) {
    case FrameType.DATA: return parseData(header, payload);
    case FrameType.HEADERS: return parseHeaders(header, payload);
    case FrameType.PRIORITY: return parsePriority(header, payload);
    case FrameType.RST_STREAM: return parseRstStream(header, payload);
    case FrameType.SETTINGS: return parseSettings(header, payload);
    case FrameType.PUSH_PROMISE: return parsePushPromise(header, payload);
    case FrameType.PING: return parsePing(header, payload);
    case FrameType.GOAWAY: return parseGoAway(header, payload);
    case FrameType.WINDOW_UPDATE: return parseWindowUpdate(header, payload);
    case FrameType.CONTINUATION: return parseContinuation(header, payload);
    default:
      return { type: 'unknown', streamId: header.streamId, frameType: header.frameType, flags: header.flags, payload };
  }
}

/**
 * Parses one frame from the front of `input` (RFC 9113 §4.1, §6).
 *
 * - `ByteQueue`: on `ok` the frame's octets are consumed from the queue (`consumed` says how
 *   many); on `more` or `error` nothing is consumed. Payloads are views when they lie in one
 *   received chunk (no copy of DATA).
 * - `Uint8Array`: nothing is consumed; `consumed` is the frame's size.
 *
 * Errors (`GunError`, h2Code set): `H2_ERR_FRAME_SIZE` (FRAME_SIZE_ERROR) for a frame larger than
 * `maxFrameSize` or with a length its type forbids; `H2_ERR_PROTOCOL` (PROTOCOL_ERROR) for a bad
 * stream identifier, padding, self-dependency or a zero WINDOW_UPDATE increment.
 */
export function parseFrame(input: ByteQueue | Uint8Array, options: ParseFrameOptions = {}): ParseResult<Frame> {
  const queue = input instanceof ByteQueue ? input : new ByteQueue();
  if (!(input instanceof ByteQueue)) queue.push(input);
  const header = peekFrameHeader(queue);
  if (header === undefined) return MORE;
  if (header.length > (options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE)) {
    return parseError(frameSize('A frame MUST NOT exceed SETTINGS_MAX_FRAME_SIZE', '§4.2'));
  }
  const size = FRAME_HEADER_LENGTH + header.length;
  if (queue.length < size) return MORE;
  const payload = queue.peek(size).subarray(FRAME_HEADER_LENGTH);
  const frame = decodeFramePayload(header, payload);
  if (frame instanceof GunError) return parseError(frame);
  if (input instanceof ByteQueue) queue.skip(size);
  return ok(frame, size);
}
