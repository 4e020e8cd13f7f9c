import type { Socket } from 'node:net';
import { StreamRef, deliverTo } from '@gunhttp/core';
import type { GunError, ReplyTo } from '@gunhttp/core';
import type { Delivery, Directive, GunCommand, LayerOutput, LayerStack, TunnelDirective } from '@gunhttp/tunnel';
import type { Connection } from './connection.js';
import type { ConnMessage, StateName, StreamInfo, TunnelInfo } from './connection-types.js';
import type { EventDispatch } from './event-dispatch.js';
import type { ConnectionProtocol, ResolvedOptions } from './options.js';
import type { SessionContext } from './session.js';
import { StreamTunnels } from './stream-tunnels/stream-tunnels.js';
import type { TunnelParent } from './stream-tunnels/tunnel-host.js';
import { handshake } from './transport.js';
import type { Target } from './transport.js';
import { earlyDataError, hopFor, originOf } from './tunnel-hop.js';
import type { Hop, Intermediary, Origin } from './tunnel-hop.js';
import type { WsStreamTimers } from './ws-stream-timers.js';

/*
 * Where a connection's requests go (Gun §5.12, §5.13, §5.15): the origin, the proxies passed,
 * and the tunnels. A connection-wide hop (a CONNECT over HTTP/1.1, a SOCKS5 success) replaces the
 * protocol on the socket; an HTTP/2 CONNECT makes a stream tunnel (stream-tunnels/):
 *
 *   protocol ──tunnel directive──> [tlsHandshake: commands held] ──> destination's protocol
 *      │                                  └──handshake failed──> disconnect
 *      └──CONNECT over http2 (stream scope)──> StreamTunnels
 */

/** What the connection lends to its tunnel wiring: its socket and stack, and the steps of a hop. */
export interface TunnelWiringHost {
  readonly conn: Connection;
  readonly owner: unknown;
  readonly target: Target;
  readonly opts: ResolvedOptions;
  readonly events: EventDispatch;
  readonly ws: WsStreamTimers;
  readonly socket: Socket | undefined;
  readonly stack: LayerStack | undefined;
  readonly state: StateName;
  /** Applies what the connection's own stack produced. */
  apply(out: LayerOutput | undefined): void;
  /** Delivers a message the way the connection does (cookies, content handlers, replyTo). */
  deliver(d: Delivery): void;
  disconnect(reason: GunError): void;
  /**
   * The stack steps aside while TLS to a hop's destination runs over the socket (state
   * `tlsHandshake`): new operations wait, and the socket's own close no longer ends the connection.
   */
  suspend(): void;
  /** The previous protocol's timers stop and `protocol` starts on `socket`. */
  startProtocol(socket: Socket, protocol: ConnectionProtocol, opts: ResolvedOptions, tunnel: SessionContext['tunnel']): void;
  /** Runs a user command where it belongs. */
  command(cmd: GunCommand): void;
  /** The hop is done: the new session's timers start and the postponed operations run. */
  resume(): void;
}

/** The origin, the intermediaries and the tunnels of one {@link Connection}. */
export class ConnectionTunnels {
  /** Where requests go now: the target, or the destination of the last CONNECT / SOCKS hop. */
  origin: Origin;
  /** The proxies passed, first hop first (Gun's intermediaries; reset on reconnect). */
  intermediaries: Intermediary[] = [];
  /** The streams of commands held by a hop while its TLS handshake runs (killed if it fails). */
  private hopHeld: StreamRef[] = [];
  /**
   * The stream ref the protocol on the socket runs in: the CONNECT's after a CONNECT over
   * HTTP/1.1, kept through a SOCKS hop made inside it (Gun's gun_socks `stream_ref`); `undefined`
   * at first and after a SOCKS hop at the top.
   */
  private tunnelRef: StreamRef | undefined;
  /** The HTTP/2 CONNECT tunnels (Gun §5.12), each running a stack inside one stream. */
  private readonly streams: StreamTunnels;
  /** The connection's own stack, as the parent of the tunnels made in it. */
  private readonly root: TunnelParent;

  constructor(private readonly host: TunnelWiringHost) {
    this.origin = this.firstOrigin();
    this.streams = new StreamTunnels({
      conn: host.conn,
      get owner() { return host.owner; },
      observer: host.events,
      emit: host.events.emit.bind(host.events),
      deliver: (d) => host.deliver(d),
      ws: host.ws,
    });
    this.root = this.rootParent();
  }

  private rootParent(): TunnelParent {
    const host = this.host;
    const self = (): this => this;
    return {
      run: (cmd) => {
        if (host.stack !== undefined) host.apply(host.stack.command(cmd));
      },
      get protocol() { return host.stack?.protocol; },
      get origin() { return self().origin; },
      get opts() { return host.opts; },
      get path() { return self().intermediaries; },
    };
  }

  private firstOrigin(): Origin {
    const t = this.host.target;
    const transport = this.host.opts.transport;
    return t.kind === 'inet' ? originOf(t.host, t.port, transport) : originOf('localhost', transport === 'tls' ? 443 : 80, transport);
  }

  /** A new connection attempt: back to the target, no proxies passed. */
  reset(): void {
    this.origin = this.firstOrigin();
    this.intermediaries = [];
    this.tunnelRef = undefined;
  }

