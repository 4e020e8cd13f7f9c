import type { HeaderList, StreamRef } from '@gunhttp/core';

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

/** Every command the connection gives a layer (DESIGN §4). */
export type GunCommand = RequestCommand | DataCommand | CancelCommand | KeepaliveCommand | ShutdownCommand;
