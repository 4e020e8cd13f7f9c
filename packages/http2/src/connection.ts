import { ByteQueue, EMPTY_BYTES, type HeaderList, type SansIoMachine } from '@gunhttp/core';
import { ConnectionCore, type ConnectionState } from './core.js';
import { Http2Errors, connectionError, h2ErrorNumber, misuse, type H2ErrorName } from './errors.js';
import type { Http2Event } from './events.js';
import { peekFrameHeader } from './frame-parser.js';
import { serializeFrame } from './frame-serializer.js';
import { CLIENT_PREFACE, DEFAULT_WINDOW_SIZE, FRAME_HEADER_LENGTH, FrameType, MAX_WINDOW_SIZE } from './frame-types.js';
import { validateRequestHeaders } from './header-validation.js';
import { beginData, dataPiece, handleFrame, isStreamableData, type StreamedData } from './inbound.js';
import { resolveOptions, type Http2ConnectionOptions } from './options.js';
import { flushData, markSending, openQueued, openStream } from './outbound.js';
import { settingsEntries, type Http2Settings } from './settings.js';
import type { Stream } from './stream.js';

/** Options of {@link Http2ClientConnection.request}. */
export interface RequestOptions {
  /** Set END_STREAM on the HEADERS: the request has no body (default false). */
  readonly endStream?: boolean;
}

/** Options of {@link Http2ClientConnection.sendData}. */
export interface SendDataOptions {
  /** The last DATA of the request (default false). */
  readonly endStream?: boolean;
}

const HTTP1 = [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31]; // "HTTP/1"

/**
 * The HTTP/2 client connection as a sans-I/O machine (RFC 9113, DESIGN §2): bytes from the
 * server go in through {@link receive} and come out as {@link Http2Event}s; commands write frames
 * to an outbox read with {@link takeOutput}. It never throws on server input: a connection error
 * is an `error` event (last of its batch) with GOAWAY in the outbox; a stream error is a
 * `streamError` event with RST_STREAM in the outbox. Caller misuse throws a local `GunError`.
 *
 * Timers (Gun's preface_timeout, settings_timeout, keepalive) are the caller's: see
 * {@link settingsAckPending} and {@link state}.
 */
export class Http2ClientConnection implements SansIoMachine<Http2Event> {
  private readonly core: ConnectionCore;
  private readonly input = new ByteQueue();
  /** The DATA frame whose payload is being delivered as it arrives. */
  private streamed: StreamedData | undefined;

  /** @throws GunError `H2_ERR_BAD_ARGUMENT` for an option out of range. */
  constructor(options: Http2ConnectionOptions = {}) {
    this.core = new ConnectionCore(resolveOptions(options));
  }

  /** `idle`, `awaitingSettings` (preface sent), `open`, `goingAway` (GOAWAY sent or received) or `closed`. */
  get state(): ConnectionState {
    return this.core.state;
  }

  /** The server's settings, defaults merged (RFC 9113 §6.5.2); `enableConnectProtocol` per RFC 8441. */
  get remoteSettings(): Http2Settings {
    return this.core.remote;
  }

  /** Our settings as sent in the preface. */
  get localSettings(): Http2Settings {
    return this.core.local;
  }

  /** Whether our SETTINGS still wait for their ACK (Gun's settings_timeout runs meanwhile). */
  get settingsAckPending(): boolean {
    return this.core.settingsAcksPending > 0;
  }

  /** Number of our streams open or half-closed (counting against the server's MAX_CONCURRENT_STREAMS). */
  get activeStreams(): number {
    return this.core.activeLocalStreams();
  }

  /** Whether a request now would open at once (the server's concurrency limit is not reached). */
  canOpenStream(): boolean {
    return this.core.activeLocalStreams() + this.core.queue.length < this.core.remote.maxConcurrentStreams;
  }

