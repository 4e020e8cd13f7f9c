import type { GunError } from '@gunhttp/core';
import { Http2Errors, connectionError, h2ErrorNumber, type H2ErrorName } from './errors.js';
import type { Http2Event } from './events.js';
import { FloodGuard } from './flood-guard.js';
import { ReceiveWindow, type WindowStrategy } from './flow-control.js';
import { frameHeader, serializeFrame } from './frame-serializer.js';
import { DEFAULT_WINDOW_SIZE, FrameFlag, FrameType } from './frame-types.js';
import { HpackDecoder } from './hpack/decoder.js';
import { DEFAULT_HEADER_TABLE_SIZE, HpackEncoder } from './hpack/encoder.js';
import type { ResolvedOptions } from './options.js';
import { DEFAULT_SETTINGS, type Http2Settings } from './settings.js';
import type { ClosedHow, Stream, StreamLookup } from './stream.js';
import { nextStreamState } from './stream-state.js';

/*
 * Connection states (RFC 9113 §3.4, §5.4.1, §6.8):
 *
 *   idle --start()--> awaitingSettings --server SETTINGS--> open --GOAWAY sent/received--> goingAway
 *                            |                                |                              |
 *                            +-------------+------------------+------------------------------+
 *                                          | connection error (GOAWAY written) or EOF
 *                                          v
 *                                        closed
 */

/**
 * The connection's state (diagram above): `idle` before `start()`, `awaitingSettings` until the
 * server's first SETTINGS (RFC 9113 §3.4), `open`, `goingAway` once GOAWAY was sent or received
 * (§6.8: no new streams), `closed` after a connection error or EOF.
 */
export type ConnectionState = 'idle' | 'awaitingSettings' | 'open' | 'goingAway' | 'closed';

/** How many closed stream ids are remembered to tell late frames from protocol errors. */
const CLOSED_MEMORY = 1024;

/** A header block being assembled from HEADERS/PUSH_PROMISE + CONTINUATION (RFC 9113 §4.3). */
export interface PendingBlock {
  readonly kind: 'headers' | 'pushPromise';
  readonly streamId: number;
  readonly promisedStreamId: number;
  readonly endStream: boolean;
  readonly fragments: Uint8Array[];
  size: number;
}

/** The state shared by the connection's inbound and outbound halves. */
export class ConnectionCore {
  state: ConnectionState = 'idle';
  readonly local: Http2Settings;
  remote: Http2Settings = DEFAULT_SETTINGS;
  readonly encoder: HpackEncoder;
  readonly decoder: HpackDecoder;
  readonly outbox: Uint8Array[] = [];
  readonly streams = new Map<number, Stream>();
  readonly closed = new Map<number, ClosedHow>();
  /** Open streams with DATA, END_STREAM or trailers waiting to be sent, oldest first. */
  readonly sending = new Set<Stream>();
  /** Ids of queued requests, oldest first (onStreamLimit `queue`). */
  readonly queue: number[] = [];
  nextStreamId = 1;
  /** Highest stream id whose HEADERS we sent. */
  lastSentStreamId = 0;
  /** Highest promised (server-initiated) stream id accepted. */
  lastPeerStreamId = 0;
  readonly connRecv: ReceiveWindow;
  connSendWindow = DEFAULT_WINDOW_SIZE;
  settingsAcksPending = 0;
  block: PendingBlock | undefined;
  readonly streamStrategy: WindowStrategy;
  /** Flood counters (RFC 9113 §10.5). */
  readonly floods: FloodGuard;
  /** The caller's clock for the frames being received (monotonic ms; 0 when not given). */
  now = 0;

  constructor(readonly options: ResolvedOptions) {
    const o = options;
    this.local = {
      headerTableSize: o.maxDecodeTableSize, enablePush: o.enablePush, maxConcurrentStreams: o.maxConcurrentStreams,
      initialWindowSize: o.initialStreamWindowSize, maxFrameSize: o.maxFrameSizeReceived, maxHeaderListSize: o.maxHeaderListSize,
      enableConnectProtocol: false,
    };
    this.encoder = new HpackEncoder({ maxTableSize: Math.min(DEFAULT_HEADER_TABLE_SIZE, o.maxEncodeTableSize), huffman: o.huffman });
    const listSize = o.maxHeaderListSize === Infinity ? {} : { maxHeaderListSize: o.maxHeaderListSize };
    // Until the server acknowledges our SETTINGS it may use the protocol's 4096 (RFC 7541 §4.2).
    this.decoder = new HpackDecoder({ maxTableSize: Math.max(DEFAULT_HEADER_TABLE_SIZE, o.maxDecodeTableSize), maxHeaderFields: o.maxHeaderFields, ...listSize });
    this.connRecv = new ReceiveWindow(DEFAULT_WINDOW_SIZE, {
      target: o.initialConnectionWindowSize, threshold: o.connectionWindowUpdateThreshold, margin: o.connectionWindowMarginSize, max: o.maxConnectionWindowSize,
    });
    this.floods = new FloodGuard(o.floodLimits);
    this.streamStrategy = {
      target: o.initialStreamWindowSize, threshold: o.streamWindowUpdateThreshold, margin: o.streamWindowMarginSize, max: o.maxStreamWindowSize,
    };
  }

