import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type * as net from 'node:net';
import { StreamRef, getHeader, latin1Decode } from '@gunhttp/core';
import type { WsFrame } from '@gunhttp/core';
import { WebSocketConnection, WsErrors } from '@gunhttp/websocket';
import type { DeflateParams } from '@gunhttp/websocket';
import { nodePerMessageDeflate } from '../../../gun/src/ws-deflate.js';
import { Http2Layer, TunnelErrors } from '../../src/index.js';
import type { WsUpgradeCommand } from '../../src/index.js';
import { SocketDriver, connectSocket, nodeWsPlatform, wsFrames } from './stack-driver.js';

/*
 * Websocket over HTTP/2 (RFC 8441) against node:http2 with SETTINGS_ENABLE_CONNECT_PROTOCOL. The
 * server side of each Websocket is our own codec in server role on the CONNECT stream (`ws`
 * cannot run on an HTTP/2 stream): it echoes messages and answers the close handshake.
 */

const ME = 'me';
const sockets = new Set<net.Socket>();
const servers: http2.Http2Server[] = [];
const sessions = new Set<http2.ServerHttp2Session>();
const DEFLATE: DeflateParams = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };

function websocketEcho(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  const path = String(headers[':path']);
  if (path === '/deny') {
    stream.respond({ ':status': 403 });
    stream.end('denied');
    return;
  }
  const deflate = String(headers['sec-websocket-extensions'] ?? '').startsWith('permessage-deflate');
  const chosen = path === '/bad-protocol' ? { 'sec-websocket-protocol': 'nope' } : {};
  stream.respond({ ':status': 200, ...chosen, ...(deflate ? { 'sec-websocket-extensions': 'permessage-deflate' } : {}) });
  if (path === '/abrupt') {
    stream.end();
    return;
  }
  const codec = deflate ? { params: DEFLATE, codec: nodePerMessageDeflate(DEFLATE, { role: 'server' }) } : undefined;
  const server = new WebSocketConnection({ role: 'server', ...(codec === undefined ? {} : { extensions: { permessageDeflate: codec } }) });
  stream.on('data', (chunk: Buffer) => {
    for (const e of server.receive(new Uint8Array(chunk))) if (e.type === 'text' || e.type === 'binary') server.send(e);
    for (const bytes of server.takeOutput()) stream.write(bytes);
    if (server.state === 'closed') stream.end();
  });
}

