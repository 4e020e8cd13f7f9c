import type { DownReason, GunError, GunEvent, GunMessage, Protocol, StreamRef } from '@gunhttp/core';
import type { GunCommand } from './commands.js';
import type { WsLayerOptions } from './layers/ws-layer.js';

/** A message for a stream's replyTo; `conn` is the connection the layer was made for. */
export interface Delivery {
  readonly replyTo: unknown;
  readonly message: GunMessage;
}

/**
 * What every layer is made with: the connection to stamp on messages, and whether anybody
 * observes events (building event objects nobody reads costs time on every request).
 */
export interface LayerContext {
  readonly conn: unknown;
  readonly observer: { readonly active: boolean };
}

/**
 * What a layer asks of the connection besides writing bytes (Gun's handler commands):
 * - `switchProtocol`: the stream (or connection) now speaks `protocol`; `remainder` are the bytes
 *   already received for it (after a 101 or a CONNECT 2xx). For a Websocket upgrade (`protocol`
 *   `ws`), `ws` holds the options of the `WsLayer` to make (masking keys, negotiated deflate,
 *   subprotocol handler, response headers, the user's wsOpts, conn and observer); without it the
 *   stack makes a `RawLayer`.
 * - `closing`: a graceful close started; close the socket after `timeout` ms at the latest.
 * - `close`: close the socket now; `reason` goes into `down`.
 */
export type Directive =
  | {
    readonly type: 'switchProtocol'; readonly protocol: Protocol; readonly streamRef: StreamRef; readonly replyTo: unknown;
    readonly remainder: Uint8Array; readonly ws?: WsLayerOptions;
  }
  | { readonly type: 'closing'; readonly timeout: number }
  | { readonly type: 'close'; readonly reason: DownReason };

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
}

/** Builds a stream error delivery. */
export function streamError(conn: unknown, replyTo: unknown, streamRef: StreamRef, reason: GunError): Delivery {
  return { replyTo, message: { type: 'error', conn, streamRef, reason } };
}
