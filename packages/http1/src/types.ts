import type { GunError, HeaderList } from '@gunhttp/core';

/**
 * How a request's body is sent.
 * - `none`: no body and no framing header (user `content-length` and `transfer-encoding` dropped).
 * - `full`: the whole body now; `content-length: <data.length>` is always written, even 0 (as Gun
 *   does for GET), and a user `content-length` is dropped.
 * - `streamed`: the body follows through `sendData`; a user `content-length` is kept and enforced,
 *   otherwise the body is chunked (HTTP/1.1) or raw until the connection closes (HTTP/1.0).
 */
export type Http1RequestBody =
  | { kind: 'none' }
  | { kind: 'full'; data: Uint8Array }
  | { kind: 'streamed' };

/** A request to serialise (RFC 9112 §3). */
export interface Http1Request {
  /** A token (RFC 9110 §9.1), sent verbatim. */
  method: string;
  /** Sent verbatim: origin-form, absolute-form, or authority-form for CONNECT (RFC 9112 §3.2). */
  target: string;
  /** The `host` value when `headers` has none (the caller computes brackets and the default port). */
  authority: string;
  /** Normalised user headers (lowercase names, latin1 values); never reordered. */
  headers: HeaderList;
  body: Http1RequestBody;
}

/**
 * What the response parser reports, in wire order, for the request `id` it answers (FIFO).
 * - `responseStart`: the first octet of the response to `id` arrived (once, before any `inform`).
 * - `inform`: a 1xx other than a 101 that upgrades (RFC 9110 §15.2).
 * - `response`: the final head; `fin` when no body follows (HEAD, 204, 304, content-length 0, CONNECT 2xx).
 * - `data`: body octets (views of the received chunks where possible); `fin` on the last.
 * - `trailers`: the trailer section of a chunked body; ends the response.
 * - `upgrade`: a 101 to an upgrade request, or a 2xx to CONNECT (after its `response`); later
 *   octets belong to the new protocol and are read with `takeRemainder()`.
 * - `error`: the peer violated the protocol; always the last event, the machine is then `error`.
 */
export type Http1Event =
  | { type: 'responseStart'; id: number }
  | { type: 'inform'; id: number; status: number; headers: HeaderList }
  | { type: 'response'; id: number; status: number; reason: string; version: 'HTTP/1.0' | 'HTTP/1.1'; headers: HeaderList; fin: boolean }
  | { type: 'data'; id: number; data: Uint8Array; fin: boolean }
  | { type: 'trailers'; id: number; headers: HeaderList }
  | { type: 'upgrade'; id: number; status: number; headers: HeaderList; protocols: string[] }
  | { type: 'error'; error: GunError };
