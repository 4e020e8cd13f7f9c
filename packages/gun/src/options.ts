import type { ConnectionOptions as TlsConnectOptions } from 'node:tls';
import { CookieStore } from '@gunhttp/cookies';
import { Mailbox } from '@gunhttp/core';
import type { GunEventHandler } from '@gunhttp/core';
import type { HttpOpts } from './http-options.js';
import { validateHttpOpts } from './http-options.js';
import { resolveHttp2Opts } from './http2-options.js';
import type { Http2Opts, ResolvedHttp2Opts } from './http2-options.js';
import { checkKeys, fail, isObject, isTimeout } from './option-checks.js';
import { validateProtocols } from './protocols.js';
import type { ConnectionProtocol, ProtocolOption, SocksOpts } from './protocols.js';

export type { HttpOpts } from './http-options.js';
export type { ConnectionProtocol, ProtocolOption, SocksOpts } from './protocols.js';

/** Retry policy: given the retries left, returns how many remain after this one and the delay (ms). */
export type RetryFun = (retriesLeft: number, opts: ResolvedOptions) => { retries: number; timeout: number };

/** Options of {@link open} (Gun's `opts()`, camelCased). Unknown keys are rejected. */
export interface GunOptions {
  /** ms for all resolved addresses together; `Infinity` (default) waits for ever. */
  readonly connectTimeout?: number;
  /** ms for the name lookup; `Infinity` by default. */
  readonly domainLookupTimeout?: number;
  /** ms for the TLS handshake; `Infinity` by default. */
  readonly tlsHandshakeTimeout?: number;
  /** Reconnect attempts after a failure or a drop; 0 disables reconnecting. Default 5. */
  readonly retry?: number;
  /** ms between retries (the first retry after a drop is immediate). Default 5000. */
  readonly retryTimeout?: number;
  /** Replaces the default retry policy; never called when `retry` is 0. */
  readonly retryFun?: RetryFun;
  /**
   * Protocols to speak, preferred first. Over TLS they are offered by ALPN (default
   * `['http2', 'http']`; HTTP/1.1 when the server picks nothing); over TCP there must be exactly
   * one (default `['http']`; `['http2']` is HTTP/2 with prior knowledge, h2c).
   */
  readonly protocols?: readonly ProtocolOption[];
  /** `tls` by default on port 443, `tcp` otherwise. */
  readonly transport?: 'tcp' | 'tls';
  /**
   * Passed to `net.connect` (keepAlive, noDelay, localAddress, family, ...). TCP sockets get
   * `noDelay: true` (Nagle off) unless this says `noDelay: false`; Gun leaves Nagle on.
   */
  readonly tcpOpts?: Readonly<Record<string, unknown>>;
  /** Passed to `tls.connect` (ca, cert, key, servername, rejectUnauthorized, ...); verification is on by default. */
  readonly tlsOpts?: Readonly<TlsConnectOptions>;
  /** HTTP/1.1 options for the bare `http` protocol. */
  readonly httpOpts?: HttpOpts;
  /** HTTP/2 options for the bare `http2` protocol. */
  readonly http2Opts?: Http2Opts;
  /** Gun's event handler: methods named after the events, called synchronously. */
  readonly eventHandler?: GunEventHandler;
  /**
   * Cookies (RFC 6265bis): a `CookieStore` to share between connections, or `true` for a store of
   * this connection alone (Gun's `gun_cookies_list`). Absent: no cookies are stored or sent.
   */
  readonly cookieStore?: CookieStore | true;
  /** The owner's mailbox (gets `up` and `down`, and stream messages by default); one is made if absent. */
  readonly owner?: Mailbox<never> | Mailbox<unknown>;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  readonly connectTimeout: number;
  readonly domainLookupTimeout: number;
  readonly tlsHandshakeTimeout: number;
  readonly retry: number;
  readonly retryTimeout: number;
  readonly retryFun: RetryFun | undefined;
  readonly transport: 'tcp' | 'tls';
  readonly tcpOpts: Readonly<Record<string, unknown>>;
  readonly tlsOpts: Readonly<TlsConnectOptions>;
  /** Protocols in order of preference. */
  readonly protocols: readonly ConnectionProtocol[];
  readonly httpOpts: HttpOpts;
  readonly http2Opts: ResolvedHttp2Opts;
  /** The SOCKS hop's options when `protocols` holds `{ socks: ... }`. */
  readonly socksOpts: SocksOpts | undefined;
  readonly eventHandler: GunEventHandler | undefined;
  readonly cookieStore: CookieStore | undefined;
}

