import { misuse, Http2Errors } from './errors.js';
import type { Frame, PriorityFields, SettingEntry } from './frame.js';
import { FRAME_HEADER_LENGTH, FrameFlag, FrameType } from './frame-types.js';

/** Writes a 9-octet frame header (RFC 9113 §4.1) at `offset` of `target`. */
export function writeFrameHeader(target: Uint8Array, offset: number, length: number, type: number, flags: number, streamId: number): void {
  target[offset] = (length >>> 16) & 0xff;
  target[offset + 1] = (length >>> 8) & 0xff;
  target[offset + 2] = length & 0xff;
  target[offset + 3] = type;
  target[offset + 4] = flags;
  writeU32(target, offset + 5, streamId & 0x7fffffff);
}

function writeU32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = (value >>> 24) & 0xff;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

/** A frame header alone (for DATA sent as header + view of the user's bytes, without copying). */
export function frameHeader(length: number, type: number, flags: number, streamId: number): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH);
  writeFrameHeader(out, 0, length, type, flags, streamId);
  return out;
}

/**
 * Serializes any frame from its raw parts: type, flags, stream identifier and payload. Used by
 * tests to build invalid frames; `serializeFrame` builds valid ones.
 */
export function serializeRawFrame(type: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_LENGTH + payload.length);
  writeFrameHeader(out, 0, payload.length, type, flags, streamId);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

function padded(content: Uint8Array, padLength: number, prefix: Uint8Array): Uint8Array {
  if (padLength === 0) return concat2(prefix, content);
  const out = new Uint8Array(1 + prefix.length + content.length + padLength);
  out[0] = padLength;
  out.set(prefix, 1);
  out.set(content, 1 + prefix.length);
  return out;
}

function concat2(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function priorityBytes(p: PriorityFields): Uint8Array {
  const out = new Uint8Array(5);
  writeU32(out, 0, (p.dependency & 0x7fffffff) | (p.exclusive ? 0x80000000 : 0));
  out[4] = p.weight;
  return out;
}

function settingsBytes(settings: readonly SettingEntry[]): Uint8Array {
  const out = new Uint8Array(settings.length * 6);
  settings.forEach(([id, value], i) => {
    out[i * 6] = (id >>> 8) & 0xff;
    out[i * 6 + 1] = id & 0xff;
    writeU32(out, i * 6 + 2, value);
  });
  return out;
}

function u32Bytes(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => writeU32(out, i * 4, v));
  return out;
}

const EMPTY = new Uint8Array(0);

function flag(on: boolean, bit: number): number {
  return on ? bit : 0;
}

/** A frame as {@link serializeFrame} takes it: the parsed shape, with padding and derived fields optional. */
export type FrameInput =
  | { readonly type: 'data'; readonly streamId: number; readonly endStream?: boolean; readonly data: Uint8Array; readonly padLength?: number }
  | {
    readonly type: 'headers'; readonly streamId: number; readonly endStream?: boolean; readonly endHeaders?: boolean;
    readonly fragment: Uint8Array; readonly padLength?: number; readonly priority?: PriorityFields | undefined;
  }
  | { readonly type: 'priority'; readonly streamId: number; readonly priority: PriorityFields }
  | { readonly type: 'rstStream'; readonly streamId: number; readonly errorCode: number }
  | { readonly type: 'settings'; readonly ack?: boolean; readonly settings?: readonly SettingEntry[] }
  | {
    readonly type: 'pushPromise'; readonly streamId: number; readonly endHeaders?: boolean; readonly promisedStreamId: number;
    readonly fragment: Uint8Array; readonly padLength?: number;
  }
  | { readonly type: 'ping'; readonly ack?: boolean; readonly opaque: Uint8Array }
  | { readonly type: 'goAway'; readonly lastStreamId: number; readonly errorCode: number; readonly debugData?: Uint8Array }
  | { readonly type: 'windowUpdate'; readonly streamId: number; readonly increment: number }
  | { readonly type: 'continuation'; readonly streamId: number; readonly endHeaders?: boolean; readonly fragment: Uint8Array }
  | { readonly type: 'unknown'; readonly streamId: number; readonly frameType: number; readonly flags: number; readonly payload: Uint8Array };

