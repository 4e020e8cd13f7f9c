import { getTestPki, startConnectProxy, startH2ConnectProxy, startHttp2Origin, startHttpOrigin, startRawEchoOrigin } from '@gunhttp/testkit';
import { TunnelErrors } from '@gunhttp/tunnel';
import { GunErrors, open } from '../../../src/index.js';
import type { Connection, ConnMessage, StreamRef } from '../../../src/index.js';
import { closedAfterEach, recordEvents, text } from '../../support/helpers.js';
import { readRaw } from './chain.js';

const ca = getTestPki().caPem;
let conn: Connection | undefined;
const started = closedAfterEach(() => {
  conn?.close();
  conn = undefined;
});

/** Opens an HTTP/2 connection to the proxy (h2c by prior knowledge, or h2 over TLS). */
async function openProxy(port: number, tls: boolean, eventHandler?: object): Promise<Connection> {
  const c = open('127.0.0.1', port, { retry: 0, protocols: ['http2'], ...(tls ? { transport: 'tls' as const, tlsOpts: { ca } } : {}), ...(eventHandler === undefined ? {} : { eventHandler }) });
  expect(await c.awaitUp()).toBe('http2');
  return c;
}

/** A CONNECT answered 200 whose tunnel came up speaking `protocol`. */
async function tunnelTo(c: Connection, destination: Parameters<Connection['connect']>[0], protocol: string, tunnel?: StreamRef): Promise<StreamRef> {
  const ref = c.connect(destination, {}, tunnel === undefined ? undefined : { tunnel });
  expect(await c.await(ref)).toMatchObject({ type: 'response', fin: true, status: 200 });
  expect(await c.await(ref)).toMatchObject({ type: 'tunnelUp', streamRef: ref, protocol });
  return ref;
}

async function hello(c: Connection, tunnel: StreamRef): Promise<string> {
  const ref = c.get('/hello', {}, { tunnel });
  expect(ref.parent).toBe(tunnel);
  expect(await c.await(ref)).toMatchObject({ type: 'response', status: 200, streamRef: ref });
  return text((await c.awaitBody(ref)).body);
}

const errorCode = (m: ConnMessage): string | undefined => (m.type === 'error' ? m.reason.code : undefined);

describe('CONNECT over HTTP/2: one stream is the tunnel while the others go on (RFC 9113 §8.5; Gun §5.12)', () => {
  it('h2c proxy → http origin: response fin, originChanged with the ref, tunnelUp, requests with { tunnel } reach the origin', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy());
    const { handler, events } = recordEvents();
    conn = await openProxy(proxy.port, false, handler);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port }, 'http');
    expect(await hello(conn, tunnel)).toBe('Hello world!');
    expect(proxy.records.map((r) => [r.target, r.headers.filter(([n]) => n.startsWith(':'))])).toEqual([
      [`127.0.0.1:${origin.port}`, [[':method', 'CONNECT'], [':authority', `127.0.0.1:${origin.port}`]]],
    ]);
    expect(origin.requests[0]?.headers).toContainEqual(['host', `127.0.0.1:${origin.port}`]);
    const changed = events.filter((e) => e.name === 'originChanged' || e.name === 'protocolChanged');
    expect(changed).toEqual([
      { name: 'originChanged', event: { type: 'connect', originScheme: 'http', originHost: '127.0.0.1', originPort: origin.port, streamRef: tunnel } },
      { name: 'protocolChanged', event: { protocol: 'http', streamRef: tunnel } },
    ]);
    // Gun: info() does not list HTTP/2 proxies; streamInfo does.
    expect(conn.info()).toMatchObject({ originHost: '127.0.0.1', originPort: proxy.port, protocol: 'http2', intermediaries: [] });
  });

  it('the proxy connection keeps serving other streams: a GET to the proxy itself answers 405 meanwhile', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port }, 'http');
    const direct = conn.get('/');
    const inner = conn.get('/hello', {}, { tunnel });
    expect(await conn.await(direct)).toMatchObject({ type: 'response', status: 405 });
    expect(await conn.await(inner)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(inner)).body)).toBe('Hello world!');
  });

  it('h2 proxy → https origin speaking h2: TLS over the tunnel stream inside TLS, ALPN inside (Gun §5.14)', async () => {
    const origin = await started(startHttp2Origin({ tls: true }));
    const proxy = await started(startH2ConnectProxy({ tls: true }));
    const { handler, events } = recordEvents();
    conn = await openProxy(proxy.port, true, handler);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port, transport: 'tls', protocols: ['http2'], tlsOpts: { ca } }, 'http2');
    expect(await hello(conn, tunnel)).toBe('Hello world!');
    const tls = events.filter((e) => e.name === 'tlsHandshakeStart' || e.name === 'tlsHandshakeEnd');
    expect(tls.map((e) => [e.name, (e.event as { streamRef?: unknown }).streamRef])).toEqual([
      ['tlsHandshakeStart', undefined], ['tlsHandshakeEnd', undefined], ['tlsHandshakeStart', tunnel], ['tlsHandshakeEnd', tunnel],
    ]);
    expect(tls[3]?.event).toMatchObject({ protocol: 'http2' });
  });

  it('streamInfo: the CONNECT stream shows where the tunnel leads; a stream inside lists the HTTP/2 proxy (Gun stream_info)', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port }, 'http');
    expect(conn.streamInfo(tunnel)).toEqual({
      ref: tunnel, replyTo: conn.owner, state: 'running', intermediaries: [],
      tunnel: { transport: 'tcp', protocol: 'http', originScheme: 'http', originHost: '127.0.0.1', originPort: origin.port },
    });
    const ref = conn.get('/delay?ms=100', {}, { tunnel });
    expect(conn.streamInfo(ref)).toMatchObject({
      ref, replyTo: conn.owner, state: 'running',
      intermediaries: [{ type: 'connect', host: '127.0.0.1', port: proxy.port, transport: 'tcp', protocol: 'http2' }],
    });
    await conn.awaitBody(ref);
  });

  it('two tunnels on one connection to two origins, used at once', async () => {
    const a = await started(startHttpOrigin());
    const b = await started(startHttp2Origin());
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const ta = await tunnelTo(conn, { host: '127.0.0.1', port: a.port }, 'http');
    const tb = await tunnelTo(conn, { host: '127.0.0.1', port: b.port, protocols: ['http2'] }, 'http2');
    const [ha, hb] = await Promise.all([hello(conn, ta), hello(conn, tb)]);
    expect([ha, hb]).toEqual(['Hello world!', 'Hello world!']);
    expect(proxy.connections).toBe(1);
  });

  it('raw behind h2c CONNECT: data on the CONNECT ref is echoed on it (Gun http2_connect_tcp_raw_tcp)', async () => {
    const origin = await started(startRawEchoOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port, protocols: ['raw'] }, 'raw');
    conn.data(tunnel, false, 'Hello raw!');
    expect(await readRaw(conn, tunnel, 10)).toBe('Hello raw!');
  });

  it('commands made before the 2xx wait for the tunnel, then run in order', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port });
    const first = conn.get('/hello', {}, { tunnel });
    const second = conn.get('/hello', {}, { tunnel });
    expect(text((await conn.awaitBody(first)).body)).toBe('Hello world!');
    expect(text((await conn.awaitBody(second)).body)).toBe('Hello world!');
  });
});

