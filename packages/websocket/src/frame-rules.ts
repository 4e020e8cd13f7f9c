import type { GunError } from '@gunhttp/core';
import { protocolError, wsError, WsCloseCodes, WsErrors } from './errors.js';
import { isControl, MAX_CONTROL_PAYLOAD, Opcode } from './frame.js';
import type { FrameHeader } from './frame.js';

/** What the header checks need to know about the connection. */
export interface FrameContext {
  readonly role: 'client' | 'server';
  /** Whether permessage-deflate was negotiated (the only user of RSV1). */
  readonly deflate: boolean;
  /** The fragmented message in progress: none, or how its payload is encoded. */
  readonly message: 'none' | 'identity' | 'deflate';
  /** Octets of the message so far (after inflation). */
  readonly messageSize: number;
  readonly maxFrameSize: number;
  readonly maxMessageSize: number;
}

const KNOWN_OPCODES: ReadonlySet<number> = new Set(Object.values(Opcode));

/**
 * Checks a frame header before its payload is read, in the order RFC 6455 §5.2 presents the
 * fields; returns the violation or null.
 */
export function checkFrameHeader(h: FrameHeader, ctx: FrameContext): GunError | null {
  return checkOpcode(h) ?? checkRsv(h, ctx) ?? checkMask(h, ctx) ?? (isControl(h.opcode) ? checkControl(h) : checkData(h, ctx));
}

function checkOpcode(h: FrameHeader): GunError | null {
  if (KNOWN_OPCODES.has(h.opcode)) return null;
  return protocolError(`Opcode 0x${h.opcode.toString(16)} is reserved: the connection MUST be failed (RFC 6455 §5.2)`);
}

/** RSV bits MUST be 0 unless an extension defines them (RFC 6455 §5.2); RSV1 is permessage-deflate's, on the first frame of a data message only (RFC 7692 §6). */
function checkRsv(h: FrameHeader, ctx: FrameContext): GunError | null {
  if ((h.rsv & 0b011) !== 0) return protocolError('RSV2 and RSV3 MUST be 0 when no extension negotiated them (RFC 6455 §5.2)');
  if ((h.rsv & 0b100) === 0) return null;
  if (!ctx.deflate) return protocolError('RSV1 MUST be 0 when no extension negotiated it (RFC 6455 §5.2)');
  if (isControl(h.opcode)) return protocolError('RSV1 MUST NOT be set on control frames (RFC 7692 §6.1)');
  if (h.opcode === Opcode.CONTINUATION) return protocolError('RSV1 is set on the first frame of a message only (RFC 7692 §6.1)');
  return null;
}

/** Clients mask every frame, servers none (RFC 6455 §5.1). */
function checkMask(h: FrameHeader, ctx: FrameContext): GunError | null {
  if (ctx.role === 'client' && h.maskKey !== null) return protocolError('A server MUST NOT mask frames it sends to the client (RFC 6455 §5.1)');
  if (ctx.role === 'server' && h.maskKey === null) return protocolError('A client MUST mask every frame it sends to the server (RFC 6455 §5.1)');
  return null;
}

/** Control frames: payload of 125 octets at most, never fragmented (RFC 6455 §5.5). */
function checkControl(h: FrameHeader): GunError | null {
  if (!h.fin) return protocolError('Control frames MUST NOT be fragmented (RFC 6455 §5.5)');
  if (h.length > MAX_CONTROL_PAYLOAD) return protocolError('Control frames MUST have a payload of 125 octets or less (RFC 6455 §5.5)');
  return null;
}

/** Fragmentation rules (RFC 6455 §5.4) and the size limits (close 1009, RFC 6455 §7.4.1). */
function checkData(h: FrameHeader, ctx: FrameContext): GunError | null {
  if (h.opcode === Opcode.CONTINUATION && ctx.message === 'none') {
    return protocolError('A continuation frame arrived with no fragmented message in progress (RFC 6455 §5.4)');
  }
  if (h.opcode !== Opcode.CONTINUATION && ctx.message !== 'none') {
    return protocolError('A new data message started before the fragmented one ended (RFC 6455 §5.4)');
  }
  if (h.length > ctx.maxFrameSize) {
    return wsError(WsErrors.TOO_LARGE, `Frame payload of ${h.length} octets exceeds maxFrameSize ${ctx.maxFrameSize} (RFC 6455 §7.4.1: 1009)`, WsCloseCodes.TOO_BIG);
  }
  // Inflated sizes are checked after inflation; raw sizes here, before reading the payload.
  const compressed = (h.rsv & 0b100) !== 0 || ctx.message === 'deflate';
  if (!compressed && ctx.messageSize + h.length > ctx.maxMessageSize) {
    return wsError(WsErrors.TOO_LARGE, `Message exceeds maxMessageSize ${ctx.maxMessageSize} (RFC 6455 §7.4.1: 1009)`, WsCloseCodes.TOO_BIG);
  }
  return null;
}
