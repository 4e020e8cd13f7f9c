import { GunError, Mailbox, StreamRef } from '@gunhttp/core';
import { getTestPki, patternBytes, startHttp2Origin, startHttpOrigin } from '@gunhttp/testkit';
import type { Http2Origin } from '@gunhttp/testkit';
import { GunErrors, open } from '../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../src/index.js';
import { connectTo, text } from '../support/helpers.js';

const ca = (): string => getTestPki().ca.certPem;
let h2c: Http2Origin;
let h2: Http2Origin;
let conn: Connection;

beforeAll(async () => {
  [h2c, h2] = await Promise.all([startHttp2Origin(), startHttp2Origin({ tls: true })]);
});
afterAll(() => Promise.all([h2c.close(), h2.close()]));
afterEach(() => conn?.close());

const priorKnowledge: GunOptions = { protocols: ['http2'] };
const overTls: GunOptions = { transport: 'tls', tlsOpts: { ca: ca() } };

describe('protocol selection (Gun §5.11)', () => {
  it("speaks HTTP/2 with prior knowledge over TCP when protocols is ['http2'] (h2c)", async () => {
    conn = open('127.0.0.1', h2c.port, { retry: 0, ...priorKnowledge });
    await expect(conn.awaitUp()).resolves.toBe('http2');
    const ref = conn.get('/hello');
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('Hello world!');
    expect(conn.info().protocol).toBe('http2');
  });

  it("negotiates h2 by ALPN over TLS by default (protocols ['http2', 'http'])", async () => {
    conn = open('127.0.0.1', h2.port, { retry: 0, ...overTls });
    await expect(conn.awaitUp()).resolves.toBe('http2');
  });

  it('falls back to HTTP/1.1 when the server selects http/1.1 by ALPN (RFC 7301)', async () => {
    const h1 = await startHttpOrigin({ tls: true });
    try {
      conn = open('127.0.0.1', h1.port, { retry: 0, ...overTls });
      await expect(conn.awaitUp()).resolves.toBe('http');
      const ref = conn.get('/hello');
      expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    } finally {
      await h1.close();
    }
  });

  it("offers only http/1.1 when protocols is ['http'] over TLS", async () => {
    const events: string[] = [];
    conn = open('127.0.0.1', h2.port, { retry: 0, ...overTls, protocols: ['http'], eventHandler: { tlsHandshakeEnd: (e) => events.push(String(e.error === undefined ? e.protocol : 'error')) } });
    const end = await conn.terminated.catch((e: unknown) => e);
    expect(end).toBeInstanceOf(GunError);
    expect(events).toEqual(['error']);
  });

  it('reports an HTTP/1.x answer to the preface with the hint (RFC 9113 §3.4, Gun prior_knowledge_preface_http1)', async () => {
    const h1 = await startHttpOrigin();
    try {
      conn = open('127.0.0.1', h1.port, { retry: 0, ...priorKnowledge });
      await conn.awaitUp();
      const down = await conn.owner.receive((m) => m.type === 'down' || m.type === 'error', { timeout: 5000 });
      const reason = down.type === 'down' ? down.reason : down.type === 'error' ? down.reason : undefined;
      expect(reason).toBeInstanceOf(GunError);
      expect((reason as GunError).code).toBe('H2_ERR_PREFACE_HTTP1');
    } finally {
      await h1.close();
    }
  });
});

