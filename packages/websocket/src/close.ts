import type { GunError } from '@gunhttp/core';
import { utf8Encode } from '@gunhttp/core';
import { badArgument, protocolError, wsError, WsCloseCodes, WsErrors } from './errors.js';
import { MAX_CONTROL_PAYLOAD } from './frame.js';
import { isValidUtf8 } from './utf8-validator.js';

/** A close frame's content (RFC 6455 §5.5.1): no code means the peer sent none (1005). */
export interface CloseInfo {
  readonly code?: number;
  readonly reason?: string;
}

/**
 * Whether a close code may appear in a close frame (RFC 6455 §7.4.1, §7.4.2, IANA registry):
 * 1000-1003, 1007-1014 and the 3000-4999 ranges for libraries and applications. 1004 is
 * reserved; 1005, 1006 and 1015 are for reporting only and MUST NOT be sent; 1016-2999 are
 * unassigned; below 1000 and 5000 and above are not used.
 */
export function isValidCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

// ignoreBOM keeps a leading U+FEFF: it is part of the reason, not a byte order mark.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Decodes a received close payload: 0 octets, or a 2-octet code and a UTF-8 reason (RFC 6455 §5.5.1). */
export function parseClosePayload(payload: Uint8Array): CloseInfo | GunError {
  if (payload.length === 0) return {};
  if (payload.length === 1) return protocolError('A close payload holds a 2-octet status code first: 1 octet is malformed (RFC 6455 §5.5.1)');
  const code = (payload[0]! << 8) | payload[1]!;
  if (!isValidCloseCode(code)) return protocolError(`Close code ${code} is not allowed in a close frame (RFC 6455 §7.4)`);
  const reasonBytes = payload.subarray(2);
  if (!isValidUtf8(reasonBytes)) {
    return wsError(WsErrors.INVALID_UTF8, 'A close reason MUST be valid UTF-8 (RFC 6455 §5.5.1)', WsCloseCodes.INVALID_PAYLOAD);
  }
  return reasonBytes.length === 0 ? { code } : { code, reason: utf8.decode(reasonBytes) };
}

/**
 * Encodes a close payload to send; throws a local `WS_ERR_BAD_ARGUMENT` for a code that must not
 * be sent, a reason without a code, or a payload above 125 octets (RFC 6455 §5.5, §7.4).
 */
export function encodeClosePayload(info: CloseInfo): Uint8Array {
  const { code, reason } = info;
  if (code === undefined) {
    if (reason !== undefined && reason !== '') throw badArgument('A close reason needs a status code before it (RFC 6455 §5.5.1)');
    return new Uint8Array(0);
  }
  if (!isValidCloseCode(code)) throw badArgument(`Close code ${code} must not be sent (RFC 6455 §7.4.1: 1005, 1006 and 1015 never are)`);
  const reasonBytes = utf8Encode(reason ?? '');
  if (reasonBytes.length + 2 > MAX_CONTROL_PAYLOAD) {
    throw badArgument('A close reason must fit the 125-octet control frame payload with its code (RFC 6455 §5.5)');
  }
  const out = new Uint8Array(2 + reasonBytes.length);
  out[0] = code >>> 8;
  out[1] = code & 0xff;
  out.set(reasonBytes, 2);
  return out;
}
