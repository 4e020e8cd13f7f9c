import { GunError, localError } from '@gunhttp/core';
import type { StreamRef } from '@gunhttp/core';
import type { Destination } from '../destination.js';
import { TunnelErrors } from '../errors.js';
import type { MessageFlow } from './message-flow.js';
import type { WsHandshake } from './ws-upgrade.js';

/*
 * A stream's life in this layer:
 *
 *   running ──cancel──> stopping ──response ends──> (forgotten)
 *      └────────────response ends────────────────> (forgotten)
 *
 * `stopping` streams are still read (HTTP/1.1 framing must be kept) but deliver nothing. The
 * connection's CONNECT state is in http1-connect.ts. Each stream counts its message-count flow
 * (Gun §5.9, message-flow.ts): reading pauses while the stream being received is running with its
 * flow spent.
 */
export interface Http1Stream {
  /** The codec's id of the request. */
  readonly id: number;
  readonly ref: StreamRef;
  readonly replyTo: unknown;
  readonly method: string;
  readonly role: StreamRole;
  state: 'running' | 'stopping';
  /** Messages it may still deliver; `undefined`: no flow control. */
  flow: MessageFlow;
}

/** What a stream is for: a request, a Websocket upgrade (its handshake), a CONNECT (where to). */
export type StreamRole =
  | { readonly kind: 'request' }
  | { readonly kind: 'ws'; readonly handshake: WsHandshake }
  | { readonly kind: 'connect'; readonly destination: Destination; readonly authority: string };

export const PLAIN: StreamRole = { kind: 'request' };

/** Gun's `closing` error: for requests made while closing (`shutdown`) or after a `connection: close` response. */
export function closingError(why?: 'shutdown'): GunError {
  const text = why === 'shutdown'
    ? 'The connection is shutting down and will not process this request.'
    : 'The connection is closing after the current response and will not process this request.';
  return new GunError(TunnelErrors.CLOSING, text, { origin: 'local' });
}

/** A codec refusal as a GunError (anything else becomes `TUNNEL_ERR_BAD_STATE`). */
export function asGunError(error: unknown): GunError {
  return error instanceof GunError ? error : localError(TunnelErrors.BAD_STATE, String(error), error);
}