  /**
   * Writes the client preface (RFC 9113 §3.4): the magic, our SETTINGS (values differing from the
   * protocol's defaults) and a connection WINDOW_UPDATE of initialConnectionWindowSize − 65535.
   * @throws GunError `H2_ERR_BAD_STATE` when called twice.
   */
  start(): void {
    const core = this.core;
    if (core.state !== 'idle') throw misuse(Http2Errors.BAD_STATE, 'start() must be called once, first.');
    core.write(CLIENT_PREFACE);
    core.write(serializeFrame({ type: 'settings', settings: settingsEntries(core.local) }));
    core.writeWindowUpdate(0, core.options.initialConnectionWindowSize - DEFAULT_WINDOW_SIZE);
    core.connRecv.window = core.options.initialConnectionWindowSize;
    core.settingsAcksPending = 1;
    core.state = 'awaitingSettings';
  }

  private assertUsable(): void {
    const state = this.core.state;
    if (state === 'idle') throw misuse(Http2Errors.BAD_STATE, 'start() must be called first.');
    if (state === 'goingAway') throw misuse(Http2Errors.GOAWAY, 'The connection is going away: no new streams (RFC 9113 §6.8).');
    if (state === 'closed') throw misuse(Http2Errors.BAD_STATE, 'The connection is closed.');
  }

  /**
   * Opens a stream with a request (RFC 9113 §8.1): `headers` is the full list, pseudo-header
   * fields first (`:method`, `:scheme`, `:authority`, `:path`, and `:protocol` for extended
   * CONNECT, RFC 8441). Returns the new stream id (1, 3, 5, ...). When the server's
   * SETTINGS_MAX_CONCURRENT_STREAMS is reached, `onStreamLimit: 'queue'` holds the HEADERS
   * until a stream closes; `refuse` (default) throws.
   *
   * @throws GunError (origin local) `H2_ERR_BAD_ARGUMENT` for malformed headers (RFC 9113 §8.2,
   *   §8.3.1) or `:protocol` without the server's SETTINGS_ENABLE_CONNECT_PROTOCOL;
   *   `H2_ERR_TOO_MANY_STREAMS`; `H2_ERR_STREAM_IDS_EXHAUSTED`; `H2_ERR_GOAWAY` after a GOAWAY;
   *   `H2_ERR_BAD_STATE` before start() or once closed.
   */
  request(headers: HeaderList, options: RequestOptions = {}): number {
    this.assertUsable();
    const core = this.core;
    const rule = validateRequestHeaders(headers, { connectProtocol: core.remote.enableConnectProtocol });
    if (typeof rule === 'string') throw misuse(Http2Errors.BAD_ARGUMENT, rule);
    if (core.nextStreamId > MAX_WINDOW_SIZE) throw misuse(Http2Errors.STREAM_IDS_EXHAUSTED, 'Stream identifiers are exhausted (RFC 9113 §5.1.1).');
    const full = !this.canOpenStream();
    if (full && core.options.onStreamLimit === 'refuse') {
      throw misuse(Http2Errors.TOO_MANY_STREAMS, 'Maximum concurrency limit has been reached (RFC 9113 §5.1.2).');
    }
    const id = core.nextStreamId;
    core.nextStreamId += 2;
    const s = core.newStream(id, rule.method, 'idle', 'queued');
    s.requestHeaders = headers;
    if (options.endStream === true) s.end = { kind: 'endStream' };
    if (full) core.queue.push(id);
    else openStream(core, s);
    return id;
  }

  private sendable(id: number, what: string): Stream {
    this.assertUsableForStreams();
    const s = this.core.streams.get(id);
    if (s === undefined || s.end.kind !== 'open') {
      throw misuse(Http2Errors.BAD_STATE, `${what}: stream ${id} is not open for sending (RFC 9113 §5.1).`);
    }
    return s;
  }

  private assertUsableForStreams(): void {
    const state = this.core.state;
    if (state === 'idle' || state === 'closed') throw misuse(Http2Errors.BAD_STATE, 'The connection is not open.');
  }

  /**
   * Queues request body octets; they leave in DATA frames as the server's windows allow (RFC
   * 9113 §6.9). `data` is kept by reference until sent: do not modify it. See {@link bufferedAmount}.
   * @throws GunError `H2_ERR_BAD_STATE` when the stream is unknown or its request already ended.
   */
  sendData(id: number, data: Uint8Array, options: SendDataOptions = {}): void {
    const s = this.sendable(id, 'sendData');
    if (data.length > 0) {
      s.chunks.push(data);
      s.queued += data.length;
    }
    if (options.endStream === true) s.end = { kind: 'endStream' };
    markSending(this.core, s);
    flushData(this.core);
  }

