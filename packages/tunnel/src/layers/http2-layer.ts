import { GunError, StreamRef, assertNever } from '@gunhttp/core';
import { Http2ClientConnection, Http2Errors, h2ErrorName } from '@gunhttp/http2';
import type { H2ErrorName, Http2Event } from '@gunhttp/http2';
import type { CancelCommand, DataCommand, GunCommand, PingCommand, RequestCommand, WsUpgradeCommand } from '../commands.js';
import { ALL_EVENTS, emptyOutput, streamError } from '../layer.js';
import type { EventObserver, Layer, LayerOutput, LayerStreamInfo } from '../layer.js';
import { prepareRequest, promisedRequest, regularFields } from './http2-fields.js';
import { consumeData, updateFlow } from './http2-flow.js';
import { Http2ConnectStreams } from './http2-connect-streams.js';
import { Http2Pings } from './http2-pings.js';
import { asGunError, badState, closingError, Http2StreamTable } from './http2-streams.js';
import type { Http2Stream } from './http2-streams.js';
import type { Http2LayerOptions } from './http2-options.js';
import { Http2WsStreams } from './http2-ws-streams.js';

export type { Http2LayerOptions } from './http2-options.js';

/*
 * The connection as this layer sees it (RFC 9113 §6.8, Gun §5.8):
 *
 *   connected ──shutdown: our GOAWAY(NO_ERROR)──────────> closing ───┐
 *       │                                                             ├─ last stream ends ─> finished
 *       └──server GOAWAY: we answer GOAWAY(NO_ERROR)───> goingAway ───┘
 *   any ──connection error or EOF──> finished
 *
 * Streams follow the diagram in http2-streams.ts. Cancel, RST_STREAM, a stream error or a
 * GOAWAY below the stream's id forget a stream at once.
 */
type ConnectionPhase = 'connected' | 'closing' | 'goingAway' | 'finished';
type PhaseEvent = 'shutdown' | 'serverGoAway' | 'lastStreamEnded' | 'connectionEnded';

const PHASES: Readonly<Record<ConnectionPhase, Partial<Record<PhaseEvent, ConnectionPhase>>>> = {
  connected: { shutdown: 'closing', serverGoAway: 'goingAway', connectionEnded: 'finished' },
  closing: { lastStreamEnded: 'finished', connectionEnded: 'finished' },
  goingAway: { lastStreamEnded: 'finished', connectionEnded: 'finished' },
  finished: {},
};

type EventOf<T extends Http2Event['type']> = Extract<Http2Event, { type: T }>;

/**
 * The HTTP/2 layer (Gun's gun_http2) over one {@link Http2ClientConnection}: request commands
 * become streams, the codec's events become Gun messages for each stream's replyTo (`conn`
 * stamped) and the events its `observer` reads. Call {@link start} first and write its bytes (the
 * client preface); if forgotten, the first `receive` or `command` starts the codec itself.
 *
 * Stream errors delivered: `TUNNEL_ERR_CLOSING` (request after a GOAWAY), `H2_ERR_TOO_MANY_STREAMS`
 * (the server's SETTINGS_MAX_CONCURRENT_STREAMS), `H2_ERR_STREAM_RESET` (server RST_STREAM),
 * `H2_ERR_GOAWAY` (streams above a server GOAWAY's last id), the codec's stream errors,
 * `TUNNEL_ERR_STREAM_NOT_FOUND` / `TUNNEL_ERR_STREAM_CLOSED` (data, cancel), and for Websockets
 * (RFC 8441, with `options.ws`; else `TUNNEL_ERR_UNSUPPORTED`) those of http2-ws-streams.ts. A
 * connection error is an `error` message without `streamRef` to each distinct replyTo, then a
 * `close` directive carrying it. A `connect` command opens a CONNECT stream (RFC 9113 §8.5); a 2xx
 * makes it a tunnel whose bytes leave as directives (http2-connect-streams.ts).
 */
