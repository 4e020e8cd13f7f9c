import { GunError, localError } from '@gunhttp/core';
import type { StreamRef } from '@gunhttp/core';
import { TunnelErrors } from '../errors.js';
import type { Http2ConnectState } from './http2-connect-streams.js';
import type { WsLayer } from './ws-layer.js';
import type { WsHandshake } from './ws-upgrade.js';

/** A Websocket stream (RFC 8441): the extended CONNECT awaiting its 2xx, then the stream's WsLayer. */
export type Http2WsState =
  | { readonly phase: 'handshake'; readonly handshake: WsHandshake }
  | { readonly phase: 'open'; readonly layer: WsLayer };

/**
 * A stream of the HTTP/2 layer: our request, or a pushed response.
 *
 *   local:  open ──END_STREAM sent (HEADERS or DATA)──> sent
 *   remote: awaitingHead ──1xx──> informed ──final HEADERS──> body ──END_STREAM or trailers──> (forgotten)
 */
export interface Http2Stream {
  readonly id: number;
  readonly ref: StreamRef;
  readonly replyTo: unknown;
  /** The `:authority` of the request: promised requests must carry the same (Gun 2.4). */
  readonly authority: string;
  local: 'open' | 'sent';
  remote: 'awaitingHead' | 'informed' | 'body';
  /** Messages the stream may still deliver before its window is held back (Gun's `flow`); absent: unlimited. */
  flow?: number | undefined;
  /** Body octets delivered but not yet given back to the stream's window (see http2-flow.ts). */
  withheld?: number | undefined;
  /** Set for a `wsUpgrade` stream (see http2-ws-streams.ts); cleared when it gets a plain response. */
  ws?: Http2WsState | undefined;
  /** Set for a `connect` stream (see http2-connect-streams.ts); cleared when it gets a plain response. */
  connect?: Http2ConnectState | undefined;
}

/** The layer's streams, by HTTP/2 stream id and by ref. */
export class Http2StreamTable {
  private readonly byId = new Map<number, Http2Stream>();
  private readonly ids = new Map<StreamRef, number>();

  get size(): number {
    return this.byId.size;
  }

  add(s: Http2Stream): void {
    this.byId.set(s.id, s);
    this.ids.set(s.ref, s.id);
  }

  get(id: number): Http2Stream | undefined {
    return this.byId.get(id);
  }

  byRef(ref: StreamRef): Http2Stream | undefined {
    const id = this.ids.get(ref);
    return id === undefined ? undefined : this.byId.get(id);
  }

  forget(s: Http2Stream): void {
    this.byId.delete(s.id);
    this.ids.delete(s.ref);
  }

  values(): IterableIterator<Http2Stream> {
    return this.byId.values();
  }
}

/** Gun's `closing`: no new streams after a GOAWAY either way. */
export function closingError(): GunError {
  return localError(TunnelErrors.CLOSING, 'The connection is going away (GOAWAY sent or received) and will not process this request (RFC 9113 §6.8).');
}

/** Gun's `badstate` stream errors of the HTTP/2 layer. */
export function badState(why: 'notFound' | 'closed' | 'websocket'): GunError {
  switch (why) {
    case 'notFound': return localError(TunnelErrors.STREAM_NOT_FOUND, 'The stream cannot be found.');
    case 'closed': return localError(TunnelErrors.STREAM_CLOSED, 'The stream has already been closed.');
    case 'websocket': return localError(TunnelErrors.BAD_STATE, 'A Websocket stream takes wsSend, not data.');
  }
}

/** What the codec threw, as a stream error. */
export function asGunError(error: unknown): GunError {
  return error instanceof GunError ? error : localError(TunnelErrors.BAD_STATE, String(error), error);
}

/** An operation the layer cannot do without its options (a `WsPlatform` for Websockets). */
export function unsupported(what: string): GunError {
  return localError(TunnelErrors.UNSUPPORTED, `${what} is not supported on this HTTP/2 connection (no WsPlatform given).`);
}
