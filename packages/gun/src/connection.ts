import type { Socket } from 'node:net';
import { CoreErrors, GunError, Mailbox, StreamRef, deliverTo, getHeader, localError, normalizeHeaders, utf8Encode } from '@gunhttp/core';
import type { DownReason, GunMessage, HeadersInput, InvalidRequestHeaders, Protocol, ReplyTo, WsFrame } from '@gunhttp/core';
import { LayerStack } from '@gunhttp/tunnel';
import type { Delivery, GunCommand, LayerOutput, RequestFunction } from '@gunhttp/tunnel';
import { authorityOf } from './authority.js';
import { ConnectionCookies } from './cookies.js';
import { awaitBody, awaitMessage } from './awaiting.js';
import type { AwaitResult, BodyResult } from './awaiting.js';
import { GunErrors } from './errors.js';
import { EventDispatch } from './event-dispatch.js';
import type { ConnectionProtocol, ResolvedOptions } from './options.js';
import { openSession, websocketSession } from './session.js';
import type { Session } from './session.js';
import { establish } from './transport.js';
import type { Target } from './transport.js';
import { toFrames, validateWsOpts } from './ws-client.js';
import type { WsOpts } from './ws-client.js';

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
}

/**
 * Connection states, as `info().stateName` and the `terminate` event report them (Gun §0):
 *
 *   notConnected ─> domainLookup ─> connecting ─> initialTlsHandshake ─> connected ─> closing
 *        ^                                                                  │            │
 *        └──────────────── retry (down) ────────────────────────────────────┴────────────┘
 *   any state ─> terminated (retries exhausted, shutdown, close)
 */
export type StateName = 'notConnected' | 'domainLookup' | 'connecting' | 'initialTlsHandshake' | 'connected' | 'closing' | 'terminated';

/** What `info()` returns (Gun's `gun:info/1`). */
export interface ConnectionInfo {
  readonly owner: Mailbox<ConnMessage>;
  readonly socket: Socket | undefined;
  readonly transport: 'tcp' | 'tls';
  readonly stateName: StateName;
  readonly originScheme: 'http' | 'https';
  readonly originHost: string;
  readonly originPort: number;
  readonly intermediaries: readonly unknown[];
  readonly protocol?: Protocol;
  readonly sockIp?: string;
  readonly sockPort?: number;
  readonly eventHandler: unknown;
}

/** What `streamInfo()` returns for a live stream. */
export interface StreamInfo {
  readonly ref: StreamRef;
  readonly replyTo: unknown;
  readonly state: 'running' | 'stopping';
  readonly intermediaries: readonly unknown[];
}

/**
 * One Gun connection: a socket to an origin kept up by a retry policy, speaking HTTP/1.1 through
 * the layer stack. Request functions return a {@link StreamRef} at once; responses arrive as
 * messages in the stream's replyTo (the owner's mailbox by default) and can be read with
 * {@link await}/{@link awaitBody}. Operations made while not connected are postponed and replayed
 * once `up` (Gun §0). Obtain one with `open()` or `openUnix()`.
 */
export class Connection {
  /** The owner's mailbox: `up`, `down`, and every stream's messages unless a replyTo says otherwise. */
  readonly owner: Mailbox<ConnMessage>;
  /** Resolves with the termination reason when the connection ends for good. */
  readonly terminated: Promise<unknown>;
  private state: StateName = 'notConnected';
  private ending: 'shutdown' | 'ownerDown' | undefined;
  private socket: Socket | undefined;
  private stack: LayerStack | undefined;
  private session: Session | undefined;
  private retriesLeft: number;
  private retryStreak = 0;
  private postponed: Array<() => void> = [];
  private readonly replyTos = new WeakMap<StreamRef, ReplyTo<ConnMessage>>();
  private readonly cookies: ConnectionCookies | undefined;
  private readonly urls = new WeakMap<StreamRef, URL>();
  private readonly killed = new WeakMap<StreamRef, DownReason>();
  /** ms between Websocket PINGs of each upgrade stream (its `wsOpts.keepalive`). */
  private readonly wsKeepalives = new WeakMap<StreamRef, number>();
  private endReason: unknown;
  private readonly watchers = new Map<StreamRef, Set<() => void>>();
  private readonly endWatchers = new Set<() => void>();
  private timers: { retry?: NodeJS.Timeout | undefined; keepalive?: NodeJS.Timeout | undefined; closing?: NodeJS.Timeout | undefined; deadlines: NodeJS.Timeout[] } = { deadlines: [] };
  private attempt: AbortController | undefined;
  private socketError: unknown;
  private corked = false;
  private readonly events: EventDispatch;
  private readonly authority: string;
  private resolveTerminated!: (reason: unknown) => void;

