import { CoreErrors, Mailbox, StreamRef, getHeader, localError, normalizeHeaders, utf8Encode } from '@gunhttp/core';
import type { HeadersInput, Protocol, WsFrame } from '@gunhttp/core';
import type { RequestFunction } from '@gunhttp/tunnel';
import { ConnectionBase } from './connection-base.js';
import type { Body, ConnMessage, ConnectionInfo, ReqOpts, StreamInfo } from './connection-types.js';
import { validateDestination } from './connect-destination.js';
import type { ConnectDestination } from './connect-destination.js';
import { ConnectionCookies } from './cookies.js';
import { awaitBody, awaitMessage } from './awaiting.js';
import type { AwaitResult, BodyResult } from './awaiting.js';
import { GunErrors } from './errors.js';
import { toFrames, validateWsOpts } from './ws-client.js';
import type { WsOpts } from './ws-client.js';

export type { Body, ConnMessage, ConnectionInfo, ReqOpts, StateName, StreamInfo, TunnelInfo } from './connection-types.js';

/**
 * One Gun connection: a socket to an origin kept up by a retry policy, speaking HTTP/1.1 through
 * the layer stack. Request functions return a {@link StreamRef} at once; responses arrive as
 * messages in the stream's replyTo (the owner's mailbox by default) and can be read with
 * {@link await}/{@link awaitBody}. Operations made while not connected are postponed and replayed
 * once `up` (Gun §0). Obtain one with `open()` or `openUnix()`.
 */
export class Connection extends ConnectionBase {

  /**
   * Waits for the connection to be up (Gun's `await_up`); resolves with the protocol.
   *
   * @param timeout ms, default 5000.
   * @throws GunError `GUN_ERR_TIMEOUT`, or `GUN_ERR_DOWN` when the connection ends first.
   */
  async awaitUp(timeout = 5000): Promise<Protocol> {
    const msg = await awaitMessage(this, this.owner, undefined, (m) => m.type === 'up' && m.conn === this, timeout);
    return (msg as Extract<ConnMessage, { type: 'up' }>).protocol;
  }

  /** GET with an empty body (Gun's `get`). Returns the stream ref at once. */
  get(path: string, headers?: HeadersInput, reqOpts?: ReqOpts): StreamRef {
    return this.request('GET', path, headers, EMPTY, reqOpts);
  }

  /** HEAD (Gun's `head`). */
  head(path: string, headers?: HeadersInput, reqOpts?: ReqOpts): StreamRef {
    return this.request('HEAD', path, headers, EMPTY, reqOpts);
  }

  /** OPTIONS (Gun's `options`). */
  options(path: string, headers?: HeadersInput, reqOpts?: ReqOpts): StreamRef {
    return this.request('OPTIONS', path, headers, EMPTY, reqOpts);
  }

  /** DELETE (Gun's `delete`). */
  delete(path: string, headers?: HeadersInput, reqOpts?: ReqOpts): StreamRef {
    return this.request('DELETE', path, headers, EMPTY, reqOpts);
  }

  /** POST with a full body, or headers only (body follows with `data`) when `body` is omitted or is options. */
  post(path: string, headers: HeadersInput, body?: Body | ReqOpts, reqOpts?: ReqOpts): StreamRef {
    return this.withBody('POST', path, headers, body, reqOpts);
  }

  /** PUT, as {@link post}. */
  put(path: string, headers: HeadersInput, body?: Body | ReqOpts, reqOpts?: ReqOpts): StreamRef {
    return this.withBody('PUT', path, headers, body, reqOpts);
  }

  /** PATCH, as {@link post}. */
  patch(path: string, headers: HeadersInput, body?: Body | ReqOpts, reqOpts?: ReqOpts): StreamRef {
    return this.withBody('PATCH', path, headers, body, reqOpts);
  }

  private withBody(method: string, path: string, headers: HeadersInput, body: Body | ReqOpts | undefined, reqOpts?: ReqOpts): StreamRef {
    if (body === undefined || (typeof body === 'object' && !(body instanceof Uint8Array))) {
      return this.headers(method, path, headers, body as ReqOpts | undefined);
    }
    return this.request(method, path, headers, body, reqOpts);
  }

  /** Starts a request whose body follows through {@link data} (Gun's `headers`). */
  headers(method: string, path: string, headers?: HeadersInput, reqOpts?: ReqOpts): StreamRef {
    return this.open(method, path, headers, undefined, reqOpts, 'headers');
  }

