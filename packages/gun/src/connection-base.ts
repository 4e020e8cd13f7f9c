import type { Socket } from 'node:net';
import { GunError, Mailbox, StreamRef, deliverTo, localError } from '@gunhttp/core';
import type { DownReason, GunMessage, Protocol, ReplyTo } from '@gunhttp/core';
import { LayerStack } from '@gunhttp/tunnel';
import type { Delivery, GunCommand, LayerOutput, TunnelDirective } from '@gunhttp/tunnel';
import type { Connection } from './connection.js';
import type { ConnMessage, StateName } from './connection-types.js';
import { contentDeliveryFor } from './content-delivery.js';
import type { ContentDelivery } from './content-delivery.js';
import type { ResolvedContentHandler } from './content-handlers/content-handler.js';
import { validateContentHandlers } from './content-handlers/options.js';
import { ConnectionCookies } from './cookies.js';
import { ConnectionTimers } from './connection-timers.js';
import { GunErrors } from './errors.js';
import { EventDispatch } from './event-dispatch.js';
import type { ConnectionProtocol, ResolvedOptions } from './options.js';
import { openSession, websocketSession } from './session.js';
import type { Session, SessionContext } from './session.js';
import { SocketWriter } from './socket-writer.js';
import { StreamRegistry } from './stream-registry.js';
import { StreamTunnels } from './stream-tunnels/stream-tunnels.js';
import type { TunnelHostContext, TunnelParent } from './stream-tunnels/tunnel-host.js';
import { establish, handshake } from './transport.js';
import type { Target } from './transport.js';
import { earlyDataError, hopFor, originOf } from './tunnel-hop.js';
import type { Hop, Intermediary, Origin } from './tunnel-hop.js';

const EMPTY_PING = new Uint8Array(0);
/** Gun's default `ws_opts.closing_timeout`, ms. */
const WS_CLOSING_TIMEOUT_MS = 15000;

/**
 * The life of a {@link Connection} (Gun's gun process): connecting with retries, the socket and
 * the layer stack, applying what the layers produce, going down and terminating. The user API is
 * in connection.ts.
 */
export abstract class ConnectionBase {
  /** The owner's mailbox: `up`, `down`, and every stream's messages unless a replyTo says otherwise. */
  get owner(): Mailbox<ConnMessage> {
    return this.currentOwner;
  }
  private currentOwner: Mailbox<ConnMessage>;
  /** Stops watching the owner (Gun's owner monitor: its close is a graceful `ownerDown` shutdown). */
  private unwatchOwner: () => void = () => undefined;
  /** Resolves with the termination reason when the connection ends for good. */
  readonly terminated: Promise<unknown>;
  protected state: StateName = 'notConnected';
  protected ending: 'shutdown' | 'ownerDown' | undefined;
  protected socket: Socket | undefined;
  protected stack: LayerStack | undefined;
  private session: Session | undefined;
  private retriesLeft: number;
  private retryStreak = 0;
  private postponed: Array<() => void> = [];
  protected readonly streams: StreamRegistry;
  protected readonly cookies: ConnectionCookies | undefined;
  /** ms between Websocket PINGs of each upgrade stream (its `wsOpts.keepalive`). */
  protected readonly wsTimers = new WeakMap<StreamRef, { readonly keepalive?: number; readonly closingTimeout?: number }>();
  private endReason: unknown;
  private readonly timers = new ConnectionTimers();
  private readonly writer = new SocketWriter();
  /** The session's content handlers; `undefined` for Gun's default (data is delivered as is). */
  private content: ContentDelivery | undefined;
  private readonly httpContentHandlers: readonly ResolvedContentHandler[];
  private attempt: AbortController | undefined;
  protected socketError: unknown;
  protected readonly events: EventDispatch;
  /** Where requests go now: the target, or the destination of the last CONNECT / SOCKS hop. */
  protected origin: Origin;
  /** The proxies passed, first hop first (Gun's intermediaries; reset on reconnect). */
  protected intermediaries: Intermediary[] = [];
  /** The streams of commands held by a hop while its TLS handshake runs (killed if it fails). */
  private hopHeld: StreamRef[] = [];
  private readonly socketListeners = new Map<Socket, () => void>();
  /** The HTTP/2 CONNECT tunnels (Gun §5.12), each running a stack inside one stream. */
  protected readonly tunnels: StreamTunnels;
  /** The connection's own stack, as the parent of the tunnels made in it. */
  private readonly root: TunnelParent;
  private resolveTerminated!: (reason: unknown) => void;