  /** @internal Use `open()` / `openUnix()`. */
  constructor(
    private readonly target: Target,
    private readonly opts: ResolvedOptions,
    owner: Mailbox<ConnMessage> | undefined,
  ) {
    this.owner = owner ?? new Mailbox<ConnMessage>();
    this.retriesLeft = opts.retry;
    this.events = new EventDispatch(opts.eventHandler, this);
    const host = target.kind === 'inet' ? target.host : 'localhost';
    this.authority = authorityOf(host, this.originPort, opts.transport);
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
    if (opts.cookieStore !== undefined) this.cookies = new ConnectionCookies(opts.cookieStore, opts.httpOpts.cookieIgnoreInformational === true);
    this.owner.onClose(() => this.shutdownFor('ownerDown'));
  }

  private get originPort(): number {
    if (this.target.kind === 'inet') return this.target.port;
    return this.opts.transport === 'tls' ? 443 : 80;
  }

  /** @internal Starts the first connection attempt (called by `open`). */
  start(): void {
    const host = this.target.kind === 'inet' ? this.target.host : this.target.path;
    this.events.emit('init', { owner: this.owner, transport: this.opts.transport, originScheme: this.scheme, originHost: host, originPort: this.originPort, opts: this.opts });
    this.connect();
  }

  private get scheme(): 'http' | 'https' {
    return this.opts.transport === 'tls' ? 'https' : 'http';
  }

  private connect(): void {
    this.state = 'domainLookup';
    const attempt = new AbortController();
    this.attempt = attempt;
    const emit: typeof this.events.emit = (name, event) => {
      if (name === 'connectStart') this.state = 'connecting';
      if (name === 'tlsHandshakeStart') this.state = 'initialTlsHandshake';
      this.events.emit(name, event);
    };
    establish(this.target, this.opts, emit, attempt.signal).then(
      ({ socket, protocol }) => (attempt.signal.aborted ? socket.destroy() : this.connected(socket, protocol)),
      (error: unknown) => {
        if (!attempt.signal.aborted) this.attemptFailed(error);
      },
    );
  }

  private connected(socket: Socket, protocol: ConnectionProtocol): void {
    this.attempt = undefined;
    this.socket = socket;
    this.socketError = undefined;
    const session = openSession(protocol, this.opts, { scheme: this.scheme, authority: this.authority, owner: this.owner, conn: this, observer: this.events });
    this.session = session;
    this.stack = new LayerStack(session.layer, this);
    socket.on('data', (chunk: Uint8Array) => this.apply(this.stack?.receive(chunk)));
    socket.on('end', () => this.apply(this.stack?.receiveEof()));
    socket.on('error', (e) => (this.socketError = e));
    socket.on('close', () => this.disconnect(this.socketError === undefined ? 'closed' : new GunError(GunErrors.SOCKET, `The socket failed: ${String(this.socketError)}`, { origin: 'transport', cause: this.socketError })));
    this.state = 'connected';
    this.retriesLeft = this.opts.retry;
    this.retryStreak = 0;
    this.apply(session.opening);
    this.owner.deliver({ type: 'up', conn: this, protocol });
    this.armTimers(session);
    const ops = this.postponed;
    this.postponed = [];
    for (const op of ops) op();
  }

  /** The session's keepalive and deadlines; each applies its output to the session still current. */
  private armTimers(session: Session): void {
    const current = (): boolean => this.session === session && this.stack !== undefined;
    if (Number.isFinite(session.keepalive)) {
      this.timers.keepalive = setInterval(() => current() && this.apply(session.tick()), session.keepalive);
    }
    for (const d of session.deadlines) {
      this.timers.deadlines.push(setTimeout(() => current() && this.apply(d.check()), d.after));
    }
  }

  private attemptFailed(error: unknown): void {
    this.attempt = undefined;
    if (this.ending !== undefined) return this.terminate(this.ending);
    if (this.retriesLeft <= 0) return this.terminate(error);
    this.scheduleRetry();
  }