const TOP_KEYS = [
  'connectTimeout', 'domainLookupTimeout', 'tlsHandshakeTimeout', 'retry', 'retryTimeout', 'retryFun', 'protocols',
  'transport', 'tcpOpts', 'tlsOpts', 'httpOpts', 'http2Opts', 'eventHandler', 'owner', 'cookieStore',
] as const;

/**
 * Validates `open()` options and applies Gun's defaults.
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` naming the first invalid option (`options.httpOpts.keepalive`).
 */
export function resolveOptions(input: unknown, port: number): ResolvedOptions {
  const opts = input === undefined ? {} : input;
  if (!isObject(opts)) fail('options', 'an object');
  checkKeys(opts, TOP_KEYS, 'options');
  for (const k of ['connectTimeout', 'domainLookupTimeout', 'tlsHandshakeTimeout'] as const) {
    if (opts[k] !== undefined && !isTimeout(opts[k])) fail(`options.${k}`, 'a non-negative integer (ms) or Infinity');
  }
  if (opts.retry !== undefined && !(Number.isInteger(opts.retry) && (opts.retry as number) >= 0)) fail('options.retry', 'a non-negative integer');
  if (opts.retryTimeout !== undefined && !(Number.isInteger(opts.retryTimeout) && (opts.retryTimeout as number) >= 0)) fail('options.retryTimeout', 'a non-negative integer (ms)');
  if (opts.retryFun !== undefined && typeof opts.retryFun !== 'function') fail('options.retryFun', 'a function');
  if (opts.transport !== undefined && opts.transport !== 'tcp' && opts.transport !== 'tls') fail('options.transport', "'tcp' or 'tls'");
  if (opts.tcpOpts !== undefined && !isObject(opts.tcpOpts)) fail('options.tcpOpts', 'an object');
  if (opts.tlsOpts !== undefined && !isObject(opts.tlsOpts)) fail('options.tlsOpts', 'an object');
  if (opts.eventHandler !== undefined && !isObject(opts.eventHandler)) fail('options.eventHandler', 'an object with event methods');
  if (opts.owner !== undefined && !(opts.owner instanceof Mailbox)) fail('options.owner', 'a Mailbox');
  if (opts.cookieStore !== undefined && opts.cookieStore !== true && !(opts.cookieStore instanceof CookieStore)) fail('options.cookieStore', 'a CookieStore or true');
  const transport = (opts.transport as 'tcp' | 'tls' | undefined) ?? (port === 443 ? 'tls' : 'tcp');
  const httpOpts = opts.httpOpts === undefined ? {} : validateHttpOpts(opts.httpOpts, 'options.httpOpts');
  const http2Opts = resolveHttp2Opts(opts.http2Opts, 'options.http2Opts');
  const protocols = validateProtocols(opts.protocols, transport, { httpOpts, http2Opts }, 'options.protocols', false);
  return {
    connectTimeout: (opts.connectTimeout as number | undefined) ?? Infinity,
    domainLookupTimeout: (opts.domainLookupTimeout as number | undefined) ?? Infinity,
    tlsHandshakeTimeout: (opts.tlsHandshakeTimeout as number | undefined) ?? Infinity,
    retry: (opts.retry as number | undefined) ?? 5,
    retryTimeout: (opts.retryTimeout as number | undefined) ?? 5000,
    retryFun: opts.retryFun as RetryFun | undefined,
    transport,
    tcpOpts: (opts.tcpOpts as Record<string, unknown> | undefined) ?? {},
    tlsOpts: (opts.tlsOpts as TlsConnectOptions | undefined) ?? {},
    ...protocols,
    eventHandler: opts.eventHandler as GunEventHandler | undefined,
    cookieStore: opts.cookieStore === true ? new CookieStore() : (opts.cookieStore as CookieStore | undefined),
  };
}
