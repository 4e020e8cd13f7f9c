import { Duplex } from 'node:stream';
import { GunError, localError } from '@gunhttp/core';
import type { StreamRef } from '@gunhttp/core';
import { LayerStack, TUNNEL_FLOW, TunnelErrors, refuse } from '@gunhttp/tunnel';
import type { Delivery, Directive, EventObserver, GunCommand, LayerOutput, LayerStreamInfo, TunnelDirective } from '@gunhttp/tunnel';
import { ConnectionTimers } from '../connection-timers.js';
import type { TunnelInfo } from '../connection-types.js';
import { GunErrors } from '../errors.js';
import type { ConnectionProtocol, ResolvedOptions } from '../options.js';
import { openSession } from '../session.js';
import { StackSession } from '../stack-session.js';
import { handshake } from '../transport.js';
import type { Emit } from '../transport.js';
import { earlyDataError, hopFor } from '../tunnel-hop.js';
import type { Hop, Intermediary, Origin } from '../tunnel-hop.js';
import type { WsStreamTimers } from '../ws-stream-timers.js';

/*
 * One HTTP/2 CONNECT tunnel (Gun's gun_tunnel): the destination's protocol runs over the bytes of
 * one stream of the layer below (the connection's HTTP/2 layer, or another tunnel's). The bytes
 * travel through a chain of Node duplexes so that TLS can sit anywhere in it (node:tls over the
 * stream, and over that again for TLS-over-TLS hops inside the tunnel):
 *
 *   below: DATA ──push──> stream duplex ──[TLS socket]──[TLS socket]──> layer stack
 *          data command <──write─────────────────────────────────────── (writes)
 *
 *   handshaking ──TLS done, or none──> up ──CONNECT/SOCKS inside: next hop──> handshaking | up
 *        │                              │ └──closing directive (GOAWAY, close frame)──> closing
 *        │                              │                                               │
 *        └──────────────────────────────┴──the stream ends, the inner protocol closes───┴──> closed
 *                                               (or closingTimeout expires while closing)
 *
 * The inner session has its timers as the connection's has (Gun §5.4, §5.11): keepalive, the
 * HTTP/2 preface and settings deadlines, Websocket PINGs, the closing timeout; they stop with it.
 *
 * Reading follows the inner stack's `readPaused` (Gun §5.9 flow on HTTP/1.1, Websocket, raw), as
 * the connection pauses its socket: the pipe stops feeding the stack and the CONNECT stream's
 * window is withheld (TUNNEL_FLOW), so the proxy stops sending and the destination's writes stall:
 *
 *   flowing ──stack.readPaused──> paused ──not readPaused (updateFlow)──> flowing
 */

/** A host of layer stacks a tunnel can run inside: the connection, or a tunnel. */
export interface TunnelParent {
  /** Runs `cmd` on the parent's own stack, with no routing (the tunnel's bytes are `data` on its ref). */
  run(cmd: GunCommand): void;
  /** The protocol of the parent's stack; a CONNECT makes a stream tunnel only over `http2`. */
  readonly protocol: string | undefined;
  /** Where the parent's requests go: the HTTP/2 proxy of a tunnel made in it. */
  readonly origin: Origin;
  /** The options the parent's protocol runs with. */
  readonly opts: ResolvedOptions;
  /** The proxies passed to reach the parent, first hop first. */
  readonly path: readonly Intermediary[];
}

/** What a tunnel needs of its connection. */
export interface TunnelHostContext {
  readonly conn: unknown;
  readonly owner: unknown;
  readonly observer: EventObserver;
  readonly emit: Emit;
  /** Delivers a message the way the connection does (cookies, content handlers, replyTo). */
  deliver(d: Delivery): void;
  /** The connection's Websocket options by upgrade ref, for the Websockets inside the tunnel. */
  readonly ws: WsStreamTimers;
}

/** Where a tunnel's stack sends its directives about stream tunnels (a tunnel inside it, its bytes). */
export interface TunnelRouter {
  directive(from: TunnelParent, d: Exclude<Directive, { type: 'close' | 'closing' }>): void;
}

type HostPhase = 'handshaking' | 'up' | 'closing' | 'closed';
/** Whether the tunnel's bytes are read (see the diagram at the top). */
type Reading = 'flowing' | 'paused';

