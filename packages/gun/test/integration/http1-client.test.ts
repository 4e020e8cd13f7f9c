import { GunError, Mailbox } from '@gunhttp/core';
import { patternBytes, startHttpOrigin } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { GunErrors, open } from '../../src/index.js';
import type { ConnMessage, Connection } from '../../src/index.js';
import { connectTo, text } from '../support/helpers.js';

let origin: TestOrigin;
let conn: Connection;

beforeAll(async () => {
  origin = await startHttpOrigin();
});
afterAll(() => origin.close());
afterEach(() => conn?.close());

describe('HTTP/1.1 requests against a node:http origin', () => {
  it('GET returns the response and its body (Gun await/await_body)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/hello');
    const res = await conn.await(ref);
    expect(res).toMatchObject({ type: 'response', fin: false, status: 200 });
    const { body } = await conn.awaitBody(ref);
    expect(text(body)).toBe('Hello world!');
  });

  it('sends content-length: 0 and host on a GET, as Gun does (§5.2)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/headers', [['X-Custom', 'yes']]);
    await conn.await(ref);
    const sent = JSON.parse(text((await conn.awaitBody(ref)).body)) as Array<[string, string]>;
    expect(sent).toEqual([['content-length', '0'], ['host', `127.0.0.1:${origin.port}`], ['x-custom', 'yes']]);
  });

  it('keeps the connection alive across requests (RFC 9112 §9.3)', async () => {
    const before = origin.connections;
    conn = await connectTo(origin.port);
    for (let i = 0; i < 3; i++) {
      const ref = conn.get('/hello');
      await conn.await(ref);
      await conn.awaitBody(ref);
    }
    expect(origin.connections - before).toBe(1);
  });

  it('pipelines requests and matches responses in order (RFC 9112 §9.3.2)', async () => {
    conn = await connectTo(origin.port);
    const refs = Array.from({ length: 10 }, (_, i) => conn.get(`/status?code=${200 + i}`));
    const statuses: number[] = [];
    for (const ref of refs) {
      const res = await conn.await(ref);
      if (res.type !== 'response') throw new Error(res.type);
      statuses.push(res.status);
      if (!res.fin) await conn.awaitBody(ref);
    }
    expect(statuses).toEqual([200, 201, 202, 203, 204, 205, 206, 207, 208, 209]);
  });

  it('HEAD gets a response with fin and no body (RFC 9110 §9.3.2)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.head('/hello');
    expect(await conn.await(ref)).toMatchObject({ type: 'response', fin: true, status: 200 });
    const next = conn.get('/hello');
    await conn.await(next);
    expect(text((await conn.awaitBody(next)).body)).toBe('Hello world!');
  });

  it('delivers 103 Early Hints as inform before the response (RFC 8297)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/inform');
    const inform = await conn.await(ref);
    expect(inform).toMatchObject({ type: 'inform', status: 103 });
    expect(inform.type === 'inform' && inform.headers).toContainEqual(['link', '</style.css>; rel=preload']);
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
  });

  it('delivers 100 Continue as inform for expect: 100-continue (RFC 9110 §10.1.1)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.post('/echo', [['expect', '100-continue'], ['content-type', 'text/plain']], 'ping');
    expect(await conn.await(ref)).toMatchObject({ type: 'inform', status: 100 });
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('ping');
  });

  it('returns trailers with the body (RFC 9112 §7.1.2)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/trailers', [['te', 'trailers']]);
    await conn.await(ref);
    const { body, trailers } = await conn.awaitBody(ref);
    expect(text(body)).toBe('Trailers!');
    expect(trailers).toEqual([['expires', 'Sun, 10 Dec 2017 19:44:38 GMT']]);
  });

  it('streams a chunked upload with data() and fin (RFC 9112 §7.1)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.post('/echo', [['content-type', 'application/octet-stream']]);
    conn.data(ref, false, 'one,');
    conn.data(ref, false, '');
    conn.data(ref, false, 'two,');
    conn.data(ref, true, 'three');
    await conn.await(ref);
    expect(text((await conn.awaitBody(ref)).body)).toBe('one,two,three');
    const seen = origin.requests.at(-1)!;
    expect(seen.headers).toContainEqual(['transfer-encoding', 'chunked']);
  });

  it('downloads 100 MiB byte for byte', async () => {
    conn = await connectTo(origin.port);
    const size = 100 * 1024 * 1024;
    const ref = conn.get(`/bytes?n=${size}`);
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    const expected = patternBytes(64 * 1024 + 251);
    let received = 0;
    let mismatch = -1;
    for (;;) {
      const m = await conn.await(ref);
      if (m.type !== 'data') throw new Error(m.type);
      for (let i = 0; i < m.data.length && mismatch === -1; i += 4093) {
        if (m.data[i] !== expected[(received + i) % 251]) mismatch = received + i;
      }
      received += m.data.length;
      if (m.fin) break;
    }
    expect(mismatch).toBe(-1);
    expect(received).toBe(size);
  }, 60000);

  it('rejects a header value with CR or LF before sending anything (Gun 2.4 invalid_request_headers)', async () => {
    conn = await connectTo(origin.port);
    const count = origin.requests.length;
    expect(() => conn.get('/hello', [['x-evil', 'a\r\nx-injected: 1']])).toThrow(expect.objectContaining({ code: 'GUN_ERR_INVALID_REQUEST_HEADER' }));
    expect(() => conn.post('/echo', { 'x-evil': 'a\nb' }, 'x')).toThrow(GunError);
    const ref = conn.get('/hello');
    await conn.await(ref);
    await conn.awaitBody(ref);
    expect(origin.requests.length).toBe(count + 1);
  });

  it('sends replies to another mailbox or a function (replyTo)', async () => {
    conn = await connectTo(origin.port);
    const other = new Mailbox<ConnMessage>();
    const ref = conn.get('/hello', [], { replyTo: other });
    expect(await conn.await(ref)).toMatchObject({ type: 'response' });
    expect(other.size + conn.owner.size).toBeGreaterThanOrEqual(0);
    const seen: ConnMessage[] = [];
    const done = new Promise<void>((resolve) => {
      conn.get('/hello', [], { replyTo: (m) => (seen.push(m), m.type === 'data' && m.fin && resolve()) });
    });
    await done;
    expect(seen.map((m) => m.type)).toEqual(['response', 'data']);
  });

  it('cancel silences the stream and keeps the connection usable (Gun §5.7)', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/delay?ms=50');
    conn.cancel(ref);
    const next = conn.get('/hello');
    await conn.await(next);
    expect(text((await conn.awaitBody(next)).body)).toBe('Hello world!');
    expect(conn.owner.poll((m) => 'streamRef' in m && m.streamRef === ref)).toBeUndefined();
  });

  it('await times out with GUN_ERR_TIMEOUT', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/delay?ms=500');
    await expect(conn.await(ref, 20)).rejects.toMatchObject({ code: GunErrors.TIMEOUT });
  });

  it('queues requests made before the connection is up (Gun postpones them)', async () => {
    conn = open('127.0.0.1', origin.port, { retry: 0 });
    const ref = conn.get('/hello');
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
  });

  it('shutdown lets the stream in flight finish, then ends without down', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/delay?ms=50');
    conn.shutdown();
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('Hello');
    expect(await conn.terminated).toBe('shutdown');
    expect(conn.owner.poll((m) => m.type === 'down')).toBeUndefined();
  });

  it('shutdown gives pipelined streams a closing error (Gun {closing, shutdown})', async () => {
    conn = await connectTo(origin.port);
    const first = conn.get('/delay?ms=50');
    const second = conn.get('/hello');
    conn.shutdown();
    await expect(conn.await(second)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: expect.objectContaining({ code: 'TUNNEL_ERR_CLOSING' }) });
    expect(await conn.await(first)).toMatchObject({ type: 'response', status: 200 });
  });

  it('info() reports the connected state and socket addresses', async () => {
    conn = await connectTo(origin.port);
    expect(conn.info()).toMatchObject({ stateName: 'connected', transport: 'tcp', originScheme: 'http', originHost: '127.0.0.1', originPort: origin.port, protocol: 'http', sockIp: '127.0.0.1', intermediaries: [] });
  });

  it('streamInfo() shows running, then stopping after cancel, then nothing', async () => {
    conn = await connectTo(origin.port);
    const ref = conn.get('/delay?ms=100');
    expect(conn.streamInfo(ref)).toMatchObject({ ref, state: 'running' });
    conn.cancel(ref);
    expect(conn.streamInfo(ref)).toMatchObject({ state: 'stopping' });
    const next = conn.get('/hello');
    await conn.await(next);
    await conn.awaitBody(next);
    expect(conn.streamInfo(ref)).toBeUndefined();
  });
});