describe('requests over HTTP/2 (RFC 9113 §8.1)', () => {
  beforeEach(async () => {
    conn = await connectTo(h2c.port, priorKnowledge);
  });

  it('sends :method, :scheme, :authority and :path, and the user fields (RFC 9113 §8.3.1)', async () => {
    const ref = conn.get('/headers', [['x-custom', 'yes']]);
    await conn.await(ref);
    const sent = JSON.parse(text((await conn.awaitBody(ref)).body)) as Array<[string, string]>;
    expect(sent).toEqual(expect.arrayContaining([[':method', 'GET'], [':scheme', 'http'], [':authority', `127.0.0.1:${h2c.port}`], [':path', '/headers'], ['x-custom', 'yes']]));
  });

  it('POSTs a full body and a body streamed with data()', async () => {
    const full = conn.post('/echo', [['content-type', 'text/plain']], 'full body');
    const streamed = conn.post('/echo', [['content-type', 'text/plain']]);
    conn.data(streamed, false, 'part one, ');
    conn.data(streamed, true, 'part two');
    await conn.await(full);
    expect(text((await conn.awaitBody(full)).body)).toBe('full body');
    await conn.await(streamed);
    expect(text((await conn.awaitBody(streamed)).body)).toBe('part one, part two');
  });

  it('multiplexes 1,000 concurrent streams on one connection', async () => {
    const refs = Array.from({ length: 1000 }, () => conn.get('/hello'));
    const bodies = await Promise.all(refs.map(async (ref) => {
      await conn.await(ref);
      return text((await conn.awaitBody(ref)).body);
    }));
    expect(bodies.every((b) => b === 'Hello world!')).toBe(true);
    expect(h2c.sessions.length).toBeGreaterThanOrEqual(1);
  });

  it('delivers 1xx before the response (RFC 9113 §8.1) and trailers after the body', async () => {
    const inform = conn.get('/inform');
    expect(await conn.await(inform)).toMatchObject({ type: 'inform', status: 103, headers: [['link', '</style.css>; rel=preload']] });
    expect(await conn.await(inform)).toMatchObject({ type: 'response', status: 200 });
    const trailers = conn.get('/trailers');
    await conn.await(trailers);
    const body = await conn.awaitBody(trailers);
    expect(text(body.body)).toBe('Trailers!');
    expect(body.trailers).toEqual([['expires', 'Sun, 10 Dec 2017 19:44:38 GMT']]);
  });

  it('downloads 10 MiB byte for byte through the flow-control windows (RFC 9113 §5.2)', async () => {
    const n = 10 * 1024 * 1024;
    const ref = conn.get(`/bytes?n=${n}`);
    await conn.await(ref);
    const { body } = await conn.awaitBody(ref, 10_000);
    expect(Buffer.from(body).equals(patternBytes(n))).toBe(true);
  });

  it('downloads 100 MiB through 64 KiB initial windows (RFC 9113 §6.9.2)', async () => {
    conn.close();
    conn = await connectTo(h2c.port, { protocols: [{ http2: { initialConnectionWindowSize: 65535, initialStreamWindowSize: 65535 } }] });
    const n = 100 * 1024 * 1024;
    const ref = conn.get(`/bytes?n=${n}`);
    expect(await conn.await(ref)).toMatchObject({ status: 200 });
    const expected = patternBytes(64 * 1024 + 251);
    let read = 0;
    let intact = true;
    for (let fin = false; !fin;) {
      const m = await conn.await(ref, 10_000);
      if (m.type !== 'data') continue;
      // Spot-check the pattern at the start of each message: byte i is i % 251.
      if (m.data.length > 0 && m.data[0] !== expected[read % 251]) intact = false;
      read += m.data.length;
      fin = m.fin;
    }
    expect(read).toBe(n);
    expect(intact).toBe(true);
  }, 60_000);

  it('delivers a server RST_STREAM as a stream error and keeps the connection (RFC 9113 §6.4)', async () => {
    const ref = conn.get('/reset');
    const err = await conn.await(ref).catch((e: unknown) => e);
    expect((err as GunError).code).toBe(GunErrors.STREAM_ERROR);
    expect(((err as GunError).cause as GunError).h2Code).toBe('REFUSED_STREAM');
    const ok = conn.get('/hello');
    expect(await conn.await(ok)).toMatchObject({ status: 200 });
  });

  it('cancel sends RST_STREAM CANCEL and the other streams continue (Gun §5.7)', async () => {
    const slow = conn.get('/delay?ms=2000');
    conn.cancel(slow);
    const ok = conn.get('/hello');
    expect(await conn.await(ok)).toMatchObject({ status: 200 });
    await expect(conn.await(slow, 300)).rejects.toMatchObject({ code: GunErrors.TIMEOUT });
  });

  it('ping() gets a notify pingAck with its ref (Gun gun:ping)', async () => {
    const pingRef = conn.ping();
    const ack = await conn.owner.receive((m) => m.type === 'notify' && m.kind === 'pingAck', { timeout: 2000 });
    expect(ack).toMatchObject({ type: 'notify', kind: 'pingAck', pingRef });
  });
});

describe("message-count flow control on HTTP/2 streams (Gun's flow and update_flow)", () => {
  /** Reads the stream's queued data messages until none arrives for `quietMs`; returns the octets and whether fin came. */
  async function drain(ref: StreamRef, quietMs: number): Promise<{ octets: number; fin: boolean }> {
    let octets = 0;
    for (;;) {
      const m = await conn.await(ref, quietMs).catch(() => undefined);
      if (m === undefined) return { octets, fin: false };
      if (m.type === 'data') {
        octets += m.data.length;
        if (m.fin) return { octets, fin: true };
      }
    }
  }

  it("holds a stream back at flow 0 by withholding only its WINDOW_UPDATE; other streams go on; updateFlow resumes it (RFC 9113 §5.2.2)", async () => {
    conn = await connectTo(h2c.port, { protocols: [{ http2: { initialStreamWindowSize: 65535 } }] });
    const n = 4 * 1024 * 1024;
    // flow 1: the first data message spends it, so the stream never gets a WINDOW_UPDATE.
    const slow = conn.get(`/bytes?n=${n}`, [], { flow: 1 });
    expect(await conn.await(slow)).toMatchObject({ type: 'response', status: 200 });
    const before = await drain(slow, 300);
    expect(before.fin).toBe(false);
    expect(before.octets).toBeLessThanOrEqual(65535);
    const other = conn.get('/hello');
    expect(await conn.await(other)).toMatchObject({ status: 200 });
    expect(text((await conn.awaitBody(other)).body)).toBe('Hello world!');
    conn.updateFlow(slow, 1_000_000);
    const after = await drain(slow, 2000);
    expect(after.fin).toBe(true);
    expect(before.octets + after.octets).toBe(n);
  });

  it('rejects a flow that is not a positive integer', () => {
    conn = open('127.0.0.1', h2c.port, { retry: 0, ...priorKnowledge });
    expect(() => conn.get('/hello', [], { flow: 0 })).toThrow(GunError);
  });
});

