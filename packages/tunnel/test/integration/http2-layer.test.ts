import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { GunError, StreamRef, latin1Decode, latin1Encode } from '@gunhttp/core';
import type { GunMessage } from '@gunhttp/core';
import { Http2Errors } from '@gunhttp/http2';
import type { RequestCommand } from '../../src/commands.js';
import { Http2Layer } from '../../src/layers/http2-layer.js';
import { SocketDriver } from './stack-driver.js';

/*
 * The HTTP/2 layer against node:http2 (h2c on 127.0.0.1): a socket pumps the layer's writes out
 * and the server's bytes in; tests wait on deliveries and directives, never on time.
 */

const ME = 'me';

/** Drives one HTTP/2 layer over one socket (its preface written at once). */
class Driver extends SocketDriver {
  readonly layer: Http2Layer;

  constructor(socket: net.Socket, authority: string) {
    const layer = new Http2Layer({ scheme: 'http', authority, conn: 'c' });
    super(socket, layer);
    this.layer = layer;
    this.apply(layer.start());
  }

  get(path: string, replyTo: unknown = ME): StreamRef {
    const cmd: RequestCommand = { type: 'request', streamRef: new StreamRef(), replyTo, method: 'GET', path, headers: [], body: new Uint8Array(0), function: 'request' };
    this.command(cmd);
    return cmd.streamRef;
  }

  /** Waits for the stream's last message (data or response with fin, trailers or error). */
  async complete(ref: StreamRef): Promise<GunMessage[]> {
    const done = (m: GunMessage): boolean => m.type === 'trailers' || m.type === 'error' || ((m.type === 'data' || m.type === 'response') && m.fin);
    await this.until(() => this.of(ref).some(done));
    return this.of(ref);
  }
}

function body(messages: GunMessage[]): string {
  return messages.map((m) => (m.type === 'data' ? latin1Decode(m.data) : '')).join('');
}

let server: http2.Http2Server;
let port: number;
const sockets = new Set<net.Socket>();
const sessions = new Set<http2.ServerHttp2Session>();
const held: http2.ServerHttp2Stream[] = [];