export class Http2Layer implements Layer {
  readonly protocol = 'http2' as const;
  private readonly codec: Http2ClientConnection;
  private readonly streams = new Http2StreamTable();
  private readonly pings = new Http2Pings();
  private readonly conn: unknown;
  private readonly observer: EventObserver;
  private readonly scheme: string;
  private readonly authority: string;
  private readonly closingTimeout: number;
  private readonly notifySettings: boolean;
  private readonly notifyGoAway: boolean;
  private readonly owner: unknown;
  private readonly flow: number | undefined;
  private readonly ws: Http2WsStreams;
  private readonly tunnels: Http2ConnectStreams;
  private phase: ConnectionPhase = 'connected';
  /** Websocket upgrades made before the server's first SETTINGS, sent once they arrive. */
  private readonly upgradesAwaitingSettings: WsUpgradeCommand[] = [];

  /** @throws GunError `H2_ERR_BAD_ARGUMENT` for a codec option out of range. */
  constructor(options: Http2LayerOptions) {
    this.codec = new Http2ClientConnection(options.codec ?? {});
    this.conn = options.conn;
    this.observer = options.observer ?? ALL_EVENTS;
    this.scheme = options.scheme;
    this.authority = options.authority;
    this.closingTimeout = options.closingTimeout ?? 15000;
    this.notifySettings = options.notifySettingsChanged ?? false;
    this.notifyGoAway = options.notifyGoAway ?? false;
    this.owner = options.owner;
    this.flow = options.flow;
    this.tunnels = new Http2ConnectStreams({ codec: this.codec, conn: this.conn, observer: this.observer });
    this.ws = new Http2WsStreams({ codec: this.codec, conn: this.conn, observer: this.observer, scheme: this.scheme, authority: this.authority, platform: options.ws });
  }

  /** Keepalive PINGs (opaque 0) not acknowledged yet, for Gun's `keepalive_tolerance`. */
  get unackedKeepalives(): number {
    return this.pings.unackedKeepalives;
  }

  /** Whether the server's SETTINGS (its preface) has not arrived yet, for Gun's `preface_timeout`. */
  get awaitingPreface(): boolean {
    return this.codec.state === 'awaitingSettings';
  }

  /** Whether our SETTINGS wait for the server's ACK, for Gun's `settings_timeout`. */
  get settingsAckPending(): boolean {
    return this.codec.settingsAckPending;
  }

  get idle(): boolean {
    return this.streams.size === 0 && this.upgradesAwaitingSettings.length === 0;
  }

  /**
   * The client preface (RFC 9113 §3.4): magic, SETTINGS, connection WINDOW_UPDATE. Call it right
   * after making the layer and write the bytes; later calls return nothing.
   */
  start(): LayerOutput {
    const out = emptyOutput();
    this.started(out);
    return out;
  }

  /**
   * Ends the connection for a reason found outside the codec (the client's preface, settings and
   * keepalive-tolerance timers, Gun §5.4, §5.11): GOAWAY with `error.h2Code` (NO_ERROR when
   * absent), an `error` message to each replyTo, then `close` with `error`. Nothing once finished.
   */
  abort(error: GunError): LayerOutput {
    const out = emptyOutput();
    if (this.phase === 'finished') return out;
    this.started(out);
    this.codec.goAway((error.h2Code ?? 'NO_ERROR') as H2ErrorName);
    this.flush(out);
    this.fail(error, out);
    return out;
  }

  openStreams(): StreamRef[] {
    return [...[...this.streams.values()].map((s) => s.ref), ...this.upgradesAwaitingSettings.map((c) => c.streamRef)];
  }

  streamInfo(ref: StreamRef): LayerStreamInfo | undefined {
    const s = this.streams.byRef(ref);
    return s === undefined ? undefined : { ref: s.ref, replyTo: s.replyTo, state: 'running' };
  }