  /** @internal Use `open()` / `openUnix()`. */
  constructor(
    protected readonly target: Target,
    protected readonly opts: ResolvedOptions,
    owner: Mailbox<ConnMessage> | undefined,
  ) {
    this.currentOwner = owner ?? new Mailbox<ConnMessage>();
    this.streams = new StreamRegistry(this.owner);
    this.httpContentHandlers = validateContentHandlers(opts.httpOpts.contentHandlers, 'options.httpOpts.contentHandlers');
    this.retriesLeft = opts.retry;
    this.events = new EventDispatch(opts.eventHandler, this.self);
    this.origin = this.firstOrigin();
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
    this.tunnels = new StreamTunnels(this.tunnelContext());
    this.root = this.rootParent();
    if (opts.cookieStore !== undefined) this.cookies = new ConnectionCookies(opts.cookieStore, opts.httpOpts.cookieIgnoreInformational === true);
    this.watchOwner();
  }

  private tunnelContext(): TunnelHostContext {
    const self = (): this => this;
    return {
      conn: this.self,
      get owner() { return self().owner; },
      observer: this.events,
      emit: this.events.emit.bind(this.events),
      deliver: (d) => this.deliver(d),
    };
  }

  private rootParent(): TunnelParent {
    const self = (): this => this;
    return {
      run: (cmd) => {
        if (this.stack !== undefined) this.apply(this.stack.command(cmd));
      },
      get protocol() { return self().stack?.protocol; },
      get origin() { return self().origin; },
      get opts() { return self().opts; },
      get path() { return self().intermediaries; },
    };
  }

  private firstOrigin(): Origin {
    const t = this.target;
    return t.kind === 'inet' ? originOf(t.host, t.port, this.opts.transport) : originOf('localhost', this.opts.transport === 'tls' ? 443 : 80, this.opts.transport);
  }

  /** `host` / `:authority` when a request has none: the current origin's. */
  protected get authority(): string {
    return this.origin.authority;
  }

  /** The connection as its messages name it (a ConnectionBase is only ever a {@link Connection}). */
  protected get self(): Connection {
    return this as unknown as Connection;
  }

  /**
   * @internal Starts the first connection attempt (called by `open`); `given` is the options as
   * given to `open`, which the `init` event reports (Gun's init `opts`).
   */
  start(given: unknown = {}): void {
    const host = this.target.kind === 'inet' ? this.target.host : this.target.path;
    this.events.emit('init', { owner: this.owner, transport: this.opts.transport, originScheme: this.scheme, originHost: host, originPort: this.origin.port, opts: given });
    this.attemptConnect();
  }

  protected get scheme(): 'http' | 'https' {
    return this.origin.scheme;
  }

