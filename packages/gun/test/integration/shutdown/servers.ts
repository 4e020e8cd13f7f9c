import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import { HpackEncoder, serializeFrame } from '@gunhttp/http2';
import type { FrameInput } from '@gunhttp/http2';
import { startRawOrigin } from '@gunhttp/testkit';
import type { RawOrigin } from '@gunhttp/testkit';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Connection } from '../../../src/index.js';

/*
 * The servers of Gun's shutdown_SUITE, on 127.0.0.1 with port 0. Gun's `/delayed` handlers sleep
 * 500 ms; here a delayed response is held until the test releases it, so nothing depends on time.
 */

/** A queue of values that tests take in arrival order. */
class Arrivals<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(item: T) => void> = [];

  push(item: T): void {
    const w = this.waiting.shift();
    if (w !== undefined) w(item);
    else this.items.push(item);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** Something that ends once the test releases it. */
export interface Held {
  release(): void;
}

/**
 * A node:http server: `/` hello, `/delayed` held, `/close` hello with `connection: close`,
 * `/close-delayed-body`, `/close-empty` (204 with `connection: close`: no body).
 */
export interface H1Server {
  readonly port: number;
  /** The next request that reached a held route (in arrival order). */
  nextHeld(): Promise<Held>;
  close(): Promise<void>;
}

const HELLO = 'Hello world!';

export async function startH1Server(): Promise<H1Server> {
  const held = new Arrivals<Held>();
  const server = http.createServer((req, res) => {
    switch (req.url) {
      case '/delayed':
        held.push({ release: () => res.end(HELLO) });
        return;
      case '/close':
        res.setHeader('connection', 'close');
        res.end(HELLO);
        return;
      case '/close-empty':
        res.writeHead(204, { connection: 'close' });
        res.end();
        return;
      case '/close-delayed-body':
        // The head and half of the body now, the rest once released (Gun's delayed body).
        res.writeHead(200, { 'connection': 'close', 'content-length': String(HELLO.length) });
        res.write(HELLO.slice(0, 5));
        held.push({ release: () => res.end(HELLO.slice(5)) });
        return;
      default:
        res.end(HELLO);
    }
  });
  return { ...(await listen(server)), nextHeld: () => held.next() };
}

/** A node:http2 (h2c) server recording what each session saw. */
export interface H2Server {
  readonly port: number;
  nextHeld(): Promise<Held>;
  /** The GOAWAY codes the server received, per session (in order). */
  readonly goaways: number[];
  /** Resolves with the code of the first GOAWAY the server receives. */
  readonly goaway: Promise<number>;
  close(): Promise<void>;
}

/** `/` hello, `/delayed` held until released. */
export async function startH2Server(): Promise<H2Server> {
  const held = new Arrivals<Held>();
  const goaways: number[] = [];
  let firstGoaway!: (code: number) => void;
  const goaway = new Promise<number>((resolve) => (firstGoaway = resolve));
  const server = http2.createServer();
  server.on('session', (session) => {
    session.on('error', () => undefined);
    session.on('goaway', (code) => {
      goaways.push(code);
      firstGoaway(code);
    });
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    const path = headers[':path'];
    if (path === '/delayed') {
      held.push({
        release: () => {
          stream.respond({ ':status': 200 });
          stream.end(HELLO);
        },
      });
    } else {
      stream.respond({ ':status': 200 });
      stream.end(HELLO);
    }
  });
  const base = await listen(server);
  return { ...base, nextHeld: () => held.next(), goaways, goaway };
}

/** The frames a client sent (the bytes after the 24-octet preface magic), RFC 9113 §4.1. */
export function framesSent(bytes: Uint8Array): Array<{ type: number; streamId: number; payload: Buffer }> {
  const all = Buffer.from(bytes);
  const frames = [];
  for (let at = PREFACE_LENGTH; at + 9 <= all.length;) {
    const length = all.readUIntBE(at, 3);
    if (at + 9 + length > all.length) break;
    frames.push({ type: all[at + 3]!, streamId: all.readUInt32BE(at + 5) & 0x7fffffff, payload: all.subarray(at + 9, at + 9 + length) });
    at += 9 + length;
  }
  return frames;
}

const PREFACE_LENGTH = 24;
const FRAME = { headers: 0x1, rstStream: 0x3, goAway: 0x7 } as const;

/** A scripted HTTP/2 server (Gun's init_origin in the server GOAWAY cases): it writes exact frames. */
export interface ScriptedH2Server {
  readonly port: number;
  /** Resolves once the server's frames of interest are sent; `release` sends the rest. */
  readonly sent: Promise<Held>;
  /** The GOAWAY error codes the client sent. */
  clientGoAways(): number[];
  /** The RST_STREAM frames the client sent: stream id and error code. */
  clientResets(): Array<{ streamId: number; errorCode: number }>;
  /** Resolves when the client closed the connection (all its bytes are in). */
  clientClosed(): Promise<void>;
  close(): Promise<void>;
}

async function scripted(onClientFrames: (origin: RawOrigin, socket: Socket, send: (...f: FrameInput[]) => void) => Held | undefined): Promise<ScriptedH2Server> {
  let sentResolve!: (h: Held) => void;
  const sent = new Promise<Held>((resolve) => (sentResolve = resolve));
  let done = false;
  const origin: RawOrigin = await startRawOrigin((socket) => {
    const send = (...frames: FrameInput[]): void => {
      for (const f of frames) socket.write(serializeFrame(f));
    };
    send({ type: 'settings' }, { type: 'settings', ack: true });
    const check = (): void => {
      if (done) return;
      const held = onClientFrames(origin, socket, send);
      if (held === undefined) return;
      done = true;
      sentResolve(held);
    };
    socket.on('data', check);
    check();
  });
  const frames = (type: number) => framesSent(origin.received()).filter((f) => f.type === type);
  return {
    port: origin.port,
    sent,
    clientGoAways: () => frames(FRAME.goAway).map((f) => f.payload.readUInt32BE(4)),
    clientResets: () => frames(FRAME.rstStream).map((f) => ({ streamId: f.streamId, errorCode: f.payload.readUInt32BE(0) })),
    clientClosed: () => {
      const socket = origin.sockets[0];
      if (socket === undefined || socket.readableEnded || socket.destroyed) return Promise.resolve();
      return new Promise((resolve) => socket.once('close', () => resolve()));
    },
    close: () => origin.close(),
  };
}

/**
 * Gun's http2_server_goaway_*: once the client opened `streams` streams (none: at once) the server
 * sends GOAWAY(NO_ERROR, last stream id); `release` then answers each with `:status 200` and END_STREAM.
 */
export function startGoawayServer(streams: number): Promise<ScriptedH2Server> {
  const hpack = new HpackEncoder();
  return scripted((origin, _socket, send) => {
    const ids = framesSent(origin.received()).filter((f) => f.type === FRAME.headers).map((f) => f.streamId);
    if (ids.length < streams) return undefined;
    send({ type: 'goAway', lastStreamId: ids.at(-1) ?? 0, errorCode: 0 });
    return { release: () => ids.forEach((id) => send({ type: 'headers', streamId: id, endStream: true, fragment: hpack.encode([[':status', '200']]) })) };
  });
}

/**
 * Gun's delayed_push_h after our GOAWAY: once the client sent its request (stream 1) and then its
 * GOAWAY, the server promises `/pushed` on stream 2 (with the pushed response), then answers stream 1.
 */
export function startLatePushServer(): Promise<ScriptedH2Server> {
  const hpack = new HpackEncoder();
  return scripted((origin, _socket, send) => {
    const frames = framesSent(origin.received());
    if (!frames.some((f) => f.type === FRAME.headers) || !frames.some((f) => f.type === FRAME.goAway)) return undefined;
    const authority = `127.0.0.1:${origin.port}`;
    send(
      { type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: hpack.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', authority], [':path', '/pushed']]) },
      { type: 'headers', streamId: 2, fragment: hpack.encode([[':status', '200']]) },
      { type: 'data', streamId: 2, endStream: true, data: Buffer.from('Pushed!') },
      { type: 'headers', streamId: 1, fragment: hpack.encode([[':status', '200']]) },
      { type: 'data', streamId: 1, endStream: true, data: Buffer.from(HELLO) },
    );
    return { release: () => undefined };
  });
}

/** A `ws` server: `/ws` echoes; `/ws_frozen` stops reading until released (no answer to our close). */
export interface WsServer {
  readonly port: number;
  /** The next Websocket accepted: its close code as the server saw it, and its frozen socket's release. */
  nextSocket(): Promise<{ ws: WebSocket; closeCode: Promise<number>; release: () => void }>;
  close(): Promise<void>;
}

export async function startWsServer(): Promise<WsServer> {
  const accepted = new Arrivals<{ ws: WebSocket; closeCode: Promise<number>; release: () => void }>();
  const server = http.createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ noServer: true });
  const all: WebSocket[] = [];
  server.on('upgrade', (req, socket: Socket, head) => {
    socket.on('error', () => undefined);
    wss.handleUpgrade(req, socket, head, (ws) => {
      all.push(ws);
      const closeCode = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
      if (req.url === '/ws_timeout_close') ws.close(3333);
      // Gun's ws_frozen: the server reads nothing (so does not answer our close) until released.
      if (req.url === '/ws_frozen') socket.pause();
      accepted.push({ ws, closeCode, release: () => socket.resume() });
    });
  });
  const base = await listen(server);
  return {
    ...base,
    nextSocket: () => accepted.next(),
    close: async () => {
      for (const ws of all) ws.terminate();
      wss.close();
      await base.close();
    },
  };
}

async function listen(server: http.Server | http2.Http2Server): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (for the not-connected cases). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The suite's per-test set-up: a fresh server before each test (`started` gets it); after each,
 * the connections the test pushed on `conns` are closed, then the server.
 */
export function serverPerTest<S extends { close(): Promise<void> }>(start: () => Promise<S>, started: (server: S) => void, conns: Connection[]): void {
  let server: S | undefined;
  beforeEach(async () => {
    server = await start();
    started(server);
  });
  afterEach(async () => {
    for (const c of conns.splice(0)) c.close();
    await server?.close();
  });
}
