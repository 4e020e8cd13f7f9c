import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { GunErrors, gunDataHandler, gunSseHandler, open } from '../../src/index.js';
import type { ConnMessage, Connection, GunOptions, StreamRef } from '../../src/index.js';
import { text } from '../support/helpers.js';

/*
 * Content handlers and server-sent events through the client (Gun's sse_SUITE, §5.18), against a
 * node:http server (HTTP/1.1) and a node:http2 server (h2c). Paths:
 * `/clock` two events then the end, `/param` the same with `;charset=utf-8` on the MIME type,
 * `/lone-id` an `id:` alone, `/close` one event then the server closes the connection,
 * `/plain` a text/plain body; `/push` an event stream whose body the test writes (the flow tests).
 */

type Write = (chunk: string) => void;

const ROUTES: Record<string, { type: string; body: (write: Write) => void }> = {
  '/clock': { type: 'text/event-stream', body: (w) => (w('event: tick\ndata: 1\nid: a\n\n'), w('data: 2\r\n'), w('data: two\r\n\r\n')) },
  '/param': { type: 'text/event-stream; charset=utf-8', body: (w) => w('data: with a parameter\n\n') },
  '/lone-id': { type: 'text/event-stream', body: (w) => w('id: 42\n\n') },
  '/plain': { type: 'text/plain', body: (w) => w('data: not an event\n\n') },
};

/** Where the test writes a `/push` body: a node:http response or a node:http2 stream. */
interface PushSink {
  write(chunk: string): unknown;
  end(): unknown;
}

/** The `/push` responses, handed to the tests in order. */
const pushed: PushSink[] = [];
const pushWaiters: Array<(sink: PushSink) => void> = [];
function push(sink: PushSink): void {
  const waiter = pushWaiters.shift();
  if (waiter === undefined) pushed.push(sink);
  else waiter(sink);
}
function nextPush(): Promise<PushSink> {
  const sink = pushed.shift();
  return sink === undefined ? new Promise((resolve) => pushWaiters.push(resolve)) : Promise.resolve(sink);
}

let h1: http.Server;
let h2: http2.Http2Server;
beforeAll(async () => {
  h1 = http.createServer((req, res) => {
    if (req.url === '/push') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      return push(res);
    }
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
    if (headers[':path'] === '/push') {
      stream.respond({ ':status': 200, 'content-type': 'text/event-stream' });
      return push(stream);
    }
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

/*
 * Gun §5.9, §1.7 (sse_flow_http, sse_flow_http2): with gunSseHandler a stream's flow counts the
 * sse messages delivered (one per event, one for `fin`), not the data chunks they came in. Each
 * event below is 26 octets. Over HTTP/1.1 reading pauses once the flow is spent; what one socket
 * read holds is still delivered (Gun's overshoot) and owed. Over HTTP/2 the stream's window is
 * held back instead: with a 16-octet stream window (margin 0) no DATA frame completes more than
 * one event, so the stream stalls right after the flow's last event. "Nothing more arrives" is
 * checked over QUIET ms, as in flow.test.ts.
 */
const QUIET = 150;
const event = (n: number): string => `data: sse event number ${n}\n\n`;
const events = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => event(from + i)).join('');
const expected = (n: number): object => ({ eventType: 'message', data: `sse event number ${n}`, lastEventId: '' });
const quiet = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, QUIET));

/** The next message of `ref`, which must be an sse message; its event. */
async function nextSse(conn: Connection, ref: StreamRef): Promise<unknown> {
  const m = (await conn.await(ref)) as ConnMessage;
  if (m.type !== 'sse') throw new Error(`expected sse, got ${m.type}`);
  return m.event;
}

/** The sse events of `ref` already queued in the owner's mailbox. */
function queuedSse(conn: Connection, ref: StreamRef): unknown[] {
  const got: unknown[] = [];
  const match = (m: ConnMessage): boolean => m.type === 'sse' && m.streamRef === ref;
  for (let m = conn.owner.poll(match); m !== undefined; m = conn.owner.poll(match)) if (m.type === 'sse') got.push(m.event);
  return got;
}

async function flowStream(options: GunOptions, port: number): Promise<{ conn: Connection; ref: StreamRef; sink: PushSink }> {
  const conn = open('127.0.0.1', port, options);
  conns.push(conn);
  const ref = conn.get('/push', [], { flow: 2 });
  const sink = await nextPush();
  expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200, fin: false });
  return { conn, ref, sink };
}

const h1Flow = (): GunOptions => ({ retry: 0, httpOpts: { contentHandlers: sse } });
const h2Flow = (): GunOptions => ({ retry: 0, protocols: [{ http2: { contentHandlers: sse, initialStreamWindowSize: 16, streamWindowMarginSize: 0 } }] });

describe.each([
  ['HTTP/1.1', (): number => (h1.address() as AddressInfo).port, h1Flow],
  ['HTTP/2 (h2c, 16-octet stream window)', (): number => (h2.address() as AddressInfo).port, h2Flow],
] as const)('flow counts sse events over %s (Gun §5.9, sse_flow_*)', (_name, port, options) => {
  it('flow 2: two events in one chunk spend it, so the next chunk waits for updateFlow', async () => {
    const { conn, ref, sink } = await flowStream(options(), port());
    sink.write(events(1, 2));
    expect([await nextSse(conn, ref), await nextSse(conn, ref)]).toEqual([expected(1), expected(2)]);
    sink.write(events(3, 5));
    sink.end();
    await quiet();
    expect(queuedSse(conn, ref)).toEqual([]);
    conn.updateFlow(ref, 10);
    const rest = [await nextSse(conn, ref), await nextSse(conn, ref), await nextSse(conn, ref), await nextSse(conn, ref)];
    expect(rest).toEqual([expected(3), expected(4), expected(5), 'fin']);
  });
});

describe('flow counts sse events: five events in one chunk', () => {
  it('HTTP/2 (h2c): flow 2 lets exactly 2 sse messages through before updateFlow, the rest after', async () => {
    const { conn, ref, sink } = await flowStream(h2Flow(), (h2.address() as AddressInfo).port);
    sink.write(events(1, 5));
    sink.end();
    expect([await nextSse(conn, ref), await nextSse(conn, ref)]).toEqual([expected(1), expected(2)]);
    await quiet();
    expect(queuedSse(conn, ref)).toEqual([]);
    conn.updateFlow(ref, 10);
    const rest = [await nextSse(conn, ref), await nextSse(conn, ref), await nextSse(conn, ref), await nextSse(conn, ref)];
    expect(rest).toEqual([expected(3), expected(4), expected(5), 'fin']);
  });

  it('HTTP/1.1: one read delivers all 5 (Gun overshoot); they are owed, so the flow is 2 - 5 = -3 and only a total update of 4 resumes reading', async () => {
    const { conn, ref, sink } = await flowStream(h1Flow(), (h1.address() as AddressInfo).port);
    await new Promise<void>((resolve) => (sink as http.ServerResponse).write(events(1, 5), () => resolve()));
    const first = [];
    for (let n = 1; n <= 5; n++) first.push(await nextSse(conn, ref));
    expect(first).toEqual([1, 2, 3, 4, 5].map(expected));
    sink.write(event(6));
    sink.end();
    await quiet();
    expect(queuedSse(conn, ref)).toEqual([]);
    conn.updateFlow(ref, 3);
    await quiet();
    expect(queuedSse(conn, ref)).toEqual([]);
    conn.updateFlow(ref, 1);
    expect([await nextSse(conn, ref), await nextSse(conn, ref)]).toEqual([expected(6), 'fin']);
  });
});
