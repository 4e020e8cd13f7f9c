/**
 * The timers of the protocol inside an HTTP/2 CONNECT tunnel (Gun §5.4, §5.8, §5.11, §5.12:
 * "inner protocol timers are routed to the correct tunnel layer"): the HTTP/2 preface deadline
 * and keepalive PINGs, the HTTP/1.1 keepalive CRLF, Websocket PINGs, and the closing timeout of
 * a graceful close inside the tunnel. Each runs as at the top level and stops with the tunnel.
 */
import { H2ErrorCodes } from '@gunhttp/http2';
import { WsOpcode, startH2ConnectProxy, startHttp2Origin, startRawOrigin, startScriptedWsServer } from '@gunhttp/testkit';
import type { RawOrigin } from '@gunhttp/testkit';
import { TunnelErrors } from '@gunhttp/tunnel';
import { GunErrors } from '../../../src/index.js';
import type { Connection, StreamRef } from '../../../src/index.js';
import { startH2WsOrigin } from '../../support/h2-ws-origin.js';
import { closedAfterEach } from '../../support/helpers.js';
import { framesSent, openH2cProxy, sendFrames } from './h2-script.js';

const HOST = '127.0.0.1';
let conn: Connection | undefined;
const started = closedAfterEach(() => {
  conn?.close();
  conn = undefined;
});

/** A CONNECT answered 200 whose tunnel came up speaking `protocol`. */
async function tunnelTo(c: Connection, destination: Parameters<Connection['connect']>[0], protocol: string): Promise<StreamRef> {
  const ref = c.connect(destination);
  expect(await c.await(ref)).toMatchObject({ type: 'response', fin: true, status: 200 });
  expect(await c.await(ref)).toMatchObject({ type: 'tunnelUp', streamRef: ref, protocol });
  return ref;
}

const PING = 0x6;
const GOAWAY = 0x7;

/** Resolves once the origin's first connection has sent what `done` waits for (checked on each chunk). */
function originReceived(origin: RawOrigin, done: (bytes: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const bytes = origin.received();
      if (!done(bytes)) return false;
      resolve(bytes);
      return true;
    };
    if (check()) return;
    const socket = origin.sockets[0]!;
    const onData = (): void => void (check() && socket.off('data', onData));
    socket.on('data', onData);
  });
}

/** The CONNECT stream of `tunnel` is gone and the proxy connection still serves its own streams. */
async function expectTunnelGoneProxyUp(c: Connection, tunnel: StreamRef): Promise<void> {
  expect(c.streamInfo(tunnel)).toBeUndefined();
  expect(await c.await(c.get('/'))).toMatchObject({ type: 'response', status: 405 });
}

describe('HTTP/2 deadlines and keepalive inside an HTTP/2 tunnel (Gun §5.4, §5.11)', () => {
  it('no server preface within prefaceTimeout: GOAWAY PROTOCOL_ERROR inside the tunnel, a stream error on the tunnel ref, its streams get TUNNEL_ERR_TUNNEL_CLOSED, the proxy connection stays up (RFC 9113 §3.4)', async () => {
    const origin = await started(startRawOrigin(() => undefined));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const tunnel = await tunnelTo(conn, { host: HOST, port: origin.port, protocols: [{ http2: { prefaceTimeout: 100 } }] }, 'http2');
    const ref = conn.get('/hello', {}, { tunnel });
    // Gun: {stream_error, protocol_error, 'The preface was not received ...'} on the tunnel's stream.
    await expect(conn.await(tunnel)).rejects.toMatchObject({ cause: { code: GunErrors.PREFACE_TIMEOUT, scope: 'stream', h2Code: 'PROTOCOL_ERROR' } });
    await expect(conn.await(ref)).rejects.toMatchObject({ cause: { code: TunnelErrors.TUNNEL_CLOSED, cause: { code: GunErrors.PREFACE_TIMEOUT } } });
    const sent = await originReceived(origin, (b) => framesSent(b).some((f) => f.type === GOAWAY));
    expect(framesSent(sent).find((f) => f.type === GOAWAY)?.payload.readUInt32BE(4)).toBe(H2ErrorCodes.PROTOCOL_ERROR);
    await expectTunnelGoneProxyUp(conn, tunnel);
  });

  it('keepalive PINGs inside the tunnel; keepaliveTolerance unanswered ones close it with GOAWAY NO_ERROR (Gun keepalive_tolerance)', async () => {
    const origin = await started(startRawOrigin((s) => sendFrames(s, { type: 'settings' }, { type: 'settings', ack: true })));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const tunnel = await tunnelTo(conn, { host: HOST, port: origin.port, protocols: [{ http2: { keepalive: 30, keepaliveTolerance: 2 } }] }, 'http2');
    const sent = framesSent(await originReceived(origin, (b) => framesSent(b).some((f) => f.type === GOAWAY)));
    expect(sent.filter((f) => f.type === PING).length).toBe(2);
    expect(sent.find((f) => f.type === GOAWAY)?.payload.readUInt32BE(4)).toBe(H2ErrorCodes.NO_ERROR);
    await expectTunnelGoneProxyUp(conn, tunnel);
  });
});