  /**
   * Ends the request with trailers (a HEADERS frame with END_STREAM after the queued DATA, RFC
   * 9113 §8.1). Pseudo-header fields are not allowed.
   * @throws GunError `H2_ERR_BAD_STATE`, or `H2_ERR_BAD_ARGUMENT` for invalid trailers.
   */
  sendTrailers(id: number, headers: HeaderList): void {
    const s = this.sendable(id, 'sendTrailers');
    if (headers.some(([n]) => n.startsWith(':'))) throw misuse(Http2Errors.BAD_ARGUMENT, 'Trailers MUST NOT contain pseudo-header fields (RFC 9113 §8.1).');
    s.end = { kind: 'trailers', headers };
    markSending(this.core, s);
    flushData(this.core);
  }

  /** Octets queued on a stream and not yet sent (0 for unknown streams). */
  bufferedAmount(id: number): number {
    return this.core.streams.get(id)?.queued ?? 0;
  }

  /** Octets the windows let the stream send now: min(stream window, connection window), at least 0. */
  sendableBytes(id: number): number {
    const s = this.core.streams.get(id);
    return s === undefined ? 0 : Math.max(0, Math.min(s.sendWindow, this.core.connSendWindow));
  }

  /**
   * Reports that the caller processed `n` octets of DATA of stream `id`: re-opens the stream
   * and connection receive windows following the strategy in the options (Gun's thresholds and
   * margins), writing WINDOW_UPDATEs to the outbox. Data of reset streams needs no report.
   *
   * `windows` narrows the report for Gun's message-count flow control (RFC 9113 §5.2.2: a receiver
   * may hold a stream's window back): `'connection'` re-opens only the connection window, so one
   * slow stream does not stall the others; a later `'stream'` report of the same octets re-opens
   * the stream's window. Default `'both'`.
   */
  consumed(id: number, n: number, windows: 'both' | 'connection' | 'stream' = 'both'): void {
    const core = this.core;
    if (core.state === 'closed' || n <= 0) return;
    const s = core.streams.get(id);
    if (s === undefined) {
      const how = core.closed.get(id);
      if (how !== undefined && how !== 'ended') return;
    }
    if (windows !== 'stream') core.connRecv.consume(n);
    if (windows !== 'connection') s?.recv.consume(n);
    core.replenish(windows === 'connection' ? undefined : s);
  }

  /**
   * Resets a stream (RST_STREAM, RFC 9113 §6.4) with an error code (default CANCEL); also used to
   * refuse a pushed stream. Unknown or closed streams are ignored; a queued request is dropped.
   */
  resetStream(id: number, code: H2ErrorName | number = 'CANCEL'): void {
    const core = this.core;
    const s = core.streams.get(id);
    if (s === undefined || core.state === 'closed') return;
    if (s.phase === 'queued') {
      core.streams.delete(id);
      core.sending.delete(s);
      core.queue.splice(core.queue.indexOf(id), 1);
      return;
    }
    core.writeRst(id, code);
    core.forget(s, 'resetSent');
    openQueued(core);
    flushData(core);
  }

  /**
   * Sends a PING (RFC 9113 §6.7) carrying the caller's 8 opaque octets; its ACK comes back as a
   * `pingAck` event with the same octets.
   * @throws GunError `H2_ERR_BAD_ARGUMENT` unless `opaque` has 8 octets.
   */
  ping(opaque: Uint8Array): void {
    this.assertUsableForStreams();
    if (opaque.length !== 8) throw misuse(Http2Errors.BAD_ARGUMENT, 'PING carries exactly 8 octets (RFC 9113 §6.7).');
    this.core.write(serializeFrame({ type: 'ping', opaque: opaque.slice() }));
  }

  /**
   * Sends GOAWAY (RFC 9113 §6.8) with the last server-initiated stream id we processed; no new
   * requests are accepted afterwards. Code default NO_ERROR.
   */
  goAway(code: H2ErrorName | number = 'NO_ERROR', debugData: Uint8Array = EMPTY_BYTES): void {
    const core = this.core;
    this.assertUsableForStreams();
    core.write(serializeFrame({ type: 'goAway', lastStreamId: core.lastPeerStreamId, errorCode: h2ErrorNumber(code), debugData }));
    if (core.state !== 'closed') core.state = 'goingAway';
  }

