import type { HeaderList, StreamRef, WsFrame } from '@gunhttp/core';
import type { Destination } from './destination.js';

/** Which user function started a request, as Gun's `request_start` event reports it. */
export type RequestFunction = 'headers' | 'request' | 'wsUpgrade' | 'connect';

/**
 * Open a request stream. `body` is the full body, or `undefined` when the body follows through
 * `data` commands (Gun's `headers`/`post/3`). `authority` is the `host` (HTTP/1.1) or `:authority`
 * (HTTP/2) to send when `headers` holds no `host`.
 */
export interface RequestCommand {
  readonly type: 'request';
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
  readonly method: string;
  readonly path: string;
  readonly headers: HeaderList;
  readonly body: Uint8Array | undefined;
  readonly function: RequestFunction;
  /**
   * Gun's `flow` request option: how many `data` messages may be delivered before the stream is
   * held back (HTTP/2 withholds its WINDOW_UPDATE); raised by `updateFlow`. Absent: unlimited.
   */
  readonly flow?: number;
}

/** Send request body bytes on a stream opened without a full body; `fin` ends the body. */
export interface DataCommand {
  readonly type: 'data';
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
  readonly fin: boolean;
  readonly data: Uint8Array;
}

/** Stop delivering a stream's messages (HTTP/1.1 keeps reading to preserve framing). */
export interface CancelCommand {
  readonly type: 'cancel';
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
}

/** The keepalive timer fired (HTTP/1.1 writes a bare CRLF, Gun §5.4). */
export interface KeepaliveCommand {
  readonly type: 'keepalive';
}

/** Start a graceful shutdown: finish the stream in flight, refuse new ones (Gun §5.8). */
export interface ShutdownCommand {
  readonly type: 'shutdown';
  readonly reason: 'shutdown' | 'ownerDown';
}

/** A user HTTP/2 PING (Gun's `gun:ping`); the ack is a `notify` message with `pingRef`. */
export interface PingCommand {
  readonly type: 'ping';
  readonly pingRef: StreamRef;
  readonly replyTo: unknown;
}

/** Upgrade a stream to Websocket (HTTP/1.1 101, or RFC 8441 extended CONNECT over HTTP/2). */
export interface WsUpgradeCommand {
  readonly type: 'wsUpgrade';
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
  readonly path: string;
  readonly headers: HeaderList;
  readonly opts: Readonly<Record<string, unknown>>;
}

/** Send Websocket frames on an upgraded stream (Gun's `gun:ws_send`). */
export interface WsSendCommand {
  readonly type: 'wsSend';
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
  readonly frames: readonly WsFrame[];
}

/** Add to a stream's message-count flow (Gun's `gun:update_flow`). */
export interface UpdateFlowCommand {
  readonly type: 'updateFlow';
  readonly streamRef: StreamRef;
  readonly increment: number;
}

/**
 * Open a CONNECT tunnel to `destination` (Gun's `gun:connect`; RFC 9110 §9.3.6). Over HTTP/1.1 the
 * request is `CONNECT host:port` with `host` and, from `username`/`password`, `proxy-authorization`
 * unless `headers` carry them; a 2xx makes the whole connection lead to the destination (a
 * `tunnel` directive), any other status is a plain response.
 */
export interface ConnectCommand {
  readonly type: 'connect';
  readonly streamRef: StreamRef;
  readonly replyTo: unknown;
  readonly destination: Destination;
  readonly headers: HeaderList;
}

/** Every command the connection gives a layer (DESIGN §4). */
export type GunCommand =
  | RequestCommand
  | DataCommand
  | CancelCommand
  | KeepaliveCommand
  | ShutdownCommand
  | PingCommand
  | WsUpgradeCommand
  | WsSendCommand
  | UpdateFlowCommand
  | ConnectCommand;