  command(cmd: GunCommand): LayerOutput {
    const out = emptyOutput();
    this.started(out);
    switch (cmd.type) {
      case 'request': this.request(cmd, out); break;
      case 'data': this.data(cmd, out); break;
      case 'cancel': this.cancel(cmd, out); break;
      case 'keepalive': this.keepalive(); break;
      case 'shutdown': this.shutdown(out); break;
      case 'ping': this.ping(cmd, out); break;
      case 'wsUpgrade':
        // RFC 8441 §3: only the server's SETTINGS say whether extended CONNECT may be used.
        if (this.awaitingPreface) this.upgradesAwaitingSettings.push(cmd);
        else this.wsUpgrade(cmd, out);
        break;
      case 'wsSend': {
        const s = this.streams.byRef(cmd.streamRef);
        if (this.ws.send(s, cmd, out) && s !== undefined) this.drop(s, out);
        break;
      }
      case 'updateFlow': {
        const s = this.streams.byRef(cmd.streamRef);
        if (s !== undefined) updateFlow(this.codec, s, cmd.increment);
        break;
      }
      case 'connect': {
        const s = this.tunnels.open(cmd, this.phase === 'connected', out);
        if (s !== undefined) this.streams.add(s);
        break;
      }
      default: assertNever(cmd, 'command');
    }
    this.flush(out);
    return out;
  }

  receive(chunk: Uint8Array): LayerOutput {
    const out = emptyOutput();
    this.started(out);
    const events = this.codec.receive(chunk, performance.now());
    for (let i = 0; i < events.length; i++) this.handleEvent(events[i]!, out);
    this.flush(out);
    return out;
  }

  /** The server closed: `close` with `closed`, Gun's disconnect reason for a socket the peer closed. */
  receiveEof(): LayerOutput {
    const out = emptyOutput();
    this.codec.receiveEof();
    this.move('connectionEnded');
    out.directives.push({ type: 'close', reason: 'closed' });
    return out;
  }

  private started(out: LayerOutput): void {
    if (this.codec.state !== 'idle') return;
    this.codec.start();
    this.flush(out);
  }

  private flush(out: LayerOutput): void {
    const bytes = this.codec.takeOutput();
    for (let i = 0; i < bytes.length; i++) out.writes.push(bytes[i]!);
  }

  private move(event: PhaseEvent): void {
    this.phase = PHASES[this.phase][event] ?? this.phase;
  }

  private wsUpgrade(cmd: WsUpgradeCommand, out: LayerOutput): void {
    const s = this.ws.open(cmd, this.phase === 'connected', out);
    if (s !== undefined) this.streams.add(s);
  }

