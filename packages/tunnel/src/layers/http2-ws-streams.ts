import { GunError, localError } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import type { Http2ClientConnection } from '@gunhttp/http2';
import type { RequestCommand, WsSendCommand, WsUpgradeCommand } from '../commands.js';
import { TunnelErrors } from '../errors.js';
import { streamError } from '../layer.js';
import type { EventObserver, LayerOutput } from '../layer.js';
import { prepareRequest } from './http2-fields.js';
import { asGunError, badState, closingError, unsupported } from './http2-streams.js';
import type { Http2Stream } from './http2-streams.js';
import { WsLayer } from './ws-layer.js';
import { completeWsUpgrade, prepareWsUpgrade } from './ws-upgrade.js';
import type { WsPlatform } from './ws-upgrade.js';

/*
 * Websockets over HTTP/2 streams (RFC 8441; Gun §5.10), one WsLayer per stream:
 *
 *   handshake ──2xx without END_STREAM, checks pass──> open ──close handshake done──> END_STREAM sent
 *       │  └──checks fail: RST_STREAM(CANCEL), stream error                             │
 *       └──other status: a plain response (the stream leaves this file)                │
 *   open or END_STREAM sent ──close handshake done, or the server's END_STREAM──> forgotten
 *
 * RFC 8441 §5 maps END_STREAM to the TCP FIN, and RFC 6455 §7.1.1 lets the server close the
 * TCP connection first: so after our close frame we wait for the server's (or its END_STREAM)
 * before sending END_STREAM; the client bounds that wait with `wsOpts.closingTimeout`. The
 * server ending the stream before any close frame is the stream error
 * `TUNNEL_ERR_WS_STREAM_ENDED` (a TCP close without close frame, RFC 6455 §7.1.5).
 */

/** What the Websocket streams need of their HTTP/2 layer. */
export interface Http2WsContext {
  readonly codec: Http2ClientConnection;
  readonly conn: unknown;
  readonly observer: EventObserver;
  readonly scheme: string;
  readonly authority: string;
  readonly platform: WsPlatform | undefined;
}

/** What a response head did to a Websocket stream in handshake. */
export type WsHeadOutcome = 'plain' | 'upgraded' | 'failed';

const EMPTY = new Uint8Array(0);

/** The RFC 8441 side of the HTTP/2 layer. Methods returning `true` mean: forget the stream now. */
export class Http2WsStreams {
  constructor(private readonly ctx: Http2WsContext) {}

  /**
   * Sends the extended CONNECT (RFC 8441 §4): `:method CONNECT`, `:protocol websocket`,
   * `:scheme`, `:authority`, `:path`, `sec-websocket-version: 13`, subprotocols and the deflate
   * offer, then the user's fields (connection-specific ones removed, as for requests). Returns
   * the stream to add, or `undefined` after delivering a stream error: `TUNNEL_ERR_UNSUPPORTED`
   * without a platform, `TUNNEL_ERR_CLOSING` when not `accepting` (after a GOAWAY),
   * `TUNNEL_ERR_CONNECT_PROTOCOL_DISABLED` when the server's SETTINGS lack
   * ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3), the option errors of `prepareWsUpgrade`, or the
   * codec's refusal (`H2_ERR_TOO_MANY_STREAMS`, ...).
   */
  open(cmd: WsUpgradeCommand, accepting: boolean, out: LayerOutput): Http2Stream | undefined {
    const { codec, conn, observer, platform } = this.ctx;
    const base = { streamRef: cmd.streamRef, replyTo: cmd.replyTo };
    const fail = (error: GunError): undefined => void out.deliveries.push(streamError(conn, cmd.replyTo, cmd.streamRef, error));
    if (platform === undefined) return fail(unsupported(cmd.type));
    if (observer.observes('wsUpgrade')) out.events.push({ name: 'wsUpgrade', event: { streamRef: base.streamRef, replyTo: base.replyTo, opts: cmd.opts } });
    if (!accepting) return fail(closingError());
    if (!codec.remoteSettings.enableConnectProtocol) {
      return fail(localError(TunnelErrors.CONNECT_PROTOCOL_DISABLED, 'Websocket over HTTP/2 needs the server\'s SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3).'));
    }
    const handshake = prepareWsUpgrade(cmd.opts, platform, false);
    if (handshake instanceof GunError) return fail(handshake);
    const req: RequestCommand = {
      type: 'request', ...base, method: 'CONNECT', path: cmd.path, headers: [...handshake.headers, ...cmd.headers], body: undefined, function: 'wsUpgrade',
    };
    const prepared = prepareRequest(req, this.ctx.scheme, this.ctx.authority);
    const fields: HeaderList = [[':method', 'CONNECT'], [':protocol', 'websocket'], ...prepared.fields.slice(1)];
    let id: number;
    try {
      id = codec.request(fields, { endStream: false });
    } catch (error) {
      return fail(asGunError(error));
    }
    const started = { streamRef: base.streamRef, replyTo: base.replyTo, function: 'wsUpgrade' as const, method: 'CONNECT', authority: prepared.authority, path: cmd.path, headers: prepared.regular };
    if (observer.observes('requestStart')) out.events.push({ name: 'requestStart', event: started });
    if (observer.observes('requestHeaders')) out.events.push({ name: 'requestHeaders', event: started });
    // Gun reports request_end right after the extended CONNECT's headers (the request has no
    // body; the Websocket's DATA is not the request's).
    if (observer.observes('requestEnd')) out.events.push({ name: 'requestEnd', event: base });
    return { id, ref: cmd.streamRef, replyTo: cmd.replyTo, authority: prepared.authority, local: 'open', remote: 'awaitingHead', ws: { phase: 'handshake', handshake } };
  }