  private attemptConnect(): void {
    this.state = 'domainLookup';
    this.origin = this.firstOrigin();
    this.intermediaries = [];
    const attempt = new AbortController();
    this.attempt = attempt;
    // An attempt abandoned by close() or a newer attempt reports nothing and changes no state.
    const emit: typeof this.events.emit = (name, event) => {
      if (attempt.signal.aborted) return;
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
    this.socketError = undefined;
    this.retriesLeft = this.opts.retry;
    this.retryStreak = 0;
    this.begin(socket, protocol, this.opts, undefined);
    this.owner.deliver({ type: 'up', conn: this.self, protocol });
    this.armTimers(this.session!);
    this.runPostponed();
  }

  /** Starts `protocol` on `socket` (the transport, or what a hop leads to) with its layer stack. */
  private begin(socket: Socket, protocol: ConnectionProtocol, opts: ResolvedOptions, tunnel: SessionContext['tunnel']): void {
    if (socket !== this.socket) this.listen(socket);
    const ctx = { scheme: this.scheme, authority: this.authority, owner: this.owner, conn: this.self, observer: this.events };
    const session = openSession(protocol, opts, tunnel === undefined ? ctx : { ...ctx, tunnel });
    this.session = session;
    const handlers = protocol === 'http2' ? opts.http2Opts.contentHandlers : opts === this.opts ? this.httpContentHandlers : validateContentHandlers(opts.httpOpts.contentHandlers, 'destination.protocols');
    // Gun §5.9: the flow counts what the handlers delivered (e.g. sse events), not data messages.
    this.content = contentDeliveryFor(handlers, (streamRef, increment) => this.command({ type: 'updateFlow', streamRef, increment }));
    this.stack = new LayerStack(session.layer, this.self);
    this.state = 'connected';
    this.apply(session.opening);
  }

  /** Reads `socket` into the stack; a socket replaced by a TLS one wrapping it is let go first. */
  private listen(socket: Socket): void {
    const previous = this.socket;
    if (previous !== undefined) {
      this.socketListeners.get(previous)?.();
      this.socketListeners.delete(previous);
    }
    this.socket = socket;
    const onData = (chunk: Uint8Array): void => this.apply(this.stack?.receive(chunk));
    const onEnd = (): void => this.apply(this.stack?.receiveEof());
    const onError = (e: Error): void => void (this.socketError = e);
    const onClose = (): void => this.disconnect(this.socketError === undefined ? 'closed' : new GunError(GunErrors.SOCKET, `The socket failed: ${String(this.socketError)}`, { origin: 'transport', cause: this.socketError }));
    socket.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    this.socketListeners.set(socket, () => socket.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose));
  }

  private runPostponed(): void {
    const ops = this.postponed;
    this.postponed = [];
    for (const op of ops) op();
  }

  /** The session's keepalive and deadlines; each applies its output to the session still current. */
  private armTimers(session: Session): void {
    this.timers.arm(session, () => this.session === session && this.stack !== undefined, (out) => this.apply(out));
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
    this.timers.scheduleRetry(next.timeout, () => this.attemptConnect());
  }

  private apply(out: LayerOutput | undefined): void {
    if (out === undefined) return;
    if (this.stack?.protocol === 'ws' && this.session !== undefined && this.session.protocol !== 'ws') this.switchedToWebsocket(this.stack);
    const socket = this.socket;
    if (socket !== undefined && out.writes.length > 0) this.writer.write(socket, out.writes);
    for (const e of out.events) this.events.emit(e.name, e.event as never);
    for (const d of out.deliveries) this.deliver(d);
    for (const d of out.directives) {
      if (d.type === 'close') this.disconnect(d.reason);
      else if (d.type === 'closing') this.startClosing(d.timeout);
      else if (d.type === 'tunnel' && d.scope === 'connection') this.tunnelled(d);
      else this.tunnels.directive(this.root, d);
    }
    this.followReadPause();
  }

  /** Pauses or resumes socket reads as the stack asks (Gun's flow on HTTP/1.1, Websocket, raw). */
  private followReadPause(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    const paused = this.stack?.readPaused === true;
    if (paused === socket.isPaused()) return;
    if (paused) socket.pause();
    else socket.resume();
  }

