import { CoreErrors, getHeader, localError, normalizeHeaders } from '@gunhttp/core';
import type { HeaderList, HeadersInput, StreamRef, WsFrame } from '@gunhttp/core';
import { authorityOf } from '../authority.js';
import type { Body, Connection, ReqOpts } from '../connection.js';
import { withCheckoutRetry } from './checkout.js';
import { PoolErrors } from './errors.js';
import { Pool } from './pool.js';
import type { CheckoutOpts, PoolCheckout, PoolInfo, PoolStream } from './pool.js';
import { resolvePoolOptions } from './pool-options.js';
import type { PoolOptions } from './pool-options.js';
import { allPools, findPool, registerPool } from './registry.js';

/** Request options of pool requests: a connection's {@link ReqOpts} plus Gun's pool keys. */
export interface PoolReqOpts extends ReqOpts {
  /** ms to sleep between checkout attempts when no connection is free (Gun's `checkout_retry`). Default `[]`: one attempt. */
  readonly checkoutRetry?: readonly number[];
  /** The pool's scope. Default `'default'`. */
  readonly scope?: string;
}

/** Options of {@link stopPool}: how the pool was started. */
export interface StopPoolOpts {
  readonly scope?: string;
  /** Default `tls` on port 443, `tcp` otherwise (as `open`): it decides the authority. */
  readonly transport?: 'tcp' | 'tls';
}

/** Options of {@link poolWsSend}. */
export interface PoolWsSendOpts {
  /** The pool's authority, as its requests' `host` header (`example.org`, `127.0.0.1:8080`). */
  readonly authority: string;
  readonly scope?: string;
  readonly checkoutRetry?: readonly number[];
}

function checkHostPort(host: unknown, port: unknown): string {
  if (typeof host !== 'string' || host === '') throw localError(CoreErrors.BAD_ARGUMENT, 'The host must be a non-empty string.');
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
    throw localError(CoreErrors.BAD_ARGUMENT, `The port must be an integer from 1 to 65535, not ${String(port)}.`);
  }
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

const defaultTransport = (port: number, transport: unknown): 'tcp' | 'tls' =>
  transport === 'tcp' || transport === 'tls' ? transport : port === 443 ? 'tls' : 'tcp';

/**
 * Starts a pool of connections to `host:port` (Gun's `gun_pool:start_pool`), registered under
 * its scope and authority (the `host` header its requests carry: default port omitted). Returns
 * at once, `degraded`; `awaitUp` waits until every connection is up. Connection options that
 * `open()` rejects leave the pool degraded with no connection and `info().error` set (Gun).
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` for bad pool options; `GUN_ERR_BAD_ARGUMENT` for a
 *   bad host or port; `POOL_ERR_ALREADY_STARTED` when the scope and authority have a pool.
 */
export function startPool<S = unknown>(host: string, port: number, options?: PoolOptions<S>): Pool {
  const unbracketed = checkHostPort(host, port);
  const opts = resolvePoolOptions(options);
  const authority = authorityOf(unbracketed, port, defaultTransport(port, opts.connOpts.transport));
  const pool = new Pool(unbracketed, port, authority, opts, Math.random);
  if (!registerPool(opts.scope, authority, pool)) {
    throw localError(PoolErrors.ALREADY_STARTED, `A pool for ${authority} in scope ${opts.scope} is already started.`);
  }
  pool.start();
  return pool;
}

/**
 * Stops the pool of `host:port` (Gun's `gun_pool:stop_pool`); see {@link Pool.stop}. Resolves
 * once its connections have terminated.
 *
 * @throws GunError `POOL_ERR_NOT_FOUND` (as a rejection) when there is no such pool.
 */
export async function stopPool(host: string, port: number, opts: StopPoolOpts = {}): Promise<void> {
  const unbracketed = checkHostPort(host, port);
  const authority = authorityOf(unbracketed, port, defaultTransport(port, opts.transport));
  const pool = findPool(authority, opts.scope ?? 'default');
  if (pool === undefined) throw notFound(authority, opts.scope);
  await pool.stop();
}

/** Every pool's info (Gun's `gun_pool:info/0`). */
export function poolInfo(): PoolInfo[];
/** The info of the pool of `authority` in `scope` (default `'default'`), or `undefined` (Gun's `info/1,2`). */
export function poolInfo(authority: string, scope?: string): PoolInfo | undefined;
export function poolInfo(authority?: string, scope = 'default'): PoolInfo[] | PoolInfo | undefined {
  if (authority === undefined) return allPools().map((p) => p.info());
  return findPool(authority, scope)?.info();
}

/**
 * A connection of `pool` that is up (and set up) with a free stream, at random (Gun's
 * `gun_pool:checkout`), or `undefined`. Nothing is reserved: send the request before yielding
 * to the event loop (its `requestStart` counts the stream).
 */
export function checkout(pool: Pool, opts: CheckoutOpts = {}): PoolCheckout | undefined {
  return pool.pick(opts);
}