/**
 * Serializes a frame (RFC 9113 §6) into one new byte array: header and payload. `endHeaders`
 * defaults to true, other flags to false; `padLength` (0-255) adds the PADDED flag and zero
 * padding. Accepts every {@link Frame} the parser produces, so `serializeFrame(parse(x))` round
 * trips. Does not split: a HEADERS block larger than the peer's frame size must be cut by the caller.
 *
 * @throws GunError `H2_ERR_BAD_ARGUMENT` for a PING payload other than 8 octets.
 */
export function serializeFrame(frame: Frame | FrameInput): Uint8Array {
  switch (frame.type) {
    case 'data': {
      const pad = frame.padLength ?? 0;
      const flags = flag(frame.endStream === true, FrameFlag.END_STREAM) | flag(pad > 0, FrameFlag.PADDED);
      return serializeRawFrame(FrameType.DATA, flags, frame.streamId, padded(frame.data, pad, EMPTY));
    }
    case 'headers': {
      const pad = frame.padLength ?? 0;
      const prio = frame.priority;
      const flags = flag(frame.endStream === true, FrameFlag.END_STREAM) | flag(frame.endHeaders !== false, FrameFlag.END_HEADERS)
        | flag(pad > 0, FrameFlag.PADDED) | flag(prio !== undefined, FrameFlag.PRIORITY);
      const prefix = prio === undefined ? EMPTY : priorityBytes(prio);
      return serializeRawFrame(FrameType.HEADERS, flags, frame.streamId, padded(frame.fragment, pad, prefix));
    }
    case 'priority':
      return serializeRawFrame(FrameType.PRIORITY, 0, frame.streamId, priorityBytes(frame.priority));
    case 'rstStream':
      return serializeRawFrame(FrameType.RST_STREAM, 0, frame.streamId, u32Bytes(frame.errorCode));
    case 'settings':
      return serializeRawFrame(FrameType.SETTINGS, flag(frame.ack === true, FrameFlag.ACK), 0, settingsBytes(frame.settings ?? []));
    case 'pushPromise': {
      const pad = frame.padLength ?? 0;
      const flags = flag(frame.endHeaders !== false, FrameFlag.END_HEADERS) | flag(pad > 0, FrameFlag.PADDED);
      return serializeRawFrame(FrameType.PUSH_PROMISE, flags, frame.streamId, padded(frame.fragment, pad, u32Bytes(frame.promisedStreamId & 0x7fffffff)));
    }
    case 'ping':
      if (frame.opaque.length !== 8) throw misuse(Http2Errors.BAD_ARGUMENT, 'PING frames carry exactly 8 octets of opaque data (RFC 9113 §6.7)');
      return serializeRawFrame(FrameType.PING, flag(frame.ack === true, FrameFlag.ACK), 0, frame.opaque);
    case 'goAway':
      return serializeRawFrame(FrameType.GOAWAY, 0, 0, concat2(u32Bytes(frame.lastStreamId & 0x7fffffff, frame.errorCode), frame.debugData ?? EMPTY));
    case 'windowUpdate':
      return serializeRawFrame(FrameType.WINDOW_UPDATE, 0, frame.streamId, u32Bytes(frame.increment & 0x7fffffff));
    case 'continuation':
      return serializeRawFrame(FrameType.CONTINUATION, flag(frame.endHeaders !== false, FrameFlag.END_HEADERS), frame.streamId, frame.fragment);
    case 'unknown':
      return serializeRawFrame(frame.frameType, frame.flags, frame.streamId, frame.payload);
  }
}