async function startServer(settings: http2.Settings): Promise<number> {
  const server = http2.createServer({ settings });
  servers.push(server);
  server.on('session', (s) => {
    sessions.add(s);
    s.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    if (headers[':method'] === 'CONNECT' && headers[':protocol'] === 'websocket') return websocketEcho(stream, headers);
    stream.respond({ ':status': 200 });
    stream.end(`hello ${String(headers[':path'])}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

let port: number;
let plainPort: number;

beforeAll(async () => {
  port = await startServer({ enableConnectProtocol: true });
  plainPort = await startServer({});
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of sessions) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function connect(to = port): Promise<{ d: SocketDriver; layer: Http2Layer }> {
  const layer = new Http2Layer({ scheme: 'http', authority: `127.0.0.1:${to}`, conn: 'c', ws: nodeWsPlatform });
  const d = new SocketDriver(await connectSocket(to, sockets), layer);
  d.apply(layer.start());
  await d.until(() => !layer.awaitingPreface);
  return { d, layer };
}

function wsUpgrade(d: SocketDriver, path: string, opts: WsUpgradeCommand['opts'] = {}): StreamRef {
  const streamRef = new StreamRef();
  d.command({ type: 'wsUpgrade', streamRef, replyTo: ME, path, headers: [['x-test', '1']], opts });
  return streamRef;
}

const send = (d: SocketDriver, ref: StreamRef, ...frames: WsFrame[]): void => d.command({ type: 'wsSend', streamRef: ref, replyTo: ME, frames });
const code = (m: unknown): unknown => (typeof m === 'object' && m !== null && 'reason' in m ? (m as { reason: { code: string } }).reason.code : m);

describe('Websocket over HTTP/2 extended CONNECT against node:http2 (RFC 8441)', () => {
  it('upgrades on a 200, echoes frames while a GET runs on another stream, and closes the stream after the close handshake (RFC 8441 §5, RFC 6455 §7.1.1)', async () => {
    const { d, layer } = await connect();
    const ws = wsUpgrade(d, '/chat');
    const get = new StreamRef();
    d.command({ type: 'request', streamRef: get, replyTo: ME, method: 'GET', path: '/page', headers: [], body: new Uint8Array(0), function: 'request' });
    expect(await d.next(ws, () => true)).toMatchObject({ type: 'upgrade', conn: 'c', streamRef: ws, protocols: ['websocket'] });
    send(d, ws, { type: 'text', data: 'Hello ✓' }, { type: 'binary', data: Uint8Array.of(1, 2, 3) });
    await d.next(get, (m) => m.type === 'data' && m.fin);
    expect(d.of(get).map((m) => (m.type === 'data' ? latin1Decode(m.data) : '')).join('')).toBe('hello /page');
    await d.until(() => wsFrames(d, ws).length === 2);
    expect(wsFrames(d, ws)).toEqual([{ type: 'text', data: 'Hello ✓' }, { type: 'binary', data: Uint8Array.of(1, 2, 3) }]);
    expect(d.events.map((e) => e.name).filter((n) => n !== 'wsSendFrameStart' && n !== 'wsSendFrameEnd').slice(0, 5)).toEqual(['wsUpgrade', 'requestStart', 'requestHeaders', 'requestEnd', 'requestStart']);
    expect(d.events.find((e) => e.name === 'protocolChanged')?.event).toEqual({ protocol: 'ws', streamRef: ws });

    send(d, ws, { type: 'close', code: 1000 });
    await d.until(() => wsFrames(d, ws).length === 3 && layer.idle);
    expect(wsFrames(d, ws)[2]).toEqual({ type: 'close', code: 1000 });
    // The last frame we wrote: an empty DATA with END_STREAM on the Websocket's stream (id 1),
    // sent only once the server's close frame came back.
    expect([...d.written.at(-1)!.subarray(-9)]).toEqual([0, 0, 0, 0, 0x1, 0, 0, 0, 1]);
    expect(d.directives).toEqual([]);
  });

  it('negotiates permessage-deflate over the stream when compress is set', async () => {
    const { d } = await connect();
    const ws = wsUpgrade(d, '/deflate', { compress: true });
    const up = await d.next(ws, () => true);
    expect(up.type === 'upgrade' ? getHeader(up.headers, 'sec-websocket-extensions') : up.type).toBe('permessage-deflate');
    const text = 'compressible '.repeat(500);
    send(d, ws, { type: 'text', data: text }, { type: 'text', data: text });
    await d.until(() => wsFrames(d, ws).length === 2);
    expect(wsFrames(d, ws)).toEqual([{ type: 'text', data: text }, { type: 'text', data: text }]);
  });

  it('delivers a non-2xx answer as a plain response with its body', async () => {
    const { d, layer } = await connect();
    const ws = wsUpgrade(d, '/deny');
    await d.next(ws, (m) => m.type === 'data' && m.fin);
    expect(d.of(ws)[0]).toMatchObject({ type: 'response', status: 403 });
    expect(layer.idle).toBe(true);
  });

  it('reports a stream the server ends without a close handshake (TUNNEL_ERR_WS_STREAM_ENDED)', async () => {
    const { d, layer } = await connect();
    const ws = wsUpgrade(d, '/abrupt');
    const err = await d.next(ws, (m) => m.type === 'error');
    expect(code(err)).toBe(TunnelErrors.WS_STREAM_ENDED);
    expect(layer.idle).toBe(true);
  });

  it('resets the stream (CANCEL) and reports a subprotocol that was not offered (Gun)', async () => {
    const { d, layer } = await connect();
    const ws = wsUpgrade(d, '/bad-protocol');
    expect(code(await d.next(ws, () => true))).toBe(WsErrors.INVALID_PROTOCOL);
    expect(layer.idle).toBe(true);
  });

  it('refuses wsSend on a plain stream and on an unknown ref', async () => {
    const { d } = await connect();
    const get = new StreamRef();
    d.command({ type: 'request', streamRef: get, replyTo: ME, method: 'GET', path: '/slow', headers: [], body: undefined, function: 'headers' });
    send(d, get, { type: 'text', data: 'x' });
    const unknown = new StreamRef();
    send(d, unknown, { type: 'text', data: 'x' });
    expect([code(d.of(get).at(-1)), code(d.of(unknown)[0])]).toEqual([TunnelErrors.NOT_A_WEBSOCKET, TunnelErrors.STREAM_NOT_FOUND]);
  });

  it('refuses a wsUpgrade when the server did not send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3)', async () => {
    const { d } = await connect(plainPort);
    const ws = wsUpgrade(d, '/chat');
    expect(d.of(ws).map(code)).toEqual([TunnelErrors.CONNECT_PROTOCOL_DISABLED]);
    expect(d.written.length).toBeGreaterThan(0);
  });
});
