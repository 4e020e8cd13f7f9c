import { createHash } from 'node:crypto';
import { GunError, StreamRef, concatBytes } from '@gunhttp/core';
import type { HeaderList, WsFrame } from '@gunhttp/core';
import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { computeAccept, encodeFrame, GUN_DEFLATE_OFFER, Opcode, WebSocketConnection, WsErrors } from '@gunhttp/websocket';
import type { DeflateParams, WsEvent } from '@gunhttp/websocket';
import { nodePerMessageDeflate } from '../../../gun/src/ws-deflate.js';
import { TunnelErrors } from '../../src/index.js';
import type { GunCommand, LayerOutput } from '../../src/index.js';
import { validateUpgradeResponse, WsHandshakeErrors } from '../../src/layers/ws-handshake.js';
import { NO_EVENTS } from '../../src/layer.js';
import { gunWsHandler, WsLayer } from '../../src/layers/ws-layer.js';
import type { WsHandlerFrame, WsLayerOptions, WsProtocolHandler } from '../../src/layers/ws-layer.js';

const ME = 'me';
const CONN = 'conn';
const KEY = Uint8Array.of(0x11, 0x22, 0x33, 0x44);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function setup(extra: Partial<WsLayerOptions> = {}): { layer: WsLayer; ref: StreamRef; server: WebSocketConnection } {
  const ref = new StreamRef();
  const layer = new WsLayer({ streamRef: ref, replyTo: ME, conn: CONN, maskKey: () => KEY, ...extra });
  return { layer, ref, server: new WebSocketConnection({ role: 'server' }) };
}

