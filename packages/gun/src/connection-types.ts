import type { Socket } from 'node:net';
import type { GunMessage, InvalidRequestHeaders, Mailbox, Protocol, ReplyTo, StreamRef } from '@gunhttp/core';
import type { CookieStore } from '@gunhttp/cookies';
import type { Connection } from './connection.js';
import type { Intermediary } from './tunnel-hop.js';

/** A message from a {@link Connection}. */
export type ConnMessage = GunMessage<Connection>;

/** A request body: bytes, or a string sent as UTF-8. */
export type Body = Uint8Array | string;

/** Request options (Gun's `req_opts()`). */
export interface ReqOpts {
  /** Where the stream's messages go: a mailbox or a function. Default: the owner's mailbox. */
  readonly replyTo?: ReplyTo<ConnMessage>;
  /** `raise` (default) throws on CR/LF/NUL in a header value; `ignore` sends it verbatim. */
  readonly invalidRequestHeaders?: InvalidRequestHeaders;
  /** Cancels the stream when aborted (mapped onto {@link Connection.cancel}). */
  readonly signal?: AbortSignal;
  /**
   * Gun's message-count flow control: how many `data` messages the stream may deliver before it
   * is held back (HTTP/2 withholds the stream's WINDOW_UPDATE); raise it with
   * {@link Connection.updateFlow}. A positive integer; absent: unlimited.
   */
  readonly flow?: number;
  /**
   * The tunnel the request goes through (Gun's `tunnel` request option): the stream ref of a
   * CONNECT that succeeded. The request's ref then has it as `parent` (Gun's nested refs).
   */
  readonly tunnel?: StreamRef;
}

/**
 * Connection states, as `info().stateName` and the `terminate` event report them (Gun §0):
 *
 *   notConnected ─> domainLookup ─> connecting ─> initialTlsHandshake ─> connected ─> closing
 *        ^                                                                  │            │
 *        └──────────────── retry (down) ────────────────────────────────────┴────────────┘
 *   connected ─> tlsHandshake ─> connected   (TLS to a tunnel's destination, Gun's tls_handshake)
 *   any state ─> terminated (retries exhausted, shutdown, close)
 */
export type StateName = 'notConnected' | 'domainLookup' | 'connecting' | 'initialTlsHandshake' | 'tlsHandshake' | 'connected' | 'closing' | 'terminated';

/** What `info()` returns (Gun's `gun:info/1`). */
export interface ConnectionInfo {
  readonly owner: Mailbox<ConnMessage>;
  readonly socket: Socket | undefined;
  readonly transport: 'tcp' | 'tls';
  readonly stateName: StateName;
  /** `undefined` while the protocol is `raw` or `socks` (Gun). */
  readonly originScheme: 'http' | 'https' | undefined;
  readonly originHost: string;
  readonly originPort: number;
  readonly intermediaries: readonly Intermediary[];
  /** The `cookieStore` option's store (Gun's `cookie_store`); `undefined` without cookies. */
  readonly cookieStore: CookieStore | undefined;
  /** When a protocol runs (Gun: `http`, `http2`, `socks`, `raw`, `ws`). */
  readonly protocol?: Protocol;
  /** The socket's local address and port, when a socket is open (Gun's `sock_ip`, `sock_port`). */
  readonly sockIp?: string;
  readonly sockPort?: number;
  readonly eventHandler: unknown;
}

/** What `streamInfo()` returns for a live stream. */
export interface StreamInfo {
  readonly ref: StreamRef;
  readonly replyTo: unknown;
  readonly state: 'running' | 'stopping';
  readonly intermediaries: readonly Intermediary[];
  /** For the CONNECT stream of an HTTP/2 tunnel: the destination and the protocol spoken there (Gun's `tunnel` map). */
  readonly tunnel?: TunnelInfo;
}

/** Where an HTTP/2 CONNECT tunnel leads (Gun's stream_info `tunnel` map). */
export interface TunnelInfo {
  readonly transport: 'tcp' | 'tls';
  /** `undefined` while the TLS handshake through the tunnel runs. */
  readonly protocol: string | undefined;
  readonly originScheme: 'http' | 'https';
  readonly originHost: string;
  readonly originPort: number;
}
