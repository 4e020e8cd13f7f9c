import { GunError, StreamRef, assertNever, localError } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { Http1ClientConnection, Http1Errors } from '@gunhttp/http1';
import type { Http1Event, Http1Options } from '@gunhttp/http1';
import type { CancelCommand, ConnectCommand, DataCommand, GunCommand, RequestCommand, WsSendCommand, WsUpgradeCommand } from '../commands.js';
import type { Destination } from '../destination.js';
import { TunnelErrors } from '../errors.js';
import { ALL_EVENTS, appendOutput, emptyOutput, openedStreams, refuse, streamError, tunnelledError } from '../layer.js';
import type { EventObserver, Layer, LayerContext, LayerOutput, LayerStreamInfo } from '../layer.js';
import { ConnectTracker, connectRequest, isTunnelStatus, notATunnelError } from './http1-connect.js';
import { requestEvents, switchAfter101, wsUpgradeRequest } from './http1-upgrade.js';
import { PLAIN, asGunError, closingError } from './http1-streams.js';
import type { Http1Stream } from './http1-streams.js';
import { flowSpent, raiseFlow, spendFlow } from './message-flow.js';
import type { WsPlatform } from './ws-upgrade.js';

/** Options of the HTTP/1.1 layer: the codec's options and what the layer needs of the origin. */
export interface Http1LayerOptions extends Http1Options, Partial<LayerContext> {
  /** The `host` to send when the user gives none: host, with `:port` unless it is the default. */
  readonly authority: string;
  /** ms to wait for streams in flight after a graceful close starts (Gun default 15000). */
  readonly closingTimeout?: number;
  /** Randomness, SHA-1 and deflate for Websocket upgrades; without it `wsUpgrade` is `TUNNEL_ERR_UNSUPPORTED`. */
  readonly ws?: WsPlatform;
  /** Gun's `http_opts.flow`: the message-count flow of requests without their own `flow` (Gun §5.9). */
  readonly flow?: number;
}

/**
 * The HTTP/1.1 layer: requests in, Gun messages and events out, over one
 * {@link Http1ClientConnection}. Pipelines as Gun does (requests written at once, responses
 * matched in order); after a `connection: close` response the connection closes and pipelined
 * streams get a `closing` error (Gun §5.6).
 *
 * CONNECT (Gun §5.12, RFC 9110 §9.3.6): only with no other stream in flight
 * (`TUNNEL_ERR_CONNECT_BUSY`); commands made while it awaits its answer are held. A 2xx is a
 * `response` with `fin: true` and a `tunnel` directive carrying the bytes after the head and the
 * held commands; the layer is then finished (`TUNNEL_ERR_TUNNELLED` for later commands, and
 * `receive` throws it). Any other status is a plain response, after which the held commands run.
 */
export class Http1Layer implements Layer {
  readonly protocol = 'http' as const;
  private readonly codec: Http1ClientConnection;
  /**
   * The streams in flight, oldest first (the order of their responses). An array: a connection
   * has few, and a Map emptied after each response would reallocate its table every request.
   */
  private readonly streams: Http1Stream[] = [];
  private readonly authority: string;
  private readonly closingTimeout: number;
  private readonly conn: unknown;
  private readonly observer: EventObserver;
  private readonly platform: WsPlatform | undefined;
  private readonly version: Http1Options['version'];
  private closing: 'no' | 'graceful' | 'peer' = 'no';
  private readonly connects = new ConnectTracker();
  private readonly defaultFlow: number | undefined;

  constructor(options: Http1LayerOptions) {
    this.codec = new Http1ClientConnection(options);
    this.authority = options.authority;
    this.closingTimeout = options.closingTimeout ?? 15000;
    this.conn = options.conn;
    this.observer = options.observer ?? ALL_EVENTS;
    this.platform = options.ws;
    this.version = options.version;
    this.defaultFlow = options.flow;
  }

  /** Gun pauses only for the stream whose response is being read (the oldest), while it runs. */
  get readPaused(): boolean {
    const current = this.streams[0];
    return current !== undefined && current.state === 'running' && flowSpent(current.flow);
  }

  get idle(): boolean {
    return this.streams.length === 0;
  }

