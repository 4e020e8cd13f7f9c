import type { ConnectionOptions as TlsConnectOptions } from 'node:tls';
import { CookieStore } from '@gunhttp/cookies';
import { Mailbox } from '@gunhttp/core';
import type { GunEventHandler } from '@gunhttp/core';
import { GunError } from '@gunhttp/core';
import { GunErrors } from './errors.js';
import { resolveHttp2Opts } from './http2-options.js';
import { validateContentHandlers } from './content-handlers/options.js';
import type { ContentHandlerSpec } from './content-handlers/content-handler.js';
import type { Http2Opts, ResolvedHttp2Opts } from './http2-options.js';

/** HTTP/1.1 options (Gun's `http_opts`). */
export interface HttpOpts {
  /** ms before a graceful close gives up waiting for streams in flight. Default 15000. */
  readonly closingTimeout?: number;
  /** ms between bare CRLFs sent to keep the connection up; `Infinity` (default) sends none. */
  readonly keepalive?: number;
  /** `HTTP/1.1` (default) or `HTTP/1.0` (one request per connection, no chunked bodies). */
  readonly version?: 'HTTP/1.1' | 'HTTP/1.0';
  /** Rewrites every header name written (for servers that want a particular case). */
  readonly transformHeaderName?: (name: string) => string;
  /** Octets of a response head before `H1_ERR_HEADER_BLOCK_TOO_LARGE`. Default 100000. */
  readonly maxHeaderBlockSize?: number;
  /** Octets of a trailer section before `H1_ERR_TRAILER_BLOCK_TOO_LARGE`. Default 10000. */
  readonly maxTrailerBlockSize?: number;
  /** Ignore `set-cookie` in 1xx responses (Gun's `cookie_ignore_informational`). Default false. */
  readonly cookieIgnoreInformational?: boolean;
  /**
   * The handlers each response body runs through (Gun's `content_handlers`), bare or as
   * `[handler, options]`; default `[gunDataHandler]`. `[gunSseHandler, gunDataHandler]` turns
   * `text/event-stream` bodies into `sse` messages.
   */
  readonly contentHandlers?: readonly ContentHandlerSpec[];
}

/**
 * A protocol a connection may speak, bare or with its options (Gun's `protocols()`): `http`
 * (HTTP/1.1) or `http2`. Options given here replace `httpOpts` / `http2Opts`.
 */
export type ProtocolOption = 'http' | 'http2' | { readonly http: HttpOpts } | { readonly http2: Http2Opts };

/** A protocol the client speaks at the connection level. */
export type ConnectionProtocol = 'http' | 'http2';

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
  readonly eventHandler: GunEventHandler | undefined;
  readonly cookieStore: CookieStore | undefined;
}

function fail(path: string, expected: string): never {
  throw new GunError(GunErrors.INVALID_OPTION, `Invalid option ${path}: expected ${expected}.`, { origin: 'local' });
}

const isTimeout = (v: unknown): boolean => v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const isPositiveTimeout = (v: unknown): boolean => v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v > 0);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, `one of ${allowed.join(', ')} (unknown option)`);
  }
}

const HTTP_KEYS = [
  'closingTimeout', 'keepalive', 'version', 'transformHeaderName', 'maxHeaderBlockSize', 'maxTrailerBlockSize', 'cookieIgnoreInformational', 'contentHandlers',
] as const;

function validateHttpOpts(value: unknown, path: string): HttpOpts {
  if (!isObject(value)) fail(path, 'an object');
  checkKeys(value, HTTP_KEYS, path);
  if (value.closingTimeout !== undefined && !isPositiveTimeout(value.closingTimeout)) fail(`${path}.closingTimeout`, 'a positive integer (ms) or Infinity');
  if (value.keepalive !== undefined && !isPositiveTimeout(value.keepalive)) fail(`${path}.keepalive`, 'a positive integer (ms) or Infinity');
  if (value.version !== undefined && value.version !== 'HTTP/1.1' && value.version !== 'HTTP/1.0') fail(`${path}.version`, "'HTTP/1.1' or 'HTTP/1.0'");
  if (value.transformHeaderName !== undefined && typeof value.transformHeaderName !== 'function') fail(`${path}.transformHeaderName`, 'a function');
  for (const k of ['maxHeaderBlockSize', 'maxTrailerBlockSize'] as const) {
    const v = value[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v > 0)) fail(`${path}.${k}`, 'a positive integer (octets)');
  }
  if (value.cookieIgnoreInformational !== undefined && typeof value.cookieIgnoreInformational !== 'boolean') fail(`${path}.cookieIgnoreInformational`, 'a boolean');
  if (value.contentHandlers !== undefined) validateContentHandlers(value.contentHandlers, `${path}.contentHandlers`);
  return value as HttpOpts;
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
  const protocols = validateProtocols(opts.protocols, transport, { httpOpts, http2Opts });
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

interface ProtocolChoice {
  protocols: ConnectionProtocol[];
  httpOpts: HttpOpts;
  http2Opts: ResolvedHttp2Opts;
}

/** Gun's `protocols`: defaults per transport, one entry over TCP, per-protocol options applied. */
function validateProtocols(value: unknown, transport: 'tcp' | 'tls', opts: Omit<ProtocolChoice, 'protocols'>): ProtocolChoice {
  const choice: ProtocolChoice = { protocols: [], ...opts };
  if (value === undefined) {
    choice.protocols = transport === 'tls' ? ['http2', 'http'] : ['http'];
    return choice;
  }
  if (!Array.isArray(value) || value.length === 0) fail('options.protocols', "a non-empty list of 'http', 'http2', { http: httpOpts } or { http2: http2Opts }");
  if (transport === 'tcp' && value.length !== 1) fail('options.protocols', 'exactly one protocol over TCP (there is no ALPN to choose)');
  value.forEach((p: unknown, i: number) => {
    const path = `options.protocols[${i}]`;
    const name = typeof p === 'string' ? p : isObject(p) && Object.keys(p).length === 1 ? Object.keys(p)[0] : undefined;
    if (name !== 'http' && name !== 'http2') return fail(path, "'http', 'http2', { http: httpOpts } or { http2: http2Opts }");
    if (choice.protocols.includes(name)) fail(path, 'each protocol once');
    choice.protocols.push(name);
    if (typeof p === 'string') return;
    const given = (p as Record<string, unknown>)[name];
    if (name === 'http') choice.httpOpts = validateHttpOpts(given, `${path}.http`);
    else choice.http2Opts = resolveHttp2Opts(given, `${path}.http2`);
  });
  return choice;
}
