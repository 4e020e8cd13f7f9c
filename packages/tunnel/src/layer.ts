import { assertNever, localError } from '@gunhttp/core';
import type { DownReason, GunError, GunEvent, GunEventName, GunMessage, Protocol, StreamRef } from '@gunhttp/core';
import type { GunCommand } from './commands.js';
import type { Destination, SocksDestination } from './destination.js';
import { TunnelErrors } from './errors.js';
import type { WsLayerOptions } from './layers/ws-layer.js';

/** A message for a stream's replyTo; `conn` is the connection the layer was made for. */
export interface Delivery {
  readonly replyTo: unknown;
  readonly message: GunMessage;
}

/**
 * Who reads a layer's events (Gun's event handler): layers build an event only when
 * `observes(name)` says somebody reads that one, since building event objects nobody reads costs
 * time on every request and frame. The answer may change between calls (a diagnostics_channel
 * subscriber arriving), so layers ask each time.
 */
export interface EventObserver {
  /** Whether the event `name` has a reader now. */
  observes(name: GunEventName): boolean;
}

/** The observer of a layer made without one: every event is built (unit tests, embedders). */
export const ALL_EVENTS: EventObserver = { observes: () => true };

/** The observer that reads nothing: no event is built. */
export const NO_EVENTS: EventObserver = { observes: () => false };

/**
 * What every layer is made with: the connection to stamp on messages, and who reads its events
 * ({@link EventObserver}).
 */
export interface LayerContext {
  readonly conn: unknown;
  readonly observer: EventObserver;
}

/**
 * What a layer asks of the connection besides writing bytes (Gun's handler commands):
 * - `switchProtocol`: the stream (or connection) now speaks `protocol`; `remainder` are the bytes
 *   already received for it (after a 101 or a CONNECT 2xx). For a Websocket upgrade (`protocol`
 *   `ws`), `ws` holds the options of the `WsLayer` to make (masking keys, negotiated deflate,
 *   subprotocol handler, response headers, the user's wsOpts, conn and observer); without it the
 *   stack makes a `RawLayer`, counting `flow` (the upgrade request's message-count flow, Gun §5.9).
 * - `tunnel` ({@link TunnelDirective}): a CONNECT 2xx or a SOCKS5 success; the whole connection
 *   (`scope: 'connection'`) or one HTTP/2 stream (`scope: 'stream'`) now leads to `destination`.
 *   The stack passes it up untouched: the client acts on it.
 * - `tunnelData`, `tunnelEof`, `tunnelClosed` ({@link StreamTunnelDirective}): what happens to the
 *   stream of an HTTP/2 tunnel: its bytes, the proxy's END_STREAM, the stream's end.
 * - `closing`: a graceful close started; close the socket after `timeout` ms at the latest.
 * - `close`: close the socket now; `reason` goes into `down`.
 */
export type Directive =
  | {
    readonly type: 'switchProtocol'; readonly protocol: Protocol; readonly streamRef: StreamRef; readonly replyTo: unknown;
    readonly remainder: Uint8Array; readonly ws?: WsLayerOptions; readonly flow?: number;
  }
  | TunnelDirective
  | StreamTunnelDirective
  | { readonly type: 'closing'; readonly timeout: number }
  | { readonly type: 'close'; readonly reason: DownReason };

/**
 * The connection (`scope: 'connection'`) or one HTTP/2 stream (`scope: 'stream'`, RFC 9113 §8.5)
 * now leads to `destination`, through an HTTP/1.1 CONNECT
 * answered 2xx (`via: 'connect'`, Gun §5.12) or a SOCKS5 handshake that succeeded (`via: 'socks5'`,
 * Gun §5.13). The layer that sent it is finished. The client:
 * 1. records the hop (Gun's `origin` command: emit `originChanged` with type `connect` or `socks5`,
 *    the destination's host and port, scheme `https` for `transport: 'tls'` else `http`);
 * 2. makes the next layer: TLS first when `destination.transport` is `tls`, then the protocol
 *    chosen from `destination.protocols` (`http` by default; a `socks` entry makes a `SocksLayer`);
 * 3. feeds it `remainder`, the bytes received after the CONNECT response head or the SOCKS reply;
 * 4. replays `pending` into it in order: the user commands received while the CONNECT awaited its
 *    answer or the SOCKS handshake ran (Gun postpones them), which the old layer did not execute;
 * 5. sends `tunnelUp` to `replyTo` with `streamRef` (the CONNECT's ref; `undefined` for a SOCKS
 *    hop at connection level, Gun §5.13) once the inner protocol is ready.
 *
 * With `scope: 'stream'` (a CONNECT over HTTP/2 answered 2xx) only that stream is the tunnel: the
 * HTTP/2 layer goes on, `remainder` and `pending` are empty, and the stream's bytes come as
 * {@link StreamTunnelDirective}s; the client runs the destination's protocol over them and routes
 * the commands whose ref descends from `streamRef` there (Gun's gun_tunnel).
 */
export type TunnelDirective =
  | (TunnelDirectiveBase & { readonly scope: 'connection'; readonly via: 'connect'; readonly destination: Destination })
  | (TunnelDirectiveBase & { readonly scope: 'connection'; readonly via: 'socks5'; readonly destination: SocksDestination })
  | (TunnelDirectiveBase & { readonly scope: 'stream'; readonly via: 'connect'; readonly streamRef: StreamRef; readonly destination: Destination });

