import type { HeaderList } from '@gunhttp/core';
import type { ReceiveWindow } from './flow-control.js';
import type { ClosedStreamCause, StreamState } from './stream-state.js';

/**
 * Where a stream's response stands (the HTTP layer over the §5.1 states): `queued` (HEADERS not
 * sent yet, waiting for a concurrency slot), `head` (awaiting 1xx or the final response),
 * `body` (DATA and trailers), `done` (END_STREAM received).
 */
export type ResponsePhase = 'queued' | 'head' | 'body' | 'done';

/**
 * What is left to send after the queued DATA: nothing decided yet (`open`), END_STREAM on the
 * last DATA (`endStream`), trailers (`trailers`), or all sent (`sent`).
 */
export type SendEnd =
  | { readonly kind: 'open' }
  | { readonly kind: 'endStream' }
  | { readonly kind: 'trailers'; readonly headers: HeaderList }
  | { readonly kind: 'sent' };

/** One live stream. */
export interface Stream {
  readonly id: number;
  state: StreamState;
  phase: ResponsePhase;
  /** Request method (HEAD responses have no content, RFC 9110 §9.3.2). */
  readonly method: string;
  /** Request headers kept until sent (queued requests only). */
  requestHeaders: HeaderList | undefined;
  readonly recv: ReceiveWindow;
  sendWindow: number;
  /** DATA waiting for window: chunks and the offset into the first one. */
  readonly chunks: Uint8Array[];
  chunkOffset: number;
  /** Queued octets not yet sent. */
  queued: number;
  end: SendEnd;
  /** content-length of the response, when given (RFC 9113 §8.1.1). */
  expectedLength: number | undefined;
  receivedLength: number;
}

/** How a stream no longer in the table was closed: decides how later frames are treated (RFC 9113 §5.1). */
export type ClosedHow = ClosedStreamCause;

/** A stream identifier looked up: a live stream, a closed one, or one never opened (`idle`). */
export type StreamLookup = { readonly kind: 'live'; readonly stream: Stream } | { readonly kind: 'closed'; readonly how: ClosedHow } | { readonly kind: 'idle' };
