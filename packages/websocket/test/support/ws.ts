import { GunError, concatBytes } from '@gunhttp/core';
import { encodeFrame, Opcode, WebSocketConnection } from '../../src/index.js';
import type { DeflateParams, WebSocketConnectionOptions, WsEvent } from '../../src/index.js';
import { DEFAULT_PARAMS, nodeDeflate } from './node-deflate.js';

export const KEY = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** Joins byte arrays. */
export const cat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

export { Opcode };

/** A frame as a server sends it (unmasked unless a key is given). */
export function frame(opcode: number, payload: Uint8Array | string = new Uint8Array(0), opts: { fin?: boolean; rsv?: number; maskKey?: Uint8Array } = {}): Uint8Array {
  const data = typeof payload === 'string' ? enc(payload) : payload;
  return encodeFrame({ opcode, payload: data, ...opts });
}

type Extra = Partial<Omit<WebSocketConnectionOptions, 'role'>>;

export function client(extra: Extra = {}): WebSocketConnection {
  return new WebSocketConnection({ role: 'client', maskKey: () => KEY, ...extra });
}

export function server(extra: Extra = {}): WebSocketConnection {
  return new WebSocketConnection({ role: 'server', ...extra });
}

export function deflateClient(params: DeflateParams = DEFAULT_PARAMS, extra: Extra = {}): WebSocketConnection {
  return client({ extensions: { permessageDeflate: { params, codec: nodeDeflate(params, 'client') } }, ...extra });
}

export function deflateServer(params: DeflateParams = DEFAULT_PARAMS, extra: Extra = {}): WebSocketConnection {
  return server({ extensions: { permessageDeflate: { params, codec: nodeDeflate(params, 'server') } }, ...extra });
}

/** Events with errors reduced to their code and close code, so they compare with toEqual. */
export function norm(events: readonly WsEvent[]): unknown[] {
  return events.map((e) => {
    if (e.type !== 'error') return e;
    expect(e.error).toBeInstanceOf(GunError);
    return { type: 'error', code: e.error.code, wsCloseCode: e.error.wsCloseCode };
  });
}

export const errorEvent = (code: string, wsCloseCode: number | undefined): unknown => ({ type: 'error', code, wsCloseCode });

/** What a client wrote, decoded by a server-role connection (which also checks the masking). */
export function decodeClientOutput(ws: WebSocketConnection, peer: WebSocketConnection = server()): WsEvent[] {
  return ws.takeOutput().flatMap((b) => peer.receive(b));
}