/** What a server sends for these frames (unmasked, RFC 6455 §5.1). */
function serverBytes(server: WebSocketConnection, ...frames: WsFrame[]): Uint8Array {
  for (const f of frames) server.send(f);
  return concat(server.takeOutput());
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** The frames the layer wrote, decoded by a server (which also checks that they are masked). */
const written = (out: LayerOutput, server = new WebSocketConnection({ role: 'server' })): WsEvent[] => out.writes.flatMap((w) => server.receive(w));
const ws = (ref: StreamRef, frame: WsFrame): unknown => ({ replyTo: ME, message: { type: 'ws', conn: CONN, streamRef: ref, frame } });
const send = (ref: StreamRef, ...frames: WsFrame[]): GunCommand => ({ type: 'wsSend', streamRef: ref, replyTo: ME, frames });
const eventNames = (out: LayerOutput): string[] => out.events.map((e) => e.name);
const errorCode = (out: LayerOutput): unknown => out.deliveries.map((d) => (d.message.type === 'error' ? [d.message.streamRef, d.message.reason.code, d.message.reason.wsCloseCode] : d.message.type));

describe('WsLayer: receiving (Gun gun_ws, gun_ws_h)', () => {
  it('delivers a text message as a ws message with conn and the upgrade stream ref', () => {
    const { layer, ref, server } = setup();
    const out = layer.receive(serverBytes(server, { type: 'text', data: 'Hello ✓' }));
    expect(out.deliveries).toEqual([ws(ref, { type: 'text', data: 'Hello ✓' })]);
    expect(out.writes).toEqual([]);
    expect(out.directives).toEqual([]);
  });

  it('delivers a binary message', () => {
    const { layer, ref, server } = setup();
    const data = Uint8Array.of(0, 1, 2, 255);
    expect(layer.receive(serverBytes(server, { type: 'binary', data })).deliveries).toEqual([ws(ref, { type: 'binary', data })]);
  });

  it('reassembles a fragmented message, answering a ping sent between fragments (RFC 6455 §5.4)', () => {
    const { layer, ref } = setup();
    const bytes = concat([
      encodeFrame({ opcode: Opcode.TEXT, payload: text('Hel'), fin: false }),
      encodeFrame({ opcode: Opcode.PING, payload: text('p') }),
      encodeFrame({ opcode: Opcode.CONTINUATION, payload: text('lo '), fin: false }),
      encodeFrame({ opcode: Opcode.CONTINUATION, payload: Uint8Array.of(0xe2, 0x9c, 0x93) }),
    ]);
    const out = layer.receive(bytes);
    expect(out.deliveries).toEqual([ws(ref, { type: 'text', data: 'Hello ✓' })]);
    expect(written(out)).toEqual([{ type: 'pong', data: text('p') }]);
  });

  it('decodes the same messages on every chunking of the input', () => {
    const ref = new StreamRef();
    const bytes = concat([
      encodeFrame({ opcode: Opcode.BINARY, payload: Uint8Array.of(1, 2), fin: false }),
      encodeFrame({ opcode: Opcode.CONTINUATION, payload: Uint8Array.of(3) }),
      encodeFrame({ opcode: Opcode.TEXT, payload: text('x'.repeat(300)) }),
      encodeFrame({ opcode: Opcode.CLOSE, payload: Uint8Array.of(0x03, 0xe8) }),
    ]);
    const make = () => {
      const layer = new WsLayer({ streamRef: ref, replyTo: ME, conn: CONN, maskKey: () => KEY });
      return { receive: (chunk: Uint8Array) => layer.receive(chunk).deliveries };
    };
    expectEventsForAllChunkings(make, bytes, [
      ws(ref, { type: 'binary', data: Uint8Array.of(1, 2, 3) }),
      ws(ref, { type: 'text', data: 'x'.repeat(300) }),
      ws(ref, { type: 'close', code: 1000 }),
    ], { randomSplits: 5 });
  });

  it('answers pings automatically and does not deliver them by default (silence_pings, Gun §5.4)', () => {
    const { layer, server } = setup();
    const out = layer.receive(serverBytes(server, { type: 'ping', data: text('abc') }, { type: 'pong' }));
    expect(out.deliveries).toEqual([]);
    expect(written(out)).toEqual([{ type: 'pong', data: text('abc') }]);
    expect(out.events.filter((e) => e.name.startsWith('wsSend'))).toEqual([
      { name: 'wsSendFrameStart', event: { streamRef: expect.any(StreamRef), replyTo: ME, extensions: {}, frame: { type: 'pong', data: text('abc') } } },
      { name: 'wsSendFrameEnd', event: { streamRef: expect.any(StreamRef), replyTo: ME, extensions: {}, frame: { type: 'pong', data: text('abc') } } },
    ]);
  });

  it('reports wsRecvFrameStart, wsRecvFrameHeader and wsRecvFrameEnd for each frame received (Gun events)', () => {
    const { layer, server } = setup();
    const out = layer.receive(serverBytes(server, { type: 'ping', data: text('abc') }, { type: 'pong' }));
    const received = out.events.filter((e) => e.name.startsWith('wsRecv'));
    expect(received.map((e) => e.name)).toEqual(['wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd', 'wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd']);
    expect(received[1]?.event).toMatchObject({ type: 'ping', rsv: 0, len: 3 });
    expect(received[2]?.event).toMatchObject({ payload: text('abc'), closeCode: undefined });
    expect(received[4]?.event).toMatchObject({ type: 'pong', len: 0 });
  });

  it('delivers pings and pongs when silencePings is false (empty payload → no data)', () => {
    const { layer, ref, server } = setup({ silencePings: false });
    const out = layer.receive(serverBytes(server, { type: 'ping' }, { type: 'pong', data: text('z') }));
    expect(out.deliveries).toEqual([ws(ref, { type: 'ping' }), ws(ref, { type: 'pong', data: text('z') })]);
    expect(written(out)).toEqual([{ type: 'pong', data: new Uint8Array(0) }]);
  });

  it('delivers a server close, answers it and closes the connection at once (Gun §5.10)', () => {
    const { layer, ref, server } = setup();
    const out = layer.receive(serverBytes(server, { type: 'close', code: 1000, reason: 'bye' }));
    expect(out.deliveries).toEqual([ws(ref, { type: 'close', code: 1000, reason: 'bye' })]);
    expect(written(out)).toEqual([{ type: 'close', code: 1000 }]);
    expect(out.directives).toEqual([{ type: 'close', reason: 'normal' }]);
    expect(layer.state).toBe('closed');
  });

  it('delivers a close without a status as a bare close frame', () => {
    const { layer, ref } = setup();
    const out = layer.receive(encodeFrame({ opcode: Opcode.CLOSE, payload: new Uint8Array(0) }));
    expect(out.deliveries).toEqual([ws(ref, { type: 'close' })]);
    expect(written(out)).toEqual([{ type: 'close' }]);
  });

  it.each([
    { name: 'a masked server frame', bytes: encodeFrame({ opcode: Opcode.TEXT, payload: text('hi'), maskKey: KEY }), code: WsErrors.PROTOCOL, closeCode: 1002 },
    { name: 'invalid UTF-8 in a text message', bytes: encodeFrame({ opcode: Opcode.TEXT, payload: Uint8Array.of(0x61, 0xff) }), code: WsErrors.INVALID_UTF8, closeCode: 1007 },
  ])('fails the connection on $name: error message, close $closeCode written, close directive (RFC 6455 §7.1.7)', ({ bytes, code, closeCode }) => {
    const { layer, ref, server } = setup();
    const out = layer.receive(concat([serverBytes(server, { type: 'text', data: 'before' }), bytes]));
    expect(errorCode(out)).toEqual(['ws', [ref, code, closeCode]]);
    expect(written(out)).toEqual([{ type: 'close', code: closeCode }]);
    expect(out.directives).toEqual([{ type: 'close', reason: expect.objectContaining({ code, wsCloseCode: closeCode }) }]);
    expect(layer.receive(serverBytes(server, { type: 'text', data: 'after' })).deliveries).toEqual([]);
  });

  it('accepts a message of maxMessageSize octets and fails one octet more with 1009 (RFC 6455 §7.4.1)', () => {
    const at = setup({ maxMessageSize: 10 });
    expect(at.layer.receive(serverBytes(at.server, { type: 'binary', data: new Uint8Array(10) })).deliveries).toHaveLength(1);
    const over = setup({ maxMessageSize: 10 });
    const out = over.layer.receive(serverBytes(over.server, { type: 'binary', data: new Uint8Array(11) }));
    expect(errorCode(out)).toEqual([[over.ref, WsErrors.TOO_LARGE, 1009]]);
  });

  it('reports EOF as a close directive with reason closed (Gun gun_down)', () => {
    const { layer } = setup();
    expect(layer.receiveEof().directives).toEqual([{ type: 'close', reason: 'closed' }]);
  });

  it('reports EOF after a completed close handshake as normal', () => {
    const { layer, server } = setup();
    layer.receive(serverBytes(server, { type: 'close', code: 1000 }));
    expect(layer.receiveEof().directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });
});

describe('WsLayer: sending', () => {
  it('masks and writes frames in order, with send events per frame', () => {
    const { layer, ref } = setup();
    const out = layer.command(send(ref, { type: 'text', data: 'a' }, { type: 'binary', data: Uint8Array.of(7) }));
    expect(written(out)).toEqual([{ type: 'text', data: 'a' }, { type: 'binary', data: Uint8Array.of(7) }]);
    expect(eventNames(out)).toEqual(['wsSendFrameStart', 'wsSendFrameEnd', 'wsSendFrameStart', 'wsSendFrameEnd']);
    expect(out.deliveries).toEqual([]);
  });

  it('produces no events when nobody observes them', () => {
    const { layer, ref } = setup({ observer: NO_EVENTS });
    expect(layer.command(send(ref, { type: 'text', data: 'a' })).events).toEqual([]);
  });

  it('stops at a close frame: later frames are dropped, then closing (Gun send_many_close)', () => {
    const { layer, ref } = setup({ closingTimeout: 500 });
    const server = new WebSocketConnection({ role: 'server' });
    const out = layer.command(send(ref, { type: 'text', data: 'a' }, { type: 'close', code: 1000 }, { type: 'text', data: 'b' }));
    expect(written(out, server)).toEqual([{ type: 'text', data: 'a' }, { type: 'close', code: 1000 }]);
    expect(out.directives).toEqual([{ type: 'closing', timeout: 500 }]);
    const later = layer.command(send(ref, { type: 'text', data: 'c' }));
    expect(later).toEqual({ deliveries: [], writes: [], directives: [], events: [] });
    // The server's answer completes the close handshake.
    const end = layer.receive(concat(server.takeOutput()));
    expect(end.deliveries).toEqual([ws(ref, { type: 'close', code: 1000 })]);
    expect(end.writes).toEqual([]);
    expect(end.directives).toEqual([{ type: 'close', reason: 'normal' }]);
  });

  it('waits 15000 ms for the server close by default (Gun closing_timeout)', () => {
    const { layer, ref } = setup();
    expect(layer.command(send(ref, { type: 'close' })).directives).toEqual([{ type: 'closing', timeout: 15000 }]);
  });

  it('reports a frame it cannot send as a stream error and sends nothing after it', () => {
    const { layer, ref } = setup();
    const out = layer.command(send(ref, { type: 'text', data: 'a' }, { type: 'close', code: 1005 }, { type: 'text', data: 'b' }));
    expect(written(out)).toEqual([{ type: 'text', data: 'a' }]);
    expect(errorCode(out)).toEqual([[ref, WsErrors.BAD_ARGUMENT, undefined]]);
    expect(out.directives).toEqual([]);
  });

  it('refuses frames for another stream ref (TUNNEL_ERR_STREAM_NOT_FOUND)', () => {
    const { layer } = setup();
    const other = new StreamRef();
    const out = layer.command(send(other, { type: 'text', data: 'a' }));
    expect(out.writes).toEqual([]);
    expect(errorCode(out)).toEqual([[other, TunnelErrors.STREAM_NOT_FOUND, undefined]]);
  });

  it('sends an empty ping on keepalive, and nothing once closing (Gun §5.4)', () => {
    const { layer, ref } = setup();
    const out = layer.command({ type: 'keepalive' });
    expect(written(out)).toEqual([{ type: 'ping', data: new Uint8Array(0) }]);
    expect(out.events.map((e) => e.event)).toEqual([expect.objectContaining({ frame: { type: 'ping' } }), expect.objectContaining({ frame: { type: 'ping' } })]);
    layer.command(send(ref, { type: 'close' }));
    expect(layer.command({ type: 'keepalive' }).writes).toEqual([]);
  });

  it('sends close 1001 on shutdown and waits for the server close (Gun §5.8)', () => {
    const { layer } = setup({ closingTimeout: 1234 });
    const out = layer.command({ type: 'shutdown', reason: 'shutdown' });
    expect(written(out)).toEqual([{ type: 'close', code: 1001 }]);
    expect(out.directives).toEqual([{ type: 'closing', timeout: 1234 }]);
    expect(layer.command({ type: 'shutdown', reason: 'shutdown' }).writes).toEqual([]);
  });

  it.each([
    ['request', { type: 'request', streamRef: new StreamRef(), replyTo: 'other', method: 'GET', path: '/', headers: [], body: undefined, function: 'request' }],
    ['data', { type: 'data', streamRef: new StreamRef(), replyTo: 'other', fin: true, data: new Uint8Array(0) }],
    ['cancel', { type: 'cancel', streamRef: new StreamRef(), replyTo: 'other' }],
    ['ping', { type: 'ping', pingRef: new StreamRef(), replyTo: 'other' }],
    ['wsUpgrade', { type: 'wsUpgrade', streamRef: new StreamRef(), replyTo: 'other', path: '/', headers: [], opts: {} }],
  ] as Array<[string, GunCommand]>)('refuses %s with a connection-wide badstate (Gun: "only accepts Websocket frames")', (_name, cmd) => {
    const { layer } = setup();
    const out = layer.command(cmd);
    expect(out.writes).toEqual([]);
    expect(out.deliveries).toEqual([{ replyTo: 'other', message: { type: 'error', conn: CONN, streamRef: undefined, reason: expect.any(GunError) } }]);
    expect(errorCode(out)).toEqual([[undefined, TunnelErrors.BAD_STATE, undefined]]);
  });

  it('lists the Websocket stream as open and is never idle (Gun lists it in down)', () => {
    const { layer, ref } = setup();
    expect(layer.openStreams()).toEqual([ref]);
    expect(layer.idle).toBe(false);
    expect(layer.streamInfo(ref)).toEqual({ ref, replyTo: ME, state: 'running' });
    expect(layer.streamInfo(new StreamRef())).toBeUndefined();
    expect(layer.protocol).toBe('ws');
  });
});

describe('WsLayer: permessage-deflate (RFC 7692)', () => {
  const params: DeflateParams = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };

  it('inflates server messages and compresses its own with RSV1 set (RFC 7692 §6)', () => {
    const { layer, ref } = setup({ deflate: { params, codec: nodePerMessageDeflate(params, { role: 'client' }) } });
    const server = new WebSocketConnection({ role: 'server', extensions: { permessageDeflate: { params, codec: nodePerMessageDeflate(params, { role: 'server' }) } } });
    for (const m of ['compressed hello', 'compressed hello', 'y'.repeat(5000)]) {
      server.send({ type: 'text', data: m });
      expect(layer.receive(concat(server.takeOutput())).deliveries).toEqual([ws(ref, { type: 'text', data: m })]);
      const out = layer.command(send(ref, { type: 'text', data: m }));
      expect(out.writes[0]![0]! & 0x40).toBe(0x40);
      expect(written(out, server)).toEqual([{ type: 'text', data: m }]);
      expect(out.events[0]?.event).toMatchObject({ extensions: { permessageDeflate: params } });
    }
  });
});

describe('WsLayer: subprotocol handlers (Gun gun_ws_protocol)', () => {
  it('gives a custom handler every frame, fragments included, and counts its flow', () => {
    const seen: WsHandlerFrame[] = [];
    const inits: unknown[] = [];
    const handler: WsProtocolHandler<number> = {
      init(replyTo, streamRef, headers, opts) {
        inits.push([replyTo, streamRef, headers, opts]);
        return 0;
      },
      handle(frame, n) {
        seen.push(frame);
        return { flow: 1, state: n + 1, deliver: frame.type === 'text' ? [{ type: 'text', data: `#${n} ${frame.data}` }] : [] };
      },
    };
    const headers: HeaderList = [['sec-websocket-protocol', 'chat']];
    const { layer, ref, server } = setup({ protocolHandler: handler, headers, wsOpts: { userOpts: 42 }, flow: 10 });
    expect(inits).toEqual([[ME, ref, headers, { userOpts: 42, silencePings: true }]]);
    const out = layer.receive(concat([
      serverBytes(server, { type: 'text', data: 'a' }),
      encodeFrame({ opcode: Opcode.BINARY, payload: Uint8Array.of(1), fin: false }),
      encodeFrame({ opcode: Opcode.CONTINUATION, payload: Uint8Array.of(2) }),
      serverBytes(server, { type: 'ping' }),
    ]));
    expect(seen).toEqual([
      { type: 'text', data: 'a' },
      { type: 'fragment', messageType: 'binary', fin: false, data: Uint8Array.of(1) },
      { type: 'fragment', messageType: 'binary', fin: true, data: Uint8Array.of(2) },
      { type: 'ping' },
    ]);
    expect(out.deliveries).toEqual([ws(ref, { type: 'text', data: '#0 a' })]);
    expect(layer.flow).toBe(6);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: 3 });
    expect(layer.flow).toBe(9);
  });

  it('the default handler (gun_ws_h) counts one per delivered message, none for silenced pings', () => {
    const { layer, server } = setup({ flow: 5 });
    layer.receive(serverBytes(server, { type: 'text', data: 'a' }, { type: 'ping' }, { type: 'binary', data: Uint8Array.of(1) }));
    expect(layer.flow).toBe(3);
    const state = gunWsHandler.init(ME, new StreamRef(), [], { silencePings: true });
    expect(gunWsHandler.handle({ type: 'fragment', messageType: 'text', fin: false, data: text('ab') }, state)).toEqual({ flow: 0, state });
    expect(gunWsHandler.handle({ type: 'fragment', messageType: 'text', fin: true, data: text('c') }, state).deliver).toEqual([{ type: 'text', data: 'abc' }]);
  });
});

