// The server side of the HTTP/2 layer's unit tests: frames and HPACK both ways, no socket.
import { ByteQueue, StreamRef, concatBytes } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { CLIENT_PREFACE, HpackDecoder, HpackEncoder, parseFrame, serializeFrame } from '@gunhttp/http2';
import type { Frame, FrameInput } from '@gunhttp/http2';
import type { Delivery, LayerOutput } from '../../src/layer.js';
import type { RequestCommand } from '../../src/commands.js';
import { Http2Layer } from '../../src/layers/http2-layer.js';
import type { Http2LayerOptions } from '../../src/layers/http2-layer.js';

export const ME = 'me';
export const CONN = { name: 'conn' };

/** The server side of a test: HPACK both ways, frames in and out. */
export class Peer {
  readonly enc = new HpackEncoder({ huffman: 'never' });
  readonly dec = new HpackDecoder();

  /** Frames the layer wrote, skipping the preface magic when `preface`. */
  read(out: LayerOutput, preface = false): Frame[] {
    const q = new ByteQueue();
    for (const w of out.writes) q.push(w);
    if (preface) {
      expect(q.take(CLIENT_PREFACE.length)).toEqual(CLIENT_PREFACE);
    }
    const frames: Frame[] = [];
    for (;;) {
      const r = parseFrame(q, { maxFrameSize: 16777215 });
      if (r.kind !== 'ok') break;
      frames.push(r.value);
    }
    expect(q.length).toBe(0);
    return frames;
  }

  /** The request header lists of the HEADERS frames among `frames`. */
  headers(frames: Frame[]): HeaderList[] {
    return frames.flatMap((f) => (f.type === 'headers' ? [this.dec.decode(f.fragment)] : []));
  }

  head(streamId: number, headers: HeaderList, endStream = false): FrameInput {
    return { type: 'headers', streamId, fragment: this.enc.encode(headers), endStream };
  }

  push(streamId: number, promisedStreamId: number, headers: HeaderList): FrameInput {
    return { type: 'pushPromise', streamId, promisedStreamId, fragment: this.enc.encode(headers) };
  }
}

export function bytes(...frames: FrameInput[]): Uint8Array {
  const parts = frames.map((f) => serializeFrame(f));
  return concatBytes(parts);
}

export function request(overrides: Partial<RequestCommand> = {}): RequestCommand {
  return { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'GET', path: '/', headers: [], body: new Uint8Array(0), function: 'request', ...overrides };
}

/** A layer that received the server's SETTINGS and its ACK; the peer has read the preface. */
export function connected(options: Partial<Http2LayerOptions> = {}, settings: FrameInput = { type: 'settings' }): { layer: Http2Layer; peer: Peer } {
  const layer = new Http2Layer({ scheme: 'http', authority: 'example.org', conn: CONN, ...options });
  const peer = new Peer();
  peer.read(layer.start(), true);
  layer.receive(bytes(settings, { type: 'settings', ack: true }));
  return { layer, peer };
}

export const messages = (out: LayerOutput): Delivery['message'][] => out.deliveries.map((d) => d.message);
export const errorCode = (d: Delivery | undefined): string | undefined => (d?.message.type === 'error' ? d.message.reason.code : undefined);
export const eventNames = (out: LayerOutput): string[] => out.events.map((e) => e.name);
export const frameTypes = (frames: Frame[]): string[] => frames.map((f) => f.type);