  /** Gun §5.1: the default policy retries at once the first time, then every `retryTimeout` ms. */
  private scheduleRetry(): void {
    const next = this.opts.retryFun !== undefined
      ? this.opts.retryFun(this.retriesLeft, this.opts)
      : { retries: this.retriesLeft - 1, timeout: this.retryStreak === 0 ? 0 : this.opts.retryTimeout };
    this.retryStreak++;
    this.retriesLeft = next.retries;
    this.state = 'notConnected';
    this.timers.retry = setTimeout(() => this.connect(), next.timeout);
  }

  private apply(out: LayerOutput | undefined): void {
    if (out === undefined) return;
    if (this.stack?.protocol === 'ws' && this.session !== undefined && this.session.protocol !== 'ws') this.switchedToWebsocket(this.stack);
    const socket = this.socket;
    if (socket !== undefined && out.writes.length > 0) this.write(socket, out.writes);
    for (const e of out.events) this.events.emit(e.name, e.event as never);
    for (const d of out.deliveries) this.deliver(d);
    for (const d of out.directives) {
      if (d.type === 'close') this.disconnect(d.reason);
      else if (d.type === 'closing') this.startClosing(d.timeout);
    }
  }

  /**
   * Gun §5.10: a 101 made the connection a Websocket. The HTTP keepalive stops; the upgrade's
   * `wsOpts.keepalive` PINGs start. `down` and `info()` now say `ws` (the stack's protocol).
   */
  private switchedToWebsocket(stack: LayerStack): void {
    const ref = stack.openStreams()[0];
    clearInterval(this.timers.keepalive);
    this.timers.keepalive = undefined;
    const session = websocketSession(stack, (ref === undefined ? undefined : this.wsKeepalives.get(ref)) ?? Infinity);
    this.session = session;
    this.armTimers(session);
  }

  /**
   * Writes are corked until the end of the tick, so requests made in one go (pipelining) leave in
   * one system call.
   */
  private write(socket: Socket, chunks: Uint8Array[]): void {
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    for (const chunk of chunks) socket.write(chunk);
  }

  private deliver(d: Delivery): void {
    if (this.cookies !== undefined && 'streamRef' in d.message && d.message.streamRef !== undefined) {
      this.cookies.onMessage(d.message, this.urls.get(d.message.streamRef));
    }
    deliverTo(d.replyTo as ReplyTo<ConnMessage>, d.message as ConnMessage);
  }

  private startClosing(timeout: number): void {
    this.state = 'closing';
    if (this.timers.closing === undefined && Number.isFinite(timeout)) {
      this.timers.closing = setTimeout(() => this.disconnect('closed'), timeout);
    }
  }

  private clearConnectionTimers(): void {
    clearInterval(this.timers.keepalive);
    clearTimeout(this.timers.closing);
    for (const t of this.timers.deadlines) clearTimeout(t);
    this.timers = { retry: this.timers.retry, deadlines: [] };
  }

  /** The socket is gone: tell the owner which streams died, then reconnect or terminate. */
  private disconnect(reason: DownReason): void {
    const dropped = this.teardown(reason, true);
    if (dropped === undefined) return;
    if (this.ending !== undefined) return this.terminate(this.ending);
    this.owner.deliver({ type: 'down', conn: this, protocol: dropped.protocol, reason, killedStreams: dropped.killedStreams });
    if (this.opts.retry === 0) return this.terminate(reason);
    this.retriesLeft = this.opts.retry;
    this.retryStreak = 0;
    this.scheduleRetry();
  }

  /**
   * Closes the socket and kills the streams still open; `undefined` when there was no socket.
   * With `flush`, what the layers wrote last (a GOAWAY, a close frame) is sent before the socket
   * closes; a peer that does not read gets {@link FLUSH_LIMIT_MS} before the socket is destroyed.
   */
  private teardown(reason: DownReason, flush: boolean): { protocol: Protocol; killedStreams: StreamRef[] } | undefined {
    const socket = this.socket;
    const stack = this.stack;
    if (socket === undefined || stack === undefined) return undefined;
    this.socket = undefined;
    this.stack = undefined;
    this.session = undefined;
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    socket.removeAllListeners('close');
    socket.on('error', () => undefined);
    if (this.corked) socket.uncork();
    if (flush && socket.writableLength > 0) {
      socket.end();
      setTimeout(() => socket.destroy(), FLUSH_LIMIT_MS).unref();
    } else {
      socket.destroy();
    }
    this.clearConnectionTimers();
    const killedStreams = stack.openStreams();
    this.events.emit('disconnect', { reason });
    for (const ref of killedStreams) this.kill(ref, reason);
    return { protocol: stack.protocol, killedStreams };
  }

