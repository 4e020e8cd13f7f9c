/**
 * `@gunhttp/websocket`: a sans-I/O Websocket codec (RFC 6455), permessage-deflate framing and
 * negotiation (RFC 7692) and the handshake helpers for HTTP/1.1 (RFC 6455 §4) and HTTP/2
 * extended CONNECT (RFC 8441). No I/O, no zlib, no hashing, no randomness inside: those are
 * injected.
 */
export { WebSocketConnection, DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_MESSAGE_SIZE } from './connection.js';
export type { WebSocketConnectionOptions, WebSocketState, WsEvent, NegotiatedExtensions } from './connection.js';
export { WsErrors, WsCloseCodes } from './errors.js';
export { Opcode, MAX_CONTROL_PAYLOAD, parseFrameHeader, encodeFrame, applyMask, isControl } from './frame.js';
export type { FrameHeader, FrameSpec } from './frame.js';
export { isValidCloseCode, parseClosePayload, encodeClosePayload } from './close.js';
export type { CloseInfo } from './close.js';
export { Utf8Validator, isValidUtf8 } from './utf8-validator.js';
export { parseExtensionList, formatExtension } from './extension-header.js';
export type { Extension, ExtensionParam } from './extension-header.js';
export { buildExtensionOffer, parseExtensionResponse, GUN_DEFLATE_OFFER, DEFLATE_TAIL } from './permessage-deflate.js';
export type { PerMessageDeflate, DeflateOffer, DeflateParams, ExtensionNegotiation } from './permessage-deflate.js';
export {
  WEBSOCKET_GUID, generateKey, computeAccept, checkAccept, buildProtocolHeader, parseProtocolResponse,
  upgradeRequestHeaders, extendedConnectHeaders,
} from './handshake.js';
export type { RandomSource, Sha1, ProtocolSelection, HandshakeOptions, ExtendedConnectTarget } from './handshake.js';
export { base64Encode } from './base64.js';
