import type { GunError, HeaderList } from '@gunhttp/core';
import type { Http2ClientConnection } from '@gunhttp/http2';
import type { ConnectCommand } from '../commands.js';
import type { Destination } from '../destination.js';
import { streamError } from '../layer.js';
import type { EventObserver, LayerOutput } from '../layer.js';
import { connectRequest, isTunnelStatus, notATunnelError } from './http1-connect.js';
import { consumeData } from './http2-flow.js';
import { asGunError, closingError } from './http2-streams.js';
import type { Http2Stream } from './http2-streams.js';

/*
 * CONNECT over HTTP/2 (RFC 9113 §8.5; Gun §5.12 "Over an HTTP/2 proxy"), one tunnel per stream
 * while the connection's other streams go on:
 *
 *   awaiting ──2xx HEADERS without END_STREAM──> tunnel ──RST_STREAM, stream error, cancel──> forgotten
 *       │                                          │        (`tunnelClosed`)
 *       │                                          └──DATA: `tunnelData`; END_STREAM: `tunnelEof`
 *       └──any other answer, or the stream failed: `tunnelClosed` (no tunnel), and an answer is a
 *          plain response (the stream leaves this file)
 *
 * The tunnel's bytes leave the layer as directives; the client runs the destination's protocol
 * (and TLS) over them and writes back with `data` commands on the CONNECT's ref. Octets received
 * are given back to the windows at once (the tunnel's consumer is the client, not the user),
 * unless the client paused the tunnel (see {@link TUNNEL_FLOW}): then the stream's window is
 * withheld (RFC 9113 §5.2.2) while the connection's re-opens, as for a request whose flow is spent.
 */

/** Where an HTTP/2 CONNECT stream is (see the diagram above). */
export type Http2ConnectState =
  | { readonly phase: 'awaiting'; readonly destination: Destination }
  | { readonly phase: 'tunnel' };

/**
 * The message-count flow (http2-flow.ts) of an HTTP/2 CONNECT stream once it is a tunnel: one unit
 * per DATA frame relayed, so many that it never runs out (2^53 − 1 frames). A client whose inner
 * protocol stopped reading (its `readPaused`, Gun §5.9) pauses the tunnel's stream with
 * `updateFlow` on the CONNECT's ref by `-TUNNEL_FLOW`: the flow drops to 0 or below, and the
 * stream's octets are no longer given back to its window, so the proxy stops sending once the
 * window is used. `updateFlow` by `+TUNNEL_FLOW` resumes it and releases what was withheld. Both
 * are exact: the flow stays an integer within ±2^53.
 */
export const TUNNEL_FLOW = Number.MAX_SAFE_INTEGER;

/** Fields RFC 9113 §8.2.2 forbids, and `host` (`:authority` replaces it, §8.3.1). */
const REMOVED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** What the CONNECT streams need of their HTTP/2 layer. */
export interface Http2ConnectContext {
  readonly codec: Http2ClientConnection;
  readonly conn: unknown;
  readonly observer: EventObserver;
}

/** The CONNECT side of the HTTP/2 layer. */
export class Http2ConnectStreams {
  constructor(private readonly ctx: Http2ConnectContext) {}