  /**
   * Feeds bytes from the server; returns the events they complete, in wire order.
   *
   * `now` is the caller's monotonic clock in milliseconds (e.g. `performance.now()`), used only
   * by the flood limits (option `floodLimits`, RFC 9113 §10.5). When omitted it is 0: the
   * windows never restart and each limit then counts frames over the connection's whole life.
   *
   * @throws GunError `H2_ERR_BAD_STATE` before start(); `H2_ERR_BAD_ARGUMENT` when `now` is
   *   not a finite number.
   */
  receive(chunk: Uint8Array, now = 0): Http2Event[] {
    const core = this.core;
    if (core.state === 'idle') throw misuse(Http2Errors.BAD_STATE, 'start() must be called before receive().');
    if (typeof now !== 'number' || !Number.isFinite(now)) throw misuse(Http2Errors.BAD_ARGUMENT, 'receive(chunk, now): now must be a finite number of milliseconds.');
    core.now = now;
    const events: Http2Event[] = [];
    if (core.state === 'closed') return events;
    this.input.push(chunk);
    while (!this.closed()) {
      if (this.streamed !== undefined) {
        if (!this.continueData(events)) break;
        continue;
      }
      if (core.state === 'awaitingSettings' && !this.checkPreface(events)) break;
      const header = peekFrameHeader(this.input);
      if (header === undefined) break;
      if (header.length > core.local.maxFrameSize) {
        core.failWith(Http2Errors.FRAME_SIZE, 'A frame MUST NOT exceed SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2)', 'FRAME_SIZE_ERROR', events);
        break;
      }
      if (isStreamableData(core, header)) {
        this.input.skip(FRAME_HEADER_LENGTH);
        this.streamed = beginData(core, header, events);
        continue;
      }
      if (this.input.length < FRAME_HEADER_LENGTH + header.length) break;
      this.input.skip(FRAME_HEADER_LENGTH);
      handleFrame(core, header, this.input.take(header.length), events);
    }
    if (this.closed()) this.input.clear();
    else {
      openQueued(core);
      flushData(core);
    }
    return events;
  }

  /** Delivers what has arrived of the DATA frame in progress; false when nothing has. */
  private continueData(events: Http2Event[]): boolean {
    const d = this.streamed!;
    const piece = this.input.takeUpTo(d.left);
    if (piece.length === 0) return false;
    dataPiece(this.core, d, piece, events);
    if (d.left === 0) this.streamed = undefined;
    return true;
  }

  /**
   * The server's preface must start with a SETTINGS frame (RFC 9113 §3.4). Returns false while
   * more bytes are needed or after failing.
   */
  private checkPreface(events: Http2Event[]): boolean {
    const q = this.input;
    let http1 = true;
    for (let i = 0; i < HTTP1.length && i < q.length; i++) if (q.byteAt(i) !== HTTP1[i]) http1 = false;
    if (http1 && q.length < HTTP1.length) return false;
    if (http1) {
      this.core.fail(connectionError(Http2Errors.PREFACE_HTTP1, 'Invalid connection preface received. Appears to be an HTTP/1 response? (RFC 9113 §3.4)'), events);
      return false;
    }
    if (q.length < 5) return false;
    if (q.byteAt(3) !== FrameType.SETTINGS || (q.byteAt(4)! & 0x1) !== 0) {
      this.core.fail(connectionError(Http2Errors.PREFACE, 'Invalid connection preface received: the first frame MUST be SETTINGS (RFC 9113 §3.4)'), events);
      return false;
    }
    return true;
  }

  private closed(): boolean {
    return this.core.state === 'closed';
  }

  /** The server closed the connection: the machine is `closed`; no events. */
  receiveEof(): Http2Event[] {
    this.core.state = 'closed';
    return [];
  }

  /** Bytes to write to the server, oldest first; empties the outbox. */
  takeOutput(): Uint8Array[] {
    const outbox = this.core.outbox;
    return outbox.length === 0 ? [] : outbox.splice(0);
  }

  /** HTTP/2 never switches protocol on its connection: always empty. */
  takeRemainder(): Uint8Array {
    return EMPTY_BYTES;
  }
}
