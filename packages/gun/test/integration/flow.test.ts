import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { StreamRef } from '@gunhttp/core';
import type { ConnMessage, Connection } from '../../src/index.js';
import { connectTo, text } from '../support/helpers.js';
import { startWsOrigin } from '../support/ws-origin.js';
import type { WsOrigin } from '../support/ws-origin.js';

/*
 * Gun's message-count flow control on HTTP/1.1, Websocket and raw (Gun §5.9, flow_SUITE, raw_SUITE
 * *_with_flow_control) against node:http and `ws` servers on 127.0.0.1: once a stream has
 * delivered `flow` messages the connection stops reading its socket, so the server's writes back
 * up, until `updateFlow` raises the flow. The server sends each piece when the test says so, so
 * what the client could have read is known; "nothing more arrives" is checked over QUIET ms.
 */

const QUIET = 150;
const MiB = 1024 * 1024;
const CUSTOM_101 = 'HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: custom/1.0\r\n\r\n';

/** A node:http origin: `/push` hands its response to the test; `/big?mib=N` streams N MiB; Upgrade custom/1.0 hands over the socket. */
interface FlowOrigin {
  readonly port: number;
  nextResponse(): Promise<http.ServerResponse>;
  nextRawSocket(): Promise<Duplex>;
  readonly big: BigBody;
  close(): Promise<void>;
}

/** What the `/big` handler did: octets written, and whether a write waits for `drain`. */
interface BigBody {
  written: number;
  waitingForDrain: boolean;
  drains: number;
}

function queue<T>(): { push(v: T): void; next(): Promise<T> } {
  const items: T[] = [];
  const waiters: Array<(v: T) => void> = [];
  return {
    push: (v) => (waiters.length > 0 ? waiters.shift()?.(v) : items.push(v)),
    next: () => (items.length > 0 ? Promise.resolve(items.shift() as T) : new Promise((resolve) => waiters.push(resolve))),
  };
}