/** The stack and the streams of one HTTP/2 tunnel; made by {@link StreamTunnels}. */
export class TunnelHost implements TunnelParent {
  private phase: HostPhase = 'handshaking';
  private reading: Reading = 'flowing';
  private stack: LayerStack | undefined;
  /** The stream's own bytes: DATA pushed in, writes sent as `data` commands on the tunnel's ref. */
  private readonly bottom: Duplex;
  /** The duplex the stack reads and writes: {@link bottom}, or the last TLS socket over it. */
  private pipe: Duplex;
  private unlisten: () => void = () => undefined;
  private held: GunCommand[];
  private hop: Hop;
  /** The inner stack's session and its timers. */
  private readonly session: StackSession;
  readonly path: Intermediary[];

  constructor(
    private readonly ctx: TunnelHostContext,
    private readonly router: TunnelRouter,
    private readonly parent: TunnelParent,
    /** The CONNECT's ref: the tunnel. */
    readonly ref: StreamRef,
    private readonly replyTo: unknown,
    hop: Hop,
    held: GunCommand[],
  ) {
    this.hop = hop;
    this.held = held;
    this.path = [...parent.path, hop.intermediary];
    this.bottom = new Duplex({
      read: () => undefined,
      write: (chunk: Uint8Array, _encoding, done) => {
        parent.run({ type: 'data', streamRef: ref, replyTo, fin: false, data: chunk });
        done();
      },
    });
    this.pipe = this.bottom;
    const self = (): this => this;
    this.session = new StackSession(new ConnectionTimers(), ctx.ws, {
      get stack() { return self().stack; },
      apply: (out) => this.apply(out),
      command: (cmd) => this.run(cmd),
    });
  }

  get protocol(): string | undefined {
    return this.stack?.protocol;
  }

  get origin(): Origin {
    return this.hop.origin;
  }

  get opts(): ResolvedOptions {
    return this.hop.opts;
  }

  /** Starts the destination's protocol, after TLS through the tunnel when asked. */
  start(): void {
    this.enter(this.hop, { streamRef: this.ref, replyTo: this.replyTo }, new Uint8Array(0));
  }

  /** Octets relayed by the proxy (DATA of the tunnel's stream). */
  receive(data: Uint8Array): void {
    if (this.phase !== 'closed') this.bottom.push(data);
  }

  /** The proxy's END_STREAM: the destination closed its side (RFC 9113 §8.5). */
  receiveEof(): void {
    if (this.phase !== 'closed') this.bottom.push(null);
  }

  /** A user command routed here: run now, or held while a TLS handshake runs. */
  run(cmd: GunCommand): void {
    if (this.phase === 'handshaking') this.held.push(cmd);
    else if (this.phase === 'closed' || this.stack === undefined) this.apply(refuse(this.ctx.conn, cmd, closedError('cancelled')));
    else this.apply(this.stack.command(cmd));
  }

  /** After our close frame on a Websocket in an HTTP/2 stream inside the tunnel: its closing timeout. */
  boundWebsocketClose(ref: StreamRef): void {
    this.session.boundWebsocketClose(ref);
  }

  /** What `streamInfo` shows of a stream inside the tunnel. */
  streamInfo(ref: StreamRef): LayerStreamInfo | undefined {
    return this.stack?.streamInfo(ref);
  }

  /** What the tunnel leads to, for the CONNECT stream's `streamInfo` (Gun's `tunnel` map). */
  describe(): TunnelInfo {
    const o = this.hop.origin;
    return { transport: o.transport, protocol: this.stack?.protocol, originScheme: o.scheme, originHost: o.host, originPort: o.port };
  }

  /** The streams inside the tunnel that have not finished (for `down`'s killed streams). */
  openStreams(): StreamRef[] {
    const held = this.held.flatMap((c) => (c.type === 'request' || c.type === 'wsUpgrade' || c.type === 'connect' ? [c.streamRef] : []));
    return [...(this.stack?.openStreams() ?? []), ...held];
  }

