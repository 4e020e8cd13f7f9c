import type { GunError } from './errors.js';
import type { HeaderList } from './headers.js';
import type { StreamRef } from './stream-ref.js';

/** A protocol a connection or tunnel speaks, as Gun names them. */
export type Protocol = 'http' | 'http2' | 'raw' | 'socks' | 'ws';

/**
 * Why a connection went down: `normal` (the peer or a `connection: close` ended it cleanly),
 * `closed` (the socket closed under a request), or the error that broke it.
 */
export type DownReason = 'normal' | 'closed' | GunError;

/** A Websocket frame as `wsSend` takes it and `ws` messages carry it (DESIGN §3). */
export type WsFrame =
  | { readonly type: 'text'; readonly data: string }
  | { readonly type: 'binary'; readonly data: Uint8Array }
  | { readonly type: 'ping' | 'pong'; readonly data?: Uint8Array }
  | { readonly type: 'close'; readonly code?: number; readonly reason?: string };

/** One server-sent event (WHATWG EventSource parsing), as `sse` messages carry it. */
export interface SseEvent {
  readonly lastEventId?: string;
  readonly eventType?: string;
  readonly data?: string;
  readonly retry?: number;
}

/** `gun_up`: the connection (or reconnection) is established and its protocol ready. */
export interface UpMessage<C = unknown> { readonly type: 'up'; readonly conn: C; readonly protocol: Protocol }
/** `gun_down`: the connection was lost; `killedStreams` lists the streams that had not finished. */
export interface DownMessage<C = unknown> {
  readonly type: 'down';
  readonly conn: C;
  readonly protocol: Protocol;
  readonly reason: DownReason;
  readonly killedStreams: readonly StreamRef[];
}
/** `gun_tunnel_up`: a CONNECT or SOCKS tunnel is established and its inner protocol ready. */
export interface TunnelUpMessage<C = unknown> {
  readonly type: 'tunnelUp';
  readonly conn: C;
  readonly streamRef: StreamRef | undefined;
  readonly protocol: Protocol;
}
/** `gun_upgrade`: a 101 (or a 2xx to an extended CONNECT) switched the stream's protocol. */
export interface UpgradeMessage<C = unknown> {
  readonly type: 'upgrade';
  readonly conn: C;
  readonly streamRef: StreamRef;
  readonly protocols: readonly string[];
  readonly headers: HeaderList;
}
/** `gun_inform`: an informational (1xx) response, always before the final one. */
export interface InformMessage<C = unknown> {
  readonly type: 'inform';
  readonly conn: C;
  readonly streamRef: StreamRef;
  readonly status: number;
  readonly headers: HeaderList;
}
/** `gun_response`: the final response head; `fin` when no body follows. */
export interface ResponseMessage<C = unknown> {
  readonly type: 'response';
  readonly conn: C;
  readonly streamRef: StreamRef;
  readonly fin: boolean;
  readonly status: number;
  readonly headers: HeaderList;
}
/** `gun_data`: a body chunk; the last has `fin` unless trailers follow. */
export interface DataMessage<C = unknown> {
  readonly type: 'data';
  readonly conn: C;
  readonly streamRef: StreamRef;
  readonly fin: boolean;
  readonly data: Uint8Array;
}
/** `gun_trailers`: the trailer section; it ends the response. */
export interface TrailersMessage<C = unknown> {
  readonly type: 'trailers';
  readonly conn: C;
  readonly streamRef: StreamRef;
  readonly headers: HeaderList;
}
/** `gun_push`: an HTTP/2 server push promised on `streamRef`, answered on `newStreamRef`. */
export interface PushMessage<C = unknown> {
  readonly type: 'push';
  readonly conn: C;
  readonly streamRef: StreamRef;
  readonly newStreamRef: StreamRef;
  readonly method: string;
  readonly uri: string;
  readonly headers: HeaderList;
}
/** `gun_error`: a stream error when `streamRef` is set, a connection-wide error otherwise. */
export interface ErrorMessage<C = unknown> {
  readonly type: 'error';
  readonly conn: C;
  readonly streamRef: StreamRef | undefined;
  readonly reason: GunError;
}
/** `gun_ws`: one complete Websocket message or control frame. */
export interface WsMessage<C = unknown> { readonly type: 'ws'; readonly conn: C; readonly streamRef: StreamRef; readonly frame: WsFrame }
/** `gun_notify`: HTTP/2 settings changed, a user ping was acknowledged, or (gunhttp) the server sent GOAWAY. */
export type NotifyMessage<C = unknown> =
  | { readonly type: 'notify'; readonly conn: C; readonly kind: 'settingsChanged'; readonly settings: Readonly<Record<string, number | boolean>> }
  | { readonly type: 'notify'; readonly conn: C; readonly kind: 'pingAck'; readonly pingRef: StreamRef }
  /**
   * gunhttp extension (`http2Opts.notifyGoAway`): the server sent GOAWAY (RFC 9113 §6.8).
   * `errorCode` is the error code's name (`NO_ERROR`, ...), `debugData` its opaque octets.
   */
  | {
    readonly type: 'notify'; readonly conn: C; readonly kind: 'goAway'; readonly lastStreamId: number; readonly errorCode: string;
    readonly debugData: Uint8Array;
  };
/** `gun_sse`: a server-sent event, or `fin` at the end of the event stream. */
export interface SseMessage<C = unknown> {
  readonly type: 'sse';
  readonly conn: C;
  readonly streamRef: StreamRef;
  readonly event: SseEvent | 'fin';
}

/** Every message a connection delivers, discriminated on `type` (Gun's messages, DESIGN §3). */
export type GunMessage<C = unknown> =
  | UpMessage<C>
  | DownMessage<C>
  | TunnelUpMessage<C>
  | UpgradeMessage<C>
  | InformMessage<C>
  | ResponseMessage<C>
  | DataMessage<C>
  | TrailersMessage<C>
  | PushMessage<C>
  | ErrorMessage<C>
  | WsMessage<C>
  | NotifyMessage<C>
  | SseMessage<C>;

/** Removes a key from each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message as a protocol layer produces it, before the connection stamps `conn` on it. */
export type LayerMessage = DistributiveOmit<GunMessage<never>, 'conn'>;

/** The messages that concern one stream (they carry `streamRef`). */
export type StreamMessage<C = unknown> = Extract<GunMessage<C>, { readonly streamRef: StreamRef | undefined }>;
