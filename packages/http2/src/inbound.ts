import { GunError } from '@gunhttp/core';
import { onClosedStream } from './closed-stream.js';
import type { ConnectionCore } from './core.js';
import { Http2Errors, h2ErrorName, streamError } from './errors.js';
import type { Http2Event } from './events.js';
import type { FloodKind } from './flood-guard.js';
import { growSendWindow } from './flow-control.js';
import type { Frame, FrameHeader } from './frame.js';
import { decodeFramePayload } from './frame-parser.js';
import { serializeFrame } from './frame-serializer.js';
import { FrameFlag, FrameType, MAX_WINDOW_SIZE } from './frame-types.js';
import { endOfStream, onHeaderBlock } from './header-block.js';
import { applyRemoteSettings } from './settings.js';
import type { Stream } from './stream.js';

type FrameOf<T extends Frame['type']> = Extract<Frame, { type: T }>;

/** DATA (RFC 9113 §6.1) whose payload arrived whole, padded or empty. */
function onData(core: ConnectionCore, f: FrameOf<'data'>, events: Http2Event[]): void {
  const s = acceptData(core, f.streamId, f.flowLength, f.data.length, f.endStream, events);
  if (s === undefined) return;
  deliverData(core, s, f.data, f.endStream, events);
  // Padding is never delivered, so it is given back now; data waits for consumed().
  if (f.flowLength !== f.data.length) core.replenish(s);
}

/**
 * The checks of a DATA frame, made once its header is known (RFC 9113 §6.1): flow control first
 * (padding included, §6.9.1), then the stream's state (§5.1) and content-length (§8.1.1).
 * Returns the stream its `length` octets of payload go to, or `undefined` when they are dropped
 * (the windows and the stream or connection error are already dealt with).
 */
function acceptData(core: ConnectionCore, streamId: number, flowLength: number, length: number, endStream: boolean, events: Http2Event[]): Stream | undefined {
  if (!core.connRecv.receive(flowLength, 0)) {
    core.failWith(Http2Errors.FLOW_CONTROL, 'DATA exceeds the connection flow-control window (RFC 9113 §6.9.1)', 'FLOW_CONTROL_ERROR', events);
    return undefined;
  }
  const s = core.liveStream(streamId);
  if (s === undefined) {
    dataOnStreamNotLive(core, streamId, events);
    return undefined;
  }
  if (s.state === 'reservedRemote') {
    core.failWith(Http2Errors.PROTOCOL, 'DATA received on a reserved stream (RFC 9113 §5.1)', 'PROTOCOL_ERROR', events);
    return undefined;
  }
  const error = dataStreamError(s, flowLength, length, endStream);
  if (error !== undefined) {
    core.resetStream(s, error, events);
    core.replenish(undefined);
    return undefined;
  }
  s.receivedLength += length;
  return s;
}

/** DATA on an idle stream is a connection error; on a closed one it depends how it closed (RFC 9113 §5.1). */
function dataOnStreamNotLive(core: ConnectionCore, streamId: number, events: Http2Event[]): void {
  const found = core.lookup(streamId);
  if (found.kind === 'idle') {
    core.failWith(Http2Errors.PROTOCOL, 'DATA received on an idle stream (RFC 9113 §5.1)', 'PROTOCOL_ERROR', events);
  } else if (found.kind === 'closed') {
    onClosedStream(core, streamId, found.how, 'DATA', events);
    // Data nobody will consume goes back to the connection window.
    if (core.state !== 'closed') core.replenish(undefined);
  }
}

/** The stream error a DATA frame causes on its (live) stream, if any. */
function dataStreamError(s: Stream, flowLength: number, length: number, endStream: boolean): GunError | undefined {
  if (s.state !== 'open' && s.state !== 'halfClosedLocal') {
    return streamError(Http2Errors.STREAM_CLOSED, 'DATA received on a half-closed (remote) stream (RFC 9113 §5.1)', 'STREAM_CLOSED');
  }
  if (s.phase !== 'body') return streamError(Http2Errors.MALFORMED, 'DATA MUST follow the response HEADERS (RFC 9113 §8.1)');
  if (!s.recv.receive(flowLength, length)) {
    return streamError(Http2Errors.FLOW_CONTROL, 'DATA exceeds the stream flow-control window (RFC 9113 §6.9.1)', 'FLOW_CONTROL_ERROR');
  }
  const received = s.receivedLength + length;
  const expected = s.expectedLength;
  if (expected !== undefined && (received > expected || (endStream && received !== expected))) {
    return streamError(Http2Errors.MALFORMED, 'content-length MUST match the DATA received (RFC 9113 §8.1.1)');
  }
  return undefined;
}

