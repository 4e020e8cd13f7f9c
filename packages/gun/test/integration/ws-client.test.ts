import { once } from 'node:events';
import { getHeader } from '@gunhttp/core';
import type { HeaderList, StreamRef, WsFrame } from '@gunhttp/core';
import { getTestPki } from '@gunhttp/testkit';
import { GunErrors, Mailbox, gunWsHandler, open } from '../../src/index.js';
import type { AwaitResult, ConnMessage, Connection, WsHandlerOptions, WsProtocolHandler } from '../../src/index.js';
import { connectTo, recordEvents, text } from '../support/helpers.js';
import { startWsOrigin } from '../support/ws-origin.js';
import type { WsOrigin } from '../support/ws-origin.js';

/*
 * The client's Websocket API (Gun's ws_upgrade / ws_send, Gun §5.10) against the `ws` server on
 * 127.0.0.1, over HTTP/1.1 (RFC 6455 §4.1) and TLS.
 */

let origin: WsOrigin;
let deflateOrigin: WsOrigin;
let tlsOrigin: WsOrigin;
const conns: Connection[] = [];

beforeAll(async () => {
  [origin, deflateOrigin, tlsOrigin] = await Promise.all([
    startWsOrigin(),
    startWsOrigin({ perMessageDeflate: { threshold: 0 } }),
    startWsOrigin({ tls: true }),
  ]);
});

afterEach(() => {
  for (const c of conns.splice(0)) c.close();
});

afterAll(async () => {
  await Promise.all([origin.close(), deflateOrigin.close(), tlsOrigin.close()]);
});

async function connect(to: WsOrigin = origin, options: Parameters<typeof connectTo>[1] = {}): Promise<Connection> {
  const conn = await connectTo(to.port, options);
  conns.push(conn);
  return conn;
}

async function frame(conn: Connection, ref: StreamRef): Promise<WsFrame> {
  const m = await conn.await(ref, 2000);
  if (m.type !== 'ws') throw new Error(`expected a ws message, got ${m.type}`);
  return m.frame;
}

async function upgrade(conn: Connection, ref: StreamRef): Promise<Extract<AwaitResult, { type: 'upgrade' }>> {
  const m = await conn.await(ref, 2000);
  if (m.type !== 'upgrade') throw new Error(`expected an upgrade message, got ${m.type}`);
  return m;
}

const down = (conn: Connection): Promise<ConnMessage> => conn.owner.receive((m) => m.type === 'down', { timeout: 2000 });

