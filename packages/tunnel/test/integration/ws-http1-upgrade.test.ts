import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as net from 'node:net';
import { StreamRef, getHeader, latin1Decode } from '@gunhttp/core';
import type { HeaderList, WsFrame } from '@gunhttp/core';
import { computeAccept } from '@gunhttp/websocket';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { Http1Layer, LayerStack, WsHandshakeErrors } from '../../src/index.js';
import type { WsHandlerFrame, WsProtocolHandler, WsUpgradeCommand } from '../../src/index.js';
import { SocketDriver, connectSocket, nodeWsPlatform, wsFrames } from './stack-driver.js';

/*
 * Websocket over HTTP/1.1 (RFC 6455 §4.1; Gun §5.10) against the `ws` server on 127.0.0.1: the
 * stack sends the upgrade, switches to a WsLayer on the 101 and exchanges frames with `ws`.
 */

const ME = 'me';
let server: http.Server;
let wss: WebSocketServer;
let port: number;
const sockets = new Set<net.Socket>();
const serverSockets = new Set<import('node:stream').Duplex>();
const serverSides: WebSocket[] = [];

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('plain'));
  wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: { threshold: 0 },
    handleProtocols: (protocols) => (protocols.has('b') ? 'b' : false),
  });
  wss.on('connection', (ws) => {
    serverSides.push(ws);
    ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
  });
  server.on('upgrade', (req, socket, head) => {
    serverSockets.add(socket);
    socket.on('error', () => undefined);
    if (req.url === '/deny') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\n\r\ndenied');
      return;
    }
    if (req.url === '/bad-accept') {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\nsec-websocket-accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n');
      return;
    }
    if (req.url === '/hello-first') {
      // The 101 and a first message in one write: the frame is the remainder of the 101.
      const accept = computeAccept(String(req.headers['sec-websocket-key']), nodeWsPlatform.sha1);
      socket.write(Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\nsec-websocket-accept: ${accept}\r\n\r\n\x81\x05hello`, 'latin1'));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of serverSockets) s.destroy();
  for (const ws of serverSides) ws.terminate();
  wss.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function upgraded(opts: WsUpgradeCommand['opts'] = {}, path = '/echo', headers: HeaderList = []): Promise<{ d: SocketDriver; stack: LayerStack; ref: StreamRef }> {
  const stack = new LayerStack(new Http1Layer({ authority: `127.0.0.1:${port}`, conn: 'c', ws: nodeWsPlatform }), 'c');
  const d = new SocketDriver(await connectSocket(port, sockets), stack);
  const ref = new StreamRef();
  d.command({ type: 'wsUpgrade', streamRef: ref, replyTo: ME, path, headers, opts });
  await d.next(ref, (m) => m.type !== 'data');
  return { d, stack, ref };
}

const send = (d: SocketDriver, ref: StreamRef, ...frames: WsFrame[]): void => d.command({ type: 'wsSend', streamRef: ref, replyTo: ME, frames });

describe('Websocket upgrade over HTTP/1.1 against ws (RFC 6455 §4.1, Gun §5.10)', () => {
  it('upgrades: an upgrade message with protocols [websocket], then the stack speaks ws', async () => {
    const { d, stack, ref } = await upgraded();
    expect(d.of(ref)[0]).toMatchObject({ type: 'upgrade', conn: 'c', streamRef: ref, protocols: ['websocket'] });
    expect(stack.protocol).toBe('ws');
    expect(stack.openStreams()).toEqual([ref]);
    expect(stack.streamInfo(ref)).toEqual({ ref, replyTo: ME, state: 'running' });
    expect(d.events.map((e) => e.name)).toEqual([
      'wsUpgrade', 'requestStart', 'requestHeaders', 'requestEnd', 'responseStart', 'responseInform', 'protocolChanged',
    ]);
    expect(d.events.find((e) => e.name === 'protocolChanged')?.event).toEqual({ protocol: 'ws', streamRef: ref });
  });

  it('echoes text and binary messages through wsSend', async () => {
    const { d, ref } = await upgraded();
    send(d, ref, { type: 'text', data: 'Hello ✓' }, { type: 'binary', data: Uint8Array.of(0, 1, 255) });
    await d.until(() => wsFrames(d, ref).length === 2);
    expect(wsFrames(d, ref)).toEqual([{ type: 'text', data: 'Hello ✓' }, { type: 'binary', data: Uint8Array.of(0, 1, 255) }]);
  });

  it('negotiates permessage-deflate with compress and sends compressed frames', async () => {
    const { d, ref } = await upgraded({ compress: true });
    const up = d.of(ref)[0];
    expect(up?.type === 'upgrade' ? getHeader(up.headers, 'sec-websocket-extensions') : undefined).toMatch(/^permessage-deflate/);
    const before = d.written.reduce((n, w) => n + w.length, 0);
    const text = 'gunhttp '.repeat(2000);
    send(d, ref, { type: 'text', data: text });
    await d.until(() => wsFrames(d, ref).length === 1);
    expect(wsFrames(d, ref)).toEqual([{ type: 'text', data: text }]);
    const sent = d.written.reduce((n, w) => n + w.length, 0) - before;
    expect(sent).toBeLessThan(text.length / 10);
  });

  it('offers no extension without compress', async () => {
    const { d, ref } = await upgraded();
    const up = d.of(ref)[0];
    expect(up?.type === 'upgrade' ? getHeader(up.headers, 'sec-websocket-extensions') : 'none').toBeUndefined();
  });

  it('runs the handler of the subprotocol the server selected (gun_ws_protocol)', async () => {
    const seen: unknown[] = [];
    const tagging = (tag: string): WsProtocolHandler<null> => ({
      init(replyTo, streamRef, headers, opts) {
        seen.push([tag, replyTo, streamRef instanceof StreamRef, getHeader(headers, 'sec-websocket-protocol'), opts['userOpts'], opts.silencePings]);
        return null;
      },
      handle(frame: WsHandlerFrame, state) {
        return frame.type === 'text' ? { flow: 1, state, deliver: [{ type: 'text', data: `${tag}:${frame.data}` }] } : { flow: 0, state };
      },
    });
    const { d, ref } = await upgraded({ protocols: [['a', tagging('a')], ['b', tagging('b')]], userOpts: 42 });
    expect(seen).toEqual([['b', ME, true, 'b', 42, true]]);
    send(d, ref, { type: 'text', data: 'x' });
    await d.until(() => wsFrames(d, ref).length === 1);
    expect(wsFrames(d, ref)).toEqual([{ type: 'text', data: 'b:x' }]);
  });

  it('closes: our close, the server close, then a normal close directive', async () => {
    const { d, ref } = await upgraded();
    send(d, ref, { type: 'close', code: 1000 });
    await d.until(() => d.directives.some((x) => x.type === 'close'));
    expect(d.directives).toEqual([{ type: 'closing', timeout: 15000 }, { type: 'close', reason: 'normal' }]);
    expect(wsFrames(d, ref)).toEqual([{ type: 'close', code: 1000 }]);
  });

  it('parses frames received with the 101 (the remainder)', async () => {
    const { d, ref } = await upgraded({}, '/hello-first');
    await d.until(() => wsFrames(d, ref).length === 1);
    expect(wsFrames(d, ref)).toEqual([{ type: 'text', data: 'hello' }]);
  });

  it('fails on a wrong sec-websocket-accept: stream error, the connection closes (Gun)', async () => {
    const { d, stack, ref } = await upgraded({}, '/bad-accept');
    const err = d.of(ref)[0];
    expect(err?.type === 'error' ? err.reason.code : err?.type).toBe(WsHandshakeErrors.INVALID_ACCEPT);
    expect(d.directives).toEqual([{ type: 'close', reason: expect.objectContaining({ code: WsHandshakeErrors.INVALID_ACCEPT }) }]);
    expect(stack.protocol).toBe('http');
  });

  it('delivers any other status as a plain response with its body; the connection stays HTTP', async () => {
    const { d, stack, ref } = await upgraded({}, '/deny');
    await d.next(ref, (m) => m.type === 'data' && m.fin);
    const msgs = d.of(ref);
    expect(msgs[0]).toMatchObject({ type: 'response', status: 403, fin: false });
    expect(msgs.map((m) => (m.type === 'data' ? latin1Decode(m.data) : '')).join('')).toBe('denied');
    expect(stack.protocol).toBe('http');
  });
});