  /**
   * The tunnel is gone because of `cause` (`'cancelled'`: by us). Each stream still open inside
   * gets the stream error `TUNNEL_ERR_TUNNEL_CLOSED` (Gun's `Tunnel closed unexpectedly.`), except
   * with no cause: the whole connection went down and `down` lists them.
   */
  close(cause: GunError | 'cancelled' | undefined): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    const stack = this.stack;
    this.stack = undefined;
    this.session.end();
    this.unlisten();
    this.pipe.destroy();
    this.bottom.destroy();
    if (cause === undefined) return;
    const reason = closedError(cause);
    for (const ref of stack?.openStreams() ?? []) {
      const info = stack?.streamInfo(ref);
      // A stream the user cancelled (stopping) was already told all it will be.
      if (ref !== this.ref && info?.state !== 'stopping') this.ctx.deliver({ replyTo: info?.replyTo, message: { type: 'error', conn: this.ctx.conn, streamRef: ref, reason } });
    }
    const held = this.held.splice(0);
    for (const cmd of held) this.apply(refuse(this.ctx.conn, cmd, reason));
  }

  /**
   * The protocol of `hop` starts over the current pipe, after a TLS handshake through it when
   * `hop.opts.transport` is `tls` (then `remainder` must be empty: the client speaks first).
   */
  private enter(hop: Hop, tunnel: { streamRef: StreamRef | undefined; replyTo: unknown }, remainder: Uint8Array): void {
    this.hop = hop;
    if (hop.opts.transport === 'tcp') return this.up(this.pipe, hop.opts.protocols[0] ?? 'http', tunnel, remainder);
    if (remainder.length > 0) return this.fail(earlyDataError(remainder.length));
    this.phase = 'handshaking';
    this.unlisten();
    const scope = { streamRef: this.ref, replyTo: this.replyTo };
    handshake(this.pipe, hop.origin.host, hop.opts, this.ctx.emit, scope).then(
      (tls) => {
        if (this.phase === 'handshaking') this.up(tls.socket, tls.protocol, tunnel, new Uint8Array(0));
        else tls.socket.destroy();
      },
      (error: unknown) => this.fail(error as GunError),
    );
  }

  /** `protocolChanged`, `tunnelUp` to the tunnel's replyTo, then the held commands in order. */
  private up(pipe: Duplex, protocol: ConnectionProtocol, tunnel: { streamRef: StreamRef | undefined; replyTo: unknown }, remainder: Uint8Array): void {
    this.phase = 'up';
    this.listen(pipe);
    const streamRef = tunnel.streamRef ?? this.ref;
    const o = this.hop.origin;
    const ctx = { scheme: o.scheme, authority: o.authority, owner: this.ctx.owner, conn: this.ctx.conn, observer: this.ctx.observer, tunnel: { streamRef, replyTo: tunnel.replyTo } };
    const session = openSession(protocol, this.hop.opts, ctx);
    this.session.begin(session);
    this.stack = new LayerStack(session.layer, this.ctx.conn);
    this.apply(session.opening);
    this.ctx.emit('protocolChanged', { protocol, streamRef });
    this.ctx.deliver({ replyTo: tunnel.replyTo, message: { type: 'tunnelUp', conn: this.ctx.conn, streamRef, protocol } });
    if (remainder.length > 0) this.apply(this.stack.receive(remainder));
    for (const cmd of this.held.splice(0)) this.run(cmd);
    this.session.arm();
  }

  private listen(pipe: Duplex): void {
    this.unlisten();
    this.pipe = pipe;
    const onData = (chunk: Uint8Array): void => {
      if (this.stack !== undefined) this.apply(this.stack.receive(chunk));
    };
    const onEnd = (): void => {
      if (this.stack !== undefined) this.apply(this.stack.receiveEof());
    };
    const onError = (): void => undefined;
    pipe.on('data', onData).on('end', onEnd).on('error', onError);
    this.unlisten = () => void pipe.off('data', onData).off('end', onEnd).off('error', onError);
  }

  private apply(out: LayerOutput | undefined): void {
    if (out === undefined) return;
    this.session.inspect(out);
    for (const w of out.writes) this.pipe.write(w);
    for (const e of out.events) this.ctx.emit(e.name, e.event as never);
    const failed = out.directives.length > 0 && out.directives.some(isFailure);
    for (const d of out.deliveries) {
      // The inner connection failed: its connection-level errors are not the proxy connection's
      // (Gun §3.2, §5.12); closeFromInside reports them on the tunnel's ref and its streams.
      if (!(failed && isConnectionError(d))) this.ctx.deliver(d);
    }
    for (const d of out.directives) {
      if (d.type === 'close') this.closeFromInside(d.reason);
      else if (d.type === 'closing') this.startClosing(d.timeout);
      else if (d.type === 'tunnel' && d.scope === 'connection') this.nextHop(d);
      else this.router.directive(this, d);
    }
    this.followPause();
  }

  /**
   * Pauses or resumes the tunnel as the inner stack asks: the pipe's `data`, and the CONNECT
   * stream's window in the parent's HTTP/2 layer (`updateFlow` by ∓TUNNEL_FLOW on the tunnel's ref).
   */
  private followPause(): void {
    const wanted: Reading = this.stack?.readPaused === true ? 'paused' : 'flowing';
    if (wanted === this.reading || this.phase === 'closed') return;
    this.reading = wanted;
    if (wanted === 'paused') this.pipe.pause();
    else this.pipe.resume();
    this.parent.run({ type: 'updateFlow', streamRef: this.ref, increment: wanted === 'paused' ? -TUNNEL_FLOW : TUNNEL_FLOW });
  }

  /**
   * The inner protocol closes gracefully (a GOAWAY, a Websocket close frame; Gun §5.8): the
   * streams in flight may finish, but the tunnel closes after `timeout` ms whatever happens.
   */
  private startClosing(timeout: number): void {
    if (this.phase !== 'up' && this.phase !== 'closing') return;
    this.phase = 'closing';
    this.session.timers.closeAfter(timeout, () => {
      this.closeFromInside(localError(GunErrors.CLOSED, `The connection inside the tunnel did not close within its closingTimeout (${timeout} ms, Gun closing_timeout).`));
    });
  }

  /**
   * A CONNECT over HTTP/1.1 or a SOCKS5 hop inside the tunnel (Gun §5.12, §5.13): the tunnel now
   * leads further; `originChanged` with the tunnel's ref, then the next protocol as in {@link enter}.
   */
  private nextHop(d: TunnelDirective): void {
    const previous = this.stack?.protocol;
    let hop: Hop;
    try {
      hop = hopFor(d, this.hop.origin, previous === 'socks' || previous === 'http2' ? previous : 'http', this.hop.opts);
    } catch (error) {
      return this.fail(error as GunError);
    }
    this.path.push(hop.intermediary);
    this.stack = undefined;
    this.session.end();
    this.held = [...d.pending];
    const o = hop.origin;
    this.ctx.emit('originChanged', { type: hop.intermediary.type, originScheme: o.scheme, originHost: o.host, originPort: o.port, streamRef: this.ref });
    this.enter(hop, { streamRef: d.streamRef, replyTo: d.replyTo }, d.remainder);
  }

  /**
   * The inner protocol closed its connection: the tunnel's stream is cancelled. When it failed
   * (a GunError: a bad preface, a protocol error, a deadline) the CONNECT's replyTo gets the
   * failure as a stream error on the tunnel's ref, as Gun turns the inner `connection_error`
   * into a `stream_error` of the tunnel stream (Gun §3.2, §5.12); its open streams get
   * `TUNNEL_ERR_TUNNEL_CLOSED` with the failure as cause ({@link close}).
   */
  private closeFromInside(reason: unknown): void {
    if (reason instanceof GunError) return this.fail(tunnelStreamError(reason));
    this.close(new GunError(TunnelErrors.TUNNEL_CLOSED, `The connection inside the tunnel closed (${String(reason)}).`, { origin: 'remote' }));
    this.parent.run({ type: 'cancel', streamRef: this.ref, replyTo: this.replyTo });
  }

  /** A hop failed (TLS inside the tunnel, a bad destination): the CONNECT's replyTo is told, the stream cancelled. */
  private fail(error: GunError): void {
    if (this.phase === 'closed') return;
    this.ctx.deliver({ replyTo: this.replyTo, message: { type: 'error', conn: this.ctx.conn, streamRef: this.ref, reason: error } });
    this.close(error);
    this.parent.run({ type: 'cancel', streamRef: this.ref, replyTo: this.replyTo });
  }
}