describe('WsLayer flow: reading pauses when the messages delivered use it up (Gun §5.9, flow_SUITE flow_ws)', () => {
  it('flow 1: one message pauses reading; updateFlow on the stream resumes it', () => {
    const { layer, ref, server } = setup({ flow: 1 });
    expect(layer.readPaused).toBe(false);
    layer.receive(serverBytes(server, { type: 'text', data: 'a' }));
    expect(layer.readPaused).toBe(true);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: 1 });
    expect(layer.readPaused).toBe(false);
  });

  it('silenced pings and the fragments before the last cost nothing', () => {
    const { layer, server } = setup({ flow: 1 });
    layer.receive(concat([
      serverBytes(server, { type: 'ping' }),
      encodeFrame({ opcode: Opcode.TEXT, payload: text('ab'), fin: false }),
    ]));
    expect(layer.readPaused).toBe(false);
    layer.receive(encodeFrame({ opcode: Opcode.CONTINUATION, payload: text('c') }));
    expect(layer.readPaused).toBe(true);
  });

  it('messages read in the same chunk are delivered and owed', () => {
    const { layer, ref, server } = setup({ flow: 1 });
    expect(layer.receive(serverBytes(server, { type: 'text', data: 'a' }, { type: 'text', data: 'b' })).deliveries).toHaveLength(2);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: 1 });
    expect(layer.readPaused).toBe(true);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: 1 });
    expect(layer.readPaused).toBe(false);
  });

  it('ignores updates for another ref, and never pauses without a flow (flow_SUITE no_flow_ws)', () => {
    const { layer, server } = setup({ flow: 1 });
    layer.receive(serverBytes(server, { type: 'text', data: 'a' }));
    layer.command({ type: 'updateFlow', streamRef: new StreamRef(), increment: 1 });
    expect(layer.readPaused).toBe(true);
    const free = setup();
    free.layer.command({ type: 'updateFlow', streamRef: free.ref, increment: -3 });
    free.layer.receive(serverBytes(free.server, { type: 'text', data: 'a' }, { type: 'text', data: 'b' }));
    expect(free.layer.readPaused).toBe(false);
  });
});

