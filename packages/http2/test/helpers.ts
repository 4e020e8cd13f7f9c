import type { HeaderList } from '@gunhttp/core';
import {
  HpackEncoder, Http2ClientConnection, parseFrame, serializeFrame, type Frame, type FrameInput, type Http2ConnectionOptions, type Http2Event,
} from '../src/index.js';
import { ByteQueue, concatBytes } from '@gunhttp/core';

/** Bytes from a hex string (spaces ignored). */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Hex string of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Joins byte arrays. */
export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

/** Serializes server frames into one byte array. */
export function frames(...list: FrameInput[]): Uint8Array {
  return concat(...list.map((f) => serializeFrame(f)));
}

/** Parses every frame the client wrote (after the 24-octet preface magic when `preface`). */
export function parseOutput(chunks: Uint8Array[], preface = false): Frame[] {
  const q = new ByteQueue();
  for (const c of chunks) q.push(c);
  if (preface) q.skip(24);
  const out: Frame[] = [];
  for (;;) {
    const r = parseFrame(q, { maxFrameSize: 16777215 });
    if (r.kind !== 'ok') break;
    out.push(r.value);
  }
  if (q.length !== 0) throw new Error(`unparsed client output: ${q.length} octets`);
  return out;
}

/** A server-side HPACK encoder that builds header blocks for hand-made frames. */
export function serverEncoder(): HpackEncoder {
  return new HpackEncoder({ huffman: 'never' });
}

/** The server's empty SETTINGS frame. */
export const SERVER_SETTINGS = serializeFrame({ type: 'settings' });
/** A SETTINGS ACK. */
export const SETTINGS_ACK = serializeFrame({ type: 'settings', ack: true });

/** A GET request header list. */
export function get(path = '/'): HeaderList {
  return [[':method', 'GET'], [':scheme', 'http'], [':authority', 'example.org'], [':path', path]];
}

/**
 * A started connection that received the server's SETTINGS (and its ACK unless `ack` is false);
 * the outbox is emptied.
 */
export function connected(options: Http2ConnectionOptions = {}, settings: FrameInput = { type: 'settings' }, ack = true): Http2ClientConnection {
  const h2 = new Http2ClientConnection(options);
  h2.start();
  h2.receive(serializeFrame(settings));
  if (ack) h2.receive(SETTINGS_ACK);
  h2.takeOutput();
  return h2;
}

/** Frames written by the connection since the last call. */
export function written(h2: Http2ClientConnection): Frame[] {
  return parseOutput(h2.takeOutput());
}

/** The type names of events. */
export function types(events: Http2Event[]): string[] {
  return events.map((e) => e.type);
}

/** The last event, which must be a connection error; returns its h2Code and code. */
export function connectionErrorOf(events: Http2Event[]): { code: string; h2Code: string | undefined } {
  const last = events[events.length - 1];
  if (last?.type !== 'error') throw new Error(`expected an error event last, got ${JSON.stringify(events.map((e) => e.type))}`);
  return { code: last.error.code, h2Code: last.error.h2Code };
}

/** A HEADERS frame built with `enc` (END_HEADERS set). */
export function headersFrame(enc: HpackEncoder, streamId: number, headers: HeaderList, endStream = false): FrameInput {
  return { type: 'headers', streamId, fragment: enc.encode(headers), endStream };
}

/** A connected client with one GET sent on stream 1; returns it and a server encoder. */
export function withRequest(options: Http2ConnectionOptions = {}): { h2: Http2ClientConnection; enc: HpackEncoder } {
  const h2 = connected(options);
  h2.request(get(), { endStream: true });
  h2.takeOutput();
  return { h2, enc: serverEncoder() };
}

/** Events with errors reduced to their code, h2Code and scope (tests assert codes, not messages). */
export function summary(events: Http2Event[]): unknown[] {
  return events.map((e) => {
    if (e.type === 'error') return { type: 'error', code: e.error.code, h2Code: e.error.h2Code, scope: e.error.scope };
    if (e.type === 'streamError') return { type: 'streamError', streamId: e.streamId, code: e.error.code, h2Code: e.error.h2Code, scope: e.error.scope };
    if (e.type === 'rstStream') return { type: 'rstStream', streamId: e.streamId, errorCode: e.errorCode, h2Code: e.error.h2Code };
    if (e.type === 'data') return { type: 'data', streamId: e.streamId, data: Array.from(e.data), endStream: e.endStream };
    return e;
  });
}

/** A started client that sent one GET (stream 1), for parsing server frames on every chunking. */
export function startedWithGet(): Http2ClientConnection {
  const h2 = new Http2ClientConnection();
  h2.start();
  h2.request(get(), { endStream: true });
  return h2;
}