  private request(cmd: RequestCommand, out: LayerOutput): void {
    if (this.phase !== 'connected') {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, closingError()));
      return;
    }
    const req = prepareRequest(cmd, this.scheme, this.authority);
    let id: number;
    try {
      id = this.codec.request(req.fields, { endStream: req.endStream });
      if (req.body !== undefined) this.codec.sendData(id, req.body, { endStream: true });
    } catch (error) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, asGunError(error)));
      return;
    }
    const local = req.endStream || req.body !== undefined ? 'sent' : 'open';
    const flow = cmd.flow ?? this.flow;
    this.streams.add({ id, ref: cmd.streamRef, replyTo: cmd.replyTo, authority: req.authority, local, remote: 'awaitingHead', ...(flow === undefined ? {} : { flow }) });
    const { observer } = this;
    const start = observer.observes('requestStart');
    const head = observer.observes('requestHeaders');
    const base = { streamRef: cmd.streamRef, replyTo: cmd.replyTo };
    if (start || head) {
      const started = { streamRef: base.streamRef, replyTo: base.replyTo, function: cmd.function, method: cmd.method, authority: req.authority, path: cmd.path, headers: req.regular };
      if (start) out.events.push({ name: 'requestStart', event: started });
      if (head) out.events.push({ name: 'requestHeaders', event: started });
    }
    if (local === 'sent' && observer.observes('requestEnd')) out.events.push({ name: 'requestEnd', event: base });
  }

  private data(cmd: DataCommand, out: LayerOutput): void {
    const s = this.streams.byRef(cmd.streamRef);
    if (s === undefined || s.local === 'sent' || s.ws !== undefined) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, badState(s === undefined ? 'notFound' : s.ws !== undefined ? 'websocket' : 'closed')));
      return;
    }
    try {
      this.codec.sendData(s.id, cmd.data, { endStream: cmd.fin });
    } catch (error) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, asGunError(error)));
      return;
    }
    if (!cmd.fin) return;
    s.local = 'sent';
    if (this.observer.observes('requestEnd')) out.events.push({ name: 'requestEnd', event: { streamRef: s.ref, replyTo: s.replyTo } });
  }

  /** RST_STREAM(CANCEL); the stream is forgotten at once (Gun §5.7). */
  private cancel(cmd: CancelCommand, out: LayerOutput): void {
    const s = this.streams.byRef(cmd.streamRef);
    if (s === undefined) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.streamRef, badState('notFound')));
      return;
    }
    this.codec.resetStream(s.id, 'CANCEL');
    this.streams.forget(s);
    this.tunnels.closed(s, 'cancelled', out);
    if (this.observer.observes('cancel')) out.events.push({ name: 'cancel', event: { streamRef: s.ref, replyTo: s.replyTo, endpoint: 'local', reason: 'cancel' } });
    this.maybeFinish(out);
  }

  /** PING with opaque 0, counted until acknowledged (Gun §5.4). */
  private keepalive(): void {
    if (this.phase === 'finished') return;
    this.codec.ping(this.pings.keepalive());
  }

  /** A user PING: its ACK is a `notify` message `pingAck` to the ping's replyTo (Gun's gun:ping). */
  private ping(cmd: PingCommand, out: LayerOutput): void {
    try {
      this.codec.ping(this.pings.nextUserOpaque());
    } catch (error) {
      out.deliveries.push(streamError(this.conn, cmd.replyTo, cmd.pingRef, asGunError(error)));
      return;
    }
    this.pings.sent({ pingRef: cmd.pingRef, replyTo: cmd.replyTo });
  }

  /** Our GOAWAY(NO_ERROR); streams in flight finish, new requests get `closing` (Gun §5.8). */
  private shutdown(out: LayerOutput): void {
    if (this.phase === 'finished') {
      out.directives.push({ type: 'close', reason: 'normal' });
      return;
    }
    if (this.phase === 'connected') this.codec.goAway('NO_ERROR');
    this.ws.shutdown(this.streams.values(), out);
    this.move('shutdown');
    this.closingDirective(out);
  }

  private closingDirective(out: LayerOutput): void {
    if (this.streams.size > 0) {
      out.directives.push({ type: 'closing', timeout: this.closingTimeout });
      return;
    }
    this.move('lastStreamEnded');
    out.directives.push({ type: 'close', reason: 'normal' });
  }

  private handleEvent(e: Http2Event, out: LayerOutput): void {
    switch (e.type) {
      case 'settings': {
        if (this.notifySettings) out.deliveries.push({ replyTo: this.owner, message: { type: 'notify', conn: this.conn, kind: 'settingsChanged', settings: { ...e.settings } } });
        const upgrades = this.upgradesAwaitingSettings.splice(0);
        for (const cmd of upgrades) this.wsUpgrade(cmd, out);
        return;
      }
      case 'inform': return this.onHead(e, out);
      case 'response': return this.onHead(e, out);
      case 'data': return this.onData(e, out);
      case 'trailers': return this.onTrailers(e, out);
      case 'push': return this.onPush(e, out);
      case 'rstStream': return this.onReset(e.streamId, e.error, 'remote', out);
      case 'streamError': return this.onReset(e.streamId, e.error, 'local', out);
      case 'goAway': return this.onGoAway(e, out);
      case 'pingAck': return this.onPingAck(e.opaque, out);
      case 'error': return this.fail(e.error, out);
      case 'settingsAck':
      case 'ping':
      case 'windowUpdate':
        return;
      default:
        assertNever(e, 'HTTP/2 event');
    }
  }

  private onHead(e: EventOf<'inform'> | EventOf<'response'>, out: LayerOutput): void {
    const s = this.streams.get(e.streamId);
    if (s === undefined) return;
    const { observer } = this;
    const base = { streamRef: s.ref, replyTo: s.replyTo };
    if (s.remote === 'awaitingHead' && observer.observes('responseStart')) out.events.push({ name: 'responseStart', event: base });
    const headers = regularFields(e.headers);
    const conn = this.conn;
    if (e.type === 'response' && s.connect !== undefined && this.tunnels.onResponse(s, e.status, e.endStream, headers, out)) return;
    if (e.type === 'response' && s.ws !== undefined) {
      const outcome = this.ws.onResponse(s, e.status, e.endStream, headers, out);
      if (outcome === 'failed') this.drop(s, out);
      if (outcome !== 'plain') return;
    }
    if (e.type === 'inform') {
      s.remote = 'informed';
      if (observer.observes('responseInform')) out.events.push({ name: 'responseInform', event: { streamRef: base.streamRef, replyTo: base.replyTo, status: e.status, headers } });
      out.deliveries.push({ replyTo: s.replyTo, message: { type: 'inform', conn, streamRef: s.ref, status: e.status, headers } });
      return;
    }
    s.remote = 'body';
    if (observer.observes('responseHeaders')) out.events.push({ name: 'responseHeaders', event: { streamRef: base.streamRef, replyTo: base.replyTo, status: e.status, headers } });
    out.deliveries.push({ replyTo: s.replyTo, message: { type: 'response', conn, streamRef: s.ref, fin: e.endStream, status: e.status, headers } });
    if (e.endStream) this.end(s, out);
  }

  /** Delivers body octets and gives them back to the windows, as the stream's flow allows. */
  private onData(e: EventOf<'data'>, out: LayerOutput): void {
    const s = this.streams.get(e.streamId);
    if (s === undefined) return;
    if (s.ws !== undefined) {
      if (this.ws.onData(s, e.data, e.endStream, out)) this.drop(s, out);
      return;
    }
    if (s.connect?.phase === 'tunnel') return this.tunnels.onData(s, e.data, e.endStream, out);
    out.deliveries.push({ replyTo: s.replyTo, message: { type: 'data', conn: this.conn, streamRef: s.ref, fin: e.endStream, data: e.data } });
    consumeData(this.codec, s, e.data.length);
    if (e.endStream) this.end(s, out);
  }

  private onTrailers(e: EventOf<'trailers'>, out: LayerOutput): void {
    const s = this.streams.get(e.streamId);
    if (s === undefined) return;
    if (this.observer.observes('responseTrailers')) out.events.push({ name: 'responseTrailers', event: { streamRef: s.ref, replyTo: s.replyTo, headers: e.headers } });
    out.deliveries.push({ replyTo: s.replyTo, message: { type: 'trailers', conn: this.conn, streamRef: s.ref, headers: e.headers } });
    this.end(s, out);
  }

  /**
   * A PUSH_PROMISE (Gun §5.11): refused with CANCEL after a GOAWAY, with PROTOCOL_ERROR when the
   * promised `:scheme` or `:authority` differs from ours (Gun 2.4); else a `push` message on the
   * parent stream, the pushed stream's messages going to the parent's replyTo.
   */
  private onPush(e: EventOf<'push'>, out: LayerOutput): void {
    const parent = this.streams.get(e.streamId);
    if (parent === undefined || this.phase !== 'connected') {
      this.codec.resetStream(e.promisedStreamId, 'CANCEL');
      return;
    }
    const base = { streamRef: parent.ref, replyTo: parent.replyTo };
    if (this.observer.observes('pushPromiseStart')) out.events.push({ name: 'pushPromiseStart', event: base });
    const { method, scheme, authority, uri, headers } = promisedRequest(e.headers);
    const accepted = scheme === this.scheme && authority === parent.authority;
    const ref = accepted ? new StreamRef(parent.ref.parent) : undefined;
    if (ref === undefined) this.codec.resetStream(e.promisedStreamId, 'PROTOCOL_ERROR');
    else {
      this.streams.add({ id: e.promisedStreamId, ref, replyTo: parent.replyTo, authority, local: 'sent', remote: 'awaitingHead' });
      out.deliveries.push({ replyTo: parent.replyTo, message: { type: 'push', conn: this.conn, streamRef: parent.ref, newStreamRef: ref, method, uri, headers } });
    }
    const promised = ref === undefined ? {} : { promisedStreamRef: ref };
    if (this.observer.observes('pushPromiseEnd')) out.events.push({ name: 'pushPromiseEnd', event: { streamRef: base.streamRef, replyTo: base.replyTo, method, uri, headers, ...promised } });
  }

  /** RST_STREAM from the server (with a `cancel` event, endpoint remote) or a stream error of the codec. */
  private onReset(id: number, reason: GunError, endpoint: 'local' | 'remote', out: LayerOutput): void {
    const s = this.streams.get(id);
    if (s === undefined) return;
    this.streams.forget(s);
    out.deliveries.push(streamError(this.conn, s.replyTo, s.ref, reason));
    this.tunnels.closed(s, reason, out);
    if (endpoint === 'remote' && this.observer.observes('cancel')) {
      out.events.push({ name: 'cancel', event: { streamRef: s.ref, replyTo: s.replyTo, endpoint, reason: reason.h2Code ?? 'unknown' } });
    }
    this.maybeFinish(out);
  }

  /** Server GOAWAY (Gun §5.8): unprocessed streams fail, we answer GOAWAY(NO_ERROR) once and close when done. */
  private onGoAway(e: EventOf<'goAway'>, out: LayerOutput): void {
    const code = h2ErrorName(e.errorCode);
    if (this.notifyGoAway) {
      const message = { type: 'notify', conn: this.conn, kind: 'goAway', lastStreamId: e.lastStreamId, errorCode: code, debugData: e.debugData } as const;
      out.deliveries.push({ replyTo: this.owner, message });
    }
    for (const id of e.unprocessedStreamIds) {
      const s = this.streams.get(id);
      if (s === undefined) continue;
      this.streams.forget(s);
      const reason = new GunError(Http2Errors.GOAWAY, 'The connection is going away: the stream was not processed (RFC 9113 §6.8).', { origin: 'remote', h2Code: code, scope: 'stream' });
      out.deliveries.push(streamError(this.conn, s.replyTo, s.ref, reason));
      this.tunnels.closed(s, reason, out);
    }
    if (this.phase !== 'connected') {
      this.maybeFinish(out);
      return;
    }
    this.codec.goAway('NO_ERROR');
    this.move('serverGoAway');
    this.closingDirective(out);
  }

  private onPingAck(opaque: Uint8Array, out: LayerOutput): void {
    const ping = this.pings.ack(opaque);
    if (ping === undefined) return;
    out.deliveries.push({ replyTo: ping.replyTo, message: { type: 'notify', conn: this.conn, kind: 'pingAck', pingRef: ping.pingRef } });
  }

  /**
   * A connection error (GOAWAY already in the codec's outbox): an `error` message to each distinct
   * replyTo, then `close`. Streams stay listed for `down`'s killed streams.
   */
  private fail(error: GunError, out: LayerOutput): void {
    const told = new Set<unknown>();
    for (const s of this.streams.values()) {
      if (told.has(s.replyTo)) continue;
      told.add(s.replyTo);
      out.deliveries.push({ replyTo: s.replyTo, message: { type: 'error', conn: this.conn, streamRef: undefined, reason: error } });
    }
    this.move('connectionEnded');
    out.directives.push({ type: 'close', reason: error });
  }

  private end(s: Http2Stream, out: LayerOutput): void {
    this.streams.forget(s);
    if (this.observer.observes('responseEnd')) out.events.push({ name: 'responseEnd', event: { streamRef: s.ref, replyTo: s.replyTo } });
    this.maybeFinish(out);
  }

  /** Forgets a stream that ended without a response end (a Websocket stream). */
  private drop(s: Http2Stream, out: LayerOutput): void {
    this.streams.forget(s);
    this.maybeFinish(out);
  }

  /** After a GOAWAY either way, the last stream ending closes the connection. */
  private maybeFinish(out: LayerOutput): void {
    if ((this.phase === 'closing' || this.phase === 'goingAway') && this.streams.size === 0) {
      this.move('lastStreamEnded');
      out.directives.push({ type: 'close', reason: 'normal' });
    }
  }

}