  /**
   * Sends a request with a full body (Gun's `request`); `content-length` is always the body's size.
   *
   * @throws GunError `GUN_ERR_INVALID_REQUEST_HEADER` / `GUN_ERR_INVALID_HEADER_NAME` before anything is sent.
   */
  request(method: string, path: string, headers?: HeadersInput, body: Body = EMPTY, reqOpts?: ReqOpts): StreamRef {
    return this.open(method, path, headers, typeof body === 'string' ? utf8Encode(body) : body, reqOpts, 'request');
  }

  private open(method: string, path: string, headers: HeadersInput | undefined, body: Uint8Array | undefined, reqOpts: ReqOpts | undefined, fn: RequestFunction): StreamRef {
    if (typeof method !== 'string' || typeof path !== 'string') throw localError(CoreErrors.BAD_ARGUMENT, 'The method and path must be strings.');
    const list = normalizeHeaders(headers, reqOpts?.invalidRequestHeaders);
    const streamRef = new StreamRef(reqOpts?.tunnel);
    const replyTo = reqOpts?.replyTo ?? this.owner;
    const flow = reqOpts?.flow;
    if (flow !== undefined && !(Number.isInteger(flow) && flow > 0)) throw localError(CoreErrors.BAD_ARGUMENT, 'reqOpts.flow must be a positive integer.');
    const cmd = { type: 'request' as const, streamRef, replyTo, method, path, headers: list, body, function: fn, ...(flow === undefined ? {} : { flow }) };
    const cookies = this.cookies;
    if (cookies === undefined) {
      this.streams.open(streamRef, replyTo);
      this.whenConnected(() => this.command(cmd), streamRef, replyTo);
    } else {
      const url = ConnectionCookies.requestUrl(this.scheme, getHeader(list, 'host') ?? this.authority, path);
      this.streams.open(streamRef, replyTo, url);
      // Cookies are read when the request is sent, so responses that came before it count.
      this.whenConnected(() => this.command(Object.assign({}, cmd, { headers: cookies.addCookieHeader(list, url) })), streamRef, replyTo);
    }
    const signal = reqOpts?.signal;
    if (signal !== undefined) {
      if (signal.aborted) this.cancel(streamRef);
      else signal.addEventListener('abort', () => this.cancel(streamRef), { once: true });
    }
    return streamRef;
  }

  /**
   * Asks the proxy at the other end to open a tunnel to `destination` (Gun's `gun:connect`; RFC
   * 9110 §9.3.6). Over HTTP/1.1 the request is `CONNECT host:port` (IPv6 in brackets) with `host`
   * and, from `username`/`password`, `proxy-authorization: Basic` unless `headers` carry them;
   * requests made meanwhile wait for the answer. A 2xx gives a `response` with `fin`, and the
   * whole connection then leads to the destination: `originChanged`, TLS through the tunnel when
   * `transport` is `tls`, then a `tunnelUp` message with this ref and the protocol chosen;
   * `info()` lists the proxy in `intermediaries`. Other statuses are plain responses. Later
   * requests pass `{ tunnel: ref }`. A SOCKS destination protocol runs that handshake next.
   *
   * Over HTTP/2 (Gun's per-stream tunnels, RFC 9113 §8.5) the CONNECT is one stream
   * (`:method CONNECT`, `:authority host:port`) and only that stream leads to the destination:
   * the same messages and events (`originChanged` and `protocolChanged` carry this ref), `info()`
   * unchanged, `streamInfo(ref).tunnel` showing where it leads. Requests made with `{ tunnel: ref }`
   * before the answer wait for it; when the stream ends, the streams inside get
   * `TUNNEL_ERR_TUNNEL_CLOSED`, and a TLS failure inside is an `error` on this ref.
   *
   * @throws GunError `GUN_ERR_INVALID_OPTION` for a bad destination; `BAD_ARGUMENT` for bad headers.
   * @returns The CONNECT's stream ref.
   */
  connect(destination: ConnectDestination, headers?: HeadersInput, reqOpts?: Pick<ReqOpts, 'replyTo' | 'tunnel'>): StreamRef {
    const dest = validateDestination(destination);
    const list = normalizeHeaders(headers);
    const streamRef = new StreamRef(reqOpts?.tunnel);
    const replyTo = reqOpts?.replyTo ?? this.owner;
    this.streams.open(streamRef, replyTo);
    this.whenConnected(() => this.command({ type: 'connect', streamRef, replyTo, destination: dest, headers: list }), streamRef, replyTo);
    return streamRef;
  }