describe('HTTP/2 tunnels in chains (Gun tunnel_SUITE h2c / h2 rows)', () => {
  it('h2c proxy → http proxy → http origin: a CONNECT over HTTP/1.1 inside the tunnel', async () => {
    const origin = await started(startHttpOrigin());
    const inner = await started(startConnectProxy());
    const outer = await started(startH2ConnectProxy());
    conn = await openProxy(outer.port, false);
    const t1 = await tunnelTo(conn, { host: '127.0.0.1', port: inner.port }, 'http');
    const t2 = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port }, 'http', t1);
    expect(await hello(conn, t2)).toBe('Hello world!');
    expect(inner.records.map((r) => r.target)).toEqual([`127.0.0.1:${origin.port}`]);
    const ref = conn.get('/hello', {}, { tunnel: t2 });
    expect(conn.streamInfo(ref)?.intermediaries).toEqual([
      { type: 'connect', host: '127.0.0.1', port: outer.port, transport: 'tcp', protocol: 'http2' },
      { type: 'connect', host: '127.0.0.1', port: inner.port, transport: 'tcp', protocol: 'http' },
    ]);
    await conn.awaitBody(ref);
  });

  it('h2 proxy → h2c proxy → https origin: a stream tunnel inside a stream tunnel, TLS at the end', async () => {
    const origin = await started(startHttpOrigin({ tls: true }));
    const inner = await started(startH2ConnectProxy());
    const outer = await started(startH2ConnectProxy({ tls: true }));
    conn = await openProxy(outer.port, true);
    const t1 = await tunnelTo(conn, { host: '127.0.0.1', port: inner.port, protocols: ['http2'] }, 'http2');
    const t2 = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port, transport: 'tls', tlsOpts: { ca } }, 'http', t1);
    expect(await hello(conn, t2)).toBe('Hello world!');
    expect(inner.records.map((r) => r.target)).toEqual([`127.0.0.1:${origin.port}`]);
  });

  it('http proxy → h2c proxy → http origin: an HTTP/2 tunnel behind a connection-wide CONNECT', async () => {
    const origin = await started(startHttpOrigin());
    const inner = await started(startH2ConnectProxy());
    const outer = await started(startConnectProxy());
    conn = open('127.0.0.1', outer.port, { retry: 0 });
    await conn.awaitUp();
    const t1 = await tunnelTo(conn, { host: '127.0.0.1', port: inner.port, protocols: ['http2'] }, 'http2');
    const t2 = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port }, 'http', t1);
    expect(await hello(conn, t2)).toBe('Hello world!');
  });
});

