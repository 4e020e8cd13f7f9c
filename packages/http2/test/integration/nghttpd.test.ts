import * as net from 'node:net';
import * as tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { HeaderList } from '@gunhttp/core';
import { getTestPki, patternBytes, requirePeer, startNghttpd, type NghttpdPeer } from '@gunhttp/testkit';
import { Http2ClientConnection, type Http2ConnectionOptions, type Http2Event } from '../../src/index.js';
import { parseOutput } from '../helpers.js';

/*
 * Pairing with nghttpd (Debian nghttp2-server, PEERS.md) over a real TCP socket, h2c with prior
 * knowledge. In CI a missing nghttpd fails the suite (requirePeer throws); elsewhere it skips loudly.
 */

const MIB = 1024 * 1024;
const INDEX = '<!DOCTYPE html>\n<html><head><title>nghttpd</title></head><body>Hello from nghttpd</body></html>\n';
const STYLE = 'body { color: #123456; }\n';
const PUSHED_BINARY = patternBytes(20000, 7);
const DOCROOT: Record<string, string | Uint8Array> = {
  '/index.html': INDEX,
  '/style.css': STYLE,
  '/pushed.bin': PUSHED_BINARY,
  '/big.bin': patternBytes(MIB),
  ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/files/${i}.bin`, patternBytes(1000 + i * 997, i)])),
};

/** Moves bytes between the socket and the codec; records events and everything the client wrote. */
class Pump {
  readonly events: Http2Event[] = [];
  readonly sent: Uint8Array[] = [];
  private waiters: Array<() => void> = [];
  private closed: Error | undefined;

  constructor(private readonly socket: net.Socket, readonly h2: Http2ClientConnection) {
    socket.on('data', (chunk: Buffer) => {
      for (const e of h2.receive(chunk, performance.now())) {
        if (e.type === 'data') h2.consumed(e.streamId, e.data.length);
        this.events.push(e);
      }
      this.flush();
      this.wake();
    });
    socket.on('close', () => {
      this.closed = new Error('the server closed the connection');
      this.wake();
    });
    socket.on('error', (e) => {
      this.closed = e;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  flush(): void {
    for (const c of this.h2.takeOutput()) {
      this.sent.push(c.slice());
      this.socket.write(c);
    }
  }

  /** Waits until `done()` holds; fails on a connection error or when the socket closes. */
  async until(done: () => boolean): Promise<void> {
    for (;;) {
      const error = this.events.find((e) => e.type === 'error');
      if (error !== undefined) throw new Error(`connection error ${JSON.stringify(error)}`);
      if (done()) return;
      if (this.closed !== undefined) throw this.closed;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves with a stream's events once its response ended (END_STREAM, trailers, reset). */
  async stream(id: number): Promise<Http2Event[]> {
    const mine = (): Http2Event[] => this.events.filter((e) => 'streamId' in e && e.streamId === id && e.type !== 'push' && e.type !== 'windowUpdate');
    await this.until(() => mine().some((e) => ((e.type === 'data' || e.type === 'response') && e.endStream)
      || e.type === 'trailers' || e.type === 'rstStream' || e.type === 'streamError'));
    return mine();
  }

  close(): void {
    if (this.h2.state !== 'closed') {
      this.h2.goAway();
      this.flush();
    }
    this.socket.end();
  }
}

function bodyOf(events: Http2Event[]): Buffer {
  return Buffer.concat(events.flatMap((e) => (e.type === 'data' ? [e.data] : [])));
}

function statusOf(events: Http2Event[]): number | undefined {
  const response = events.find((e) => e.type === 'response');
  return response?.type === 'response' ? response.status : undefined;
}

const d = requirePeer('nghttpd') ? describe : describe.skip;

d('integration: Http2ClientConnection against nghttpd (h2c prior knowledge, 127.0.0.1)', () => {
  let server: NghttpdPeer;
  const pumps: Pump[] = [];

  beforeAll(async () => {
    server = await startNghttpd({ docroot: DOCROOT, push: { '/index.html': ['/style.css', '/pushed.bin'] } });
  });

  afterEach(() => {
    for (const p of pumps.splice(0)) p.close();
  });

  afterAll(async () => {
    await server.stop();
  });

  async function open(options: Http2ConnectionOptions = {}): Promise<Pump> {
    const socket = net.connect(server.port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const pump = new Pump(socket, new Http2ClientConnection(options));
    pumps.push(pump);
    pump.h2.start();
    pump.flush();
    return pump;
  }

  function get(pump: Pump, path: string): number {
    const headers: HeaderList = [[':method', 'GET'], [':scheme', 'http'], [':authority', `127.0.0.1:${server.port}`], [':path', path]];
    const id = pump.h2.request(headers, { endStream: true });
    pump.flush();
    return id;
  }

  it('GETs a file: 200 and the body byte for byte', async () => {
    const pump = await open({ enablePush: false });
    const events = await pump.stream(get(pump, '/style.css'));
    expect(statusOf(events)).toBe(200);
    expect(bodyOf(events).toString('latin1')).toBe(STYLE);
    expect(pump.h2.remoteSettings.maxConcurrentStreams).toBe(100);
  });

  it('runs 12 concurrent streams on one connection, each body intact', async () => {
    const pump = await open({ enablePush: false });
    const ids = Array.from({ length: 12 }, (_, i) => get(pump, `/files/${i}.bin`));
    expect(pump.h2.activeStreams).toBe(12);
    const results = await Promise.all(ids.map((id) => pump.stream(id)));
    results.forEach((events, i) => {
      expect(statusOf(events)).toBe(200);
      expect(bodyOf(events).equals(patternBytes(1000 + i * 997, i))).toBe(true);
    });
    expect(new Set(pump.events.flatMap((e) => (e.type === 'data' ? [e.streamId] : []))).size).toBe(12);
    expect(pump.h2.activeStreams).toBe(0);
  });

  it('downloads 1 MiB through a 65535-octet window, re-opened by WINDOW_UPDATEs from consumed()', async () => {
    const small = 65535;
    const pump = await open({
      enablePush: false,
      initialConnectionWindowSize: small, initialStreamWindowSize: small,
      connectionWindowMarginSize: 0, streamWindowMarginSize: 0,
      connectionWindowUpdateThreshold: 16384, streamWindowUpdateThreshold: 16384,
    });
    const id = get(pump, '/big.bin');
    const events = await pump.stream(id);
    expect(statusOf(events)).toBe(200);
    expect(bodyOf(events).equals(patternBytes(MIB))).toBe(true);
    const updates = parseOutput(pump.sent, true).filter((f) => f.type === 'windowUpdate');
    const granted = (streamId: number): number => updates.reduce((n, f) => n + (f.type === 'windowUpdate' && f.streamId === streamId ? f.increment : 0), 0);
    // The server could only send 1 MiB because we granted at least 1 MiB − 65535 more, on both levels.
    expect(granted(id)).toBeGreaterThanOrEqual(MIB - small);
    expect(granted(0)).toBeGreaterThanOrEqual(MIB - small);
    // Never more than one window in flight: each grant keeps the window at or under 65535.
    expect(Math.max(...updates.map((f) => (f.type === 'windowUpdate' ? f.increment : 0)))).toBeLessThanOrEqual(small);
  });

  it('receives server pushes (-p): PUSH_PROMISE events, then each promised response and body', async () => {
    const pump = await open();
    const id = get(pump, '/index.html');
    const main = await pump.stream(id);
    expect(statusOf(main)).toBe(200);
    expect(bodyOf(main).toString('latin1')).toBe(INDEX);
    const pushes = pump.events.flatMap((e) => (e.type === 'push' ? [e] : []));
    expect(pushes.map((p) => p.streamId)).toEqual([id, id]);
    const paths = pushes.map((p) => p.headers.find(([n]) => n === ':path')?.[1]);
    expect(paths.sort()).toEqual(['/pushed.bin', '/style.css']);
    for (const push of pushes) {
      expect(push.promisedStreamId % 2).toBe(0);
      expect(push.headers).toContainEqual([':method', 'GET']);
      const events = await pump.stream(push.promisedStreamId);
      expect(statusOf(events)).toBe(200);
      const path = push.headers.find(([n]) => n === ':path')?.[1];
      const expected = path === '/style.css' ? Buffer.from(STYLE) : PUSHED_BINARY;
      expect(bodyOf(events).equals(expected)).toBe(true);
    }
  });
});

d('integration: Http2ClientConnection against nghttpd over TLS (ALPN h2, 127.0.0.1)', () => {
  let server: NghttpdPeer;

  beforeAll(async () => {
    const { server: pki } = getTestPki();
    server = await startNghttpd({ docroot: { '/hello.txt': 'Hello over TLS\n' }, tls: { key: pki.keyPem, cert: pki.certPem } });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('negotiates h2 with ALPN and GETs a file', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: getTestPki().caPem, ALPNProtocols: ['h2'] });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    expect(socket.alpnProtocol).toBe('h2');
    const pump = new Pump(socket, new Http2ClientConnection({ enablePush: false }));
    try {
      pump.h2.start();
      const id = pump.h2.request([[':method', 'GET'], [':scheme', 'https'], [':authority', `localhost:${server.port}`], [':path', '/hello.txt']], { endStream: true });
      pump.flush();
      const events = await pump.stream(id);
      expect(statusOf(events)).toBe(200);
      expect(bodyOf(events).toString('latin1')).toBe('Hello over TLS\n');
    } finally {
      pump.close();
    }
  });
});