  /**
   * Sends request body bytes (Gun's `data`); `fin` ends the body. Empty data without `fin` sends
   * nothing; empty data with `fin` only ends the body. Errors arrive as stream `error` messages.
   */
  data(streamRef: StreamRef, fin: boolean, data: Body): void {
    const bytes = typeof data === 'string' ? utf8Encode(data) : data;
    if (!fin && bytes.length === 0) return;
    const replyTo = this.streams.replyTo(streamRef);
    this.whenConnected(() => this.command({ type: 'data', streamRef, replyTo, fin, data: bytes }), streamRef, replyTo);
  }

  /**
   * Adds `increment` to a stream's flow (Gun's `update_flow`): a held-back stream resumes once
   * its flow is positive again. Ignored for streams without a flow or already finished.
   */
  updateFlow(streamRef: StreamRef, increment: number): void {
    if (!Number.isInteger(increment)) throw localError(CoreErrors.BAD_ARGUMENT, 'The flow increment must be an integer.');
    this.whenConnected(() => this.command({ type: 'updateFlow', streamRef, increment }));
  }

  /** Stops delivering a stream's messages (Gun's `cancel`); HTTP/1.1 still reads the response to keep framing. */
  cancel(streamRef: StreamRef): void {
    const replyTo = this.streams.replyTo(streamRef);
    this.whenConnected(() => this.command({ type: 'cancel', streamRef, replyTo }), streamRef, replyTo);
  }

  /**
   * The next message for a stream (Gun's `await`): `inform`, `response`, `data`, `trailers`,
   * `push`, `upgrade`, `ws`, `sse`, `tunnelUp` or `notify`; `timeout` applies to that one message.
   *
   * @throws GunError `GUN_ERR_TIMEOUT`, `GUN_ERR_STREAM_ERROR`, `GUN_ERR_CONNECTION_ERROR`,
   *   `GUN_ERR_DOWN` (the stream was killed or the connection ended; `cause` has the reason).
   */
  await(streamRef: StreamRef, timeout = 5000): Promise<AwaitResult> {
    return awaitMessage(this, this.mailboxOf(streamRef), streamRef, undefined, timeout) as Promise<AwaitResult>;
  }

  /**
   * The rest of a stream's body (Gun's `await_body`): data until `fin`, or trailers. The
   * timeout (ms, default 5000) applies to each message, not to the whole body.
   *
   * @throws GunError as {@link await}.
   */
  awaitBody(streamRef: StreamRef, timeout = 5000): Promise<BodyResult> {
    return awaitBody(this, this.mailboxOf(streamRef), streamRef, timeout);
  }

  /** Drops queued messages of one stream (from its mailbox), or of this whole connection (from the owner's). */
  flush(streamRef?: StreamRef): number {
    if (streamRef === undefined) return this.owner.flush((m) => m.conn === this);
    return this.mailboxOf(streamRef).flush((m) => m.conn === this && 'streamRef' in m && m.streamRef === streamRef);
  }

  /**
   * A snapshot of the connection (Gun's `info`): the owner, the socket (`undefined` while not
   * connected), the transport and the current origin (the destination of the last CONNECT/SOCKS
   * hop; `originScheme` is `undefined` while the protocol is `raw` or `socks`, as Gun's), the state,
   * the proxies passed (first hop first), the `cookieStore` option's store (a fresh one for `true`;
   * `undefined` without cookies) and the event handler; `sockIp`/`sockPort` (the local address)
   * when a socket is open, `protocol` when one is running. Gun's `event_handler_state` has no
   * counterpart: a handler object keeps its own state.
   */
  info(): ConnectionInfo {
    const socket = this.socket;
    const origin = this.origin;
    const protocol = this.stack?.protocol;
    return {
      owner: this.owner,
      socket,
      transport: origin.transport,
      stateName: this.state,
      originScheme: protocol === 'raw' || protocol === 'socks' ? undefined : origin.scheme,
      originHost: origin.host,
      originPort: origin.port,
      intermediaries: [...this.intermediaries],
      cookieStore: this.opts.cookieStore,
      eventHandler: this.opts.eventHandler,
      ...(protocol === undefined ? {} : { protocol }),
      ...(socket?.localAddress === undefined || socket.localPort === undefined ? {} : { sockIp: socket.localAddress, sockPort: socket.localPort }),
    };
  }

