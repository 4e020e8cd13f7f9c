import type { Http2ClientConnection } from '@gunhttp/http2';
import type { Http2Stream } from './http2-streams.js';

/*
 * Gun's message-count flow control on HTTP/2 streams (Gun §5.9, `flow` and `update_flow`):
 * each delivered `data` message spends one unit of the stream's flow. While the flow is above 0
 * the body's octets re-open both windows at once; at 0 only the connection window re-opens (so
 * the other streams keep going) and the stream's octets are withheld, which stalls that stream
 * once the server has used its window (RFC 9113 §5.2.2). `updateFlow` adds units and releases
 * what was withheld.
 */

/** Reports `n` delivered body octets of `s` to the codec, spending one unit of flow. */
export function consumeData(codec: Http2ClientConnection, s: Http2Stream, n: number): void {
  if (n === 0) return;
  if (s.flow === undefined) {
    codec.consumed(s.id, n);
    return;
  }
  // Not clamped at 0 (Gun: Flow0 - Dec): what was delivered past 0 is owed, as on HTTP/1.1, and a
  // content handler's correction (gun content-delivery.ts, e.g. +1 for a chunk that completed no
  // sse event) must not release the stream's window while the flow is spent.
  s.flow -= 1;
  if (s.flow > 0) {
    codec.consumed(s.id, n);
    return;
  }
  codec.consumed(s.id, n, 'connection');
  s.withheld = (s.withheld ?? 0) + n;
}

/** Adds `increment` to the stream's flow (Gun's `update_flow`), releasing withheld octets when it is positive again. */
export function updateFlow(codec: Http2ClientConnection, s: Http2Stream, increment: number): void {
  if (s.flow === undefined) return;
  s.flow += increment;
  if (s.flow <= 0 || s.withheld === undefined || s.withheld === 0) return;
  codec.consumed(s.id, s.withheld, 'stream');
  s.withheld = 0;
}
