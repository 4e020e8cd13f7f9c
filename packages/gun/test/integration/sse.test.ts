import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { GunErrors, gunDataHandler, gunSseHandler, open } from '../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../src/index.js';
import { text } from '../support/helpers.js';

/*
 * Content handlers and server-sent events through the client (Gun's sse_SUITE, §5.18), against a
 * node:http server (HTTP/1.1) and a node:http2 server (h2c). Paths:
 * `/clock` two events then the end, `/param` the same with `;charset=utf-8` on the MIME type,
 * `/lone-id` an `id:` alone, `/close` one event then the server closes the connection,
 * `/plain` a text/plain body.
 */

type Write = (chunk: string) => void;

const ROUTES: Record<string, { type: string; body: (write: Write) => void }> = {
  '/clock': { type: 'text/event-stream', body: (w) => (w('event: tick\ndata: 1\nid: a\n\n'), w('data: 2\r\n'), w('data: two\r\n\r\n')) },
  '/param': { type: 'text/event-stream; charset=utf-8', body: (w) => w('data: with a parameter\n\n') },
  '/lone-id': { type: 'text/event-stream', body: (w) => w('id: 42\n\n') },
  '/plain': { type: 'text/plain', body: (w) => w('data: not an event\n\n') },
};

let h1: http.Server;
let h2: http2.Http2Server;
beforeAll(async () => {
  h1 = http.createServer((req, res) => {
    if (req.url === '/close') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: last words\n\n', () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    const route = ROUTES[req.url ?? ''];
    if (route === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': route.type });
    route.body((chunk) => res.write(chunk));
    res.end();
  });
  h2 = http2.createServer();
  h2.on('stream', (stream, headers) => {
    const route = ROUTES[String(headers[':path'])];
    if (route === undefined) return void stream.respond({ ':status': 404 }, { endStream: true });
    stream.respond({ ':status': 200, 'content-type': route.type });
    route.body((chunk) => stream.write(chunk));
    stream.end();
  });
  await Promise.all([new Promise<void>((r) => h1.listen(0, '127.0.0.1', r)), new Promise<void>((r) => h2.listen(0, '127.0.0.1', r))]);
});
afterAll(async () => {
  h1.closeAllConnections();
  await Promise.all([new Promise((r) => h1.close(r)), new Promise((r) => h2.close(r))]);
});

const conns: Connection[] = [];
afterEach(() => conns.splice(0).forEach((c) => c.close()));

const sse = [gunSseHandler, gunDataHandler] as const;

describe.each([
  ['HTTP/1.1', (): number => (h1.address() as AddressInfo).port, (o: object): GunOptions => ({ retry: 0, httpOpts: o })],
  ['HTTP/2 (h2c)', (): number => (h2.address() as AddressInfo).port, (o: object): GunOptions => ({ retry: 0, protocols: [{ http2: o }] })],
] as const)('server-sent events over %s (Gun §5.18, WHATWG event stream)', (_name, port, options) => {
  async function events(path: string, handlers: object = { contentHandlers: sse }): Promise<ConnMessage[]> {
    const conn = open('127.0.0.1', port(), options(handlers));
    conns.push(conn);
    const ref = conn.get(path);
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200, fin: false });
    const out: ConnMessage[] = [];
    for (;;) {
      const m = (await conn.await(ref)) as ConnMessage;
      out.push(m);
      if ((m.type === 'sse' && m.event === 'fin') || (m.type === 'data' && m.fin)) return out;
    }
  }

  it('turns a text/event-stream body into sse messages, then sse fin', async () => {
    const got = await events('/clock');
    expect(got.map((m) => (m.type === 'sse' ? m.event : m.type))).toEqual([
      { eventType: 'tick', data: '1', lastEventId: 'a' },
      { eventType: 'message', data: '2\ntwo', lastEventId: 'a' },
      'fin',
    ]);
  });

  it('ignores the MIME type parameters', async () => {
    const got = await events('/param');
    expect(got.map((m) => (m.type === 'sse' ? m.event : m.type))).toEqual([{ eventType: 'message', data: 'with a parameter', lastEventId: '' }, 'fin']);
  });

  it('gives an event with only lastEventId for a lone id (Gun 1.1)', async () => {
    const got = await events('/lone-id');
    expect(got.map((m) => (m.type === 'sse' ? m.event : m.type))).toEqual([{ lastEventId: '42' }, 'fin']);
  });

  it('leaves other content types to the next handler: data messages', async () => {
    const got = await events('/plain');
    expect(got.every((m) => m.type === 'data')).toBe(true);
    expect(got.map((m) => (m.type === 'data' ? text(m.data) : '')).join('')).toBe('data: not an event\n\n');
  });

  it('with the default handlers delivers event streams as data', async () => {
    const got = await events('/clock', {});
    expect(got.every((m) => m.type === 'data')).toBe(true);
  });
});

describe('server-sent events: the server closing the connection (sse_SUITE)', () => {
  it('delivers the events received, then the stream is killed by down', async () => {
    const conn = open('127.0.0.1', (h1.address() as AddressInfo).port, { retry: 0, httpOpts: { contentHandlers: sse } });
    conns.push(conn);
    const ref = conn.get('/close');
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(await conn.await(ref)).toMatchObject({ type: 'sse', event: { data: 'last words' } });
    await expect(conn.await(ref)).rejects.toMatchObject({ code: GunErrors.DOWN });
  });
});

describe('the contentHandlers option', () => {
  it.each([
    [{ httpOpts: { contentHandlers: [] } }, 'options.httpOpts.contentHandlers'],
    [{ httpOpts: { contentHandlers: [{}] } }, 'options.httpOpts.contentHandlers[0]'],
    [{ http2Opts: { contentHandlers: "sse" } }, "options.http2Opts.contentHandlers"],
  ])('rejects %j naming %s', (opts, path) => {
    expect(() => open("127.0.0.1", 1, { retry: 0, ...(opts as unknown as GunOptions) })).toThrow(expect.objectContaining({ code: GunErrors.INVALID_OPTION, message: expect.stringContaining(path) }));
  });
});