  /**
   * Hands the connection to another owner (Gun's `set_owner`). Only the current owner may do it:
   * `caller` must be {@link owner}. Afterwards `up`/`down` and the messages of streams opened
   * without a replyTo go to `newOwner` (streams opened before keep theirs), `info().owner` is
   * `newOwner`, and closing `newOwner` (not the old owner) shuts the connection down gracefully,
   * ending as its close reason says (see {@link Mailbox.close}: `'normal'`, `'shutdown'`, else
   * `GUN_ERR_OWNER_DOWN`). A `newOwner` already closed does so at once, as Gun's monitor of a
   * dead process.
   *
   * @throws GunError `GUN_ERR_NOT_OWNER` when `caller` is not the owner (Gun logs or postpones it, Q24);
   *   `GUN_ERR_BAD_STATE` while shutting down, closing or after the end (Gun's `badstate`, Q17);
   *   `GUN_ERR_BAD_ARGUMENT` when `newOwner` is not a Mailbox.
   */
  setOwner(newOwner: Mailbox<ConnMessage>, caller: Mailbox<ConnMessage>): void {
    if (!(newOwner instanceof Mailbox)) throw localError(CoreErrors.BAD_ARGUMENT, 'The new owner must be a Mailbox.');
    if (caller !== this.owner) throw localError(GunErrors.NOT_OWNER, 'Only the current owner may change the owner (Gun set_owner).');
    if (this.ending !== undefined || this.state === 'closing' || this.state === 'terminated') {
      throw localError(GunErrors.BAD_STATE, 'The owner cannot change while the connection shuts down, closes or has ended (Gun set_owner badstate).');
    }
    this.changeOwner(newOwner);
  }

  /**
   * Gun's `stream_info`: the stream's replyTo and state, or `undefined` once it is finished.
   * `intermediaries` are the proxies the stream goes through, first hop first: those of `info()`
   * and, for a stream inside an HTTP/2 CONNECT tunnel, the HTTP/2 proxy and the hops inside the
   * tunnel. The CONNECT stream of a tunnel has `tunnel`: where it leads and what it speaks.
   *
   * @throws GunError `GUN_ERR_NOT_CONNECTED` when the connection is not up.
   */
  streamInfo(streamRef: StreamRef): StreamInfo | undefined {
    if (this.stack === undefined) throw localError(GunErrors.NOT_CONNECTED, 'The connection is not up.');
    const s = this.stack.streamInfo(streamRef);
    if (s === undefined) return this.tunnels.streamInfo(streamRef);
    const tunnel = this.tunnels.describe(streamRef);
    return { ...s, intermediaries: [...this.intermediaries], ...(tunnel === undefined ? {} : { tunnel }) };
  }

  /**
   * Sends an HTTP/2 PING (Gun's `gun:ping`). Its acknowledgement arrives as a `notify` message
   * with `kind: 'pingAck'` and the returned `pingRef`, in `reqOpts.replyTo` (the owner's mailbox
   * by default). Postponed until the connection is up. Over HTTP/1.1 the ref gets a stream error
   * `TUNNEL_ERR_UNSUPPORTED`.
   */
  ping(reqOpts?: Pick<ReqOpts, 'replyTo'>): StreamRef {
    const pingRef = new StreamRef();
    const replyTo = reqOpts?.replyTo ?? this.owner;
    this.streams.open(pingRef, replyTo);
    this.whenConnected(() => this.command({ type: 'ping', pingRef, replyTo }), pingRef, replyTo);
    return pingRef;
  }

