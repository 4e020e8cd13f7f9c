/**
 * A real peer: the `ws` npm package as a server on 127.0.0.1 with permessage-deflate, spoken to
 * over a plain net.Socket with our handshake helpers and WebSocketConnection.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import {
  buildExtensionOffer, checkAccept, generateKey, parseExtensionResponse, upgradeRequestHeaders, WebSocketConnection,
} from '../../src/index.js';
import type { DeflateOffer, PerMessageDeflate, WsEvent } from '../../src/index.js';
import { nodeDeflate } from '../support/node-deflate.js';

const sha1 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha1').update(b).digest());
const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

let wss: WebSocketServer;
let port: number;

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
  wss.on('connection', (peer) => {
    peer.on('message', (data, isBinary) => peer.send(data as Buffer, { binary: isBinary }));
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  port = (wss.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

/** Drives a WebSocketConnection over a socket: events are queued and awaited one by one. */
class Peer {
  private events: WsEvent[] = [];
  private waiting: (() => void) | null = null;
  constructor(readonly socket: Socket, readonly ws: WebSocketConnection, leftover: Uint8Array, readonly inflated: number[] = []) {
    socket.on('data', (chunk) => this.feed(new Uint8Array(chunk)));
    socket.on('end', () => this.push(ws.receiveEof()));
    this.feed(leftover);
  }
  private feed(chunk: Uint8Array): void {
    this.push(this.ws.receive(chunk));
    this.flush();
  }
  private push(events: WsEvent[]): void {
    this.events.push(...events);
    this.waiting?.();
  }
  flush(): void {
    for (const out of this.ws.takeOutput()) this.socket.write(out);
  }
  send(frame: Parameters<WebSocketConnection['send']>[0]): void {
    expect(this.ws.send(frame)).toBe(true);
    this.flush();
  }
  async next(): Promise<WsEvent> {
    while (this.events.length === 0) await new Promise<void>((resolve) => { this.waiting = resolve; });
    this.waiting = null;
    return this.events.shift()!;
  }
}

async function open(offer: DeflateOffer | null): Promise<Peer> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const key = generateKey(random);
  const headers = upgradeRequestHeaders(offer === null ? { key } : { key, extensions: buildExtensionOffer(offer) });
  socket.write(`GET / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1');
  let buffered = Buffer.alloc(0);
  for (;;) {
    const chunk: Buffer = await new Promise((resolve) => socket.once('data', resolve));
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.includes('\r\n\r\n')) break;
  }
  socket.pause();
  const end = buffered.indexOf('\r\n\r\n');
  const [status, ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n');
  expect(status).toMatch(/^HTTP\/1\.1 101 /);
  const fields = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  expect(checkAccept(key, fields.get('sec-websocket-accept'), sha1)).toBe(true);
  const negotiation = parseExtensionResponse(fields.get('sec-websocket-extensions'), offer);
  let ws: WebSocketConnection;
  let codec: PerMessageDeflate | undefined;
  if (negotiation.kind === 'deflate') {
    const base = nodeDeflate(negotiation.params, 'client');
    const inflated: number[] = [];
    codec = { ...base, decompress: (d, fin, max) => { const r = base.decompress(d, fin, max); if (fin && r instanceof Uint8Array) inflated.push(r.length); return r; } };
    ws = new WebSocketConnection({ role: 'client', maskKey: () => random(4), extensions: { permessageDeflate: { params: negotiation.params, codec } } });
    const peer = new Peer(socket, ws, new Uint8Array(buffered.subarray(end + 4)), inflated);
    socket.resume();
    return peer;
  }
  expect(negotiation.kind).toBe(offer === null ? 'none' : 'deflate');
  ws = new WebSocketConnection({ role: 'client', maskKey: () => random(4) });
  const peer = new Peer(socket, ws, new Uint8Array(buffered.subarray(end + 4)));
  socket.resume();
  return peer;
}

async function echoAndClose(peer: Peer): Promise<void> {
  const big = new Uint8Array(200000).map((_, i) => i % 251);
  for (const text of ['hello', 'hello', 'κόσμε 🌍', '']) {
    peer.send({ type: 'text', data: text });
    expect(await peer.next()).toEqual({ type: 'text', data: text });
  }
  peer.send({ type: 'binary', data: big });
  expect(await peer.next()).toEqual({ type: 'binary', data: big });
  peer.send({ type: 'ping', data: Uint8Array.of(1, 2, 3) });
  expect(await peer.next()).toEqual({ type: 'pong', data: Uint8Array.of(1, 2, 3) });
  peer.send({ type: 'close', code: 4001, reason: 'done' });
  expect(peer.ws.state).toBe('closing');
  expect(await peer.next()).toEqual({ type: 'close', code: 4001, reason: 'done' });
  expect(peer.ws.state).toBe('closed');
  peer.socket.destroy();
}

describe('integration with the ws server', () => {
  it('echoes text, binary and ping, and completes a close handshake without compression', async () => {
    await echoAndClose(await open(null));
  });

  it("negotiates Gun's permessage-deflate offer and echoes compressed messages with context takeover", async () => {
    const peer = await open({ clientMaxWindowBits: true, serverMaxWindowBits: 15 });
    await echoAndClose(peer);
    expect(peer.inflated).toEqual([5, 5, new TextEncoder().encode('κόσμε 🌍').length, 0, 200000]);
  });

  it('echoes compressed messages with no context takeover both ways and small windows', async () => {
    const peer = await open({ clientNoContextTakeover: true, serverNoContextTakeover: true, clientMaxWindowBits: 9, serverMaxWindowBits: 10 });
    await echoAndClose(peer);
    expect(peer.inflated).toHaveLength(5);
  });
});