  /**
   * A CONNECT 2xx or a SOCKS success (Gun §5.12, §5.13): the whole connection now leads to the
   * destination. The proxy becomes an intermediary and `originChanged` is emitted; then TLS to
   * the destination through the tunnel when asked (TLS over TLS behind a TLS proxy), and the
   * destination's protocol starts ({@link enterHop}).
   */
  private tunnelled(d: TunnelDirective): void {
    const socket = this.socket;
    const previous = this.stack?.protocol;
    if (socket === undefined || previous === undefined) return;
    let hop: Hop;
    try {
      hop = hopFor(d, this.origin, previous === 'socks' || previous === 'http2' ? previous : 'http', this.opts);
    } catch (error) {
      return this.disconnect(error as GunError);
    }
    this.intermediaries.push(hop.intermediary);
    this.origin = hop.origin;
    this.events.emit('originChanged', { type: hop.intermediary.type, originScheme: hop.origin.scheme, originHost: hop.origin.host, originPort: hop.origin.port });
    if (hop.opts.transport === 'tcp') return this.enterHop(socket, hop.opts.protocols[0] ?? 'http', hop, d);
    if (d.remainder.length > 0) return this.disconnect(earlyDataError(d.remainder.length));
    // Until the handshake ends, new operations wait (whenConnected) and the held ones are kept.
    this.stack = undefined;
    this.hopHeld = d.pending.flatMap((c) => (c.type === 'request' || c.type === 'wsUpgrade' || c.type === 'connect' ? [c.streamRef] : []));
    this.state = 'tlsHandshake';
    // The handshake's outcome decides `down`'s reason: the raw socket's own close must not.
    this.socketListeners.get(socket)?.();
    socket.on('error', () => undefined);
    const scope = d.streamRef === undefined ? { replyTo: d.replyTo } : { streamRef: d.streamRef, replyTo: d.replyTo };
    handshake(socket, hop.origin.host, hop.opts, this.events.emit.bind(this.events), scope).then(
      (tls) => (this.socket === socket && this.state === 'tlsHandshake' ? this.enterHop(tls.socket, tls.protocol, hop, d) : tls.socket.destroy()),
      (error: unknown) => {
        if (this.socket === socket) this.disconnect(error as GunError);
      },
    );
  }

  /**
   * The destination's protocol starts on `socket` (Gun §5.12): `protocolChanged`, the bytes the
   * proxy sent after its answer, `tunnelUp` to the CONNECT's replyTo, then the commands held
   * during the hop and those postponed, in order.
   */
  private enterHop(socket: Socket, protocol: ConnectionProtocol, hop: Hop, d: TunnelDirective): void {
    this.hopHeld = [];
    this.timers.clearConnection();
    const streamRef = protocol === 'raw' ? d.streamRef ?? new StreamRef() : d.streamRef;
    this.begin(socket, protocol, hop.opts, { streamRef, replyTo: d.replyTo });
    // Gun: the CONNECT's ref when the hop is one (none after a SOCKS hop).
    this.events.emit('protocolChanged', d.streamRef === undefined ? { protocol } : { protocol, streamRef: d.streamRef });
    deliverTo(d.replyTo as ReplyTo<ConnMessage>, { type: 'tunnelUp', conn: this.self, streamRef, protocol });
    if (d.remainder.length > 0) this.apply(this.stack?.receive(d.remainder));
    for (const c of d.pending) this.command(c);
    if (this.session !== undefined) this.armTimers(this.session);
    this.runPostponed();
  }

  /**
   * Gun §5.10: a 101 made the connection a Websocket. The HTTP keepalive stops; the upgrade's
   * `wsOpts.keepalive` PINGs start. `down` and `info()` now say `ws` (the stack's protocol).
   */
  private switchedToWebsocket(stack: LayerStack): void {
    const ref = stack.openStreams()[0];
    this.timers.stopKeepalive();
    const session = websocketSession(stack, (ref === undefined ? undefined : this.wsTimers.get(ref)?.keepalive) ?? Infinity);
    this.session = session;
    this.armTimers(session);
  }