  private kill(ref: StreamRef, reason: DownReason): void {
    this.killed.set(ref, reason);
    const ws = this.watchers.get(ref);
    if (ws !== undefined) for (const w of [...ws]) w();
  }

  private terminate(reason: unknown): void {
    if (this.state === 'terminated') return;
    const last = this.state;
    this.attempt?.abort();
    clearTimeout(this.timers.retry);
    this.teardown('closed', false);
    this.state = 'terminated';
    this.endReason = reason;
    this.postponed = [];
    this.events.emit('terminate', { state: last, reason });
    for (const w of [...this.endWatchers]) w();
    this.resolveTerminated(reason);
  }

  private command(cmd: GunCommand): void {
    if (this.stack !== undefined) this.apply(this.stack.command(cmd));
  }

  /** Runs `op` now when connected, or once the connection is up (Gun postpones operations). */
  private whenConnected(op: () => void, ref?: StreamRef, replyTo?: ReplyTo<ConnMessage>): void {
    if (this.state === 'connected' || this.state === 'closing') op();
    else if (this.state !== 'terminated') this.postponed.push(op);
    else if (ref !== undefined) {
      this.kill(ref, 'closed');
      deliverTo(replyTo ?? this.owner, { type: 'error', conn: this, streamRef: ref, reason: localError(GunErrors.BAD_STATE, 'The connection has ended.') });
    }
  }

  /** @internal Watches a stream for `await`: the callback runs when the stream is killed or the connection ends. */
  watch(ref: StreamRef | undefined, onGone: () => void): () => void {
    if (ref !== undefined) {
      let set = this.watchers.get(ref);
      if (set === undefined) this.watchers.set(ref, (set = new Set()));
      set.add(onGone);
    }
    this.endWatchers.add(onGone);
    return () => {
      if (ref !== undefined) {
        const set = this.watchers.get(ref);
        set?.delete(onGone);
        if (set?.size === 0) this.watchers.delete(ref);
      }
      this.endWatchers.delete(onGone);
    };
  }

  /**
   * @internal Why a stream can no longer get messages: killed by a disconnect (the `down`
   * reason), or the connection ended (its termination reason); `undefined` while it may.
   */
  goneReason(ref: StreamRef | undefined): { reason: unknown } | undefined {
    if (ref !== undefined && this.killed.has(ref)) return { reason: this.killed.get(ref) };
    if (this.state === 'terminated') return { reason: this.endReason };
    return undefined;
  }

  /** @internal The mailbox a stream replies to. */
  mailboxOf(ref: StreamRef): Mailbox<ConnMessage> {
    const replyTo = this.replyTos.get(ref) ?? this.owner;
    if (typeof replyTo === 'function') {
      throw localError(GunErrors.NO_MAILBOX, 'The stream replies to a function: there is no mailbox to await on.');
    }
    return replyTo;
  }

