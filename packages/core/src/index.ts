export { GunError, CoreErrors, localError, assertNever } from './errors.js';
export type { GunErrorOrigin, GunErrorOptions, GunErrorWire } from './errors.js';
export { StreamRef } from './stream-ref.js';
export { MORE, ok, parseError } from './parse-result.js';
export type { ParseResult } from './parse-result.js';
export type { SansIoMachine } from './machine.js';
export { ByteQueue } from './byte-queue.js';
export {
  EMPTY_BYTES, latin1Decode, latin1Encode, latin1Write, isLatin1, toLatin1, utf8Encode, concatBytes,
} from './bytes.js';
export {
  normalizeHeaders, isToken, isTchar, hasForbiddenValueChar, getHeader, getHeaders, hasHeader, headerTokens,
} from './headers.js';
export type { HeaderList, HeadersInput, HeaderValueInput, InvalidRequestHeaders } from './headers.js';
export type {
  Protocol, DownReason, WsFrame, SseEvent, GunMessage, LayerMessage, StreamMessage, DistributiveOmit,
  UpMessage, DownMessage, TunnelUpMessage, UpgradeMessage, InformMessage, ResponseMessage, DataMessage,
  TrailersMessage, PushMessage, ErrorMessage, WsMessage, NotifyMessage, SseMessage,
} from './messages.js';
export { Mailbox, deliverTo } from './mailbox.js';
export type { ReceiveOptions, ReplyTo } from './mailbox.js';
export { GUN_EVENT_NAMES } from './events.js';
export type { GunEventMap, GunEventName, GunEvent, GunEventHandler, StreamEventBase, TransportName, LookupInfo, TcpOptions } from './events.js';