/**
 * The life of an HTTP/2 tunnel's stream after its `tunnel` directive (scope `stream`):
 * - `tunnelData`: octets the proxy relayed from the destination (DATA payloads, already given
 *   back to the flow-control windows);
 * - `tunnelEof`: the proxy's END_STREAM, the destination closed its side (RFC 9113 §8.5: TCP FIN);
 * - `tunnelClosed`: the CONNECT's stream is gone or will carry no tunnel (RST_STREAM either way, a
 *   stream error, a cancel, GOAWAY; an answer other than a 2xx without END_STREAM, with
 *   `TUNNEL_ERR_NOT_A_TUNNEL`), with the error the CONNECT's replyTo got, or `'cancelled'` for our
 *   own cancel. It may come before the `tunnel` directive ever did.
 */
export type StreamTunnelDirective =
  | { readonly type: 'tunnelData'; readonly streamRef: StreamRef; readonly data: Uint8Array }
  | { readonly type: 'tunnelEof'; readonly streamRef: StreamRef }
  | { readonly type: 'tunnelClosed'; readonly streamRef: StreamRef; readonly reason: GunError | 'cancelled' };

/** The fields of a {@link TunnelDirective} shared by both kinds of hop. */
export interface TunnelDirectiveBase {
  readonly type: 'tunnel';
  readonly scope: 'connection' | 'stream';
  readonly streamRef: StreamRef | undefined;
  readonly replyTo: unknown;
  readonly remainder: Uint8Array;
  readonly pending: GunCommand[];
}

/** Everything one call into a layer produced, in order within each list. */
export interface LayerOutput {
  readonly deliveries: Delivery[];
  readonly writes: Uint8Array[];
  readonly directives: Directive[];
  readonly events: GunEvent[];
}

/** A fresh, empty output to fill. */
export function emptyOutput(): LayerOutput {
  return { deliveries: [], writes: [], directives: [], events: [] };
}

/** Appends everything `from` holds to `into`, keeping each list's order. */
export function appendOutput(into: LayerOutput, from: LayerOutput): void {
  for (const d of from.deliveries) into.deliveries.push(d);
  for (const w of from.writes) into.writes.push(w);
  for (const d of from.directives) into.directives.push(d);
  for (const e of from.events) into.events.push(e);
}

/** Information about one stream, as `streamInfo` reports it. */
export interface LayerStreamInfo {
  readonly ref: StreamRef;
  readonly replyTo: unknown;
  readonly state: 'running' | 'stopping';
}

/**
 * One protocol codec wrapped for the stack (DESIGN §4): bytes from below and commands from the
 * user in, deliveries, writes, directives and events out. Layers never touch sockets or timers.
 */
export interface Layer {
  readonly protocol: Protocol;
  /** Bytes from the socket or from the parent stream. */
  receive(chunk: Uint8Array): LayerOutput;
  /** The peer closed its side. */
  receiveEof(): LayerOutput;
  /** A user operation. Caller misuse is delivered as a stream error, never thrown. */
  command(cmd: GunCommand): LayerOutput;
  /** Streams that have not finished, for `down`'s killed streams. */
  openStreams(): StreamRef[];
  /** What `streamInfo` shows for `ref`, or `undefined` when the layer does not know it. */
  streamInfo(ref: StreamRef): LayerStreamInfo | undefined;
  /** Whether the layer has no stream in flight (a graceful close may proceed). */
  readonly idle: boolean;
  /**
   * Whether the connection should stop reading its socket: Gun's message-count `flow` ran out on
   * a protocol without per-stream windows (HTTP/1.1, Websocket, raw; Gun §5.9). The connection
   * checks it after every call and pauses or resumes reading; absent means never.
   */
  readonly readPaused?: boolean;
}

/** Builds a stream error delivery. */
export function streamError(conn: unknown, replyTo: unknown, streamRef: StreamRef, reason: GunError): Delivery {
  return { replyTo, message: { type: 'error', conn, streamRef, reason } };
}

/** The streams that `commands` open (requests, upgrades, CONNECTs), in order. */
export function openedStreams(commands: readonly GunCommand[]): Array<{ ref: StreamRef; replyTo: unknown }> {
  const opened: Array<{ ref: StreamRef; replyTo: unknown }> = [];
  for (const c of commands) {
    if (c.type === 'request' || c.type === 'wsUpgrade' || c.type === 'connect') opened.push({ ref: c.streamRef, replyTo: c.replyTo });
  }
  return opened;
}

/**
 * The answer to a command reaching a layer that is tunnelled or failed: a stream error with
 * `reason` for the commands that have a replyTo, nothing for keepalive, shutdown, updateFlow.
 */
export function refuse(conn: unknown, cmd: GunCommand, reason: GunError): LayerOutput {
  const out = emptyOutput();
  switch (cmd.type) {
    case 'keepalive':
    case 'shutdown':
    case 'updateFlow':
      return out;
    case 'ping':
      out.deliveries.push(streamError(conn, cmd.replyTo, cmd.pingRef, reason));
      return out;
    case 'request':
    case 'data':
    case 'cancel':
    case 'wsUpgrade':
    case 'wsSend':
    case 'connect':
      out.deliveries.push(streamError(conn, cmd.replyTo, cmd.streamRef, reason));
      return out;
    default:
      return assertNever(cmd, 'command');
  }
}

/** `TUNNEL_ERR_TUNNELLED`: the layer was replaced after its `tunnel` directive. */
export function tunnelledError(): GunError {
  return localError(TunnelErrors.TUNNELLED, 'This layer is finished: the connection now leads to the tunnel destination.');
}
