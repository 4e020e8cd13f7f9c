import { GunError } from '@gunhttp/core';

/** Error codes of `@gunhttp/websocket`; each peer error carries the close code it leads to. */
export const WsErrors = {
  /** A frame breaks the framing rules (RFC 6455 §5.2): close 1002. */
  PROTOCOL: 'WS_ERR_PROTOCOL',
  /** Text or a close reason is not valid UTF-8 (RFC 6455 §8.1): close 1007. */
  INVALID_UTF8: 'WS_ERR_INVALID_UTF8',
  /** A frame or message exceeds `maxFrameSize`/`maxMessageSize` (RFC 6455 §7.4.1): close 1009. */
  TOO_LARGE: 'WS_ERR_MESSAGE_TOO_LARGE',
  /** A compressed message did not inflate (RFC 7692 §7.2.2): close 1007. */
  INFLATE_FAILED: 'WS_ERR_INFLATE_FAILED',
  /** The peer closed the stream without a close handshake (RFC 6455 §7.1.5): code 1006, never sent. */
  CLOSED_ABNORMALLY: 'WS_ERR_CLOSED_ABNORMALLY',
  /** The handshake response's `sec-websocket-extensions` is not acceptable (RFC 6455 §9.1, RFC 7692 §7.1). */
  INVALID_EXTENSIONS: 'WS_ERR_INVALID_EXTENSIONS',
  /** The handshake response selected a subprotocol that was not offered (RFC 6455 §4.1). */
  INVALID_PROTOCOL: 'WS_ERR_INVALID_PROTOCOL',
  /** Caller misuse: bad frame, bad close code, oversized control payload, bad option. */
  BAD_ARGUMENT: 'WS_ERR_BAD_ARGUMENT',
} as const;

/** The close codes (RFC 6455 §7.4.1) the codec sends on its own. */
export const WsCloseCodes = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  NO_STATUS: 1005,
  ABNORMAL: 1006,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  TOO_BIG: 1009,
  MANDATORY_EXTENSION: 1010,
  INTERNAL_ERROR: 1011,
  TLS_HANDSHAKE: 1015,
} as const;

/** A peer violation with the close code it maps to. */
export function wsError(code: string, message: string, wsCloseCode: number): GunError {
  return new GunError(code, message, { origin: 'remote', wsCloseCode });
}

/** A protocol error (close 1002). */
export function protocolError(message: string): GunError {
  return wsError(WsErrors.PROTOCOL, message, WsCloseCodes.PROTOCOL_ERROR);
}

/** Caller misuse. */
export function badArgument(message: string): GunError {
  return new GunError(WsErrors.BAD_ARGUMENT, message, { origin: 'local' });
}