  /** The stream `id` when it is live (in the table, past `queued`): {@link lookup}'s `live` case without its result object, for DATA. */
  liveStream(id: number): Stream | undefined {
    const stream = this.streams.get(id);
    return stream !== undefined && stream.phase !== 'queued' ? stream : undefined;
  }

  /** Finds a stream by id (RFC 9113 §5.1.1: ids above the last opened are idle). */
  lookup(id: number): StreamLookup {
    const stream = this.streams.get(id);
    if (stream !== undefined && stream.phase !== 'queued') return { kind: 'live', stream };
    const how = this.closed.get(id);
    if (how !== undefined) return { kind: 'closed', how };
    const last = id % 2 === 1 ? this.lastSentStreamId : this.lastPeerStreamId;
    return id <= last ? { kind: 'closed', how: 'resetSent' } : { kind: 'idle' };
  }

  newStream(id: number, method: string, state: Stream['state'], phase: Stream['phase']): Stream {
    const stream: Stream = {
      id, state, phase, method, requestHeaders: undefined,
      recv: new ReceiveWindow(this.local.initialWindowSize, this.streamStrategy),
      sendWindow: this.remote.initialWindowSize, chunks: [], chunkOffset: 0, queued: 0, end: { kind: 'open' },
      expectedLength: undefined, receivedLength: 0,
    };
    this.streams.set(id, stream);
    return stream;
  }

  /** Number of our streams counting against the server's SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2). */
  activeLocalStreams(): number {
    let n = 0;
    for (const s of this.streams.values()) if (s.id % 2 === 1 && s.phase !== 'queued') n += 1;
    return n;
  }

  /** Number of pushed streams past `reservedRemote`, counting against our own limit. */
  activePushedStreams(): number {
    let n = 0;
    for (const s of this.streams.values()) if (s.id % 2 === 0 && s.state !== 'reservedRemote') n += 1;
    return n;
  }

  write(bytes: Uint8Array): void {
    this.outbox.push(bytes);
  }

  writeRst(id: number, code: H2ErrorName | number): void {
    this.write(serializeFrame({ type: 'rstStream', streamId: id, errorCode: h2ErrorNumber(code) }));
  }

  writeWindowUpdate(id: number, increment: number): void {
    if (increment > 0) this.write(serializeFrame({ type: 'windowUpdate', streamId: id, increment }));
  }

  /** Writes a header block as HEADERS + CONTINUATION frames cut at the server's frame size (RFC 9113 §4.3). */
  writeHeaderBlock(id: number, block: Uint8Array, endStream: boolean): void {
    const max = this.remote.maxFrameSize;
    let offset = 0;
    let type: number = FrameType.HEADERS;
    do {
      const size = Math.min(max, block.length - offset);
      const last = offset + size >= block.length;
      const flags = (last ? FrameFlag.END_HEADERS : 0) | (type === FrameType.HEADERS && endStream ? FrameFlag.END_STREAM : 0);
      this.write(frameHeader(size, type, flags, id));
      this.write(block.subarray(offset, offset + size));
      offset += size;
      type = FrameType.CONTINUATION;
    } while (offset < block.length);
  }

  /** Moves a stream along the §5.1 table; closing it forgets it, remembering `how`. */
  transition(stream: Stream, event: Parameters<typeof nextStreamState>[1], how: ClosedHow = 'ended'): void {
    const next = nextStreamState(stream.state, event) ?? 'closed';
    stream.state = next;
    if (next === 'closed') this.forget(stream, how);
  }

  forget(stream: Stream, how: ClosedHow): void {
    stream.state = 'closed';
    this.streams.delete(stream.id);
    this.sending.delete(stream);
    if (how !== 'ended') this.connRecv.consume(stream.recv.release());
    this.closed.set(stream.id, how);
    if (this.closed.size > CLOSED_MEMORY) this.closed.delete(this.closed.keys().next().value!);
  }

  /** A stream error (RFC 9113 §5.4.2): RST_STREAM in the outbox, the stream closed, a `streamError` event. */
  resetStream(stream: Stream, error: GunError, events: Http2Event[]): void {
    this.writeRst(stream.id, (error.h2Code ?? 'PROTOCOL_ERROR') as H2ErrorName);
    this.forget(stream, 'resetSent');
    events.push({ type: 'streamError', streamId: stream.id, error });
  }

  /** A connection error (RFC 9113 §5.4.1): GOAWAY in the outbox, state `closed`, `error` event last. */
  fail(error: GunError, events: Http2Event[]): void {
    if (this.state === 'closed') return;
    const code = h2ErrorNumber((error.h2Code ?? 'PROTOCOL_ERROR') as H2ErrorName);
    this.write(serializeFrame({ type: 'goAway', lastStreamId: this.lastPeerStreamId, errorCode: code }));
    this.state = 'closed';
    events.push({ type: 'error', error });
  }

  /** A connection error from a rule: builds the error then {@link fail}s. */
  failWith(code: (typeof Http2Errors)[keyof typeof Http2Errors], message: string, h2Code: H2ErrorName, events: Http2Event[]): void {
    this.fail(connectionError(code, message, h2Code), events);
  }

  /** Sends the WINDOW_UPDATEs the strategy calls for (connection, then stream). */
  replenish(stream: Stream | undefined): void {
    this.writeWindowUpdate(0, this.connRecv.update());
    if (stream !== undefined && (stream.state === 'open' || stream.state === 'halfClosedLocal')) {
      this.writeWindowUpdate(stream.id, stream.recv.update());
    }
  }

}

