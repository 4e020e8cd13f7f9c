import type { Socket } from 'node:net';
import { GunError, Mailbox, deliverTo, localError } from '@gunhttp/core';
import type { DownReason, Protocol, ReplyTo, StreamRef } from '@gunhttp/core';
import { LayerStack } from '@gunhttp/tunnel';
import type { GunCommand, LayerOutput } from '@gunhttp/tunnel';
import type { Connection } from './connection.js';
import type { ConnMessage, StateName } from './connection-types.js';
import { MessageDelivery } from './connection-delivery.js';
import { ConnectionCookies } from './cookies.js';
import { RetryPolicy } from './connection-retry.js';
import { ConnectionSocket } from './connection-socket.js';
import { ConnectionTimers } from './connection-timers.js';
import { ConnectionTunnels } from './connection-tunnels.js';
import type { TunnelWiringHost } from './connection-tunnels.js';
import { GunErrors } from './errors.js';
import { EventDispatch } from './event-dispatch.js';
import type { ConnectionProtocol, ResolvedOptions } from './options.js';
import { ownerExitReason } from './owner-exit.js';
import { openSession } from './session.js';
import type { SessionContext } from './session.js';
import { StackSession } from './stack-session.js';
import { StreamRegistry } from './stream-registry.js';
import { establish } from './transport.js';
import type { Target } from './transport.js';
import type { Intermediary, Origin } from './tunnel-hop.js';
import { WsStreamTimers } from './ws-stream-timers.js';

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
  /**
   * Resolves with the termination reason when the connection ends for good (Gun's exit reason):
   * `'shutdown'` (shutdown(), close()), `'normal'`, the last failure (a GunError) when the
   * retries are exhausted, or after the owner's close what its reason maps to: `'normal'`,
   * `'shutdown'`, else a GunError `GUN_ERR_OWNER_DOWN` whose cause is the reason.
   */
  readonly terminated: Promise<unknown>;
  protected state: StateName = 'notConnected';
  protected ending: 'shutdown' | 'ownerDown' | undefined;
  protected stack: LayerStack | undefined;
  private readonly retry: RetryPolicy;
  private postponed: Array<() => void> = [];
  protected readonly streams: StreamRegistry;
  protected readonly cookies: ConnectionCookies | undefined;
  /** The Websocket timers of each upgrade stream (its `wsOpts.keepalive` and `closingTimeout`). */
  protected readonly wsTimers: WsStreamTimers;
  private endReason: unknown;
  private readonly timers = new ConnectionTimers();
  /** The socket: reads into the stack, writes, pause, hand-over to TLS after a hop. */
  private readonly io: ConnectionSocket;
  /** Cookies and content handlers on the way to each replyTo. */
  private readonly delivery: MessageDelivery;
  private attempt: AbortController | undefined;
  protected readonly events: EventDispatch;
  /** The origin, the proxies passed and the tunnels (connection-wide hops and HTTP/2 stream tunnels). */
  protected readonly tunnels: ConnectionTunnels;
  /** The session on the connection's own stack, and its timers. */
  private readonly session: StackSession;
  private resolveTerminated!: (reason: unknown) => void;

  /** @internal Use `open()` / `openUnix()`. */
  constructor(
    protected readonly target: Target,
    protected readonly opts: ResolvedOptions,
    owner: Mailbox<ConnMessage> | undefined,
  ) {
    this.currentOwner = owner ?? new Mailbox<ConnMessage>();
    this.streams = new StreamRegistry(this.owner);
    this.retry = new RetryPolicy(opts);
    this.io = new ConnectionSocket({
      data: (chunk) => this.apply(this.stack?.receive(chunk)),
      end: () => this.apply(this.stack?.receiveEof()),
      closed: (error) => this.disconnect(error === undefined ? 'closed' : new GunError(GunErrors.SOCKET, `The socket failed: ${String(error)}`, { origin: 'transport', cause: error })),
    });
    this.events = new EventDispatch(opts.eventHandler, this.self);
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
    this.wsTimers = new WsStreamTimers((ref) => this.streams.replyTo(ref));
    this.tunnels = new ConnectionTunnels(this.tunnelWiringHost());
    const self = (): this => this;
    this.session = new StackSession(this.timers, this.wsTimers, { get stack() { return self().stack; }, apply: (out) => this.apply(out), command: (cmd) => this.command(cmd) });
    if (opts.cookieStore !== undefined) this.cookies = new ConnectionCookies(opts.cookieStore, opts.httpOpts.cookieIgnoreInformational === true);
    this.delivery = new MessageDelivery(opts, this.cookies, (ref) => this.streams.url(ref), (streamRef, increment) => this.command({ type: 'updateFlow', streamRef, increment }));
    this.watchOwner();
  }

  private tunnelWiringHost(): TunnelWiringHost {
    const self = (): this => this;
    return {
      conn: this.self,
      get owner() { return self().owner; },
      target: this.target,
      opts: this.opts,
      events: this.events,
      ws: this.wsTimers,
      get socket() { return self().socket; },
      get stack() { return self().stack; },
      get state() { return self().state; },
      apply: (out) => this.apply(out),
      deliver: (d) => this.delivery.deliver(d),
      disconnect: (reason) => this.disconnect(reason),
      suspend: () => this.suspend(),
      startProtocol: (socket, protocol, opts, tunnel) => {
        this.session.end();
        this.begin(socket, protocol, opts, tunnel);
      },
      command: (cmd) => this.command(cmd),
      resume: () => {
        this.session.arm();
        this.runPostponed();
      },
    };
  }

  /** The socket in use; `undefined` while not connected. */
  protected get socket(): Socket | undefined {
    return this.io.current;
  }

  /** Where requests go now: the target, or the destination of the last CONNECT / SOCKS hop. */
  protected get origin(): Origin {
    return this.tunnels.origin;
  }

  /** The proxies passed, first hop first (Gun's intermediaries; reset on reconnect). */
  protected get intermediaries(): readonly Intermediary[] {
    return this.tunnels.intermediaries;
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
    this.tunnels.reset();
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
    this.retry.reset();
    this.begin(socket, protocol, this.opts, undefined);
    this.owner.deliver({ type: 'up', conn: this.self, protocol });
    this.session.arm();
    this.runPostponed();
  }

  /** Starts `protocol` on `socket` (the transport, or what a hop leads to) with its layer stack. */
  private begin(socket: Socket, protocol: ConnectionProtocol, opts: ResolvedOptions, tunnel: SessionContext['tunnel']): void {
    this.io.use(socket);
    const ctx = { scheme: this.scheme, authority: this.authority, owner: this.owner, conn: this.self, observer: this.events };
    const session = openSession(protocol, opts, tunnel === undefined ? ctx : { ...ctx, tunnel });
    this.session.begin(session);
    this.delivery.sessionStarted(protocol, opts);
    this.stack = new LayerStack(session.layer, this.self);
    this.state = 'connected';
    this.apply(session.opening);
  }

  private runPostponed(): void {
    const ops = this.postponed;
    this.postponed = [];
    for (const op of ops) op();
  }

  private attemptFailed(error: unknown): void {
    this.attempt = undefined;
    if (this.ending !== undefined) return this.terminate(this.endingReason);
    if (this.retry.exhausted) return this.terminate(error);
    this.scheduleRetry();
  }

  /** The next attempt after the delay the retry policy gives (Gun §5.1). */
  private scheduleRetry(): void {
    const delay = this.retry.next();
    this.state = 'notConnected';
    this.timers.scheduleRetry(delay, () => this.attemptConnect());
  }

  private apply(out: LayerOutput | undefined): void {
    if (out === undefined) return;
    this.session.inspect(out);
    this.io.write(out.writes);
    for (const e of out.events) this.events.emit(e.name, e.event as never);
    for (const d of out.deliveries) this.delivery.deliver(d);
    for (const d of out.directives) {
      if (d.type === 'close') this.disconnect(d.reason);
      else if (d.type === 'closing') this.startClosing(d.timeout);
      else this.tunnels.directive(d);
    }
    this.io.followPause(this.stack?.readPaused === true);
  }

  /** A hop's TLS handshake runs over the socket: the stack steps aside; new operations wait (whenConnected). */
  private suspend(): void {
    this.stack = undefined;
    this.state = 'tlsHandshake';
    this.io.detach();
  }

  /** After our close frame on a Websocket in an HTTP/2 stream, its closing timeout ({@link WsStreamTimers.boundClose}). */
  protected boundWebsocketClose(ref: StreamRef): void {
    if (!this.tunnels.boundWebsocketClose(ref)) this.session.boundWebsocketClose(ref);
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
    const dropped = this.teardown({ kind: 'disconnect', reason });
    if (dropped === undefined) return;
    if (this.ending !== undefined) return this.terminate(this.endingReason);
    this.owner.deliver({ type: 'down', conn: this.self, protocol: dropped.protocol, reason, killedStreams: dropped.killedStreams });
    if (this.opts.retry === 0) return this.terminate(reason);
    this.retry.reset();
    this.scheduleRetry();
  }

  /**
   * Closes the socket; `undefined` when there was none. On a `disconnect` what the layers wrote
   * last (a GOAWAY, a close frame) is sent first, the `disconnect` event is emitted and the
   * streams still open are killed with the reason. On `terminate` (Gun's process dies: `close()`,
   * a shutdown during a hop's TLS handshake) the socket is dropped and nothing is reported:
   * `await` then gets the termination reason, as Gun's gets the process's exit reason.
   */
  private teardown(how: { readonly kind: 'disconnect'; readonly reason: DownReason } | { readonly kind: 'terminate' }): { protocol: Protocol; killedStreams: StreamRef[] } | undefined {
    const stack = this.stack;
    if (!this.io.close(how.kind === 'disconnect')) return undefined;
    this.stack = undefined;
    this.session.end();
    this.delivery.sessionEnded();
    const killedStreams = this.tunnels.killAll(stack);
    if (how.kind === 'disconnect') {
      this.events.emit('disconnect', { reason: how.reason });
      for (const ref of killedStreams) this.streams.kill(ref, how.reason);
    }
    return { protocol: stack?.protocol ?? 'http', killedStreams };
  }

  protected terminate(reason: unknown): void {
    if (this.state === 'terminated') return;
    const last = this.state;
    this.attempt?.abort();
    this.timers.cancelRetry();
    this.teardown({ kind: 'terminate' });
    this.state = 'terminated';
    this.endReason = reason;
    this.postponed = [];
    this.events.emit('terminate', { state: last, reason });
    this.streams.ended();
    this.resolveTerminated(reason);
  }

  /** Runs a user command in the stack it belongs to: an HTTP/2 tunnel's (see stream-tunnels/), or the connection's. */
  protected command(cmd: GunCommand): void {
    this.tunnels.route(cmd);
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

  /** @internal Where `await` keeps its state for a stream (on the connection's record of it). */
  awaitSlot(ref: StreamRef): { waits: unknown } {
    return this.streams.awaitSlot(ref);
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
   * How a connection ended by `shutdown()` or its owner's close terminates (Gun's `status`):
   * `shutdown`, or what the owner's close reason maps to ({@link ownerExitReason}).
   */
  private get endingReason(): unknown {
    return this.ending === 'ownerDown' ? ownerExitReason(this.owner.closeReason) : this.ending;
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

  /**
   * Gun's `shutdown` / owner `'DOWN'`: the first one decides how the connection ends (Gun stops
   * watching the owner once its status is no longer `up`; a second shutdown changes nothing).
   */
  protected shutdownFor(why: 'shutdown' | 'ownerDown'): void {
    if (this.state === 'terminated' || this.ending !== undefined) return;
    this.ending = why;
    if (this.stack === undefined) return this.terminate(this.endingReason);
    this.command({ type: 'shutdown', reason: why });
  }
}