beforeAll(async () => {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    const path = headers[':path'] ?? '/';
    if (path === '/echo') {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'x-length': String(headers['content-length']) });
        stream.end(Buffer.concat(chunks));
      });
      return;
    }
    if (path === '/trailers') {
      stream.respond({ ':status': 200 }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc' }));
      stream.end('body');
      return;
    }
    if (path === '/push') {
      stream.pushStream({ ':path': '/pushed.css' }, (err, push) => {
        if (err !== null) throw err;
        push.respond({ ':status': 200, 'content-type': 'text/css' });
        push.end('p{}');
        stream.respond({ ':status': 200 });
        stream.end('page');
      });
      return;
    }
    if (path === '/reset') {
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    if (path === '/hold') {
      held.push(stream);
      return;
    }
    if (path === '/goaway') {
      // Stream 1 (/hold) is processed, this one is not: it gets the GOAWAY error.
      stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, 1);
      const first = held.shift();
      first?.respond({ ':status': 200 });
      first?.end('held');
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'text/plain' });
    stream.end(`hello ${path}`);
  });
  server.on('session', (s) => {
    sessions.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of sessions) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function connect(): Promise<Driver> {
  const socket = net.connect(port, '127.0.0.1');
  sockets.add(socket);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return new Driver(socket, `127.0.0.1:${port}`);
}

describe('Http2Layer against node:http2 (h2c)', () => {
  it('runs 100 concurrent GETs on one connection', async () => {
    const d = await connect();
    const refs = Array.from({ length: 100 }, (_, i) => d.get(`/n${i}`));
    const results = await Promise.all(refs.map((r) => d.complete(r)));
    results.forEach((msgs, i) => {
      expect(msgs[0]).toMatchObject({ type: 'response', status: 200, fin: false, headers: expect.arrayContaining([['content-type', 'text/plain']]) });
      expect(body(msgs)).toBe(`hello /n${i}`);
    });
    expect(d.layer.idle).toBe(true);
  });

  it('echoes a POST body of 200000 octets (over the 65535 initial window) with its content-length', async () => {
    const d = await connect();
    const data = new Uint8Array(200000).map((_, i) => 97 + (i % 26));
    const cmd: RequestCommand = { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'POST', path: '/echo', headers: [], body: data, function: 'request' };
    d.command(cmd);
    const msgs = await d.complete(cmd.streamRef);
    expect(msgs[0]).toMatchObject({ type: 'response', status: 200, headers: expect.arrayContaining([['x-length', '200000']]) });
    expect(body(msgs)).toBe(latin1Decode(data));
  });

  it('streams a body through data commands', async () => {
    const d = await connect();
    const cmd: RequestCommand = { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'PUT', path: '/echo', headers: [], body: undefined, function: 'headers' };
    d.command(cmd);
    d.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: false, data: latin1Encode('ab') });
    d.command({ type: 'data', streamRef: cmd.streamRef, replyTo: ME, fin: true, data: latin1Encode('cd') });
    expect(body(await d.complete(cmd.streamRef))).toBe('abcd');
  });

  it('delivers trailers', async () => {
    const d = await connect();
    const ref = d.get('/trailers');
    const msgs = await d.complete(ref);
    expect(msgs.map((m) => m.type)).toEqual(['response', 'data', 'trailers']);
    expect(body(msgs)).toBe('body');
    expect(msgs[2]).toMatchObject({ headers: [['x-checksum', 'abc']] });
  });

  it('delivers a pushed stream (stream.pushStream) to the parent replyTo', async () => {
    const d = await connect();
    const ref = d.get('/push', 'parent');
    await d.complete(ref);
    const push = d.of(ref).find((m) => m.type === 'push');
    expect(push).toMatchObject({ method: 'GET', uri: `http://127.0.0.1:${port}/pushed.css` });
    const pushed = push?.type === 'push' ? push.newStreamRef : new StreamRef();
    const msgs = await d.complete(pushed);
    expect(msgs[0]).toMatchObject({ type: 'response', status: 200, headers: expect.arrayContaining([['content-type', 'text/css']]) });
    expect(body(msgs)).toBe('p{}');
    expect(new Set(d.deliveries.map((x) => x.replyTo))).toEqual(new Set(['parent']));
  });

  it('turns a server RST_STREAM into a stream error; the connection keeps working', async () => {
    const d = await connect();
    const ref = d.get('/reset');
    const msgs = await d.complete(ref);
    const last = msgs.at(-1);
    expect(last?.type === 'error' ? [last.reason.code, last.reason.h2Code] : undefined).toEqual([Http2Errors.STREAM_RESET, 'REFUSED_STREAM']);
    expect(body(await d.complete(d.get('/after')))).toBe('hello /after');
  });

  it('handles a server GOAWAY: the unprocessed stream fails, the processed one finishes, then close', async () => {
    const d = await connect();
    const kept = d.get('/hold');
    const dropped = d.get('/goaway');
    const droppedMsgs = await d.complete(dropped);
    const err = droppedMsgs.at(-1);
    expect(err?.type === 'error' ? err.reason.code : undefined).toBe(Http2Errors.GOAWAY);
    expect(body(await d.complete(kept))).toBe('held');
    await d.until(() => d.directives.some((x) => x.type === 'close'));
    expect(d.directives).toEqual([{ type: 'closing', timeout: 15000 }, { type: 'close', reason: 'normal' }]);
  });

  it('gets a pingAck notify for a user ping', async () => {
    const d = await connect();
    const pingRef = new StreamRef();
    d.command({ type: 'ping', pingRef, replyTo: 'pinger' });
    await d.until(() => d.deliveries.some((x) => x.message.type === 'notify'));
    expect(d.deliveries).toEqual([{ replyTo: 'pinger', message: { type: 'notify', conn: 'c', kind: 'pingAck', pingRef } }]);
  });

  it('shuts down gracefully: GOAWAY, then close once the stream finished', async () => {
    const d = await connect();
    const ref = d.get('/x');
    d.command({ type: 'shutdown', reason: 'shutdown' });
    expect(body(await d.complete(ref))).toBe('hello /x');
    await d.until(() => d.directives.some((x) => x.type === 'close'));
    expect(d.directives.at(-1)).toEqual({ type: 'close', reason: 'normal' });
    expect(d.deliveries.some((x) => x.message.type === 'error' && x.message.reason instanceof GunError)).toBe(false);
  });
});
