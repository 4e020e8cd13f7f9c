import type { GunError, HeaderList } from '@gunhttp/core';
import type { Http2Settings } from './settings.js';

/**
 * Events of `Http2ClientConnection.receive` (DESIGN §2), in wire order. A connection error is
 * always the last event of its batch. `data` is a view of the received bytes (no copy);
 * `opaque` values are 8 octets.
 */
export type Http2Event =
  /** The server's SETTINGS (already acknowledged): the full remote settings, defaults merged. */
  | { readonly type: 'settings'; readonly settings: Http2Settings }
  /** The server acknowledged our SETTINGS. */
  | { readonly type: 'settingsAck' }
  /** A 1xx response (RFC 9113 §8.1). */
  | { readonly type: 'inform'; readonly streamId: number; readonly status: number; readonly headers: HeaderList }
  /** The final response head; `endStream` means no body follows. Headers include `:status`. */
  | { readonly type: 'response'; readonly streamId: number; readonly status: number; readonly headers: HeaderList; readonly endStream: boolean }
  /** Body octets (padding removed). Report them with `consumed(streamId, data.length)` once processed. */
  | { readonly type: 'data'; readonly streamId: number; readonly data: Uint8Array; readonly endStream: boolean }
  /** Trailers; the response is complete. */
  | { readonly type: 'trailers'; readonly streamId: number; readonly headers: HeaderList }
  /** A PUSH_PROMISE on `streamId`: the server will answer the promised request on `promisedStreamId`. */
  | { readonly type: 'push'; readonly streamId: number; readonly promisedStreamId: number; readonly headers: HeaderList }
  /** The server reset a stream (RST_STREAM); `error` has code `H2_ERR_STREAM_RESET` and the h2Code. */
  | { readonly type: 'rstStream'; readonly streamId: number; readonly errorCode: number; readonly error: GunError }
  /**
   * The server's GOAWAY: streams above `lastStreamId` were not processed and may be retried;
   * they are listed in `unprocessedStreamIds` and forgotten by the connection.
   */
  | {
    readonly type: 'goAway'; readonly lastStreamId: number; readonly errorCode: number; readonly debugData: Uint8Array;
    readonly unprocessedStreamIds: readonly number[];
  }
  /** A PING from the server (the ACK is already in the outbox). */
  | { readonly type: 'ping'; readonly opaque: Uint8Array }
  /** The ACK of one of our PINGs. */
  | { readonly type: 'pingAck'; readonly opaque: Uint8Array }
  /** The server opened a send window (`streamId` 0: the connection's); queued DATA may have left. */
  | { readonly type: 'windowUpdate'; readonly streamId: number; readonly increment: number }
  /** A stream error: the stream is reset (RST_STREAM with `error.h2Code` is in the outbox). */
  | { readonly type: 'streamError'; readonly streamId: number; readonly error: GunError }
  /** A connection error: GOAWAY with `error.h2Code` is in the outbox; the connection is closed. */
  | { readonly type: 'error'; readonly error: GunError };