  /**
   * The final head of a stream in handshake. A 2xx without END_STREAM is checked (extensions,
   * subprotocol; no accept, RFC 8441 §5): `upgrade` message (`protocols: ['websocket']`) and the
   * stream's WsLayer, or RST_STREAM(CANCEL) and the check's stream error (Gun). Any other head
   * makes the stream a plain request (`plain`: the caller delivers the response).
   */
  onResponse(s: Http2Stream, status: number, endStream: boolean, headers: HeaderList, out: LayerOutput): WsHeadOutcome {
    const state = s.ws;
    if (state?.phase !== 'handshake' || status < 200 || status > 299 || endStream) {
      s.ws = undefined;
      return 'plain';
    }
    const { conn, observer } = this.ctx;
    const done = completeWsUpgrade(state.handshake, headers, { streamRef: s.ref, replyTo: s.replyTo, conn, observer });
    if (done.kind === 'error') {
      this.ctx.codec.resetStream(s.id, 'CANCEL');
      out.deliveries.push(streamError(conn, s.replyTo, s.ref, done.error));
      return 'failed';
    }
    s.remote = 'body';
    s.ws = { phase: 'open', layer: new WsLayer(done.layer) };
    // Gun: the 2xx ends the response, not the stream (response_headers, response_end, protocol_changed).
    const base = { streamRef: s.ref, replyTo: s.replyTo };
    if (observer.observes('responseHeaders')) out.events.push({ name: 'responseHeaders', event: { streamRef: base.streamRef, replyTo: base.replyTo, status, headers } });
    if (observer.observes('responseEnd')) out.events.push({ name: 'responseEnd', event: base });
    out.deliveries.push({ replyTo: s.replyTo, message: { type: 'upgrade', conn, streamRef: s.ref, protocols: ['websocket'], headers } });
    if (observer.observes('protocolChanged')) out.events.push({ name: 'protocolChanged', event: { protocol: 'ws', streamRef: s.ref } });
    return 'upgraded';
  }

  /** DATA of an open Websocket stream: frames for its WsLayer (consumed at once, as for responses). */
  onData(s: Http2Stream, data: Uint8Array, endStream: boolean, out: LayerOutput): boolean {
    if (s.ws?.phase !== 'open') return false;
    const layer = s.ws.layer;
    if (data.length > 0) this.ctx.codec.consumed(s.id, data.length);
    const received = layer.receive(data);
    if (endStream && layer.state !== 'closed') {
      layer.receiveEof();
      const reason = new GunError(TunnelErrors.WS_STREAM_ENDED, 'The server ended the Websocket stream without a close handshake (RFC 8441 §5, RFC 6455 §7.1.5).', { origin: 'remote' });
      received.deliveries.push(streamError(this.ctx.conn, s.replyTo, s.ref, reason));
    }
    return this.apply(s, layer, received, out) || endStream;
  }

  /**
   * `wsSend` (Gun's ws_send): frames on the stream's WsLayer, written as DATA. Stream errors:
   * `TUNNEL_ERR_UNSUPPORTED` without a platform, `TUNNEL_ERR_STREAM_NOT_FOUND` (unknown ref, Gun Q18), `TUNNEL_ERR_NOT_A_WEBSOCKET` (a stream
   * that is not an upgraded Websocket), and the WsLayer's.
   */
  send(s: Http2Stream | undefined, cmd: WsSendCommand, out: LayerOutput): boolean {
    if (s?.ws?.phase !== 'open') {
      const reason = this.ctx.platform === undefined ? unsupported(cmd.type)
        : s === undefined ? badState('notFound') : localError(TunnelErrors.NOT_A_WEBSOCKET, 'The stream is not a Websocket.');
      out.deliveries.push(streamError(this.ctx.conn, cmd.replyTo, cmd.streamRef, reason));
      return false;
    }
    return this.apply(s, s.ws.layer, s.ws.layer.command(cmd), out);
  }

  /** A graceful shutdown (Gun §5.8): close 1001 on every open Websocket stream. */
  shutdown(streams: Iterable<Http2Stream>, out: LayerOutput): void {
    for (const s of [...streams]) {
      if (s.ws?.phase !== 'open') continue;
      this.apply(s, s.ws.layer, s.ws.layer.command({ type: 'shutdown', reason: 'shutdown' }), out);
    }
  }

  /**
   * Passes the WsLayer's deliveries and events up and writes its bytes as DATA, then END_STREAM
   * once the close handshake is done; its directives are dropped (they concern a socket, not a stream).
   * Returns `true` once the Websocket is closed.
   */
  private apply(s: Http2Stream, layer: WsLayer, from: LayerOutput, out: LayerOutput): boolean {
    for (const d of from.deliveries) out.deliveries.push(d);
    for (const e of from.events) out.events.push(e);
    if (s.local === 'open') {
      for (const bytes of from.writes) this.ctx.codec.sendData(s.id, bytes);
      if (layer.state === 'closed') {
        this.ctx.codec.sendData(s.id, EMPTY, { endStream: true });
        s.local = 'sent';
      }
    }
    return layer.state === 'closed';
  }
}
