import { Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { getTestPki, startHttpOrigin, startRawOrigin, startUnixOrigin } from '@gunhttp/testkit';
import { GunErrors, open, openUnix } from '../../src/index.js';
import type { ConnMessage, Connection } from '../../src/index.js';
import { recordEvents, text } from '../support/helpers.js';

let conn: Connection | undefined;
afterEach(() => conn?.close());

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('connection lifecycle (Gun §4, §5.1)', () => {
  it('reports down with the killed stream when the connection drops mid-response, then reconnects', async () => {
    const origin = await startHttpOrigin();
    try {
      conn = open('127.0.0.1', origin.port, { retry: 1 });
      await conn.awaitUp();
      const ref = conn.get('/drop?n=1000');
      expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
      await expect(conn.awaitBody(ref)).rejects.toMatchObject({ code: GunErrors.DOWN });
      const down = await conn.owner.receive((m) => m.type === 'down');
      expect(down).toMatchObject({ type: 'down', protocol: 'http', reason: 'closed' });
      expect(down.type === 'down' && down.killedStreams).toEqual([ref]);
      expect(await conn.awaitUp()).toBe('http');
      const again = conn.get('/hello');
      await conn.await(again);
      expect(text((await conn.awaitBody(again)).body)).toBe('Hello world!');
    } finally {
      await origin.close();
    }
  });

  it('does not list a completed connection: close response as killed (Gun killed_streams_http)', async () => {
    const origin = await startHttpOrigin();
    try {
      conn = open('127.0.0.1', origin.port, { retry: 1 });
      await conn.awaitUp();
      const ref = conn.get('/close');
      await conn.await(ref);
      expect(text((await conn.awaitBody(ref)).body)).toBe('bye');
      const down = await conn.owner.receive((m) => m.type === 'down');
      expect(down).toMatchObject({ reason: 'normal', killedStreams: [] });
    } finally {
      await origin.close();
    }
  });

  it('turns Nagle off on TCP sockets unless tcpOpts.noDelay is false (regression: a 40 ms stall per request after a SETTINGS ACK)', async () => {
    const origin = await startHttpOrigin();
    const spy = jest.spyOn(Socket.prototype, 'setNoDelay');
    try {
      conn = open('127.0.0.1', origin.port);
      await conn.awaitUp();
      expect(spy.mock.calls).toEqual([[true]]);
      conn.close();
      spy.mockClear();
      conn = open('127.0.0.1', origin.port, { tcpOpts: { noDelay: false } });
      await conn.awaitUp();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      await origin.close();
    }
  });

  it('ends after the retries are exhausted, with the last failure as reason (Gun shutdown_reason)', async () => {
    const port = await closedPort();
    const { handler, names } = recordEvents();
    conn = open('127.0.0.1', port, { retry: 2, retryTimeout: 10, eventHandler: handler });
    const reason = await conn.terminated;
    expect(reason).toMatchObject({ code: GunErrors.CONNECT });
    expect(names.filter((n) => n === 'connectStart')).toHaveLength(3);
    expect(names.at(-1)).toBe('terminate');
    await expect(conn.awaitUp()).rejects.toMatchObject({ code: GunErrors.DOWN });
  });

  it('calls retryFun before each retry and follows its answer', async () => {
    const port = await closedPort();
    const calls: number[] = [];
    conn = open('127.0.0.1', port, { retry: 3, retryFun: (left) => (calls.push(left), { retries: left - 1, timeout: 1 }) });
    await conn.terminated;
    expect(calls).toEqual([3, 2, 1]);
  });

  it('fails TLS verification for an unknown CA (certificate verification on by default)', async () => {
    const origin = await startHttpOrigin({ tls: true });
    try {
      const { handler, events } = recordEvents();
      conn = open('127.0.0.1', origin.port, { retry: 0, transport: 'tls', eventHandler: handler });
      const reason = await conn.terminated;
      expect(reason).toMatchObject({ code: GunErrors.TLS_HANDSHAKE });
      const end = events.find((e) => e.name === 'tlsHandshakeEnd');
      expect(end?.event).toMatchObject({ error: expect.objectContaining({ code: GunErrors.TLS_HANDSHAKE }) });
    } finally {
      await origin.close();
    }
  });

  it('talks HTTPS when the CA is given', async () => {
    const origin = await startHttpOrigin({ tls: true });
    try {
      conn = open('127.0.0.1', origin.port, { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem } });
      const ref = conn.get('/hello');
      await conn.await(ref);
      expect(text((await conn.awaitBody(ref)).body)).toBe('Hello world!');
      expect(conn.info()).toMatchObject({ transport: 'tls', originScheme: 'https' });
    } finally {
      await origin.close();
    }
  });

  it('connects over a unix socket with host: localhost (Gun open_unix)', async () => {
    const origin = await startUnixOrigin();
    try {
      conn = openUnix(origin.path, { retry: 0 });
      const ref = conn.get('/headers');
      await conn.await(ref);
      const sent = JSON.parse(text((await conn.awaitBody(ref)).body)) as Array<[string, string]>;
      expect(sent).toContainEqual(['host', 'localhost']);
      expect(conn.info()).toMatchObject({ originHost: 'localhost', originPort: 80 });
    } finally {
      await origin.close();
    }
  });

  it('emits the event timeline in Gun order for a GET', async () => {
    const origin = await startHttpOrigin();
    try {
      const { handler, names } = recordEvents();
      conn = open('127.0.0.1', origin.port, { retry: 0, eventHandler: handler });
      const ref = conn.get('/hello');
      await conn.await(ref);
      await conn.awaitBody(ref);
      expect(names).toEqual([
        'init', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'requestStart',
        'requestHeaders', 'requestEnd', 'responseStart', 'responseHeaders', 'responseEnd',
      ]);
      // Gun's close ends the process: no disconnect event, only terminate.
      conn.close();
      expect(names.slice(-2)).toEqual(['responseEnd', 'terminate']);
      expect(names.filter((n) => n === 'terminate')).toHaveLength(1);
    } finally {
      await origin.close();
    }
  });

  it('publishes events on node:diagnostics_channel as gunhttp:<event>', async () => {
    const { subscribe, unsubscribe } = await import('node:diagnostics_channel');
    const origin = await startHttpOrigin();
    const seen: unknown[] = [];
    const listener = (m: unknown): void => void seen.push(m);
    subscribe('gunhttp:responseHeaders', listener);
    try {
      conn = open('127.0.0.1', origin.port, { retry: 0 });
      const ref = conn.get('/hello');
      await conn.await(ref);
      expect(seen).toEqual([expect.objectContaining({ conn, streamRef: ref, status: 200 })]);
    } finally {
      unsubscribe('gunhttp:responseHeaders', listener);
      await origin.close();
    }
  });

  it('shuts down gracefully when the owner mailbox closes, ending with its exit reason (Gun owner_down)', async () => {
    const origin = await startHttpOrigin();
    try {
      conn = open('127.0.0.1', origin.port, { retry: 0 });
      await conn.awaitUp();
      conn.owner.close();
      expect(await conn.terminated).toBe('normal');
    } finally {
      await origin.close();
    }
  });
});