describe('HTTP/1.1 and Websocket keepalive inside an HTTP/2 tunnel (Gun §5.4, §5.10)', () => {
  it('httpOpts.keepalive: a bare CRLF every keepalive ms; none once the tunnel is cancelled', async () => {
    const origin = await started(startRawOrigin(() => undefined));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const tunnel = await tunnelTo(conn, { host: HOST, port: origin.port, protocols: [{ http: { keepalive: 20 } }] }, 'http');
    await originReceived(origin, (b) => b.toString('latin1') === '\r\n\r\n\r\n');
    conn.cancel(tunnel);
    await new Promise((resolve) => origin.sockets[0]!.once('close', resolve));
    const after = origin.received().length;
    // Long enough for five more ticks had the timer survived the tunnel.
    await new Promise((r) => setTimeout(r, 100));
    expect(origin.received().length).toBe(after);
  });

  it('wsOpts.keepalive after an HTTP/1.1 upgrade inside the tunnel: PING frames reach the Websocket server', async () => {
    const server = await started(startScriptedWsServer(() => undefined));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const tunnel = await tunnelTo(conn, { host: HOST, port: server.port }, 'http');
    const ws = conn.wsUpgrade('/', {}, { tunnel, keepalive: 20 });
    expect(await conn.await(ws)).toMatchObject({ type: 'upgrade', streamRef: ws });
    const session = server.sessions[0]!;
    const first = await session.nextFrame();
    const second = await session.nextFrame();
    expect([first, second].map((f) => (f === 'eof' ? f : f.opcode))).toEqual([WsOpcode.PING, WsOpcode.PING]);
  });

  it('wsOpts.keepalive of a Websocket in an HTTP/2 stream inside the tunnel (RFC 8441): PINGs on that stream, the pongs come back', async () => {
    const origin = await started(startH2WsOrigin(false, { enableConnectProtocol: true }));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const tunnel = await tunnelTo(conn, { host: HOST, port: origin.port, protocols: ['http2'] }, 'http2');
    const ws = conn.wsUpgrade('/chat', [], { tunnel, keepalive: 10, silencePings: false });
    expect(await conn.await(ws)).toMatchObject({ type: 'upgrade', streamRef: ws });
    expect(await conn.await(ws, 1000)).toMatchObject({ type: 'ws', frame: { type: 'pong' } });
    expect(await conn.await(ws, 1000)).toMatchObject({ type: 'ws', frame: { type: 'pong' } });
  });
});

describe('a graceful close inside an HTTP/2 tunnel is bounded by closingTimeout (Gun §5.8)', () => {
  it('the origin sends GOAWAY and never ends the stream: after closingTimeout the tunnel closes, the stream gets TUNNEL_ERR_TUNNEL_CLOSED', async () => {
    const origin = await started(startHttp2Origin({
      routes: {
        '/stall': (s) => {
          s.respond({ ':status': 200 });
          s.session?.goaway(0, s.id ?? 0);
        },
      },
    }));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const tunnel = await tunnelTo(conn, { host: HOST, port: origin.port, protocols: [{ http2: { closingTimeout: 100 } }] }, 'http2');
    const ref = conn.get('/stall', {}, { tunnel });
    expect(await conn.await(ref)).toMatchObject({ type: 'response', fin: false, status: 200 });
    await expect(conn.await(ref)).rejects.toMatchObject({ cause: { code: TunnelErrors.TUNNEL_CLOSED, cause: { code: GunErrors.CLOSED } } });
    await expectTunnelGoneProxyUp(conn, tunnel);
  });

  it('a Websocket close frame inside the tunnel the server never answers: the tunnel closes after wsOpts.closingTimeout', async () => {
    const server = await started(startScriptedWsServer(() => undefined));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const tunnel = await tunnelTo(conn, { host: HOST, port: server.port }, 'http');
    const ws = conn.wsUpgrade('/', {}, { tunnel, closingTimeout: 100 });
    expect(await conn.await(ws)).toMatchObject({ type: 'upgrade', streamRef: ws });
    conn.wsSend(ws, { type: 'close' });
    const session = server.sessions[0]!;
    expect(await session.nextFrame()).toMatchObject({ opcode: WsOpcode.CLOSE });
    await session.closed;
    expect(conn.streamInfo(tunnel)).toBeUndefined();
    expect(await conn.await(conn.get('/'))).toMatchObject({ type: 'response', status: 405 });
  });
});