  /** Runs a user command in the stack it belongs to: an HTTP/2 tunnel's, or the connection's. */
  route(cmd: GunCommand): void {
    this.streams.route(cmd, this.root);
  }

  /** A directive of the connection's stack about tunnels: a hop of the whole connection, or a stream tunnel's. */
  directive(d: Exclude<Directive, { type: 'close' | 'closing' }>): void {
    if (d.type === 'tunnel' && d.scope === 'connection') this.tunnelled(d);
    else this.streams.directive(this.root, d);
  }

  /** `streamInfo` for a ref in an HTTP/2 tunnel (see {@link StreamTunnels.streamInfo}). */
  streamInfo(ref: StreamRef): StreamInfo | undefined {
    return this.streams.streamInfo(ref);
  }

  /** After our close frame on a Websocket inside an HTTP/2 tunnel: its closing timeout; false when no tunnel holds `ref`. */
  boundWebsocketClose(ref: StreamRef): boolean {
    return this.streams.boundWebsocketClose(ref);
  }

  /** The `tunnel` map of an HTTP/2 tunnel's CONNECT ref (Gun's stream_info). */
  describe(ref: StreamRef): TunnelInfo | undefined {
    return this.streams.describe(ref);
  }

  /**
   * The socket is gone: the streams it took with it, for `down`: those of `stack` (or the ones
   * held by a hop's handshake when there is no stack), then those of every HTTP/2 tunnel.
   */
  killAll(stack: LayerStack | undefined): StreamRef[] {
    const killed = [...(stack?.openStreams() ?? this.hopHeld), ...this.streams.killAll()];
    this.hopHeld = [];
    return killed;
  }

  /**
   * A CONNECT 2xx or a SOCKS success (Gun §5.12, §5.13): the whole connection now leads to the
   * destination. The proxy becomes an intermediary and `originChanged` is emitted; then TLS to
   * the destination through the tunnel when asked (TLS over TLS behind a TLS proxy), and the
   * destination's protocol starts ({@link enterHop}). A SOCKS hop reports no ref of its own: the
   * one its protocol runs in (a CONNECT's) goes on.
   */
  private tunnelled(d: TunnelDirective): void {
    const host = this.host;
    const socket = host.socket;
    const previous = host.stack?.protocol;
    if (socket === undefined || previous === undefined) return;
    let hop: Hop;
    try {
      hop = hopFor(d, this.origin, previous === 'socks' || previous === 'http2' ? previous : 'http', host.opts);
    } catch (error) {
      return host.disconnect(error as GunError);
    }
    this.intermediaries.push(hop.intermediary);
    this.origin = hop.origin;
    host.events.emit('originChanged', { type: hop.intermediary.type, originScheme: hop.origin.scheme, originHost: hop.origin.host, originPort: hop.origin.port });
    const ref = d.streamRef ?? this.tunnelRef;
    if (hop.opts.transport === 'tcp') return this.enterHop(socket, hop.opts.protocols[0] ?? 'http', hop, d, ref);
    if (d.remainder.length > 0) return host.disconnect(earlyDataError(d.remainder.length));
    // Until the handshake ends, new operations wait (whenConnected) and the held ones are kept.
    this.hopHeld = d.pending.flatMap((c) => (c.type === 'request' || c.type === 'wsUpgrade' || c.type === 'connect' ? [c.streamRef] : []));
    host.suspend();
    const scope = ref === undefined ? { replyTo: d.replyTo } : { streamRef: ref, replyTo: d.replyTo };
    handshake(socket, hop.origin.host, hop.opts, host.events.emit.bind(host.events), scope).then(
      (tls) => (host.socket === socket && host.state === 'tlsHandshake' ? this.enterHop(tls.socket, tls.protocol, hop, d, ref) : tls.socket.destroy()),
      (error: unknown) => {
        if (host.socket === socket) host.disconnect(error as GunError);
      },
    );
  }

  /**
   * The destination's protocol starts on `socket` (Gun §5.12): `protocolChanged`, the bytes the
   * proxy sent after its answer, `tunnelUp` to the CONNECT's replyTo, then the commands held
   * during the hop and those postponed, in order.
   */
  private enterHop(socket: Socket, protocol: ConnectionProtocol, hop: Hop, d: TunnelDirective, ref: StreamRef | undefined): void {
    const host = this.host;
    this.hopHeld = [];
    const streamRef = protocol === 'raw' ? ref ?? new StreamRef() : ref;
    this.tunnelRef = streamRef;
    host.startProtocol(socket, protocol, hop.opts, { streamRef, replyTo: d.replyTo });
    // Gun: the ref of the CONNECT the protocol runs in (none after a SOCKS hop at the top).
    host.events.emit('protocolChanged', ref === undefined ? { protocol } : { protocol, streamRef: ref });
    deliverTo(d.replyTo as ReplyTo<ConnMessage>, { type: 'tunnelUp', conn: host.conn, streamRef, protocol });
    if (d.remainder.length > 0) host.apply(host.stack?.receive(d.remainder));
    for (const c of d.pending) host.command(c);
    host.resume();
  }
}