/** Hands payload octets to the user; they count against the windows until consumed(). */
function deliverData(core: ConnectionCore, s: Stream, data: Uint8Array, endStream: boolean, events: Http2Event[]): void {
  core.connRecv.unconsumed += data.length;
  if (data.length > 0 || endStream) events.push({ type: 'data', streamId: s.id, data, endStream });
  if (endStream) endOfStream(core, s);
}

/**
 * A DATA frame delivered piece by piece as its payload arrives, so that a frame spread over
 * several received chunks is never copied. `stream` is `undefined` when the payload is dropped.
 */
export interface StreamedData {
  readonly stream: Stream | undefined;
  /** Payload octets still to come. */
  left: number;
  readonly endStream: boolean;
}

/**
 * Whether a frame is DATA that {@link beginData} can take from its header alone: unpadded and
 * not empty (padding and empty frames go through {@link handleFrame}), on a stream, outside a
 * header block (where it is a connection error, §6.10).
 */
export function isStreamableData(core: ConnectionCore, header: FrameHeader): boolean {
  return header.frameType === FrameType.DATA && header.length > 0 && (header.flags & FrameFlag.PADDED) === 0 && header.streamId !== 0 && core.block === undefined;
}

/** Checks a DATA frame from its header (RFC 9113 §6.1); its payload follows through {@link dataPiece}. */
export function beginData(core: ConnectionCore, header: FrameHeader, events: Http2Event[]): StreamedData {
  const endStream = (header.flags & FrameFlag.END_STREAM) !== 0;
  return { stream: acceptData(core, header.streamId, header.length, header.length, endStream, events), left: header.length, endStream };
}

/**
 * The next octets of a streamed DATA frame: a `data` event (END_STREAM on the last piece only),
 * unless the payload is dropped or the user reset the stream meanwhile, in which case the
 * octets go back to the connection window.
 */
export function dataPiece(core: ConnectionCore, d: StreamedData, piece: Uint8Array, events: Http2Event[]): void {
  d.left -= piece.length;
  const s = d.stream;
  if (s === undefined) return;
  if (core.streams.get(s.id) !== s || (s.state !== 'open' && s.state !== 'halfClosedLocal')) {
    core.replenish(undefined);
    return;
  }
  deliverData(core, s, piece, d.left === 0 && d.endStream, events);
}

/** Starts a header block; processes it at once when END_HEADERS is set (RFC 9113 §6.2, §6.6). */
function startBlock(core: ConnectionCore, f: FrameOf<'headers'> | FrameOf<'pushPromise'>, events: Http2Event[]): void {
  if (f.type === 'pushPromise') {
    if (!core.local.enablePush) return core.failWith(Http2Errors.PROTOCOL, 'PUSH_PROMISE received with SETTINGS_ENABLE_PUSH 0 (RFC 9113 §6.6)', 'PROTOCOL_ERROR', events);
    if (f.promisedStreamId % 2 !== 0 || f.promisedStreamId <= core.lastPeerStreamId) {
      return core.failWith(Http2Errors.PROTOCOL, 'The promised stream MUST be a new even stream identifier (RFC 9113 §5.1.1, §6.6)', 'PROTOCOL_ERROR', events);
    }
    const associated = core.lookup(f.streamId);
    const live = associated.kind === 'live' && (associated.stream.state === 'open' || associated.stream.state === 'halfClosedLocal');
    if (!live && !(associated.kind === 'closed' && associated.how === 'resetSent')) {
      return core.failWith(Http2Errors.PROTOCOL, 'PUSH_PROMISE MUST be on an open or half-closed (local) stream (RFC 9113 §6.6)', 'PROTOCOL_ERROR', events);
    }
  }
  core.block = {
    kind: f.type, streamId: f.streamId, promisedStreamId: f.type === 'pushPromise' ? f.promisedStreamId : 0,
    endStream: f.type === 'headers' && f.endStream, fragments: [], size: 0,
  };
  addFragment(core, f.fragment, f.endHeaders, events);
}

