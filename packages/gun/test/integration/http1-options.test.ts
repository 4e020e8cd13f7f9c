import { startHttpOrigin, startRawOrigin, getTestPki } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { open } from '../../src/index.js';
import type { Connection } from '../../src/index.js';
import { connectTo, recordEvents, text } from '../support/helpers.js';

let conn: Connection | undefined;
afterEach(() => conn?.close());

/** A raw origin that records the request bytes and answers each request with a fixed response. */
async function recordingOrigin(response = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok') {
  return startRawOrigin((socket) => {
    let seen = '';
    socket.on('data', (c: Buffer) => {
      seen += c.toString('latin1');
      while (seen.includes('\r\n\r\n') && /0\r\n\r\n$|content-length: 0\r\n/i.test(seen)) {
        socket.write(response);
        seen = '';
      }
    });
  });
}

describe('httpOpts and request details', () => {
  it('keepalive writes a bare CRLF periodically (Gun §5.4)', async () => {
    const origin = await startRawOrigin(() => undefined);
    try {
      conn = await connectTo(origin.port, { httpOpts: { keepalive: 20 } });
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (origin.received().toString().startsWith('\r\n\r\n')) {
            clearInterval(poll);
            resolve();
          }
        }, 5);
      });
      expect(origin.received().toString()).toMatch(/^(\r\n)+$/);
    } finally {
      await origin.close();
    }
  });

  it('transformHeaderName rewrites header names on the wire (Gun transform_header_name)', async () => {
    const origin = await recordingOrigin();
    try {
      const upper = (n: string): string => n.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
      conn = await connectTo(origin.port, { httpOpts: { transformHeaderName: upper } });
      const ref = conn.get('/', [['x-custom-name', 'v']]);
      await conn.await(ref);
      expect(origin.received().toString()).toContain('X-Custom-Name: v\r\n');
      expect(origin.received().toString()).toContain('Host: 127.0.0.1:');
    } finally {
      await origin.close();
    }
  });

  it('empty data without fin sends nothing; empty data with fin sends only the last chunk (Gun ignore_empty_data)', async () => {
    const origin = await recordingOrigin();
    try {
      conn = await connectTo(origin.port);
      const ref = conn.post('/', []);
      conn.data(ref, false, '');
      conn.data(ref, false, 'abc');
      conn.data(ref, true, '');
      await conn.await(ref);
      const wire = origin.received().toString();
      expect(wire.slice(wire.indexOf('\r\n\r\n') + 4)).toBe('3\r\nabc\r\n0\r\n\r\n');
    } finally {
      await origin.close();
    }
  });

  it('closingTimeout bounds a graceful shutdown when the server never answers (Gun closing_timeout)', async () => {
    const origin = await startRawOrigin(() => undefined);
    try {
      conn = await connectTo(origin.port, { httpOpts: { closingTimeout: 50 } });
      const ref = conn.get('/');
      await new Promise((r) => setTimeout(r, 10));
      const started = Date.now();
      conn.shutdown();
      expect(await conn.terminated).toBe('shutdown');
      expect(Date.now() - started).toBeGreaterThanOrEqual(40);
      // Gun's {closed, shutdown}: the stream still open when the timeout fired gets a stream error.
      await expect(conn.await(ref, 100)).rejects.toMatchObject({ code: 'GUN_ERR_STREAM_ERROR', cause: { code: 'GUN_ERR_CLOSED' } });
    } finally {
      await origin.close();
    }
  });

  it('HTTP/1.0 closes the connection after each response and reconnects for the next (Gun §5.5)', async () => {
    const origin: TestOrigin = await startHttpOrigin();
    try {
      conn = open('127.0.0.1', origin.port, { retry: 2, httpOpts: { version: 'HTTP/1.0' } });
      const first = conn.get('/hello');
      await conn.await(first);
      expect(text((await conn.awaitBody(first)).body)).toBe('Hello world!');
      await conn.owner.receive((m) => m.type === 'down');
      const second = conn.get('/hello');
      await conn.await(second);
      expect(text((await conn.awaitBody(second)).body)).toBe('Hello world!');
      expect(origin.requests.slice(-2).map((r) => r.httpVersion)).toEqual(['1.0', '1.0']);
    } finally {
      await origin.close();
    }
  });

  it('flush removes the queued messages of a stream, or of the whole connection', async () => {
    const origin = await startHttpOrigin();
    try {
      conn = await connectTo(origin.port);
      const a = conn.get('/hello');
      const b = conn.get('/hello');
      await conn.owner.receive((m) => m.type === 'data' && m.streamRef === b && m.fin);
      expect(conn.flush(a)).toBe(2);
      expect(conn.owner.size).toBe(1);
      expect(conn.flush()).toBe(1);
      expect(conn.owner.size).toBe(0);
    } finally {
      await origin.close();
    }
  });

  it('reports the TLS handshake events around a TLS connection', async () => {
    const origin = await startHttpOrigin({ tls: true });
    try {
      const { handler, names, events } = recordEvents();
      conn = open('localhost', origin.port, { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem }, eventHandler: handler });
      expect(await conn.awaitUp()).toBe('http');
      expect(names).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'tlsHandshakeStart', 'tlsHandshakeEnd']);
      expect(events.find((e) => e.name === 'tlsHandshakeEnd')?.event).toMatchObject({ protocol: 'http' });
      expect(conn.info().stateName).toBe('connected');
    } finally {
      await origin.close();
    }
  });
});