  private deliver(d: Delivery): void {
    const m = d.message;
    if (this.cookies !== undefined && 'streamRef' in m && m.streamRef !== undefined) {
      this.cookies.onMessage(m, this.streams.url(m.streamRef));
    }
    if (m.type === 'upgrade' && this.session?.protocol === 'http2') this.keepWebsocketStreamAlive(m.streamRef);
    if (this.content?.route(d.replyTo as ReplyTo<GunMessage>, m) === true) return;
    deliverTo(d.replyTo as ReplyTo<ConnMessage>, m as ConnMessage);
  }

  /**
   * After our close frame on a Websocket in an HTTP/2 stream, the server's close (or its
   * END_STREAM) must come within `wsOpts.closingTimeout` ms (default 15000); else the stream is
   * cancelled (RST_STREAM CANCEL), as a TCP Websocket's socket would be closed (RFC 6455 §7.1.1).
   */
  protected boundWebsocketClose(ref: StreamRef): void {
    if (this.session?.protocol !== 'http2') return;
    const timeout = this.wsTimers.get(ref)?.closingTimeout ?? WS_CLOSING_TIMEOUT_MS;
    if (!Number.isFinite(timeout)) return;
    this.timers.every(timeout, () => {
      if (this.stack?.streamInfo(ref) !== undefined) this.command({ type: 'cancel', streamRef: ref, replyTo: this.streams.replyTo(ref) });
      return false;
    });
  }

  /**
   * `wsOpts.keepalive` of a Websocket in an HTTP/2 stream (RFC 8441): a PING frame on that
   * stream every `keepalive` ms while the stream lives; the connection's own keepalive goes on.
   */
  private keepWebsocketStreamAlive(ref: StreamRef): void {
    const every = this.wsTimers.get(ref)?.keepalive;
    if (every === undefined || !Number.isFinite(every)) return;
    const replyTo = this.streams.replyTo(ref);
    this.timers.every(every, () => {
      if (this.stack?.streamInfo(ref) === undefined) return false;
      this.command({ type: 'wsSend', streamRef: ref, replyTo, frames: [{ type: 'ping', data: EMPTY_PING }] });
      return true;
    });
  }

  private startClosing(timeout: number): void {
    this.state = 'closing';
    this.timers.closeAfter(timeout, () => this.closingTimedOut());
  }

  /**
   * Gun §5.8: `closingTimeout` expired. After a shutdown or the owner's close no `down` will list
   * the streams still open, so each first gets the stream error `GUN_ERR_CLOSED` (Gun's
   * `{closed, shutdown}`); then the socket closes.
   */
  private closingTimedOut(): void {
    const ending = this.ending;
    if (ending !== undefined) {
      for (const ref of this.stack?.openStreams() ?? []) {
        const reason = localError(GunErrors.CLOSED, `The connection closed (${ending}) before the stream ended: closingTimeout expired (Gun closing_timeout).`);
        deliverTo(this.streams.replyTo(ref), { type: 'error', conn: this.self, streamRef: ref, reason });
      }
    }
    this.disconnect('closed');
  }

  /** The socket is gone: tell the owner which streams died, then reconnect or terminate. */
  private disconnect(reason: DownReason): void {
    const dropped = this.teardown(reason, true);
    if (dropped === undefined) return;
    if (this.ending !== undefined) return this.terminate(this.ending);
    this.owner.deliver({ type: 'down', conn: this.self, protocol: dropped.protocol, reason, killedStreams: dropped.killedStreams });
    if (this.opts.retry === 0) return this.terminate(reason);
    this.retriesLeft = this.opts.retry;
    this.retryStreak = 0;
    this.scheduleRetry();
  }