async function startFlowOrigin(): Promise<FlowOrigin> {
  const responses = queue<http.ServerResponse>();
  const rawSockets = queue<Duplex>();
  const big: BigBody = { written: 0, waitingForDrain: false, drains: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/big') {
      const total = Number(url.searchParams.get('mib')) * MiB;
      res.writeHead(200, { 'content-length': String(total) });
      streamBig(res, total, big);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.flushHeaders();
    responses.push(res);
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (_req, socket: Duplex) => {
    upgraded.add(socket);
    socket.write(CUSTOM_101);
    rawSockets.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    nextResponse: responses.next,
    nextRawSocket: rawSockets.next,
    big,
    close: () => {
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Where `/big` writes: a node:http response or a node:http2 stream. */
interface BodySink {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): unknown;
}

/** Writes `total` octets of one reused 1 MiB block, waiting for `drain` whenever a write says to. */
function streamBig(sink: BodySink, total: number, big: BigBody): void {
  const block = Buffer.alloc(MiB, 0x61);
  Object.assign(big, { written: 0, waitingForDrain: false, drains: 0 });
  const pump = (): void => {
    while (big.written < total) {
      const piece = Math.min(MiB, total - big.written);
      big.written += piece;
      if (!sink.write(piece === MiB ? block : block.subarray(0, piece))) {
        big.waitingForDrain = true;
        sink.once('drain', () => {
          big.waitingForDrain = false;
          big.drains++;
          pump();
        });
        return;
      }
    }
    sink.end();
  };
  pump();
}

/** A node:http2 h2c origin whose every stream is `/big?mib=N`. */
async function startH2BigOrigin(): Promise<{ port: number; big: BigBody; close(): Promise<void> }> {
  const big: BigBody = { written: 0, waitingForDrain: false, drains: 0 };
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createServer();
  server.on('session', (session) => sessions.add(session));
  server.on('stream', (stream, headers) => {
    const total = Number(new URL(headers[':path'] ?? '/', 'http://x').searchParams.get('mib')) * MiB;
    stream.respond({ ':status': 200, 'content-length': String(total) });
    streamBig(stream, total, big);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    big,
    close: () => {
      for (const session of sessions) session.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes on the server side and resolves once the octets are handed to the kernel. */
function send(to: { write(chunk: string, cb: () => void): unknown }, chunk: string): Promise<void> {
  return new Promise((resolve) => to.write(chunk, () => resolve()));
}

const quiet = (ms = QUIET): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const forStream = (ref: StreamRef, type: ConnMessage['type']) => (m: ConnMessage): boolean => m.type === type && 'streamRef' in m && m.streamRef === ref;
const paused = (conn: Connection): boolean | undefined => conn.info().socket?.isPaused();

async function nextData(conn: Connection, ref: StreamRef): Promise<Extract<ConnMessage, { type: 'data' }>> {
  const m = await conn.owner.receive(forStream(ref, 'data'), { timeout: 5000 });
  if (m.type !== 'data') throw new Error(m.type);
  return m;
}

/** Takes the data messages already queued for `ref`. */
function queuedData(conn: Connection, ref: StreamRef): string[] {
  const got: string[] = [];
  for (let m = conn.owner.poll(forStream(ref, 'data')); m !== undefined; m = conn.owner.poll(forStream(ref, 'data'))) {
    if (m.type === 'data') got.push(text(m.data));
  }
  return got;
}

/** Sends `chunk` while the stream's flow is spent: nothing arrives for it during a quiet time. */
async function expectHeld(conn: Connection, ref: StreamRef, res: Parameters<typeof send>[0], chunk: string): Promise<void> {
  await send(res, chunk);
  await quiet();
  expect(queuedData(conn, ref)).toEqual([]);
}

let origin: FlowOrigin;
let h2Origin: BigOrigin & { close(): Promise<void> };
let wsOrigin: WsOrigin;
const conns: Connection[] = [];

beforeAll(async () => {
  [origin, h2Origin, wsOrigin] = await Promise.all([startFlowOrigin(), startH2BigOrigin(), startWsOrigin()]);
});
afterEach(() => {
  for (const c of conns.splice(0)) c.close();
});
afterAll(() => Promise.all([origin.close(), h2Origin.close(), wsOrigin.close()]));

async function connect(port: number): Promise<Connection> {
  const conn = await connectTo(port);
  conns.push(conn);
  return conn;
}

describe('HTTP/1.1 flow (flow_SUITE flow_http, Gun §5.9)', () => {
  it('flow 1: one data message, then nothing until updateFlow; updateFlow(2) lets exactly two more through', async () => {
    const conn = await connect(origin.port);
    const ref = conn.get('/push', [], { flow: 1 });
    const res = await origin.nextResponse();
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200, fin: false });
    await send(res, 'a');
    expect(text((await nextData(conn, ref)).data)).toBe('a');
    expect(paused(conn)).toBe(true);
    await expectHeld(conn, ref, res, 'b');
    conn.updateFlow(ref, 2);
    expect(text((await nextData(conn, ref)).data)).toBe('b');
    expect(paused(conn)).toBe(false);
    await send(res, 'c');
    expect(text((await nextData(conn, ref)).data)).toBe('c');
    expect(paused(conn)).toBe(true);
    await expectHeld(conn, ref, res, 'd');
    conn.updateFlow(ref, 100);
    res.end('e');
    let rest = '';
    for (let m = await nextData(conn, ref); ; m = await nextData(conn, ref)) {
      rest += text(m.data);
      if (m.fin) break;
    }
    expect(rest).toBe('de');
    expect(paused(conn)).toBe(false);
  });

  it('httpOpts.flow is the default of every request (flow_SUITE default_flow_http)', async () => {
    const conn = await connectTo(origin.port, { httpOpts: { flow: 1 } });
    conns.push(conn);
    const ref = conn.get('/push');
    const res = await origin.nextResponse();
    await conn.await(ref);
    await send(res, 'a');
    expect(text((await nextData(conn, ref)).data)).toBe('a');
    expect(paused(conn)).toBe(true);
    await expectHeld(conn, ref, res, 'b');
    conn.updateFlow(ref, 1);
    expect(text((await nextData(conn, ref)).data)).toBe('b');
    res.end();
    conn.updateFlow(ref, 1);
    expect((await nextData(conn, ref)).fin).toBe(true);
  });

  it('without flow, updateFlow is ignored and reading never pauses (flow_SUITE no_flow_http)', async () => {
    const conn = await connect(origin.port);
    const ref = conn.get('/push');
    const res = await origin.nextResponse();
    await conn.await(ref);
    conn.updateFlow(ref, 1);
    for (const piece of ['a', 'b', 'c']) {
      await send(res, piece);
      expect(text((await nextData(conn, ref)).data)).toBe(piece);
    }
    expect(paused(conn)).toBe(false);
    res.end();
    expect((await nextData(conn, ref)).fin).toBe(true);
  });
});

describe('Websocket flow (flow_SUITE flow_ws)', () => {
  async function frame(conn: Connection, ref: StreamRef): Promise<string> {
    const m = await conn.owner.receive(forStream(ref, 'ws'), { timeout: 5000 });
    if (m.type !== 'ws' || m.frame.type !== 'text') throw new Error(m.type);
    return m.frame.data;
  }

  it('flow 1: one message, then nothing until updateFlow on the upgrade stream', async () => {
    const conn = await connect(wsOrigin.port);
    const ref = conn.wsUpgrade('/push', [], { flow: 1 });
    expect(await conn.await(ref)).toMatchObject({ type: 'upgrade' });
    const server = wsOrigin.latestSocket();
    await send({ write: (c, cb) => server.send(c, cb) }, 'one');
    expect(await frame(conn, ref)).toBe('one');
    expect(paused(conn)).toBe(true);
    await send({ write: (c, cb) => server.send(c, cb) }, 'two');
    await quiet();
    expect(conn.owner.poll(forStream(ref, 'ws'))).toBeUndefined();
    conn.updateFlow(ref, 1);
    expect(await frame(conn, ref)).toBe('two');
    expect(paused(conn)).toBe(true);
  });
});

describe('raw flow after an HTTP/1.1 upgrade (raw_SUITE *_with_flow_control, Gun §5.16)', () => {
  it("counts received chunks against the upgrade request's flow and resumes on updateFlow", async () => {
    const conn = await connect(origin.port);
    const ref = conn.get('/', [['connection', 'upgrade'], ['upgrade', 'custom/1.0']], { flow: 1 });
    const socket = await origin.nextRawSocket();
    expect(await conn.await(ref)).toMatchObject({ type: 'upgrade', protocols: ['custom/1.0'] });
    await send(socket, 'first');
    expect(text((await nextData(conn, ref)).data)).toBe('first');
    expect(paused(conn)).toBe(true);
    await send(socket, 'second');
    await quiet();
    expect(queuedData(conn, ref)).toEqual([]);
    conn.updateFlow(ref, 1);
    expect(text((await nextData(conn, ref)).data)).toBe('second');
    expect(conn.info().protocol).toBe('raw');
  });
});

type BigOrigin = Pick<FlowOrigin, 'port' | 'big'>;

describe.each([
  // HTTP/1.1 stops reading the socket; HTTP/2 reads on (other streams go on) but withholds the stream's window.
  { name: 'HTTP/1.1', options: {}, server: (): BigOrigin => origin, pausesSocket: true },
  { name: 'h2c', options: { protocols: ['http2' as const] }, server: (): BigOrigin => h2Origin, pausesSocket: false },
])('a 1 GiB download with flow 1 over $name keeps memory bounded (issue 8)', ({ options, server, pausesSocket }) => {
  const TOTAL = 1024 * MiB;
  const BOUND = 64 * MiB;

  /** Resolves once the server's latest write has waited `QUIET` ms for a `drain` that did not come. */
  async function serverBlocked(big: BigBody): Promise<void> {
    for (;;) {
      const drains = big.drains;
      await quiet();
      if (big.waitingForDrain && big.drains === drains) return;
    }
  }

  it('holds the server back while the user does not read, then delivers every octet one updateFlow per message', async () => {
    const { port, big } = server();
    const conn = await connectTo(port, options);
    conns.push(conn);
    const before = process.memoryUsage();
    const ref = conn.get(`/big?mib=${TOTAL / MiB}`, [], { flow: 1 });
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200, fin: false });
    let m = await nextData(conn, ref);
    expect(paused(conn)).toBe(pausesSocket);
    await serverBlocked(big);
    const held = process.memoryUsage();
    expect(big.written).toBeLessThan(BOUND);
    expect(held.arrayBuffers - before.arrayBuffers).toBeLessThan(BOUND);
    expect(held.rss - before.rss).toBeLessThan(BOUND);
    let received = m.data.length;
    let messages = 1;
    let peak = held.arrayBuffers;
    while (!m.fin) {
      conn.updateFlow(ref, 1);
      m = await nextData(conn, ref);
      received += m.data.length;
      if (++messages % 512 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }
    expect(received).toBe(TOTAL);
    // Reading on does not accumulate the body either (the bound leaves room for garbage not yet collected).
    expect(peak - before.arrayBuffers).toBeLessThan(4 * BOUND);
  }, 60000);
});
