export { open, openUnix } from './open.js';
export { Connection } from './connection.js';
export type { ConnMessage, Body, ReqOpts, StateName, ConnectionInfo, StreamInfo, TunnelInfo } from './connection.js';
export type { AwaitResult, BodyResult } from './awaiting.js';
export { GunErrors } from './errors.js';
export type { GunOptions, HttpOpts, ProtocolOption, RetryFun, ResolvedOptions, SocksOpts, ConnectionProtocol } from './options.js';
export type { ConnectDestination } from './connect-destination.js';
export type { Intermediary } from './tunnel-hop.js';
export { authorityOf } from './authority.js';
export { GunError, Mailbox, StreamRef } from '@gunhttp/core';
export type { GunMessage, HeaderList, HeadersInput, GunEventHandler, GunEventMap, WsFrame } from '@gunhttp/core';
export { nodePerMessageDeflate } from './ws-deflate.js';
export type { NodeDeflateOptions } from './ws-deflate.js';
export { nodeWsPlatform } from './ws-platform.js';
export type { WsOpts } from './ws-client.js';
export { gunWsHandler } from '@gunhttp/tunnel';
export type { WsProtocolHandler, WsHandlerFrame, WsHandlerOptions, WsHandlerResult, WsPlatform } from '@gunhttp/tunnel';
export {
  startPool, stopPool, poolInfo, checkout, poolGet, poolHead, poolOptions, poolDelete, poolPost, poolPut, poolPatch,
  poolHeaders, poolRequest, poolWsSend,
} from './pool/requests.js';
export type { PoolReqOpts, StopPoolOpts, PoolWsSendOpts } from './pool/requests.js';
export { Pool } from './pool/pool.js';
export type { PoolCheckout, PoolStream, CheckoutOpts, PoolConnInfo, PoolInfo } from './pool/pool.js';
export { MAX_POOL_SIZE } from './pool/pool-options.js';
export type { PoolOptions, PoolSetupFun, PoolSetupResult, PoolConnMeta } from './pool/pool-options.js';
export { PoolErrors } from './pool/errors.js';
export type { PoolStateName } from './pool/pool-state.js';
export { ContentHandlerChain, gunDataHandler, gunSseHandler, SseParser, SseErrors, DEFAULT_CONTENT_HANDLERS, DEFAULT_SSE_MAX_LINE_LENGTH, DEFAULT_SSE_MAX_DATA_SIZE } from './content-handlers/index.js';
export type {
  ContentHandler, ContentHandlerContext, ContentHandlerOptions, ContentHandlerResult, ContentHandlerSpec, ResolvedContentHandler, SseHandlerOptions,
  SseHandlerState, SseParserEvent, SseParserOptions, SseParserState,
} from './content-handlers/index.js';
export type { SseEvent, SseMessage } from '@gunhttp/core';