  /**
   * Closes the socket and kills the streams still open; `undefined` when there was no socket.
   * With `flush`, what the layers wrote last (a GOAWAY, a close frame) is sent first.
   */
  private teardown(reason: DownReason, flush: boolean): { protocol: Protocol; killedStreams: StreamRef[] } | undefined {
    const socket = this.socket;
    const stack = this.stack;
    if (socket === undefined) return undefined;
    this.socketListeners.clear();
    this.socket = undefined;
    this.stack = undefined;
    this.session = undefined;
    this.writer.close(socket, flush);
    this.timers.clearConnection();
    this.content = undefined;
    const killedStreams = [...(stack?.openStreams() ?? this.hopHeld), ...this.tunnels.killAll()];
    this.hopHeld = [];
    this.events.emit('disconnect', { reason });
    for (const ref of killedStreams) this.streams.kill(ref, reason);
    return { protocol: stack?.protocol ?? 'http', killedStreams };
  }

  protected terminate(reason: unknown): void {
    if (this.state === 'terminated') return;
    const last = this.state;
    this.attempt?.abort();
    this.timers.cancelRetry();
    this.teardown('closed', false);
    this.state = 'terminated';
    this.endReason = reason;
    this.postponed = [];
    this.events.emit('terminate', { state: last, reason });
    this.streams.ended();
    this.resolveTerminated(reason);
  }

  /** Runs a user command in the stack it belongs to: an HTTP/2 tunnel's (see stream-tunnels/), or the connection's. */
  protected command(cmd: GunCommand): void {
    this.tunnels.route(cmd, this.root);
  }

  /** Runs `op` now when connected, or once the connection is up (Gun postpones operations). */
  protected whenConnected(op: () => void, ref?: StreamRef, replyTo?: ReplyTo<ConnMessage>): void {
    if (this.state === 'connected' || this.state === 'closing') op();
    else if (this.state !== 'terminated') this.postponed.push(op);
    else if (ref !== undefined) {
      this.streams.kill(ref, 'closed');
      deliverTo(replyTo ?? this.owner, { type: 'error', conn: this.self, streamRef: ref, reason: localError(GunErrors.BAD_STATE, 'The connection has ended.') });
    }
  }

  /** @internal Watches a stream for `await`: the callback runs when the stream is killed or the connection ends. */
  watch(ref: StreamRef | undefined, onGone: () => void): () => void {
    return this.streams.watch(ref, onGone);
  }

  /**
   * @internal Why a stream can no longer get messages: killed by a disconnect (the `down`
   * reason), or the connection ended (its termination reason); `undefined` while it may.
   */
  goneReason(ref: StreamRef | undefined): { reason: unknown } | undefined {
    const killed = ref === undefined ? undefined : this.streams.killedReason(ref);
    if (killed !== undefined) return killed;
    if (this.state === 'terminated') return { reason: this.endReason };
    return undefined;
  }

  /** @internal The mailbox a stream replies to. */
  mailboxOf(ref: StreamRef): Mailbox<ConnMessage> {
    const mailbox = this.streams.mailboxOf(ref);
    if (mailbox === undefined) throw localError(GunErrors.NO_MAILBOX, 'The stream replies to a function: there is no mailbox to await on.');
    return mailbox;
  }

  private watchOwner(): void {
    this.unwatchOwner = this.currentOwner.onClose(() => this.shutdownFor('ownerDown'));
  }

  /**
   * Gun's `set_owner`: `up`, `down` and streams opened from now on without a replyTo go to
   * `next`, whose close is now the `ownerDown` shutdown; the old owner is no longer watched.
   * Sessions already running keep sending connection-level `notify` messages to the owner they
   * started with, as Gun's protocol states do; a reconnect uses `next`.
   */
  protected changeOwner(next: Mailbox<ConnMessage>): void {
    this.unwatchOwner();
    this.currentOwner = next;
    this.streams.setOwner(next);
    this.watchOwner();
  }

  protected shutdownFor(why: 'shutdown' | 'ownerDown'): void {
    if (this.state === 'terminated') return;
    this.ending = why;
    if (this.stack === undefined) return this.terminate(why);
    this.command({ type: 'shutdown', reason: why });
  }
}
