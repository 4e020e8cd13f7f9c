export { open, openUnix } from './open.js';
export { Connection } from './connection.js';
export type { ConnMessage, Body, ReqOpts, StateName, ConnectionInfo, StreamInfo } from './connection.js';
export type { AwaitResult, BodyResult } from './awaiting.js';
export { GunErrors } from './errors.js';
export type { GunOptions, HttpOpts, ProtocolOption, RetryFun, ResolvedOptions } from './options.js';
export { authorityOf } from './authority.js';
export { GunError, Mailbox, StreamRef } from '@gunhttp/core';
export type { GunMessage, HeaderList, HeadersInput, GunEventHandler, GunEventMap, WsFrame } from '@gunhttp/core';