describe('Websocket upgrade and frames over HTTP/1.1 (RFC 6455, Gun §5.10)', () => {
  it('upgrades with a 101: an upgrade message with protocols [websocket], then info() says ws', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo');
    const up = await upgrade(conn, ref);
    expect(up.protocols).toEqual(['websocket']);
    expect(up.streamRef).toBe(ref);
    expect(getHeader(up.headers, 'upgrade')?.toLowerCase()).toBe('websocket');
    expect(conn.info().protocol).toBe('ws');
    expect(conn.streamInfo(ref)).toMatchObject({ ref, state: 'running' });
  });

  it('echoes text and binary messages sent in one wsSend', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    conn.wsSend(ref, [{ type: 'text', data: 'Hello ✓' }, { type: 'binary', data: Uint8Array.of(0, 1, 255) }]);
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'Hello ✓' });
    expect(await frame(conn, ref)).toEqual({ type: 'binary', data: Uint8Array.of(0, 1, 255) });
  });

  it('sends frames given before the connection is up once it is (postponed, Gun §0)', async () => {
    const conn = open('127.0.0.1', origin.port, { retry: 0 });
    conns.push(conn);
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    conn.wsSend(ref, { type: 'text', data: 'late' });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'late' });
  });

  it('echoes over wss:// (TLS)', async () => {
    const conn = await connect(tlsOrigin, { transport: 'tls', tlsOpts: { ca: getTestPki().ca.certPem } });
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    conn.wsSend(ref, [{ type: 'text', data: 'secure' }, { type: 'binary', data: new Uint8Array(70000).fill(7) }]);
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'secure' });
    expect(await frame(conn, ref)).toEqual({ type: 'binary', data: new Uint8Array(70000).fill(7) });
  });

  it('delivers upgrade and ws messages to wsOpts.replyTo (Gun ws_upgrade/4 reply_to)', async () => {
    const conn = await connect();
    const box = new Mailbox<ConnMessage>();
    const ref = conn.wsUpgrade('/echo', [], { replyTo: box });
    await upgrade(conn, ref);
    conn.wsSend(ref, { type: 'text', data: 'to the box' });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'to the box' });
    expect(conn.owner.poll((m) => m.type === 'upgrade' || m.type === 'ws')).toBeUndefined();
  });

  it('negotiates permessage-deflate with compress: true (RFC 7692)', async () => {
    const conn = await connect(deflateOrigin);
    const ref = conn.wsUpgrade('/echo', [], { compress: true });
    const up = await upgrade(conn, ref);
    expect(getHeader(up.headers, 'sec-websocket-extensions')).toMatch(/^permessage-deflate/);
    expect(deflateOrigin.upgrades.at(-1)?.headers['sec-websocket-extensions']).toBe('permessage-deflate; client_max_window_bits; server_max_window_bits=15');
    const server = deflateOrigin.latestSocket();
    expect(server.extensions).toMatch(/permessage-deflate/);
    const big = 'compressible text '.repeat(1000);
    conn.wsSend(ref, [{ type: 'text', data: big }, { type: 'text', data: big }]);
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: big });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: big });
  });

  it('selects a subprotocol and runs its custom handler (Gun gun_ws_protocol: init, handle)', async () => {
    const inits: Array<{ headers: HeaderList; opts: WsHandlerOptions }> = [];
    const upper: WsProtocolHandler<number> = {
      init(_replyTo, _ref, headers, opts) {
        inits.push({ headers, opts });
        return 0;
      },
      handle(f, n) {
        if (f.type === 'text') return { flow: 1, state: n + 1, deliver: [{ type: 'text', data: `${n}:${f.data.toUpperCase()}` }] };
        return { flow: 0, state: n };
      },
    };
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo', [], { protocols: [['a', gunWsHandler], ['b', upper]], userOpts: { tag: 42 } });
    const up = await upgrade(conn, ref);
    expect(getHeader(up.headers, 'sec-websocket-protocol')).toBe('b');
    expect(origin.upgrades.at(-1)?.headers['sec-websocket-protocol']).toBe('a, b');
    expect(inits).toHaveLength(1);
    expect(inits[0]?.opts).toMatchObject({ userOpts: { tag: 42 }, silencePings: true });
    conn.wsSend(ref, [{ type: 'text', data: 'one' }, { type: 'text', data: 'two' }]);
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: '0:ONE' });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: '1:TWO' });
  });

  it('uses defaultProtocol when the server selects no subprotocol', async () => {
    const seen: string[] = [];
    const tagging: WsProtocolHandler<null> = {
      init: () => null,
      handle: (f, s) => {
        seen.push(f.type);
        return { flow: 1, state: s, deliver: f.type === 'text' ? [{ type: 'text', data: `default:${f.data}` }] : [] };
      },
    };
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo', [], { protocols: [['a', gunWsHandler]], defaultProtocol: tagging });
    const up = await upgrade(conn, ref);
    expect(getHeader(up.headers, 'sec-websocket-protocol')).toBeUndefined();
    conn.wsSend(ref, { type: 'text', data: 'x' });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'default:x' });
    expect(seen).toEqual(['text']);
  });

  it('delivers the server close (4000, reason) as a ws close message, then down ws with the stream killed', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    const server = origin.latestSocket();
    const closed = once(server, 'close');
    conn.wsSend(ref, { type: 'text', data: 'close-me' });
    expect(await frame(conn, ref)).toEqual({ type: 'close', code: 4000, reason: 'bye' });
    expect(await down(conn)).toMatchObject({ type: 'down', protocol: 'ws', reason: 'normal', killedStreams: [ref] });
    // Gun answers a close with close 1000 (RFC 6455 §5.5.1).
    expect((await closed)[0]).toBe(4000);
    await expect(conn.await(ref, 100)).rejects.toMatchObject({ code: GunErrors.DOWN });
  });

  it('closes from our side: the server gets our code and reason and the echo of the close ends the connection', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    const server = origin.latestSocket();
    const received: string[] = [];
    server.on('message', (d) => received.push(String(d)));
    const closed = once(server, 'close');
    // Frames after a close are dropped (Gun's ws_send).
    conn.wsSend(ref, [{ type: 'close', code: 1000, reason: 'done' }, { type: 'text', data: 'dropped' }]);
    conn.wsSend(ref, { type: 'text', data: 'dropped too' });
    const [code, reason] = (await closed) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([1000, 'done']);
    expect(await frame(conn, ref)).toEqual({ type: 'close', code: 1000, reason: 'done' });
    expect(await down(conn)).toMatchObject({ protocol: 'ws', reason: 'normal' });
    expect(received).toEqual([]);
  });

  it('sends a PING every wsOpts.keepalive ms, and delivers the pongs with silencePings: false', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo', [], { keepalive: 10, silencePings: false });
    await upgrade(conn, ref);
    const server = origin.latestSocket();
    await once(server, 'ping');
    expect(await frame(conn, ref)).toEqual({ type: 'pong' });
  });

  it('keeps pongs silent by default (silencePings true)', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo', [], { keepalive: 10 });
    await upgrade(conn, ref);
    const server = origin.latestSocket();
    // `ws` writes the pong before emitting `ping`, so it comes before the echo below.
    await once(server, 'ping');
    conn.wsSend(ref, { type: 'text', data: 'after the pong' });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'after the pong' });
  });

  it('delivers a non-101 answer as a response with its body; the connection stays HTTP', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/deny');
    const res = await conn.await(ref, 2000);
    expect(res).toMatchObject({ type: 'response', status: 403, fin: false });
    expect(text((await conn.awaitBody(ref)).body)).toBe('denied');
    expect(conn.info().protocol).toBe('http');
  });

  it('reports down ws with the stream killed when the server drops the connection, and reconnects as HTTP', async () => {
    const conn = await connect(origin, { retry: 1, retryTimeout: 0 });
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    origin.latestSocket().terminate();
    expect(await down(conn)).toMatchObject({ type: 'down', protocol: 'ws', reason: 'closed', killedStreams: [ref] });
    await expect(conn.await(ref, 1000)).rejects.toMatchObject({ code: GunErrors.DOWN });
    expect(await conn.awaitUp()).toBe('http');
    expect(conn.info().protocol).toBe('http');
    const get = conn.get('/');
    expect(await conn.await(get)).toMatchObject({ type: 'response', status: 200 });
  });

  it('refuses HTTP requests once upgraded (connection error TUNNEL_ERR_BAD_STATE)', async () => {
    const conn = await connect();
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    const get = conn.get('/');
    await expect(conn.await(get, 1000)).rejects.toMatchObject({ code: GunErrors.CONNECTION_ERROR, cause: { code: 'TUNNEL_ERR_BAD_STATE' } });
  });

  it('refuses wsSend on a connection that did not upgrade (connection error, Gun badstate)', async () => {
    const conn = await connect();
    const ref = conn.get('/');
    conn.wsSend(ref, { type: 'text', data: 'x' });
    await expect(conn.await(ref, 1000)).rejects.toMatchObject({ code: GunErrors.CONNECTION_ERROR, cause: { code: 'TUNNEL_ERR_NOT_A_WEBSOCKET' } });
  });

  it('reports the events of one echo exchange in order', async () => {
    const rec = recordEvents();
    const conn = await connect(origin, { eventHandler: rec.handler });
    rec.names.length = 0;
    rec.events.length = 0;
    const ref = conn.wsUpgrade('/echo');
    await upgrade(conn, ref);
    conn.wsSend(ref, { type: 'text', data: 'hi' });
    await frame(conn, ref);
    expect(rec.names).toEqual([
      'wsUpgrade', 'requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseInform', 'protocolChanged', 'wsSendFrameStart', 'wsSendFrameEnd',
      'wsRecvFrameStart', 'wsRecvFrameHeader', 'wsRecvFrameEnd',
    ]);
    expect(rec.events[10]?.event).toMatchObject({ streamRef: ref, type: 'text', rsv: 0, len: 2 });
    expect(Buffer.from((rec.events[11]?.event as { payload: Uint8Array }).payload).toString()).toBe('hi');
    expect(rec.events[0]?.event).toMatchObject({ streamRef: ref, opts: {} });
    expect(rec.events[1]?.event).toMatchObject({ function: 'wsUpgrade', method: 'GET', path: '/echo' });
    expect(rec.events[5]?.event).toMatchObject({ status: 101 });
    expect(rec.events[6]?.event).toEqual({ protocol: 'ws', streamRef: ref });
    expect(rec.events[7]?.event).toMatchObject({ streamRef: ref, frame: { type: 'text', data: 'hi' } });
  });
});

describe('wsUpgrade and wsSend argument checks', () => {
  it('throws GUN_ERR_INVALID_OPTION naming a bad wsOpts key, and GUN_ERR_BAD_ARGUMENT for a bad frame, before anything is sent', () => {
    const conn = open('127.0.0.1', origin.port, { retry: 0 });
    conns.push(conn);
    expect(() => conn.wsUpgrade('/echo', [], { compresss: true } as never)).toThrow(expect.objectContaining({ code: GunErrors.INVALID_OPTION, message: expect.stringContaining('wsOpts.compresss') }));
    const ref = conn.wsUpgrade('/echo');
    expect(() => conn.wsSend(ref, { type: 'text', data: 1 } as never)).toThrow(expect.objectContaining({ code: 'GUN_ERR_BAD_ARGUMENT' }));
  });
});