function addFragment(core: ConnectionCore, fragment: Uint8Array, endHeaders: boolean, events: Http2Event[]): void {
  const block = core.block!;
  block.fragments.push(fragment);
  block.size += fragment.length;
  const o = core.options;
  if (block.size > o.maxFragmentedHeaderBlockSize || block.fragments.length > o.maxHeaderBlockFragments) {
    return core.failWith(Http2Errors.HEADER_BLOCK_TOO_LARGE, 'The header block exceeds maxFragmentedHeaderBlockSize or maxHeaderBlockFragments (RFC 9113 §10.5)', 'ENHANCE_YOUR_CALM', events);
  }
  if (!endHeaders) return;
  core.block = undefined;
  onHeaderBlock(core, block, events);
}

function onRstStream(core: ConnectionCore, f: FrameOf<'rstStream'>, events: Http2Event[]): void {
  const found = core.lookup(f.streamId);
  if (found.kind === 'idle') return core.failWith(Http2Errors.PROTOCOL, 'RST_STREAM received on an idle stream (RFC 9113 §6.4)', 'PROTOCOL_ERROR', events);
  if (found.kind === 'closed') return;
  const name = h2ErrorName(f.errorCode);
  const error = new GunError(Http2Errors.STREAM_RESET, `Stream reset by server with ${name} (RFC 9113 §6.4)`, { origin: 'remote', h2Code: name, scope: 'stream' });
  core.forget(found.stream, 'resetReceived');
  events.push({ type: 'rstStream', streamId: f.streamId, errorCode: f.errorCode, error });
}

function onSettings(core: ConnectionCore, f: FrameOf<'settings'>, events: Http2Event[]): void {
  if (f.ack) {
    if (core.settingsAcksPending === 0) return;
    core.settingsAcksPending -= 1;
    core.decoder.setMaxTableSize(core.local.headerTableSize);
    events.push({ type: 'settingsAck' });
    return;
  }
  const next = applyRemoteSettings(core.remote, f.settings);
  if (next instanceof GunError) return core.fail(next, events);
  const delta = next.initialWindowSize - core.remote.initialWindowSize;
  for (const s of core.streams.values()) {
    s.sendWindow += delta;
    if (s.sendWindow > MAX_WINDOW_SIZE) {
      return core.failWith(Http2Errors.FLOW_CONTROL, 'SETTINGS_INITIAL_WINDOW_SIZE made a window exceed 2^31-1 (RFC 9113 §6.9.2)', 'FLOW_CONTROL_ERROR', events);
    }
  }
  core.remote = next;
  core.encoder.setMaxTableSize(Math.min(next.headerTableSize, core.options.maxEncodeTableSize));
  core.write(serializeFrame({ type: 'settings', ack: true }));
  if (core.state === 'awaitingSettings') core.state = 'open';
  events.push({ type: 'settings', settings: next });
}

function onPing(core: ConnectionCore, f: FrameOf<'ping'>, events: Http2Event[]): void {
  const opaque = f.opaque.slice();
  if (f.ack) {
    events.push({ type: 'pingAck', opaque });
    return;
  }
  core.write(serializeFrame({ type: 'ping', ack: true, opaque }));
  events.push({ type: 'ping', opaque });
}

function onGoAway(core: ConnectionCore, f: FrameOf<'goAway'>, events: Http2Event[]): void {
  const unprocessed: number[] = [];
  for (const s of [...core.streams.values()]) {
    if (s.id % 2 === 1 && s.id > f.lastStreamId) {
      unprocessed.push(s.id);
      core.streams.delete(s.id);
      core.sending.delete(s);
      core.connRecv.consume(s.recv.release());
    }
  }
  core.queue.length = 0;
  if (core.state !== 'closed') core.state = 'goingAway';
  events.push({ type: 'goAway', lastStreamId: f.lastStreamId, errorCode: f.errorCode, debugData: f.debugData.slice(), unprocessedStreamIds: unprocessed });
}