  /**
   * Sends the CONNECT (RFC 9113 §8.5): `:method CONNECT` and `:authority host:port` only (no
   * `:scheme`, no `:path`), `proxy-authorization: Basic` from the destination's credentials, then
   * the user's fields. Returns the stream to add, or `undefined` after delivering a stream error
   * (and `tunnelClosed` with it):
   * `TUNNEL_ERR_CLOSING` when not `accepting` (after a GOAWAY), `TUNNEL_ERR_BAD_ARGUMENT` for a
   * bad destination, or the codec's refusal (`H2_ERR_TOO_MANY_STREAMS`, ...).
   */
  open(cmd: ConnectCommand, accepting: boolean, out: LayerOutput): Http2Stream | undefined {
    const { codec, observer } = this.ctx;
    if (!accepting) return this.refuse(cmd, closingError(), out);
    const prepared = connectRequest(cmd, false);
    if (!('request' in prepared)) return this.refuse(cmd, prepared, out);
    const regular: HeaderList = [];
    for (const [name, value] of prepared.request.headers) {
      const lower = name.toLowerCase();
      if (!REMOVED.has(lower)) regular.push([lower, value]);
    }
    let id: number;
    try {
      id = codec.request([[':method', 'CONNECT'], [':authority', prepared.authority], ...regular], { endStream: false });
    } catch (error) {
      return this.refuse(cmd, asGunError(error), out);
    }
    const started = { streamRef: cmd.streamRef, replyTo: cmd.replyTo, function: 'connect' as const, method: 'CONNECT', authority: prepared.authority, headers: regular };
    if (observer.observes('requestStart')) out.events.push({ name: 'requestStart', event: started });
    if (observer.observes('requestHeaders')) out.events.push({ name: 'requestHeaders', event: started });
    // Gun's connect1: the HEADERS go without END_STREAM, yet the request is over.
    if (observer.observes('requestEnd')) out.events.push({ name: 'requestEnd', event: { streamRef: cmd.streamRef, replyTo: cmd.replyTo } });
    return {
      id, ref: cmd.streamRef, replyTo: cmd.replyTo, authority: prepared.authority, local: 'open', remote: 'awaitingHead',
      connect: { phase: 'awaiting', destination: cmd.destination },
    };
  }

  /**
   * The final answer to a CONNECT: a 2xx without END_STREAM makes the stream a tunnel (a
   * `response` with `fin`, as Gun, then the `tunnel` directive, scope `stream`); anything else is
   * a plain response (`false`) after `tunnelClosed` with `TUNNEL_ERR_NOT_A_TUNNEL`.
   */
  onResponse(s: Http2Stream, status: number, endStream: boolean, headers: HeaderList, out: LayerOutput): boolean {
    const state = s.connect;
    if (state?.phase !== 'awaiting') return false;
    s.connect = undefined;
    if (!isTunnelStatus(status) || endStream) {
      out.directives.push({ type: 'tunnelClosed', streamRef: s.ref, reason: notATunnelError() });
      return false;
    }
    s.connect = { phase: 'tunnel' };
    s.remote = 'body';
    s.flow = TUNNEL_FLOW;
    const { conn, observer } = this.ctx;
    const base = { streamRef: s.ref, replyTo: s.replyTo };
    if (observer.observes('responseHeaders')) out.events.push({ name: 'responseHeaders', event: { streamRef: base.streamRef, replyTo: base.replyTo, status, headers } });
    if (observer.observes('responseEnd')) out.events.push({ name: 'responseEnd', event: base });
    out.deliveries.push({ replyTo: s.replyTo, message: { type: 'response', conn, streamRef: s.ref, fin: true, status, headers } });
    out.directives.push({
      type: 'tunnel', scope: 'stream', via: 'connect', streamRef: s.ref, replyTo: s.replyTo, destination: state.destination, remainder: EMPTY, pending: [],
    });
    return true;
  }

  /** DATA on a tunnel: the octets for the client, given back to the windows unless the tunnel is paused. */
  onData(s: Http2Stream, data: Uint8Array, endStream: boolean, out: LayerOutput): void {
    if (data.length > 0) {
      out.directives.push({ type: 'tunnelData', streamRef: s.ref, data });
      consumeData(this.ctx.codec, s, data.length);
    }
    if (endStream) out.directives.push({ type: 'tunnelEof', streamRef: s.ref });
  }

  /** A CONNECT's stream is gone, before or after its answer (`reason` as delivered, or `'cancelled'` by us). */
  closed(s: Http2Stream, reason: GunError | 'cancelled', out: LayerOutput): void {
    if (s.connect !== undefined) out.directives.push({ type: 'tunnelClosed', streamRef: s.ref, reason });
  }

  private refuse(cmd: ConnectCommand, reason: GunError, out: LayerOutput): undefined {
    out.deliveries.push(streamError(this.ctx.conn, cmd.replyTo, cmd.streamRef, reason));
    out.directives.push({ type: 'tunnelClosed', streamRef: cmd.streamRef, reason });
    return undefined;
  }
}

const EMPTY = new Uint8Array(0);