describe('server push (RFC 9113 §8.4, Gun §5.11)', () => {
  it('delivers push (method, uri, headers, new stream ref) before the response, then the pushed response', async () => {
    conn = await connectTo(h2c.port, priorKnowledge);
    const ref = conn.get('/push');
    const push = await conn.await(ref);
    expect(push).toMatchObject({ type: 'push', method: 'GET', uri: `http://127.0.0.1:${h2c.port}/pushed.txt` });
    const pushed = (push as Extract<ConnMessage, { type: 'push' }>).newStreamRef;
    expect(pushed).toBeInstanceOf(StreamRef);
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('Main');
    expect(await conn.await(pushed)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(pushed)).body)).toBe('Pushed!');
  });

  it('refuses pushes when enablePush is false: only the response arrives (RFC 9113 §6.5.2)', async () => {
    conn = await connectTo(h2c.port, { protocols: [{ http2: { enablePush: false } }] });
    const ref = conn.get('/push');
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
  });
});

describe('GOAWAY and shutdown (RFC 9113 §6.8, Gun §5.8)', () => {
  it('finishes the stream at or below the last stream id, then goes down normally and reconnects', async () => {
    const owner = new Mailbox<ConnMessage>();
    conn = open('127.0.0.1', h2c.port, { ...priorKnowledge, owner, retry: 1, retryTimeout: 10 });
    await conn.awaitUp();
    const ref = conn.get('/goaway');
    expect(await conn.await(ref)).toMatchObject({ status: 200 });
    expect(text((await conn.awaitBody(ref)).body)).toBe('Bye');
    const down = await owner.receive((m) => m.type === 'down', { timeout: 5000 });
    expect(down).toMatchObject({ protocol: 'http2', reason: 'normal', killedStreams: [] });
    await expect(conn.awaitUp()).resolves.toBe('http2');
  });

  it('shutdown() sends GOAWAY NO_ERROR, lets the stream in flight finish and terminates without down', async () => {
    conn = await connectTo(h2c.port, priorKnowledge);
    const ref = conn.get('/delay?ms=100');
    conn.shutdown();
    expect(await conn.await(ref)).toMatchObject({ status: 200 });
    expect(await conn.terminated).toBe('shutdown');
    const late = conn.get('/hello');
    await expect(conn.await(late)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code: GunErrors.BAD_STATE } });
  });

  it('notifySettingsChanged sends the server settings to the owner', async () => {
    const owner = new Mailbox<ConnMessage>();
    conn = open('127.0.0.1', h2c.port, { retry: 0, owner, protocols: [{ http2: { notifySettingsChanged: true } }] });
    const note = await owner.receive((m) => m.type === 'notify' && m.kind === 'settingsChanged', { timeout: 2000 });
    expect(note).toMatchObject({ kind: 'settingsChanged', settings: expect.objectContaining({ initialWindowSize: expect.any(Number) }) });
  });

  it('notifyGoAway (gunhttp) sends the server GOAWAY to the owner; without it nothing is sent', async () => {
    for (const notifyGoAway of [true, false]) {
      const owner = new Mailbox<ConnMessage>();
      conn = open('127.0.0.1', h2c.port, { retry: 0, owner, protocols: [{ http2: { notifyGoAway } }] });
      const ref = conn.get('/goaway');
      expect(text((await conn.awaitBody(ref)).body)).toBe('Bye');
      await owner.receive((m) => m.type === 'down' || (m.type === 'notify' && m.kind === 'goAway'), { timeout: 2000 }).then((m) =>
        expect(m).toMatchObject(notifyGoAway ? { type: 'notify', kind: 'goAway', lastStreamId: 1, errorCode: 'NO_ERROR', debugData: new Uint8Array(0) } : { type: 'down' }),
      );
      conn.close();
    }
  });
});
