import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { HeaderList } from '@gunhttp/core';
import { Http2ClientConnection, type Http2Event } from '../../src/index.js';

/** Pumps bytes between a TCP socket and the codec; consumes DATA as it arrives. */
class Pump {
  readonly events: Http2Event[] = [];
  private waiters: Array<() => void> = [];

  constructor(private readonly socket: net.Socket, readonly h2: Http2ClientConnection) {
    socket.on('data', (chunk: Buffer) => {
      for (const e of h2.receive(chunk)) {
        if (e.type === 'data') h2.consumed(e.streamId, e.data.length);
        this.events.push(e);
      }
      this.flush();
      for (const w of this.waiters.splice(0)) w();
    });
  }

  flush(): void {
    for (const c of this.h2.takeOutput()) this.socket.write(c);
  }

  /** Resolves with the events of a stream once it ended (END_STREAM, trailers, reset or error). */
  async stream(id: number): Promise<Http2Event[]> {
    const done = (): boolean => this.events.some((e) => 'streamId' in e && e.streamId === id && (
      ((e.type === 'data' || e.type === 'response') && e.endStream) || e.type === 'trailers' || e.type === 'rstStream' || e.type === 'streamError'));
    while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.events.filter((e) => 'streamId' in e && e.streamId === id);
  }
}

function body(events: Http2Event[]): number {
  return events.reduce((n, e) => n + (e.type === 'data' ? e.data.length : 0), 0);
}

const FIVE_MIB = 5 * 1024 * 1024;

describe('integration: Http2ClientConnection against node:http2 (h2c, 127.0.0.1)', () => {
  let server: http2.Http2Server;
  let socket: net.Socket;
  let pump: Pump;
  let authority: string;

  beforeAll(async () => {
    server = http2.createServer();
    server.on('stream', (stream, headers) => {
      stream.on('error', () => undefined); // closing with REFUSED_STREAM emits an error server-side
      const path = headers[':path'];
      if (path === '/hello') {
        stream.respond({ ':status': 200, 'content-type': 'text/plain' });
        stream.end('hello');
      } else if (path === '/echo-length') {
        let n = 0;
        stream.on('data', (c: Buffer) => { n += c.length; });
        stream.on('end', () => {
          stream.respond({ ':status': 200 });
          stream.end(String(n));
        });
      } else if (path === '/big') {
        stream.respond({ ':status': 200, 'content-length': String(FIVE_MIB) });
        stream.end(Buffer.alloc(FIVE_MIB, 0x61));
      } else if (path === '/trailers') {
        stream.respond({ ':status': 200 }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc' }));
        stream.end('body');
      } else {
        stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    authority = `127.0.0.1:${port}`;
    socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const h2 = new Http2ClientConnection();
    pump = new Pump(socket, h2);
    h2.start();
    pump.flush();
  });

  afterAll(async () => {
    socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function req(method: string, path: string): HeaderList {
    return [[':method', method], [':scheme', 'http'], [':authority', authority], [':path', path]];
  }

  it('GET: response head and body', async () => {
    const id = pump.h2.request(req('GET', '/hello'), { endStream: true });
    pump.flush();
    const events = await pump.stream(id);
    expect(events[0]).toMatchObject({ type: 'response', status: 200 });
    const text = Buffer.concat(events.flatMap((e) => (e.type === 'data' ? [e.data] : []))).toString();
    expect(text).toBe('hello');
  });

  it('POST with a body larger than the server initial window (65535)', async () => {
    const id = pump.h2.request(req('POST', '/echo-length'));
    pump.h2.sendData(id, new Uint8Array(300000), { endStream: true });
    pump.flush();
    const events = await pump.stream(id);
    const text = Buffer.concat(events.flatMap((e) => (e.type === 'data' ? [e.data] : []))).toString();
    expect(text).toBe('300000');
  });

  it('downloads 5 MiB', async () => {
    const id = pump.h2.request(req('GET', '/big'), { endStream: true });
    pump.flush();
    const events = await pump.stream(id);
    expect(body(events)).toBe(FIVE_MIB);
  });

  it('receives trailers', async () => {
    const id = pump.h2.request(req('GET', '/trailers'), { endStream: true });
    pump.flush();
    const events = await pump.stream(id);
    expect(events.at(-1)).toEqual({ type: 'trailers', streamId: id, headers: [['x-checksum', 'abc']] });
  });

  it('reports RST_STREAM from the server', async () => {
    const id = pump.h2.request(req('GET', '/reset'), { endStream: true });
    pump.flush();
    const events = await pump.stream(id);
    expect(events.at(-1)).toMatchObject({ type: 'rstStream', errorCode: 7 });
  });

  it('pings the server with its own payload', async () => {
    pump.h2.ping(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    pump.flush();
    while (!pump.events.some((e) => e.type === 'pingAck')) await new Promise((r) => setImmediate(r));
    expect(pump.events.find((e) => e.type === 'pingAck')).toEqual({ type: 'pingAck', opaque: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) });
  });
});