/** `TUNNEL_ERR_TUNNEL_CLOSED` for the streams of a tunnel that ended because of `cause`. */
export function closedError(cause: GunError | 'cancelled'): GunError {
  const why = cause === 'cancelled' ? 'the tunnel was cancelled' : cause.message;
  return new GunError(TunnelErrors.TUNNEL_CLOSED, `The tunnel closed unexpectedly (${why}): its HTTP/2 stream ended before this stream did.`, {
    origin: cause === 'cancelled' ? 'local' : cause.origin,
    ...(cause === 'cancelled' ? {} : { cause }),
  });
}

/**
 * The failure of the connection inside a tunnel as a stream error of the tunnel's stream (Gun
 * turns `{connection_error, Code, Human}` into `{stream_error, Code, Human}`): the same code,
 * message and HTTP/2 code, scope `stream`, the inner error as cause.
 */
export function tunnelStreamError(inner: GunError): GunError {
  if (inner.scope === 'stream') return inner;
  return new GunError(inner.code, inner.message, { origin: inner.origin, scope: 'stream', cause: inner, ...(inner.h2Code === undefined ? {} : { h2Code: inner.h2Code }) });
}

/** A `close` directive for a failure (a GunError), not a clean end. */
function isFailure(d: Directive): boolean {
  return d.type === 'close' && d.reason instanceof GunError;
}

/** A connection-level `error` message (no stream ref): Gun's `{gun_error, ConnPid, Reason}`. */
function isConnectionError(d: Delivery): boolean {
  return d.message.type === 'error' && d.message.streamRef === undefined;
}