  // ---- The user API -------------------------------------------------------------------------

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
    const streamRef = new StreamRef();
    const replyTo = reqOpts?.replyTo ?? this.owner;
    this.replyTos.set(streamRef, replyTo);
    const flow = reqOpts?.flow;
    if (flow !== undefined && !(Number.isInteger(flow) && flow > 0)) throw localError(CoreErrors.BAD_ARGUMENT, 'reqOpts.flow must be a positive integer.');
    const cmd = { type: 'request' as const, streamRef, replyTo, method, path, headers: list, body, function: fn, ...(flow === undefined ? {} : { flow }) };
    const cookies = this.cookies;
    if (cookies === undefined) {
      this.whenConnected(() => this.command(cmd), streamRef, replyTo);
    } else {
      const url = ConnectionCookies.requestUrl(this.scheme, getHeader(list, 'host') ?? this.authority, path);
      if (url !== undefined) this.urls.set(streamRef, url);
      // Cookies are read when the request is sent, so responses that came before it count.
      this.whenConnected(() => this.command({ ...cmd, headers: cookies.addCookieHeader(list, url) }), streamRef, replyTo);
    }
    const signal = reqOpts?.signal;
    if (signal !== undefined) {
      if (signal.aborted) this.cancel(streamRef);
      else signal.addEventListener('abort', () => this.cancel(streamRef), { once: true });
    }
    return streamRef;
  }

  /**
   * Sends request body bytes (Gun's `data`); `fin` ends the body. Empty data without `fin` sends
   * nothing; empty data with `fin` only ends the body. Errors arrive as stream `error` messages.
   */
  data(streamRef: StreamRef, fin: boolean, data: Body): void {
    const bytes = typeof data === 'string' ? utf8Encode(data) : data;
    if (!fin && bytes.length === 0) return;
    const replyTo = this.replyTos.get(streamRef) ?? this.owner;
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
    const replyTo = this.replyTos.get(streamRef) ?? this.owner;
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

  /** Gun's `info`. */
  info(): ConnectionInfo {
    const socket = this.socket;
    const host = this.target.kind === 'inet' ? this.target.host : 'localhost';
    return {
      owner: this.owner,
      socket,
      transport: this.opts.transport,
      stateName: this.state,
      originScheme: this.scheme,
      originHost: host,
      originPort: this.originPort,
      intermediaries: [],
      eventHandler: this.opts.eventHandler,
      ...(this.stack === undefined ? {} : { protocol: this.stack.protocol }),
      ...(socket?.localAddress === undefined ? {} : { sockIp: socket.localAddress, sockPort: socket.localPort! }),
    };
  }

  /**
   * Gun's `stream_info`: the stream's replyTo and state, or `undefined` once it is finished.
   *
   * @throws GunError `GUN_ERR_NOT_CONNECTED` when the connection is not up.
   */
  streamInfo(streamRef: StreamRef): StreamInfo | undefined {
    if (this.stack === undefined) throw localError(GunErrors.NOT_CONNECTED, 'The connection is not up.');
    const s = this.stack.streamInfo(streamRef);
    return s === undefined ? undefined : { ...s, intermediaries: [] };
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
    this.replyTos.set(pingRef, replyTo);
    this.whenConnected(() => this.command({ type: 'ping', pingRef, replyTo }), pingRef, replyTo);
    return pingRef;
  }

  /**
   * Upgrades to Websocket (Gun's `ws_upgrade/2,3,4`): over HTTP/1.1 a GET with the handshake
   * fields (RFC 6455 §4.1), after which the whole connection is a Websocket (`info().protocol` and
   * `down` say `ws`, HTTP requests get a connection error, a reconnect comes back as HTTP); over
   * HTTP/2 an extended CONNECT (RFC 8441) on one stream while others go on (the server's SETTINGS
   * must have enabled it: wait for `notify` `settingsChanged`, as Gun). Postponed until the
   * connection is up. The stream's replyTo (`wsOpts.replyTo`, the owner's mailbox by default) gets
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
    const opts = validateWsOpts(wsOpts);
    const list = normalizeHeaders(headers, opts.invalidRequestHeaders);
    const streamRef = new StreamRef();
    const replyTo = opts.replyTo ?? this.owner;
    this.replyTos.set(streamRef, replyTo);
    if (opts.keepalive !== undefined) this.wsKeepalives.set(streamRef, opts.keepalive);
    const cmd = { type: 'wsUpgrade' as const, streamRef, replyTo, path, headers: list, opts: opts as Readonly<Record<string, unknown>> };
    const cookies = this.cookies;
    const url = cookies === undefined ? undefined : ConnectionCookies.requestUrl(this.scheme === 'https' ? 'wss' : 'ws', getHeader(list, 'host') ?? this.authority, path);
    if (url !== undefined) this.urls.set(streamRef, url);
    this.whenConnected(() => this.command(cookies === undefined ? cmd : { ...cmd, headers: cookies.addCookieHeader(list, url) }), streamRef, replyTo);
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
    const replyTo = this.replyTos.get(streamRef) ?? this.owner;
    this.whenConnected(() => this.command({ type: 'wsSend', streamRef, replyTo, frames: list }), streamRef, replyTo);
  }

  /** Graceful close (Gun's `shutdown`): the stream in flight finishes, others get `closing`; no reconnect, no `down`. */
  shutdown(): void {
    this.shutdownFor('shutdown');
  }

  private shutdownFor(why: 'shutdown' | 'ownerDown'): void {
    if (this.state === 'terminated') return;
    this.ending = why;
    if (this.stack === undefined) return this.terminate(why);
    this.command({ type: 'shutdown', reason: why });
  }

  /** Brutal close (Gun's `close`): the socket is closed at once, nothing more is sent or delivered. */
  close(): void {
    this.ending ??= 'shutdown';
    this.terminate('closed');
  }
}

const EMPTY = new Uint8Array(0);

/** ms a closing socket may take to send its last bytes (a GOAWAY) to a peer that is slow to read. */
const FLUSH_LIMIT_MS = 1000;
