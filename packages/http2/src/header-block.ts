import { concatBytes, GunError, type HeaderList } from '@gunhttp/core';
import type { ConnectionCore, PendingBlock } from './core.js';
import { Http2Errors, streamError } from './errors.js';
import type { Http2Event } from './events.js';
import { onClosedStream } from './closed-stream.js';
import { parseContentLength, validatePromisedRequest, validateResponseHeaders, validateTrailers } from './header-validation.js';
import type { Stream } from './stream.js';

/*
 * Complete header blocks (RFC 9113 §4.3, §8.1): decoded first, whatever the stream's state, so
 * the HPACK tables stay in step; then checked against the stream's state and phase.
 */

function malformed(message: string): GunError {
  return streamError(Http2Errors.MALFORMED, message, 'PROTOCOL_ERROR');
}

/** Whether a response to this request carries no content (RFC 9110 §6.4.1). */
function noContent(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304;
}

function onResponseHead(core: ConnectionCore, s: Stream, headers: HeaderList, endStream: boolean, events: Http2Event[]): void {
  const status = validateResponseHeaders(headers);
  if (typeof status === 'string') return core.resetStream(s, malformed(status), events);
  if (status < 200) {
    if (endStream) return core.resetStream(s, malformed('A 1xx response MUST NOT end the stream (RFC 9113 §8.1)'), events);
    events.push({ type: 'inform', streamId: s.id, status, headers });
    return;
  }
  const lengths = headers.filter(([n]) => n === 'content-length').map(([, v]) => v);
  s.expectedLength = lengths.length === 0 || noContent(s.method, status) ? undefined : parseContentLength(lengths);
  if (endStream && s.expectedLength !== undefined && s.expectedLength !== 0) {
    return core.resetStream(s, malformed('content-length MUST match the DATA received (RFC 9113 §8.1.1)'), events);
  }
  s.phase = 'body';
  events.push({ type: 'response', streamId: s.id, status, headers, endStream });
  if (endStream) endOfStream(core, s);
}

function onTrailers(core: ConnectionCore, s: Stream, headers: HeaderList, endStream: boolean, events: Http2Event[]): void {
  if (!endStream) return core.resetStream(s, malformed('Trailers MUST end the stream (RFC 9113 §8.1)'), events);
  const rule = validateTrailers(headers);
  if (rule !== undefined) return core.resetStream(s, malformed(rule), events);
  if (s.expectedLength !== undefined && s.expectedLength !== s.receivedLength) {
    return core.resetStream(s, malformed('content-length MUST match the DATA received (RFC 9113 §8.1.1)'), events);
  }
  events.push({ type: 'trailers', streamId: s.id, headers });
  endOfStream(core, s);
}

/** END_STREAM received (RFC 9113 §5.1). */
export function endOfStream(core: ConnectionCore, s: Stream): void {
  s.phase = 'done';
  core.transition(s, 'recvEndStream');
}

function onHeaders(core: ConnectionCore, block: PendingBlock, headers: HeaderList, events: Http2Event[]): void {
  const found = core.lookup(block.streamId);
  if (found.kind === 'idle') {
    return core.failWith(Http2Errors.PROTOCOL, 'A server MUST NOT open streams with HEADERS (RFC 9113 §5.1.1)', 'PROTOCOL_ERROR', events);
  }
  if (found.kind === 'closed') return onClosedStream(core, block.streamId, found.how, 'HEADERS', events);
  const s = found.stream;
  if (s.state === 'reservedRemote') {
    if (core.activePushedStreams() >= core.local.maxConcurrentStreams) {
      return core.resetStream(s, streamError(Http2Errors.PROTOCOL, 'Pushed streams exceed our SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2)', 'REFUSED_STREAM'), events);
    }
    core.transition(s, 'recvHeaders');
  } else if (s.state !== 'open' && s.state !== 'halfClosedLocal') {
    return core.resetStream(s, streamError(Http2Errors.STREAM_CLOSED, 'HEADERS received on a half-closed (remote) stream (RFC 9113 §5.1)', 'STREAM_CLOSED'), events);
  }
  if (s.phase === 'head') onResponseHead(core, s, headers, block.endStream, events);
  else onTrailers(core, s, headers, block.endStream, events);
}

function onPushPromise(core: ConnectionCore, block: PendingBlock, headers: HeaderList, events: Http2Event[]): void {
  const associated = core.lookup(block.streamId);
  core.lastPeerStreamId = block.promisedStreamId;
  const method = headers.find(([n]) => n === ':method')?.[1] ?? '';
  const promised = core.newStream(block.promisedStreamId, method, 'reservedRemote', 'head');
  if (associated.kind !== 'live') {
    core.writeRst(promised.id, 'CANCEL');
    core.forget(promised, 'resetSent');
    return;
  }
  const rule = validatePromisedRequest(headers);
  if (rule !== undefined) return core.resetStream(promised, malformed(rule), events);
  events.push({ type: 'push', streamId: block.streamId, promisedStreamId: promised.id, headers });
}

/** Decodes and dispatches a complete header block. */
export function onHeaderBlock(core: ConnectionCore, block: PendingBlock, events: Http2Event[]): void {
  const result = core.decoder.tryDecode(concatBytes(block.fragments));
  if (result.kind === 'error') {
    if (result.error.scope === 'connection') return core.fail(result.error, events);
    const found = core.lookup(block.kind === 'pushPromise' ? block.promisedStreamId : block.streamId);
    if (found.kind === 'live') return core.resetStream(found.stream, result.error, events);
    if (block.kind === 'pushPromise') {
      const promised = core.newStream(block.promisedStreamId, '', 'reservedRemote', 'head');
      core.lastPeerStreamId = block.promisedStreamId;
      return core.resetStream(promised, result.error, events);
    }
    return;
  }
  if (block.kind === 'headers') onHeaders(core, block, result.headers, events);
  else onPushPromise(core, block, result.headers, events);
}