  /** Streams in flight, then those of the commands held behind a CONNECT. */
  openStreams(): StreamRef[] {
    return [...this.streams, ...this.connects.heldStreams()].map((s) => s.ref);
  }

  streamInfo(ref: StreamRef): LayerStreamInfo | undefined {
    const s = this.byRef(ref) ?? this.connects.heldStreams().find((h) => h.ref === ref);
    return s === undefined ? undefined : { ref: s.ref, replyTo: s.replyTo, state: 'state' in s ? s.state : 'running' };
  }

  command(cmd: GunCommand): LayerOutput {
    if (this.connects.name === 'tunnelled') return refuse(this.conn, cmd, tunnelledError());
    if (this.connects.throughRefused(cmd)) return refuse(this.conn, cmd, notATunnelError());
    if (this.connects.holds(cmd)) {
      this.connects.hold(cmd);
      return emptyOutput();
    }
    switch (cmd.type) {
      case 'request':
        return this.request(cmd);
      case 'data':
        return this.data(cmd);
      case 'cancel':
        return this.cancel(cmd);
      case 'keepalive':
        return this.keepalive();
      case 'shutdown':
        return this.shutdown();
      case 'wsUpgrade':
        return this.wsUpgrade(cmd);
      case 'wsSend':
        return this.wsSend(cmd);
      case 'connect':
        return this.connect(cmd);
      case 'updateFlow':
        this.raiseFlow(cmd.streamRef, cmd.increment);
        return emptyOutput();
      case 'ping':
        return this.unsupported(cmd);
      default:
        return assertNever(cmd, 'command');
    }
  }

  /** @throws GunError `TUNNEL_ERR_TUNNELLED` after the `tunnel` directive (the client swaps layers). */
  receive(chunk: Uint8Array): LayerOutput {
    if (this.connects.name === 'tunnelled') throw tunnelledError();
    const out = emptyOutput();
    this.handleEvents(this.codec.receive(chunk), out);
    return out;
  }

  /**
   * The peer closed: a close-delimited body ends; a response cut short is not a protocol error
   * but a closed connection, reported as `closed` with its stream killed (Gun's gun_down).
   */
  receiveEof(): LayerOutput {
    const out = emptyOutput();
    const events = this.codec.receiveEof();
    const cutShort = events.at(-1)?.type === 'error';
    this.handleEvents(cutShort ? events.slice(0, -1) : events, out);
    if (!out.directives.some((d) => d.type === 'close')) {
      // Gun's disconnect reason for a socket the peer closed (its `{Closed, Socket}`).
      out.directives.push({ type: 'close', reason: 'closed' });
    }
    return out;
  }

