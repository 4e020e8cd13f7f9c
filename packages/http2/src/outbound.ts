import type { ConnectionCore } from './core.js';
import { frameHeader } from './frame-serializer.js';
import { FrameFlag, FrameType } from './frame-types.js';
import type { Stream } from './stream.js';

/*
 * Outgoing DATA (RFC 9113 §6.1, §6.9): bytes wait in their stream until both the stream's and
 * the connection's send windows allow them, and leave in frames no larger than the server's
 * SETTINGS_MAX_FRAME_SIZE (and our maxFrameSizeSent). Payloads are views of the caller's arrays.
 */

function frameLimit(core: ConnectionCore): number {
  return Math.min(core.remote.maxFrameSize, core.options.maxFrameSizeSent);
}

/** Sends what the windows allow of one stream's queue, then its END_STREAM or trailers. */
function flushStream(core: ConnectionCore, s: Stream): void {
  while (s.chunks.length > 0) {
    const room = Math.min(s.sendWindow, core.connSendWindow, frameLimit(core));
    if (room <= 0) return;
    const chunk = s.chunks[0]!;
    const n = Math.min(room, chunk.length - s.chunkOffset);
    const piece = chunk.subarray(s.chunkOffset, s.chunkOffset + n);
    s.chunkOffset += n;
    if (s.chunkOffset === chunk.length) {
      s.chunks.shift();
      s.chunkOffset = 0;
    }
    s.queued -= n;
    s.sendWindow -= n;
    core.connSendWindow -= n;
    const last = s.chunks.length === 0 && s.end.kind === 'endStream';
    core.write(frameHeader(n, FrameType.DATA, last ? FrameFlag.END_STREAM : 0, s.id));
    core.write(piece);
    if (last) return finishSending(core, s);
  }
  if (s.end.kind === 'endStream') {
    core.write(frameHeader(0, FrameType.DATA, FrameFlag.END_STREAM, s.id));
    finishSending(core, s);
  } else if (s.end.kind === 'trailers') {
    core.writeHeaderBlock(s.id, core.encoder.encode(s.end.headers), true);
    finishSending(core, s);
  }
}

function finishSending(core: ConnectionCore, s: Stream): void {
  s.end = { kind: 'sent' };
  core.sending.delete(s);
  core.transition(s, 'sendEndStream');
}

/** Sends queued DATA of every stream, oldest stream first, as far as the windows allow. */
export function flushData(core: ConnectionCore): void {
  // Called after every received chunk; most of the time nothing waits to be sent.
  if (core.sending.size === 0) return;
  for (const s of core.sending) {
    if (s.phase !== 'queued') flushStream(core, s);
  }
}

/** Marks a stream as having something to send (DATA, END_STREAM or trailers). */
export function markSending(core: ConnectionCore, s: Stream): void {
  if (s.chunks.length > 0 || s.end.kind === 'endStream' || s.end.kind === 'trailers') core.sending.add(s);
}

/** Sends the HEADERS of a request whose stream id was allocated (RFC 9113 §8.1). */
export function openStream(core: ConnectionCore, s: Stream): void {
  const headers = s.requestHeaders ?? [];
  s.requestHeaders = undefined;
  s.phase = 'head';
  core.lastSentStreamId = s.id;
  const endStream = s.end.kind === 'endStream' && s.chunks.length === 0;
  core.writeHeaderBlock(s.id, core.encoder.encode(headers), endStream);
  core.transition(s, 'sendHeaders');
  if (endStream) finishSending(core, s);
}

/** Opens queued requests while the server's concurrency limit allows (onStreamLimit `queue`). */
export function openQueued(core: ConnectionCore): void {
  if (core.state === 'closed') return;
  while (core.queue.length > 0 && core.activeLocalStreams() < core.remote.maxConcurrentStreams) {
    const s = core.streams.get(core.queue.shift()!);
    if (s !== undefined) openStream(core, s);
  }
}
