// HTTP/2 receive throughput: a 100 MiB response body in DATA frames, cut into 64 KiB chunks as a
// socket delivers them (one 100 MiB buffer, views of it), through parseFrame alone and through a whole Http2ClientConnection.
// There is no peer here: the rates show what our codec costs per byte.
import { ByteQueue } from '@gunhttp/core';
import { Http2ClientConnection, HpackEncoder, parseFrame, serializeFrame } from '@gunhttp/http2';
import type { Workload } from './harness';

const MiB = 1024 * 1024;
/** Size of the reads a socket hands over (Node's default highWaterMark for net sockets). */
const CHUNK = 64 * 1024;
const REQUEST: Array<[string, string]> = [[':method', 'GET'], [':scheme', 'http'], [':authority', '127.0.0.1'], [':path', '/big']];

/** Cuts the concatenation of `parts` into chunks of `CHUNK` octets (views of one buffer). */
function chunked(parts: readonly Uint8Array[]): Uint8Array[] {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += CHUNK) chunks.push(all.subarray(i, Math.min(all.length, i + CHUNK)));
  return chunks;
}

/** `total` octets of body in DATA frames of `frameSize` on stream 1, END_STREAM on the last. */
function dataFrames(total: number, frameSize: number): Uint8Array[] {
  const payload = new Uint8Array(frameSize).fill(0x61);
  const frames: Uint8Array[] = [];
  for (let sent = 0; sent < total; sent += frameSize) {
    const size = Math.min(frameSize, total - sent);
    frames.push(serializeFrame({ type: 'data', streamId: 1, data: payload.subarray(0, size), endStream: sent + size === total }));
  }
  return frames;
}

/** The server's side of the connection: SETTINGS, ACK of ours, the response HEADERS, the body. */
function serverBytes(total: number, frameSize: number): Uint8Array[] {
  const hpack = new HpackEncoder();
  const head = hpack.encode([[':status', '200'], ['content-type', 'application/octet-stream'], ['content-length', String(total)]]);
  return chunked([
    serializeFrame({ type: 'settings', settings: [[0x3, 100], [0x4, 65535]] }),
    serializeFrame({ type: 'settings', ack: true }),
    serializeFrame({ type: 'headers', streamId: 1, fragment: head, endHeaders: true }),
    ...dataFrames(total, frameSize),
  ]);
}

/** Parses every frame as it completes, as a connection would; returns the DATA octets seen. */
function parseAll(chunks: readonly Uint8Array[], maxFrameSize: number): number {
  const queue = new ByteQueue();
  let body = 0;
  for (const chunk of chunks) {
    queue.push(chunk);
    for (;;) {
      const r = parseFrame(queue, { maxFrameSize });
      if (r.kind === 'more') break;
      if (r.kind === 'error') throw r.error;
      if (r.value.type === 'data') body += r.value.data.length;
    }
  }
  if (queue.length !== 0) throw new Error(`parseFrame left ${queue.length} octets`);
  return body;
}

/** One connection: preface out, request out, the server's bytes in, every DATA consumed at once. */
function receiveAll(chunks: readonly Uint8Array[], frameSize: number): number {
  const h2 = new Http2ClientConnection({ maxFrameSizeReceived: Math.max(16384, frameSize) });
  h2.start();
  h2.request(REQUEST, { endStream: true });
  h2.takeOutput();
  let body = 0;
  let status = 0;
  let ended = false;
  for (const chunk of chunks) {
    for (const e of h2.receive(chunk)) {
      if (e.type === 'data') {
        body += e.data.length;
        ended = e.endStream;
        h2.consumed(e.streamId, e.data.length);
      } else if (e.type === 'response') status = e.status;
      else if (e.type === 'error' || e.type === 'streamError' || e.type === 'rstStream') throw e.error;
    }
    h2.takeOutput();
  }
  if (status !== 200 || !ended) throw new Error(`The connection saw status ${status}, ended ${String(ended)}`);
  return body;
}

/** The parseFrame and connection workloads for one frame size; checks both see all the body first. */
export function frameWorkloads(total: number, frameSize: number): Workload[] {
  const label = frameSize >= MiB ? `${frameSize / MiB} MiB` : `${frameSize.toLocaleString('en-US')}-octet`;
  const mib = total / MiB;
  // One buffer for both (the parse also meets the SETTINGS and HEADERS frames, ~100 octets).
  const conn = serverBytes(total, frameSize);
  const parsed = parseAll(conn, frameSize);
  const received = receiveAll(conn, frameSize);
  if (parsed !== total || received !== total) throw new Error(`Frame check failed: parsed ${parsed}, received ${received}, want ${total}`);
  return [
    {
      id: `parse-frame-${frameSize}`, title: `parseFrame, ${mib} MiB of DATA in ${label} frames`, unit: 'MiB/s', perIteration: mib,
      ours: { name: 'gunhttp', run: (n) => { let s = 0; for (let i = 0; i < n; i++) s += parseAll(conn, frameSize); return s; } },
    },
    {
      id: `connection-${frameSize}`, title: `Http2ClientConnection, ${mib} MiB response in ${label} frames`, unit: 'MiB/s', perIteration: mib,
      ours: { name: 'gunhttp', run: (n) => { let s = 0; for (let i = 0; i < n; i++) s += receiveAll(conn, frameSize); return s; } },
    },
  ];
}
