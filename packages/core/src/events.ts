import type { GunError } from './errors.js';
import type { HeaderList } from './headers.js';
import type { DownReason, Protocol, WsFrame } from './messages.js';
import type { StreamRef } from './stream-ref.js';

/** Fields every stream-scoped event carries: the user-visible (possibly nested) ref and replyTo. */
export interface StreamEventBase {
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
}

/** The transport of a hop, as Gun reports it. */
export type TransportName = 'tcp' | 'tls';

/** The socket options given as `tcpOpts` (Gun's `tcp_opts`), passed to the socket module as they are. */
export type TcpOptions = Readonly<Record<string, unknown>>;

/**
 * Where a connection attempt goes (Gun's `lookup_info`): the addresses the name resolved to (tried
 * in order), the port, the module that opens the socket (`'node:net'`, Gun's `tcp_module`) and the
 * `tcpOpts` it is given.
 */
export interface LookupInfo {
  readonly ipAddresses: readonly string[];
  readonly port: number;
  readonly tcpModule: string;
  readonly tcpOpts: TcpOptions;
}

/**
 * Gun's 28 events (`gun_event`), camelCased, with the fields Gun gives each. Times are not part
 * of the events; handlers read the clock themselves if they want one.
 */
export interface GunEventMap {
  init: { readonly owner: unknown; readonly transport: TransportName; readonly originScheme: string; readonly originHost: string; readonly originPort: number; readonly opts: unknown };
  domainLookupStart: { readonly host: string; readonly port: number; readonly tcpOpts: TcpOptions; readonly timeout: number };
  domainLookupEnd: { readonly host: string; readonly port: number; readonly tcpOpts: TcpOptions; readonly timeout: number; readonly lookupInfo?: LookupInfo; readonly error?: GunError };
  connectStart: { readonly lookupInfo: LookupInfo; readonly timeout: number };
  connectEnd: { readonly lookupInfo: LookupInfo; readonly timeout: number; readonly socket?: unknown; readonly protocol?: Protocol; readonly error?: GunError };
  tlsHandshakeStart: { readonly socket: unknown; readonly tlsOpts: unknown; readonly timeout: number; readonly streamRef?: StreamRef; readonly replyTo?: unknown };
  tlsHandshakeEnd: { readonly socket: unknown; readonly tlsOpts: unknown; readonly timeout: number; readonly streamRef?: StreamRef; readonly replyTo?: unknown; readonly protocol?: Protocol; readonly error?: GunError };
  requestStart: StreamEventBase & { readonly function: 'headers' | 'request' | 'wsUpgrade' | 'connect'; readonly method: string; readonly authority: string; readonly path?: string; readonly headers: HeaderList };
  requestHeaders: StreamEventBase & { readonly function: 'headers' | 'request' | 'wsUpgrade' | 'connect'; readonly method: string; readonly authority: string; readonly path?: string; readonly headers: HeaderList };
  requestEnd: StreamEventBase;
  pushPromiseStart: StreamEventBase;
  pushPromiseEnd: StreamEventBase & { readonly method: string; readonly uri: string; readonly headers: HeaderList; readonly promisedStreamRef?: StreamRef };
  responseStart: StreamEventBase;
  responseInform: StreamEventBase & { readonly status: number; readonly headers: HeaderList };
  responseHeaders: StreamEventBase & { readonly status: number; readonly headers: HeaderList };
  responseTrailers: StreamEventBase & { readonly headers: HeaderList };
  responseEnd: StreamEventBase;
  wsUpgrade: StreamEventBase & { readonly opts: unknown };
  wsRecvFrameStart: StreamEventBase & { readonly fragState: unknown; readonly extensions: unknown };
  wsRecvFrameHeader: StreamEventBase & { readonly fragState: unknown; readonly extensions: unknown; readonly type: string; readonly rsv: number; readonly len: number; readonly maskKey: number | undefined };
  wsRecvFrameEnd: StreamEventBase & { readonly extensions: unknown; readonly closeCode: number | undefined; readonly payload: Uint8Array };
  wsSendFrameStart: StreamEventBase & { readonly extensions: unknown; readonly frame: WsFrame };
  wsSendFrameEnd: StreamEventBase & { readonly extensions: unknown; readonly frame: WsFrame };
  protocolChanged: { readonly protocol: Protocol; readonly streamRef?: StreamRef };
  originChanged: { readonly type: 'connect' | 'socks5'; readonly originScheme: string; readonly originHost: string; readonly originPort: number; readonly streamRef?: StreamRef };
  cancel: StreamEventBase & { readonly endpoint: 'local' | 'remote'; readonly reason: string };
  disconnect: { readonly reason: DownReason };
  terminate: { readonly state: string; readonly reason: unknown };
}

/** The name of one of Gun's events. */
export type GunEventName = keyof GunEventMap;

/** One event with its name, as traces and `node:diagnostics_channel` subscribers see it. */
export type GunEvent = { [K in GunEventName]: { readonly name: K; readonly event: GunEventMap[K] } }[GunEventName];

/**
 * The `eventHandler` option: an object with optional methods named after Gun's events, called
 * synchronously inside the connection, in Gun's order. A throwing handler is reported, not fatal.
 */
export type GunEventHandler = { readonly [K in GunEventName]?: (event: GunEventMap[K]) => void };

/** Every event name, in Gun's documentation order. */
export const GUN_EVENT_NAMES: readonly GunEventName[] = [
  'init', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'tlsHandshakeStart',
  'tlsHandshakeEnd', 'requestStart', 'requestHeaders', 'requestEnd', 'pushPromiseStart', 'pushPromiseEnd',
  'responseStart', 'responseInform', 'responseHeaders', 'responseTrailers', 'responseEnd', 'wsUpgrade',
  'wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd', 'wsSendFrameStart', 'wsSendFrameEnd',
  'protocolChanged', 'originChanged', 'cancel', 'disconnect', 'terminate',
];