  /** `role`: a Websocket upgrade or a CONNECT has no body and no framing field (Gun's ws_upgrade, connect). */
  private request(cmd: RequestCommand, role = PLAIN, out = emptyOutput()): LayerOutput {
    if (this.closing !== 'no') {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, closingError()));
      return out;
    }
    if (this.codec.streamingId !== undefined) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, localError(
        TunnelErrors.BODY_IN_PROGRESS,
        'A new request cannot be sent while the body of the previous one is still being streamed.',
      )));
      return out;
    }
    const headers = cmd.headers;
    const authority = role.kind === 'connect' ? role.authority : this.authority;
    let id: number;
    try {
      id = this.codec.request({
        method: cmd.method,
        target: cmd.path,
        authority,
        headers,
        body: role.kind !== 'request' ? { kind: 'none' } : cmd.body === undefined ? { kind: 'streamed' } : { kind: 'full', data: cmd.body },
      });
    } catch (error) {
      // The codec refuses requests once the connection is to close after a pending response
      // (RFC 9112 §9.6): Gun's `closing`. Other refusals (a bad method or target) keep their code.
      const e = asGunError(error);
      const reason = e.code === Http1Errors.NOT_ACCEPTING_REQUESTS ? closingError() : e;
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, reason));
      return out;
    }
    this.streams.push({ id, ref: cmd.streamRef, replyTo: cmd.replyTo, method: cmd.method, role, state: 'running', flow: cmd.flow ?? this.defaultFlow });
    pushAll(out.writes, this.codec.takeOutput());
    if (role.kind === 'connect') this.connects.begin(cmd.streamRef);
    requestEvents(cmd, authority, role.kind === 'request', this.version ?? 'HTTP/1.1', this.observer, out.events);
    return out;
  }

  /** Gun's connect over HTTP/1.1: alone on the connection (Gun §3.2), authority-form (RFC 9110 §9.3.6). */
  private connect(cmd: ConnectCommand): LayerOutput {
    const out = emptyOutput();
    // While closing, the request path gives the `closing` error.
    const made = connectRequest(cmd, this.closing === 'no' && this.streams.length > 0);
    if (made instanceof GunError) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, made));
      return out;
    }
    return this.request(made.request, { kind: 'connect', destination: cmd.destination, authority: made.authority }, out);
  }

  private data(cmd: DataCommand): LayerOutput {
    const out = emptyOutput();
    const id = this.byRef(cmd.streamRef)?.id;
    if (id === undefined || this.codec.streamingId !== id) {
      const code = id === undefined ? TunnelErrors.STREAM_NOT_FOUND : TunnelErrors.STREAM_CLOSED;
      const text = id === undefined ? 'The stream cannot be found.' : 'The stream has already been closed.';
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, localError(code, text)));
      return out;
    }
    try {
      this.codec.sendData(id, cmd.data, { fin: cmd.fin });
    } catch (error) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, asGunError(error)));
      return out;
    }
    pushAll(out.writes, this.codec.takeOutput());
    if (cmd.fin && this.observer.observes('requestEnd')) out.events.push({ name: 'requestEnd', event: { streamRef: cmd.streamRef, replyTo: cmd.replyTo } });
    return out;
  }

  private cancel(cmd: CancelCommand): LayerOutput {
    const out = emptyOutput();
    const stream = this.byRef(cmd.streamRef);
    if (stream === undefined) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, localError(TunnelErrors.STREAM_NOT_FOUND, 'The stream cannot be found.')));
      return out;
    }
    if (stream.state === 'running') {
      stream.state = 'stopping';
      if (this.observer.observes('cancel')) out.events.push({ name: 'cancel', event: { streamRef: stream.ref, replyTo: stream.replyTo, endpoint: 'local', reason: 'cancel' } });
    }
    return out;
  }

  /**
   * Gun's ws_upgrade over HTTP/1.1 (RFC 6455 §4.1): a GET with the handshake fields before the
   * user's. Refused over HTTP/1.0 (`TUNNEL_ERR_BAD_STATE`, Gun) and for bad options.
   */
  private wsUpgrade(cmd: WsUpgradeCommand): LayerOutput {
    if (this.platform === undefined) return this.unsupported(cmd);
    const out = emptyOutput();
    if (this.observer.observes('wsUpgrade')) out.events.push({ name: 'wsUpgrade', event: { streamRef: cmd.streamRef, replyTo: cmd.replyTo, opts: cmd.opts } });
    const made = wsUpgradeRequest(cmd, this.platform, this.version);
    if (made instanceof GunError) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, made));
      return out;
    }
    return this.request(made.request, { kind: 'ws', handshake: made.handshake }, out);
  }

  /** Frames before the upgrade: Gun's connection-wide `badstate`. */
  private wsSend(cmd: WsSendCommand): LayerOutput {
    if (this.platform === undefined) return this.unsupported(cmd);
    const out = emptyOutput();
    const reason = localError(TunnelErrors.NOT_A_WEBSOCKET, 'This connection does not currently accept Websocket frames.');
    out.deliveries.push({ replyTo: cmd.replyTo, message: { type: 'error', conn: this.conn, streamRef: undefined, reason } });
    return out;
  }

  /** Operations this layer does not offer: a stream error. */
  private unsupported(cmd: Extract<GunCommand, { type: 'ping' | 'wsUpgrade' | 'wsSend' }>): LayerOutput {
    const out = emptyOutput();
    const ref = cmd.type === 'ping' ? cmd.pingRef : cmd.streamRef;
    out.deliveries.push(streamError(this.conn, cmd.replyTo, ref, localError(TunnelErrors.UNSUPPORTED, `${cmd.type} is not supported on an HTTP/1.1 connection by this version.`)));
    return out;
  }

  private keepalive(): LayerOutput {
    const out = emptyOutput();
    // Gun §5.4: a bare CRLF, never while a body is being streamed or a CONNECT awaits its answer;
    // nor while an upgrade awaits its 101, as the server would take the CRLF for Websocket bytes.
    if (this.codec.streamingId === undefined && this.closing === 'no' && !this.switchPending()) out.writes.push(CRLF);
    return out;
  }

  /** Whether an upgrade or a CONNECT awaits its answer (the bytes after it are another protocol's). */
  private switchPending(): boolean {
    for (const s of this.streams) if (s.role.kind !== 'request') return true;
    return false;
  }

  private shutdown(): LayerOutput {
    const out = emptyOutput();
    if (this.closing === 'no') this.closing = 'graceful';
    this.dropPipelined(out, closingError('shutdown'), this.codec.pendingIds[0]);
    for (const h of openedStreams(this.connects.drop())) out.deliveries.push(streamError(this.conn, h.replyTo, h.ref, closingError('shutdown')));
    if (this.streams.length === 0) out.directives.push({ type: 'close', reason: 'normal' });
    else out.directives.push({ type: 'closing', timeout: this.closingTimeout });
    return out;
  }

  /** Gives `closing` to every stream but `current`, whose response is being read (Gun §5.6). */
  private dropPipelined(out: LayerOutput, reason: GunError, current: number | undefined): void {
    for (const s of this.streams.filter((p) => p.id !== current)) {
      this.forget(s);
      if (s.state === 'running') out.deliveries.push(streamError(this.conn, s.replyTo, s.ref, reason));
    }
  }

  private forget(s: Http1Stream): void {
    const i = this.streams.indexOf(s);
    if (i === 0) this.streams.shift();
    else if (i > 0) this.streams.splice(i, 1);
  }

  /** The stream of a codec event: the oldest, but for events of a response cut short by a drop. */
  private byId(id: number): Http1Stream | undefined {
    for (const s of this.streams) if (s.id === id) return s;
    return undefined;
  }

  private byRef(ref: StreamRef): Http1Stream | undefined {
    for (const s of this.streams) if (s.ref === ref) return s;
    return undefined;
  }

  /** Gun's `update_flow`; ignored for streams without a flow, finished or unknown. */
  private raiseFlow(ref: StreamRef, increment: number): void {
    const s = this.byRef(ref);
    if (s !== undefined) s.flow = raiseFlow(s.flow, increment);
  }

  private handleEvents(events: Http1Event[], out: LayerOutput): void {
    for (const e of events) this.handleEvent(e, out);
  }

  private handleEvent(e: Http1Event, out: LayerOutput): void {
    if (e.type === 'error') {
      this.failAll(e.error, out);
      return;
    }
    const s = this.byId(e.id);
    if (s === undefined) return;
    const live = s.state === 'running';
    const { conn, observer } = this;
    switch (e.type) {
      case 'responseStart':
        if (observer.observes('responseStart')) out.events.push({ name: 'responseStart', event: { streamRef: s.ref, replyTo: s.replyTo } });
        return;
      case 'inform':
        // Gun's gun_http reports response_start before every head, 1xx included: the next head
        // of this response starts after this one.
        if (observer.observes('responseInform')) out.events.push({ name: 'responseInform', event: { streamRef: s.ref, replyTo: s.replyTo, status: e.status, headers: e.headers } });
        if (observer.observes('responseStart')) out.events.push({ name: 'responseStart', event: { streamRef: s.ref, replyTo: s.replyTo } });
        if (live) out.deliveries.push({ replyTo: s.replyTo, message: { type: 'inform', conn, streamRef: s.ref, status: e.status, headers: e.headers } });
        return;
      case 'response':
        if (observer.observes('responseHeaders')) out.events.push({ name: 'responseHeaders', event: { streamRef: s.ref, replyTo: s.replyTo, status: e.status, headers: e.headers } });
        if (live) out.deliveries.push({ replyTo: s.replyTo, message: { type: 'response', conn, streamRef: s.ref, fin: e.fin, status: e.status, headers: e.headers } });
        // A CONNECT's 2xx ends the HTTP/1.1 connection: the `upgrade` event that follows tunnels it.
        if (s.role.kind === 'connect' && isTunnelStatus(e.status)) return;
        if (!this.codec.keepAlive && this.closing === 'no') {
          this.closing = 'peer';
          // Gun §5.6: with a body to come the streams behind get `closing` at once; without one
          // the socket closes now and they die with it (Gun's `{closed, normal}`; `down` lists them).
          if (e.fin) {
            this.end(s, out);
            if (this.streams.length > 0) out.directives.push({ type: 'close', reason: 'normal' });
            return;
          }
          this.dropPipelined(out, closingError(), e.id);
        }
        if (e.fin) this.end(s, out);
        return;
      case 'data':
        if (live) {
          out.deliveries.push({ replyTo: s.replyTo, message: { type: 'data', conn, streamRef: s.ref, fin: e.fin, data: e.data } });
          s.flow = spendFlow(s.flow);
        }
        if (e.fin) this.end(s, out);
        return;
      case 'trailers':
        if (observer.observes('responseTrailers')) out.events.push({ name: 'responseTrailers', event: { streamRef: s.ref, replyTo: s.replyTo, headers: e.headers } });
        if (live) out.deliveries.push({ replyTo: s.replyTo, message: { type: 'trailers', conn, streamRef: s.ref, headers: e.headers } });
        this.end(s, out);
        return;
      case 'upgrade':
        this.upgrade(s, e.protocols, e.headers, out);
        return;
      default:
        assertNever(e, 'HTTP/1.1 event');
    }
  }

  private end(s: Http1Stream, out: LayerOutput): void {
    this.forget(s);
    if (this.observer.observes('responseEnd')) out.events.push({ name: 'responseEnd', event: { streamRef: s.ref, replyTo: s.replyTo } });
    // No tunnel: the commands held behind the CONNECT run on this connection, in order.
    if (s.role.kind === 'connect') for (const c of this.connects.release()) appendOutput(out, this.command(c));
    if (this.closing !== 'no' && this.streams.length === 0) out.directives.push({ type: 'close', reason: 'normal' });
  }

  private upgrade(s: Http1Stream, protocols: string[], headers: HeaderList, out: LayerOutput): void {
    if (s.role.kind === 'connect') {
      this.tunnelled(s, s.role.destination, out);
      return;
    }
    // A raw connection keeps counting the upgrade request's flow (Gun §5.16: flow counts chunks).
    const flow = s.flow;
    this.forget(s);
    const handshake = s.role.kind === 'ws' ? s.role.handshake : undefined;
    const owner = { ref: s.ref, replyTo: s.replyTo, conn: this.conn, observer: this.observer, ...(flow === undefined ? {} : { flow }) };
    switchAfter101(owner, handshake, protocols, headers, this.codec.takeRemainder(), out);
  }

  /**
   * A 2xx to the CONNECT (Gun §5.12): its `response` (fin) was delivered; the connection now leads
   * to `destination`. A graceful shutdown that started meanwhile closes it instead.
   */
  private tunnelled(s: Http1Stream, destination: Destination, out: LayerOutput): void {
    const pending = this.connects.tunnel();
    this.end(s, out);
    if (this.closing !== 'no') return;
    const remainder = this.codec.takeRemainder();
    out.directives.push({ type: 'tunnel', scope: 'connection', streamRef: s.ref, replyTo: s.replyTo, via: 'connect', destination, remainder, pending });
  }

  /** A peer violation ends the connection: every stream's replyTo hears of it once. */
  private failAll(error: GunError, out: LayerOutput): void {
    const running = this.streams.filter((s) => s.state === 'running');
    for (const replyTo of new Set([...running, ...this.connects.heldStreams()].map((s) => s.replyTo))) {
      out.deliveries.push({ replyTo, message: { type: 'error', conn: this.conn, streamRef: undefined, reason: error } });
    }
    out.directives.push({ type: 'close', reason: error });
  }
}

const CRLF = new Uint8Array([0x0d, 0x0a]);

function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