describe('HTTP/2 tunnel failures: a clear error, no stream left hanging (Gun §5.12)', () => {
  it('407: a plain response; a request naming it gets TUNNEL_ERR_NOT_A_TUNNEL, held ones too', async () => {
    const proxy = await started(startH2ConnectProxy({ auth: { username: 'u', password: 'p' } }));
    conn = await openProxy(proxy.port, false);
    const tunnel = conn.connect({ host: '127.0.0.1', port: 9 });
    const held = conn.get('/', {}, { tunnel });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 407 });
    await expect(conn.await(held)).rejects.toMatchObject({ cause: { code: TunnelErrors.NOT_A_TUNNEL } });
    await expect(conn.await(conn.get('/', {}, { tunnel }))).rejects.toMatchObject({ cause: { code: TunnelErrors.NOT_A_TUNNEL } });
  });

  it('credentials: proxy-authorization Basic opens the tunnel', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy({ auth: { username: 'u', password: 'p' } }));
    conn = await openProxy(proxy.port, false);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port, username: 'u', password: 'p' }, 'http');
    expect(await hello(conn, tunnel)).toBe('Hello world!');
  });

  it('RST_STREAM CONNECT_ERROR: a stream error on the CONNECT ref, held requests get TUNNEL_ERR_NOT_A_TUNNEL', async () => {
    const proxy = await started(startH2ConnectProxy({ reply: 'reset' }));
    conn = await openProxy(proxy.port, false);
    const tunnel = conn.connect({ host: '127.0.0.1', port: 9 });
    const held = conn.get('/', {}, { tunnel });
    await expect(conn.await(tunnel)).rejects.toMatchObject({ cause: { h2Code: 'CONNECT_ERROR' } });
    await expect(conn.await(held)).rejects.toMatchObject({ cause: { code: TunnelErrors.NOT_A_TUNNEL } });
  });

  it('a TLS failure inside the tunnel: the CONNECT ref gets GUN_ERR_TLS_HANDSHAKE, held requests TUNNEL_ERR_TUNNEL_CLOSED', async () => {
    const origin = await started(startHttpOrigin({ tls: true }));
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const tunnel = conn.connect({ host: '127.0.0.1', port: origin.port, transport: 'tls', tlsOpts: { ca: [] as string[] } });
    const held = conn.get('/hello', {}, { tunnel });
    expect(await conn.await(tunnel)).toMatchObject({ type: 'response', status: 200 });
    await expect(conn.await(tunnel)).rejects.toMatchObject({ cause: { code: GunErrors.TLS_HANDSHAKE } });
    await expect(conn.await(held)).rejects.toMatchObject({ cause: { code: TunnelErrors.TUNNEL_CLOSED } });
    expect(conn.info().protocol).toBe('http2');
  });

  it('the origin closing mid-response: the stream inside gets one error, the CONNECT is reset, the proxy connection stays up', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port }, 'http');
    const ref = conn.get('/drop?n=1000', {}, { tunnel });
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    const messages: ConnMessage[] = [];
    for (;;) {
      const m = await conn.owner.receive((x) => x.conn === conn && (x as { streamRef?: unknown }).streamRef === ref, { timeout: 5000 });
      messages.push(m);
      if (m.type === 'error' || (m.type === 'data' && m.fin)) break;
    }
    expect(errorCode(messages[messages.length - 1]!)).toBe(TunnelErrors.TUNNEL_CLOSED);
    await new Promise((r) => setTimeout(r, 50));
    expect(conn.owner.peekAll().filter((m) => (m as { streamRef?: unknown }).streamRef === ref)).toEqual([]);
    expect(conn.streamInfo(tunnel)).toBeUndefined();
    expect(await conn.await(conn.get('/'))).toMatchObject({ type: 'response', status: 405 });
  });

  it('the proxy connection going down lists the streams inside its tunnels as killed', async () => {
    const origin = await started(startHttpOrigin());
    const proxy = await started(startH2ConnectProxy());
    conn = await openProxy(proxy.port, false);
    const tunnel = await tunnelTo(conn, { host: '127.0.0.1', port: origin.port }, 'http');
    const ref = conn.get('/delay?ms=10000', {}, { tunnel });
    await new Promise((r) => setImmediate(r));
    await proxy.close();
    const down = await conn.owner.receive((m) => m.type === 'down', { timeout: 5000 });
    expect(down).toMatchObject({ type: 'down', protocol: 'http2' });
    expect(down.type === 'down' ? down.killedStreams : []).toEqual(expect.arrayContaining([tunnel, ref]));
    await expect(conn.await(ref)).rejects.toMatchObject({ code: GunErrors.DOWN });
  });
});