describe('validateUpgradeResponse (RFC 6455 §4.1, RFC 7692 §7.1, Gun §5.10)', () => {
  const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest());
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const accept: [string, string] = ['sec-websocket-accept', computeAccept(key, sha1)];
  const none = { protocols: [], deflate: null };

  it('accepts the RFC 6455 §1.3 example accept value', () => {
    expect(accept[1]).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(validateUpgradeResponse(key, [accept], none, sha1)).toEqual({ kind: 'ok', protocol: undefined, deflate: undefined });
  });

  it.each([
    ['a wrong accept', [['sec-websocket-accept', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=']] as HeaderList],
    ['a missing accept', [] as HeaderList],
  ])('refuses %s (TUNNEL_ERR_WS_INVALID_ACCEPT)', (_name, headers) => {
    const r = validateUpgradeResponse(key, headers, none, sha1);
    expect(r.kind === 'error' && r.error.code).toBe(WsHandshakeErrors.INVALID_ACCEPT);
  });

  it('skips the accept check for RFC 8441 extended CONNECT (no key)', () => {
    expect(validateUpgradeResponse(null, [], none, sha1).kind).toBe('ok');
  });

  it('negotiates permessage-deflate when offered (8-bit windows become 9)', () => {
    const headers: HeaderList = [accept, ['sec-websocket-extensions', 'permessage-deflate; client_max_window_bits=8']];
    expect(validateUpgradeResponse(key, headers, { protocols: [], deflate: GUN_DEFLATE_OFFER }, sha1)).toEqual({
      kind: 'ok',
      protocol: undefined,
      deflate: { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 9 },
    });
  });

  it.each([
    ['an extension that was not offered', { protocols: [], deflate: null }, 'permessage-deflate'],
    ['an unknown extension', { protocols: [], deflate: GUN_DEFLATE_OFFER }, 'x-webkit-deflate-frame'],
    ['a duplicated parameter', { protocols: [], deflate: GUN_DEFLATE_OFFER }, 'permessage-deflate; server_no_context_takeover; server_no_context_takeover'],
  ])('refuses %s (WS_ERR_INVALID_EXTENSIONS)', (_name, offer, value) => {
    const r = validateUpgradeResponse(key, [accept, ['sec-websocket-extensions', value]], offer, sha1);
    expect(r.kind === 'error' && r.error.code).toBe(WsErrors.INVALID_EXTENSIONS);
  });

  it('selects an offered subprotocol, and none when the header is absent', () => {
    const offer = { protocols: ['chat', 'superchat'], deflate: null };
    expect(validateUpgradeResponse(key, [accept, ['sec-websocket-protocol', 'superchat']], offer, sha1)).toMatchObject({ kind: 'ok', protocol: 'superchat' });
    expect(validateUpgradeResponse(key, [accept], offer, sha1)).toMatchObject({ kind: 'ok', protocol: undefined });
  });

  it.each([
    ['a subprotocol that was not offered', [['sec-websocket-protocol', 'other']]],
    ['two subprotocols', [['sec-websocket-protocol', 'chat'], ['sec-websocket-protocol', 'superchat']]],
  ] as Array<[string, HeaderList]>)('refuses %s (WS_ERR_INVALID_PROTOCOL)', (_name, extra) => {
    const r = validateUpgradeResponse(key, [accept, ...extra], { protocols: ['chat', 'superchat'], deflate: null }, sha1);
    expect(r.kind === 'error' && r.error.code).toBe(WsErrors.INVALID_PROTOCOL);
  });
});