function onWindowUpdate(core: ConnectionCore, f: FrameOf<'windowUpdate'>, events: Http2Event[]): void {
  if (f.streamId === 0) {
    const next = growSendWindow(core.connSendWindow, f.increment);
    if (next === undefined) return core.failWith(Http2Errors.FLOW_CONTROL, 'The connection window MUST NOT exceed 2^31-1 (RFC 9113 §6.9.1)', 'FLOW_CONTROL_ERROR', events);
    core.connSendWindow = next;
  } else {
    const found = core.lookup(f.streamId);
    if (found.kind === 'idle') return core.failWith(Http2Errors.PROTOCOL, 'WINDOW_UPDATE received on an idle stream (RFC 9113 §5.1)', 'PROTOCOL_ERROR', events);
    if (found.kind === 'closed') return;
    const next = growSendWindow(found.stream.sendWindow, f.increment);
    if (next === undefined) {
      return core.resetStream(found.stream, streamError(Http2Errors.FLOW_CONTROL, 'A stream window MUST NOT exceed 2^31-1 (RFC 9113 §6.9.1)', 'FLOW_CONTROL_ERROR'), events);
    }
    found.stream.sendWindow = next;
  }
  events.push({ type: 'windowUpdate', streamId: f.streamId, increment: f.increment });
}

/** A frame-level stream error (PRIORITY size, self-dependency, zero increment): reset a live stream. */
function onStreamFrameError(core: ConnectionCore, header: FrameHeader, error: GunError, events: Http2Event[]): void {
  const found = core.lookup(header.streamId);
  if (found.kind === 'live') return core.resetStream(found.stream, error, events);
  if (found.kind === 'idle' && header.frameType !== FrameType.PRIORITY) {
    return core.fail(new GunError(error.code, error.message, { origin: 'remote', h2Code: error.h2Code ?? 'PROTOCOL_ERROR', scope: 'connection' }), events);
  }
}

const FLOOD_NAMES: Readonly<Record<FloodKind, string>> = {
  settings: 'SETTINGS', ping: 'PING', rstStream: 'RST_STREAM', emptyData: 'empty DATA', continuation: 'CONTINUATION',
};

/**
 * The flood counter a frame counts against (RFC 9113 §10.5), if any: frames that force an
 * answer (SETTINGS, PING) or cost work while carrying nothing for the user.
 */
function floodKind(f: Frame): FloodKind | undefined {
  switch (f.type) {
    case 'settings': return f.ack ? undefined : 'settings';
    case 'ping': return f.ack ? undefined : 'ping';
    case 'rstStream': return 'rstStream';
    case 'data': return f.data.length === 0 && !f.endStream ? 'emptyData' : undefined;
    case 'continuation': return 'continuation';
    default: return undefined;
  }
}

/** Handles one received frame (RFC 9113 §6), given its header and payload. */
export function handleFrame(core: ConnectionCore, header: FrameHeader, payload: Uint8Array, events: Http2Event[]): void {
  const block = core.block;
  if (block !== undefined && (header.frameType !== FrameType.CONTINUATION || header.streamId !== block.streamId)) {
    return core.failWith(Http2Errors.PROTOCOL, 'A header block MUST be followed by CONTINUATION frames of the same stream (RFC 9113 §6.10)', 'PROTOCOL_ERROR', events);
  }
  const f = decodeFramePayload(header, payload);
  if (f instanceof GunError) {
    return f.scope === 'stream' ? onStreamFrameError(core, header, f, events) : core.fail(f, events);
  }
  const kind = floodKind(f);
  if (kind !== undefined && !core.floods.allow(kind, core.now)) {
    const limit = core.options.floodLimits[kind];
    const message = `More than ${limit.count} ${FLOOD_NAMES[kind]} frames in ${limit.windowMs} ms (floodLimits.${kind}, RFC 9113 §10.5)`;
    return core.failWith(Http2Errors.FLOOD, message, 'ENHANCE_YOUR_CALM', events);
  }
  switch (f.type) {
    case 'data': return onData(core, f, events);
    case 'headers': return startBlock(core, f, events);
    case 'pushPromise': return startBlock(core, f, events);
    case 'continuation':
      if (block === undefined) return core.failWith(Http2Errors.PROTOCOL, 'CONTINUATION MUST follow HEADERS, PUSH_PROMISE or CONTINUATION (RFC 9113 §6.10)', 'PROTOCOL_ERROR', events);
      return addFragment(core, f.fragment, f.endHeaders, events);
    case 'rstStream': return onRstStream(core, f, events);
    case 'settings': return onSettings(core, f, events);
    case 'ping': return onPing(core, f, events);
    case 'goAway': return onGoAway(core, f, events);
    case 'windowUpdate': return onWindowUpdate(core, f, events);
    case 'priority': return;
    case 'unknown': return;
  }
}