  /**
   * Upgrades to Websocket (Gun's `ws_upgrade/2,3,4`): over HTTP/1.1 a GET with the handshake
   * fields (RFC 6455 §4.1), after which the whole connection is a Websocket (`info().protocol` and
   * `down` say `ws`, HTTP requests get a connection error, a reconnect comes back as HTTP); over
   * HTTP/2 an extended CONNECT (RFC 8441) on one stream while others go on, with `wsOpts.keepalive`
   * PINGs on that stream (the server's SETTINGS must enable it; an upgrade made before they
   * arrive waits for them, where Gun needs the user to wait for `notify` `settingsChanged`).
   * Postponed until the connection is up. The stream's replyTo (`wsOpts.replyTo`, the owner's mailbox by default) gets
   * `upgrade` (`protocols: ['websocket']`) then `ws` messages, or a `response` when the server
   * answers with another status; read them with {@link await}. With a `cookieStore`, the request
   * carries the cookies of the `ws:`/`wss:` URL and the answer's `set-cookie` fields are stored.
   *
   * @param path the request target (`/chat?room=1`).
   * @param wsOpts see {@link WsOpts} (Gun's `ws_upgrade/4` options; used as given).
   * @throws GunError `GUN_ERR_INVALID_OPTION` naming a bad `wsOpts` key; `GUN_ERR_BAD_ARGUMENT`,
   *   `GUN_ERR_INVALID_REQUEST_HEADER` for bad headers. Stream errors (delivered): the layers'
   *   (`TUNNEL_ERR_WS_INVALID_ACCEPT`, `WS_ERR_INVALID_EXTENSIONS`, `WS_ERR_INVALID_PROTOCOL`,
   *   `TUNNEL_ERR_CONNECT_PROTOCOL_DISABLED`, `TUNNEL_ERR_BAD_STATE` over HTTP/1.0, ...).
   */
  wsUpgrade(path: string, headers?: HeadersInput, wsOpts?: WsOpts): StreamRef {
    if (typeof path !== 'string') throw localError(CoreErrors.BAD_ARGUMENT, 'The path must be a string.');
    const { tunnel, ...others } = wsOpts ?? {};
    const opts = validateWsOpts(tunnel === undefined ? wsOpts : others);
    const list = normalizeHeaders(headers, opts.invalidRequestHeaders);
    const streamRef = new StreamRef(tunnel);
    const replyTo = opts.replyTo ?? this.owner;
    this.wsTimers.set(streamRef, opts);
    const cmd = { type: 'wsUpgrade' as const, streamRef, replyTo, path, headers: list, opts: opts as Readonly<Record<string, unknown>> };
    const cookies = this.cookies;
    const url = cookies === undefined ? undefined : ConnectionCookies.requestUrl(this.scheme === 'https' ? 'wss' : 'ws', getHeader(list, 'host') ?? this.authority, path);
    this.streams.open(streamRef, replyTo, url);
    this.whenConnected(() => this.command(cookies === undefined ? cmd : Object.assign({}, cmd, { headers: cookies.addCookieHeader(list, url) })), streamRef, replyTo);
    return streamRef;
  }

  /**
   * Sends Websocket frames on an upgraded stream (Gun's `ws_send`): one frame or a list, in
   * order; a close frame ends the list (later frames, and frames of later calls, are dropped)
   * and the server's close is awaited for `closingTimeout` ms. Postponed until the connection is
   * up. Errors arrive as messages: a stream error for a bad close code or a control payload over
   * 125 octets (`WS_ERR_*`), a connection error `TUNNEL_ERR_NOT_A_WEBSOCKET` on an HTTP/1.1
   * connection that has not upgraded (Gun's `badstate`).
   *
   * @throws GunError `GUN_ERR_BAD_ARGUMENT` for a frame that is not a {@link WsFrame}.
   */
  wsSend(streamRef: StreamRef, frames: WsFrame | readonly WsFrame[]): void {
    const list = toFrames(frames);
    const replyTo = this.streams.replyTo(streamRef);
    this.whenConnected(() => {
      this.command({ type: 'wsSend', streamRef, replyTo, frames: list });
      if (list.some((f) => f.type === 'close')) this.boundWebsocketClose(streamRef);
    }, streamRef, replyTo);
  }

  /**
   * Graceful close (Gun's `shutdown`): the stream in flight finishes, others get `closing`; no
   * reconnect, no `down`; ends with reason `shutdown`. Once a shutdown or the owner's close has
   * started, a later one changes nothing.
   */
  shutdown(): void {
    this.shutdownFor('shutdown');
  }

  /**
   * Brutal close (Gun's `close`, which kills the process): the socket is closed at once, nothing
   * more is sent or delivered, and no `disconnect` event is emitted. The connection ends with
   * reason `shutdown` (`terminated`, the `terminate` event, and `await*` rejecting with
   * `GUN_ERR_DOWN` whose cause is `shutdown`, as Gun's `{down, shutdown}`).
   */
  close(): void {
    this.ending ??= 'shutdown';
    this.terminate('shutdown');
  }
}

const EMPTY = new Uint8Array(0);