describe('smuggling-shaped responses end in an error, never a wrong body (RFC 9112 §6.3)', () => {
  const cases = [
    ['transfer-encoding chunked with a bogus content-length decodes the chunked body', 'HTTP/1.1 200 OK\r\ncontent-length: 12\r\ntransfer-encoding: chunked\r\n\r\n5\r\nHello\r\n0\r\n\r\n', 'Hello'],
    ['conflicting content-lengths', 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nHello!', undefined],
    ['a negative content-length', 'HTTP/1.1 200 OK\r\ncontent-length: -5\r\n\r\nHello', undefined],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nHello\r\n0\r\n\r\n', undefined],
    ['a chunk size of 17 hex digits', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n00000000000000005\r\nHello\r\n0\r\n\r\n', undefined],
    ['obs-fold in a field', 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: b\r\n c\r\n\r\nHello', undefined],
  ] as const;

  it.each(cases)('%s', async (_name, response, expectedBody) => {
    const origin = await startRawOrigin((socket) => socket.once('data', () => socket.write(response)));
    try {
      conn = open('127.0.0.1', origin.port, { retry: 0 });
      const ref = conn.get('/');
      if (expectedBody !== undefined) {
        await conn.await(ref);
        expect(text((await conn.awaitBody(ref)).body)).toBe(expectedBody);
        return;
      }
      const outcome = await conn.await(ref).then(
        async (m: ConnMessage | unknown) => ((m as ConnMessage).type === 'response' ? conn!.awaitBody(ref) : m),
      ).then(() => 'body', (e: { code: string }) => e.code);
      expect(outcome).toBe(GunErrors.CONNECTION_ERROR);
      const down = await conn.owner.receive((m) => m.type === 'down');
      expect(down.type === 'down' && down.reason).toMatchObject({ code: expect.stringMatching(/^H1_ERR_/) });
    } finally {
      await origin.close();
    }
  });
});