function notFound(authority: string, scope: string | undefined): Error {
  return localError(PoolErrors.NOT_FOUND, `No pool for ${authority} in scope ${scope ?? 'default'}.`);
}

type Send = (conn: Connection, headers: HeaderList, reqOpts: ReqOpts) => StreamRef;

/** Routes a request by its `host` header to a pool, checks out a connection and sends; failures are rejections. */
function routed(headers: HeadersInput | undefined, reqOpts: PoolReqOpts | undefined, send: Send): Promise<PoolStream> {
  try {
    const { checkoutRetry, scope, ...connReqOpts } = reqOpts ?? {};
    const list = normalizeHeaders(headers, connReqOpts.invalidRequestHeaders);
    const authority = getHeader(list, 'host');
    if (authority === undefined) throw localError(PoolErrors.NO_HOST_HEADER, 'Pool requests are routed by their host header (Gun), and this one has none.');
    const pool = findPool(authority, scope ?? 'default');
    if (pool === undefined) throw notFound(authority, scope);
    return withCheckoutRetry(() => {
      const picked = pool.pick();
      return picked === undefined ? undefined : { conn: picked.conn, streamRef: send(picked.conn, list, connReqOpts) };
    }, checkoutRetry);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * GET through the pool of the `host` header's authority (Gun's `gun_pool:get`). Resolves with
 * the connection and stream; read the response with `conn.await(streamRef)` and
 * `conn.awaitBody(streamRef)`.
 *
 * @throws GunError (rejections) `POOL_ERR_NO_HOST_HEADER`, `POOL_ERR_NOT_FOUND`,
 *   `POOL_ERR_NO_CONNECTION_AVAILABLE`, and the connection's own header errors.
 */
export function poolGet(path: string, headers: HeadersInput, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return routed(headers, reqOpts, (c, h, o) => c.get(path, h, o));
}

/** HEAD through a pool, as {@link poolGet}. */
export function poolHead(path: string, headers: HeadersInput, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return routed(headers, reqOpts, (c, h, o) => c.head(path, h, o));
}

/** OPTIONS through a pool, as {@link poolGet}. */
export function poolOptions(path: string, headers: HeadersInput, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return routed(headers, reqOpts, (c, h, o) => c.options(path, h, o));
}

/** DELETE through a pool, as {@link poolGet}. */
export function poolDelete(path: string, headers: HeadersInput, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return routed(headers, reqOpts, (c, h, o) => c.delete(path, h, o));
}

function withBody(method: string, path: string, headers: HeadersInput, body: Body | PoolReqOpts | undefined, reqOpts: PoolReqOpts | undefined): Promise<PoolStream> {
  if (body === undefined || (typeof body === 'object' && !(body instanceof Uint8Array))) {
    return poolHeaders(method, path, headers, body);
  }
  return poolRequest(method, path, headers, body, reqOpts);
}

/** POST through a pool: with a full body, or headers only (body follows with `conn.data`) when `body` is omitted or is options. As {@link poolGet}. */
export function poolPost(path: string, headers: HeadersInput, body?: Body | PoolReqOpts, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return withBody('POST', path, headers, body, reqOpts);
}

/** PUT through a pool, as {@link poolPost}. */
export function poolPut(path: string, headers: HeadersInput, body?: Body | PoolReqOpts, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return withBody('PUT', path, headers, body, reqOpts);
}

/** PATCH through a pool, as {@link poolPost}. */
export function poolPatch(path: string, headers: HeadersInput, body?: Body | PoolReqOpts, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return withBody('PATCH', path, headers, body, reqOpts);
}

/**
 * Starts a request whose body follows through `conn.data(streamRef, fin, data)` (Gun's
 * `gun_pool:headers`). The stream counts against the connection until the body's `fin` and the
 * response have both ended. As {@link poolGet}.
 */
export function poolHeaders(method: string, path: string, headers: HeadersInput, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return routed(headers, reqOpts, (c, h, o) => c.headers(method, path, h, o));
}

/** A request with a full body through a pool (Gun's `gun_pool:request`). As {@link poolGet}. */
export function poolRequest(method: string, path: string, headers: HeadersInput, body?: Body, reqOpts?: PoolReqOpts): Promise<PoolStream> {
  return routed(headers, reqOpts, (c, h, o) => c.request(method, path, h, body, o));
}

/**
 * Websocket frames through the pool of `opts.authority` (Gun's `gun_pool:ws_send`); see
 * {@link Pool.wsSend}.
 *
 * @throws GunError (rejections) `POOL_ERR_NOT_FOUND`, `POOL_ERR_NO_CONNECTION_AVAILABLE`.
 */
export async function poolWsSend(frames: WsFrame | readonly WsFrame[], opts: PoolWsSendOpts): Promise<PoolStream> {
  const pool = findPool(opts.authority, opts.scope ?? 'default');
  if (pool === undefined) throw notFound(opts.authority, opts.scope);
  return pool.wsSend(frames, opts.checkoutRetry === undefined ? {} : { checkoutRetry: opts.checkoutRetry });
}
